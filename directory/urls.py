from django.urls import path

from directory.views import public

app_name = "directory"

urlpatterns = [
    path("find-support/", public.find_support, name="find_support"),
    path("find-support/services/<uuid:service_id>/", public.service_detail, name="service"),
    path("staying-safe-online/", public.staying_safe, name="staying_safe"),
    path("staying-safe-online/exit-this-page/", public.exit_explained, name="exit_explained"),
    path("exit/", public.leave, name="exit"),
]
