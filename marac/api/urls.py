from django.urls import path

from marac.api import views

app_name = "marac_api"

urlpatterns = [
    path("cases/", views.CaseList.as_view(), name="cases"),
    path("cases/lookup/", views.CaseLookup.as_view(), name="case_lookup"),
    path("cases/<int:pk>/", views.CaseDetail.as_view(), name="case"),
    path("cases/<int:pk>/dash-assessments/", views.DashAssessments.as_view(), name="dash"),
    path("referrals/", views.Referrals.as_view(), name="referrals"),
    path("referrals/<int:pk>/accept/", views.ReferralAccept.as_view(), name="referral_accept"),
    path("indicators/", views.Indicators.as_view(), name="indicators"),
]
