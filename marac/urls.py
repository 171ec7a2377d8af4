from django.urls import path

from marac.views import (
    cases,
    exports,
    indicators,
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
    path("marac/<slug:slug>/meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path(
        "marac/<slug:slug>/meetings/<int:pk>/circulate/",
        meetings.meeting_circulate,
        name="meeting_circulate",
    ),
]
