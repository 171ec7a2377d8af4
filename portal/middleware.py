"""Project-wide middleware."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control

from portal.verification import has_second_factor, is_verified


class NoStoreForSignedInMiddleware:
    """Signed-in pages must never be stored by a browser or a proxy (DESIGN §5)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        if getattr(request, "signed_out", False):
            # Signing out (or timing out) leaves nothing of the session in the browser.
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response


# Pages a signed-in person whose session has not passed the second factor may still use:
# choosing and setting up a second factor, proving their password again for it, and signing out.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
    }
)


class SecondFactorRequiredMiddleware:
    """Every staff page and the Django admin need a session verified with the second factor.

    Public views (`login_not_required`: the public map, the sign-in pages, and DRF views, which
    `IsVerifiedStaff` guards) pass through. A person without a second factor is sent to set one
    up; a session that skipped the step for an account that has one is signed out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        if not request.user.is_authenticated or is_verified(request):
            return None
        match = request.resolver_match
        is_admin = match is not None and match.namespace == "admin"
        if not is_admin and not getattr(view_func, "login_required", True):
            return None
        if has_second_factor(request.user):
            logout(request)
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if match is not None and match.url_name in ENROLMENT_URL_NAMES:
            return None
        return redirect("mfa_index")
