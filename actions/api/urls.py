from django.urls import path

from actions.api import views

app_name = "actions_api"

urlpatterns = [
    path("strategies/", views.StrategyList.as_view(), name="strategies"),
    path("strategies/<slug:slug>/", views.StrategyDetail.as_view(), name="strategy"),
    path("strategies/<slug:slug>/priorities/", views.PriorityList.as_view(), name="priorities"),
    path("actions/", views.ActionList.as_view(), name="actions"),
    path("actions/<int:pk>/", views.ActionDetail.as_view(), name="action"),
    path(
        "actions/<int:pk>/progress-updates/",
        views.ProgressUpdates.as_view(),
        name="progress_updates",
    ),
    path("measures/", views.MeasureList.as_view(), name="measures"),
]
