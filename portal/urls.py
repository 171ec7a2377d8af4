"""Root URLs. Anything not on the public map of DESIGN §6 requires sign-in."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from directory.views.public import home as directory_home
from portal import views

# The admin signs in through allauth, with the second factor (DESIGN §5).
admin.site.login = secure_admin_login(admin.site.login)

# A database outage answers 503 with a plain page, never a traceback (portal/errors.py).
handler500 = "portal.errors.server_error"

public_pages = [
    ("accessibility/", "portal/accessibility.html", "accessibility"),
    ("privacy/", "portal/privacy.html", "privacy"),
    ("cookies/", "portal/cookies.html", "cookies"),
]

urlpatterns = [
    path("", directory_home, name="home"),
    *[
        path(route, views.public_page, {"template": template}, name=name)
        for route, template, name in public_pages
    ],
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("accounts/session/", views.session_status, name="session_status"),
    path("accounts/session/continue/", views.session_continue, name="session_continue"),
    path("accounts/signed-out/", views.signed_out, name="signed_out"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include("partnership.urls")),
    path("", include("actions.urls")),
    path("api/v1/", include("actions.api.urls")),
    path("api/v1/marac/", include("marac.api.urls")),
    path("", include("reporting.urls")),
    path("", include("marac.urls")),
    path("", include("directory.urls")),
    path("api/oruk/", include("directory.api.urls")),
]

if settings.BENCHMARK_ANCHOR:
    urlpatterns.append(path("bench/fortunes/", views.fortunes, name="bench_fortunes"))
