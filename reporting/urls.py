from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("boards/<slug:slug>/reports/", views.board_reports, name="board_reports"),
    path("boards/<slug:slug>/reports/open/", views.report_open, name="report_open"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/preview/<str:variant>/", views.report_preview, name="preview"),
    path("reports/<int:report_id>/render/", views.report_render, name="render"),
    path("reports/<int:report_id>/approve/", views.report_approve, name="approve"),
    path("reports/<int:report_id>/publish/", views.report_publish, name="publish"),
    path("reports/runs/<int:run_id>/status/", views.run_status, name="run_status"),
    path("reports/runs/<int:run_id>/download/", views.run_download, name="download"),
    path("reports/public/", views.public_reports, name="public"),
    path("reports/public/<int:run_id>/download/", views.public_download, name="public_download"),
]
