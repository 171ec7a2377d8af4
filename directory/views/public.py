"""Public pages: find support, leave no trace. GET only; no session, no CSRF token, no cookie.

Titles never repeat what was searched (browser history keeps titles), and nothing typed is
logged: the access log has no query strings and these views log nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from directory import permissions, search, selectors
from directory.forms import SearchForm
from directory.published import published
from portal.public import public_page

PAGE_SIZE = 20
MAX_PAGE = 10_000


def _render(request: HttpRequest, template: str, context: dict[str, Any] | None = None):
    """Render a public page: no messages (reading them would touch the session)."""
    return render(request, template, {"messages": [], **(context or {})})


@public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    directory = published()
    form = SearchForm(directory=directory, languages=False)
    context = {
        "form": None,
        "search_form": form,
        "helplines": selectors.national_helplines(),
        "service_types": directory.service_types,
    }
    return _render(request, "directory/home.html", context)


def _page_number(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


@public_page
@require_GET
def find_support(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET, directory=published())
    form.is_valid()
    filters = form.filters()
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE
    results = search.search_page(filters, slice(start, start + PAGE_SIZE))
    form.add_counts(results.facets)
    services = results.results
    total_pages = max((results.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    context = {
        "form": form,
        "services": services,
        "total": results.total,
        "page": page,
        "total_pages": total_pages,
        "previous_query": _query_for_page(request, page - 1) if page > 1 else None,
        "next_query": _query_for_page(request, page + 1) if page < total_pages else None,
        "by_distance": filters.origin is not None,
        "relaxed": bool(results.text and results.text.any_word),
        "helplines": selectors.national_helplines() if not services else [],
        "past_the_end": page > total_pages,
        "first_query": _query_for_page(request, 1),
    }
    return _render(request, "directory/results.html", context)


def _query_for_page(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return query.urlencode()


@public_page
@require_GET
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_public_service(service_id)
    service = selectors.with_display_relations(type(service).objects.filter(pk=service.pk)).get()
    context = {
        "service": service,
        "opening": selectors.opening_times(service),
        "terms": selectors.terms_by_vocabulary(service),
        "areas": selectors.area_names(service),
        "languages": selectors.languages_of(service),
        "confidential_location": selectors.has_confidential_location(service),
    }
    return _render(request, "directory/service.html", context)


@public_page
@require_GET
def staying_safe(request: HttpRequest) -> HttpResponse:
    return _render(request, "directory/staying_safe.html")


@public_page
@require_GET
def exit_explained(request: HttpRequest) -> HttpResponse:
    return _render(request, "directory/exit_explained.html")


@public_page
def leave(request: HttpRequest) -> HttpResponse:
    """ "Exit this page": end any session and ask the browser to clear this site's data."""
    session = getattr(request, "session", None)
    if session is not None and request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        session.flush()
    response = HttpResponseRedirect(settings.DIRECTORY_EXIT_URL)
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response
