"""MARAC pages. Thin: access (marac.permissions), a selector or service, render."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address recorded on access events (the proxy sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None
