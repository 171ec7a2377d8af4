import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts exist only by invitation from a partnership administrator: sign-up is closed."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Changes to second factors need the password again, except the first enrolment
        straight after signing in with it (the password was proven moments ago)."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        return required and not _enrolling_just_after_sign_in(context.request)


def _enrolling_just_after_sign_in(request: HttpRequest | None) -> bool:
    from portal.verification import has_second_factor

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or has_second_factor(user):
        return False
    records = get_authentication_records(request, user)
    timeout = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return bool(records) and time.time() - records[-1]["at"] < timeout


class SecondFactorAdapter(DefaultMFAAdapter):
    """Every account keeps a second factor: the last one cannot be switched off."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": (
            "You cannot turn off your only second factor. Add a security key first, or ask a "
            "partnership administrator to reset it if you have lost your phone."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        ).exclude(pk=authenticator.pk)
        return others.exists()
