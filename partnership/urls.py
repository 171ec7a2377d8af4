from django.urls import path

from partnership import views

app_name = "partnership"

urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/switch-partnership/", views.switch, name="switch"),
    path("partnerships/<slug:slug>/", views.overview, name="overview"),
    path("partnerships/<slug:slug>/people/", views.people, name="people"),
    path("partnerships/<slug:slug>/people/invite/", views.person_invite, name="invite"),
    path("partnerships/<slug:slug>/people/<int:person_id>/", views.person, name="person"),
    path(
        "partnerships/<slug:slug>/people/<int:person_id>/deactivate/",
        views.person_deactivate,
        name="deactivate",
    ),
    path(
        "partnerships/<slug:slug>/people/<int:person_id>/reset-second-factor/",
        views.second_factor_reset,
        name="second_factor_reset",
    ),
    path(
        "partnerships/<slug:slug>/people/<int:person_id>/unlock/",
        views.person_unlock,
        name="unlock",
    ),
    path(
        "partnerships/<slug:slug>/memberships/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "partnerships/<slug:slug>/boroughs/<slug:borough_slug>/population/",
        views.borough_population,
        name="borough_population",
    ),
    path("agencies/<slug:slug>/", views.agency, name="agency"),
    path("boards/<slug:slug>/", views.board, name="board"),
    path("boards/<slug:slug>/meetings/new/", views.board_meeting_new, name="board_meeting_new"),
    path(
        "boards/<slug:slug>/meetings/<int:meeting_id>/attendance/<int:attendance_id>/",
        views.attendance_edit,
        name="attendance_edit",
    ),
]
