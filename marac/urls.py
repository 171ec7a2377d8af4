from django.urls import path

from marac.views import (
    agencies,
    cases,
    exports,
    indicators,
    meeting_day,
    meetings,
    oversight,
    referrals,
    retention,
    transfers,
)

app_name = "marac"

urlpatterns = [
    path("marac/", cases.home, name="home"),
    path("marac/agenda-cases/", cases.agenda_cases, name="agenda_cases"),
    path("marac/caseload/", cases.caseload, name="caseload"),
    path("marac/cases/<int:pk>/", cases.case, name="case"),
    path("marac/research/", agencies.research_list, name="research_list"),
    path("marac/research/<int:item_pk>/", agencies.research_item, name="research_item"),
    path("marac/my-actions/", agencies.my_actions, name="my_actions"),
    path("marac/my-actions/<int:pk>/", agencies.action_update, name="action_update"),
    path("marac/extracts/<int:pk>/", agencies.extract, name="extract"),
    path("marac/reminders/", agencies.reminders, name="reminders"),
    path("marac/cases/<int:pk>/check/", referrals.referral_check, name="referral_check"),
    path("marac/cases/<int:pk>/list/", cases.case_list_on_agenda, name="case_list_on_agenda"),
    path("marac/cases/<int:pk>/transfer/", transfers.transfer_new, name="transfer_new"),
    path("marac/cases/<int:pk>/legal-hold/", retention.legal_hold, name="legal_hold"),
    path("marac/transfers/<int:pk>/", transfers.transfer, name="transfer"),
    path("marac/exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path(
        "marac/partnerships/<slug:slug>/indicators/",
        indicators.partnership_indicators,
        name="partnership_indicators",
    ),
    path("marac/partnerships/<slug:slug>/oversight/", oversight.oversight, name="oversight"),
    path(
        "marac/partnerships/<slug:slug>/oversight/alerts/handle/",
        oversight.oversight_alert_handle,
        name="oversight_alert_handle",
    ),
    path("marac/<slug:slug>/", cases.dashboard, name="dashboard"),
    path("marac/<slug:slug>/indicators/", indicators.marac_indicators, name="indicators"),
    path(
        "marac/<slug:slug>/indicators/safelives-return.csv",
        indicators.safelives_return,
        name="safelives_return",
    ),
    path("marac/<slug:slug>/cases/", cases.case_list, name="case_list"),
    path("marac/<slug:slug>/transfers/", transfers.transfers, name="transfers"),
    path("marac/<slug:slug>/exports/", exports.exports, name="exports"),
    path("marac/<slug:slug>/lookup/", cases.lookup, name="lookup"),
    path("marac/<slug:slug>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("marac/<slug:slug>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("marac/<slug:slug>/actions/", meeting_day.tracker, name="tracker"),
    path("marac/<slug:slug>/meetings/<int:pk>/", meeting_day.meeting, name="meeting"),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/agenda/add/",
        meeting_day.agenda_add,
        name="agenda_add",
    ),
    path("marac/<slug:slug>/meetings/<int:pk>/day/", meeting_day.meeting_day, name="meeting_day"),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/attendance/",
        meeting_day.attendance_add,
        name="attendance_add",
    ),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/",
        meeting_day.meeting_item,
        name="meeting_item",
    ),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/draft/",
        meeting_day.meeting_item_draft,
        name="meeting_item_draft",
    ),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/actions/",
        meeting_day.meeting_item_action,
        name="meeting_item_action",
    ),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/review/<int:action_pk>/",
        meeting_day.action_review,
        name="action_review",
    ),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/approve/",
        meeting_day.minutes_approve,
        name="minutes_approve",
    ),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/circulate/",
        meetings.meeting_circulate,
        name="meeting_circulate",
    ),
]
