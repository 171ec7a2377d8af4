from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict:
    """The service name, phase and the signed-in person's partnerships for the header."""
    context = {"service_name": settings.SERVICE_NAME, "phase": settings.PHASE}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from partnership.selectors import navigation_for

        context.update(navigation_for(request))
        context["session_warning"] = {
            "warn_seconds": settings.SESSION_TIMEOUT_WARNING_SECONDS,
            "poll_seconds": settings.SESSION_STATUS_POLL_SECONDS,
        }
    return context
