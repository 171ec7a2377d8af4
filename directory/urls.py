from django.urls import path

from directory.views import editing, public

app_name = "directory"

urlpatterns = [
    path("find-support/", public.find_support, name="find_support"),
    path("find-support/services/<uuid:service_id>/", public.service_detail, name="service"),
    path("staying-safe-online/", public.staying_safe, name="staying_safe"),
    path("staying-safe-online/exit-this-page/", public.exit_explained, name="exit_explained"),
    path("exit/", public.leave, name="exit"),
    # Staff: keeping the directory current (sign-in required).
    path("directory/", editing.manage, name="manage"),
    path("directory/services/new/", editing.service_new, name="manage_new"),
    path("directory/services/<uuid:service_id>/", editing.service_detail, name="manage_service"),
    path("directory/services/<uuid:service_id>/edit/", editing.service_edit, name="manage_edit"),
    path(
        "directory/services/<uuid:service_id>/confirm/",
        editing.service_confirm,
        name="manage_confirm",
    ),
    path(
        "directory/services/<uuid:service_id>/publish/",
        editing.service_publish,
        name="manage_publish",
    ),
    path(
        "directory/services/<uuid:service_id>/discard/",
        editing.service_discard,
        name="manage_discard",
    ),
    path(
        "directory/services/<uuid:service_id>/withdraw/",
        editing.service_withdraw,
        name="manage_withdraw",
    ),
]
