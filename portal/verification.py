"""Whether a session passed the second factor (allauth MFA records it in the session)."""

from django.http import HttpRequest


def is_verified(request: HttpRequest) -> bool:
    from allauth.mfa.utils import is_mfa_enabled  # noqa: F401  (keeps allauth.mfa loaded)

    session = getattr(request, "session", None)
    if session is None:
        return False
    authentication_records = session.get("account_authentication_methods", [])
    return any(record.get("method") == "mfa" for record in authentication_records)
