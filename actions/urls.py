from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("my-actions/", views.my_actions, name="my_actions"),
    path("partnerships/<slug:slug>/action-plans/", views.strategies, name="strategies"),
    path("partnerships/<slug:slug>/action-plans/new/", views.strategy_new, name="strategy_new"),
    path("partnerships/<slug:slug>/measures/", views.measures, name="measures"),
    path("partnerships/<slug:slug>/measures/new/", views.measure_new, name="measure_new"),
    path("partnerships/<slug:slug>/measures/upload/", views.measure_upload, name="measure_upload"),
    path("partnerships/<slug:slug>/measures/<slug:code>/", views.measure, name="measure"),
    path(
        "partnerships/<slug:slug>/measures/<slug:code>/edit/",
        views.measure_edit,
        name="measure_edit",
    ),
    path("strategies/<slug:slug>/", views.strategy, name="strategy"),
    path("strategies/<slug:slug>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategies/<slug:slug>/status/", views.strategy_status, name="strategy_status"),
    path("strategies/<slug:slug>/new-version/", views.strategy_new_version, name="new_version"),
    path("strategies/<slug:slug>/plan/", views.plan, name="plan"),
    path("strategies/<slug:slug>/plan/export/", views.plan_export, name="plan_export"),
    path("strategies/<slug:slug>/plan/import/", views.plan_import, name="plan_import"),
    path("strategies/<slug:slug>/priorities/new/", views.priority_edit, name="priority_new"),
    path(
        "strategies/<slug:slug>/priorities/<str:code>/edit/",
        views.priority_edit,
        name="priority_edit",
    ),
    path("strategies/<slug:slug>/actions/new/", views.action_edit, name="action_new"),
    path("strategies/<slug:slug>/actions/<str:ref>/", views.action, name="action"),
    path("strategies/<slug:slug>/actions/<str:ref>/edit/", views.action_edit, name="action_edit"),
    path(
        "strategies/<slug:slug>/actions/<str:ref>/update/",
        views.action_progress,
        name="action_progress",
    ),
]
