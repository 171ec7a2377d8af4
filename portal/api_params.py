"""Reading the staff API's raw query parameters safely (forms already refuse NUL bytes; DRF's
`query_params` does not, and PostgreSQL cannot compare a string holding one), page numbers
included."""

from __future__ import annotations

import re

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug_param(request: Request, name: str) -> str:
    """A slug from the query string, or "" (which matches nothing) when it cannot be one, so a
    NUL byte or other junk never reaches the database."""
    value = request.query_params.get(name, "")
    return value if SLUG.fullmatch(value) else ""


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, except that an empty `page=` is refused like any other page that is
    not a number (404, "Invalid page.") instead of silently meaning the first page."""

    def get_page_number(self, request: Request, paginator) -> int | str:
        page_number = request.query_params.get(self.page_query_param)
        if page_number is None:
            return 1
        if page_number in self.last_page_strings:
            return paginator.num_pages
        return page_number
