"""Reading the staff API's raw query parameters safely (forms already refuse NUL bytes; DRF's
`query_params` does not, and PostgreSQL cannot compare a string holding one)."""

from __future__ import annotations

import re

from rest_framework.request import Request

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug_param(request: Request, name: str) -> str:
    """A slug from the query string, or "" (which matches nothing) when it cannot be one, so a
    NUL byte or other junk never reaches the database."""
    value = request.query_params.get(name, "")
    return value if SLUG.fullmatch(value) else ""
