"""The public Open Referral UK 3.0 API (DESIGN §6): no authentication, CORS `*`, no cookies.

Only these views allow anonymous use; the staff API keeps its `IsVerifiedStaff` default. Bad
parameters answer 400 with a JSON error, unknown ids 404. Only public services appear, and a
confidential location never does.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Power, Sqrt
from django.http import HttpResponse
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from directory import oruk, permissions, search
from directory.geography import KM_PER_DEGREE_LATITUDE, Origin, PostcodeError, origin_for
from directory.models import (
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    Vocabulary,
    taxonomy_uuid,
)
from directory.reference import DATA
from directory.search import Filters

MAX_PER_PAGE = 1000
DEFAULT_PER_PAGE = 50


class OrukView(APIView):
    """Base for the ORUK views: its contract is ORUK's OpenAPI, not the staff API schema."""

    schema = None
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        return response


class PageInput(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=10_000_000, default=1)
    per_page = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_PAGE, default=DEFAULT_PER_PAGE
    )


def _page(request: Request, items: list[Any] | QuerySet, total: int, params: dict) -> Response:
    page, per_page = params["page"], params["per_page"]
    start = (page - 1) * per_page
    contents = list(items[start : start + per_page])
    total_pages = math.ceil(total / per_page)
    return Response(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _validated(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _resolve_term(value: str) -> TaxonomyTerm:
    code = value.rstrip("/").rsplit("/", 1)[-1]
    term = TaxonomyTerm.objects.filter(code=code).first()
    if term is None and _as_uuid(code):
        term = TaxonomyTerm.objects.filter(uuid=_as_uuid(code)).first()
    if term is None:
        raise serializers.ValidationError("Unknown taxonomy term.")
    return term


def _as_uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


VOCABULARY_BY_ID = {str(taxonomy_uuid(v.value)): v.value for v in Vocabulary}
DAYS = {code: index for index, code in enumerate(WEEKDAY_CODES)} | {
    name.upper(): index for index, name in enumerate(WEEKDAY_NAMES)
}


class ServiceFiltersInput(PageInput):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    taxonomy_term_id = serializers.CharField(required=False, max_length=200)
    taxonomy_id = serializers.CharField(required=False, max_length=200)
    minimum_age = serializers.FloatField(required=False, min_value=0, max_value=150)
    maximum_age = serializers.FloatField(required=False, min_value=0, max_value=150)
    start_time = serializers.TimeField(required=False)
    end_time = serializers.TimeField(required=False)
    day = serializers.CharField(required=False, max_length=16)

    def validate_taxonomy_term_id(self, value: str) -> TaxonomyTerm:
        return _resolve_term(value)

    def validate_taxonomy_id(self, value: str) -> str:
        vocabulary = VOCABULARY_BY_ID.get(value) or (value if value in Vocabulary.values else None)
        if vocabulary is None:
            raise serializers.ValidationError("Unknown taxonomy.")
        return vocabulary

    def validate_day(self, value: str) -> int:
        day = DAYS.get(value.strip().upper())
        if day is None:
            raise serializers.ValidationError("Give a day as MO, TU, WE, TH, FR, SA or SU.")
        return day


def _filtered_services(params: dict) -> search.Results:
    base = Service.objects.public()
    if "minimum_age" in params:
        base = base.filter(minimum_age__gte=params["minimum_age"])
    if "maximum_age" in params:
        base = base.filter(maximum_age__lte=params["maximum_age"])
    if any(k in params for k in ("day", "start_time", "end_time")):
        base = base.open_between(
            day=params.get("day"), start=params.get("start_time"), end=params.get("end_time")
        )
    term = params.get("taxonomy_term_id")
    filters = Filters(
        text=params.get("search", ""),
        terms=(term,) if term else (),
        vocabularies=(params["taxonomy_id"],) if params.get("taxonomy_id") else (),
    )
    return search.search(filters, base=base)


class ApiRoot(OrukView):
    def get(self, request: Request) -> Response:
        return Response(oruk.api_root(request.build_absolute_uri("/api/oruk/openapi.json")))


def openapi_document(request):
    """The ORUK 3.0 OpenAPI description this API follows (vendored, CC BY-SA 4.0)."""
    response = HttpResponse(
        (DATA / "oruk-openapi30.json").read_bytes(), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


class ServiceList(OrukView):
    def get(self, request: Request) -> Response:
        params = _validated(ServiceFiltersInput, request)
        results = _filtered_services(params)
        services = results.services.select_related("organisation")
        page = _LazyMap(services, oruk.service_list_item)
        return _page(request, page, results.total, params)


class ServiceDetail(OrukView):
    def get(self, request: Request, service_id: str) -> Response:
        service = permissions.access_public_service(service_id)
        service = oruk.with_oruk_relations(Service.objects.filter(pk=service.pk)).get()
        return Response(oruk.full_service(service))


class ServiceAtLocationFiltersInput(ServiceFiltersInput):
    postcode = serializers.CharField(required=False, max_length=10)
    proximity = serializers.FloatField(required=False, min_value=0, max_value=1_000_000)

    def validate_postcode(self, value: str) -> Origin:
        try:
            return origin_for(value)
        except PostcodeError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate(self, attrs: dict) -> dict:
        if "proximity" in attrs and "postcode" not in attrs:
            raise serializers.ValidationError({"proximity": "Give a postcode with proximity."})
        return attrs


def _public_links(params: dict) -> QuerySet[ServiceAtLocation]:
    services = _filtered_services(params).services.values("pk")
    links = (
        oruk.public_links().filter(service_id__in=services).select_related("service__organisation")
    )
    origin: Origin | None = params.get("postcode")
    if origin is None:
        return links.order_by("service__name", "pk")
    km = Sqrt(
        Power((F("location__latitude") - Value(origin.latitude)) * KM_PER_DEGREE_LATITUDE, 2)
        + Power(
            (F("location__longitude") - Value(origin.longitude)) * origin.km_per_degree_longitude,
            2,
        ),
        output_field=FloatField(),
    )
    links = links.filter(location__latitude__isnull=False, location__longitude__isnull=False)
    links = links.annotate(distance_km=km)
    if "proximity" in params:
        links = links.filter(distance_km__lte=params["proximity"] / 1000)
    return links.order_by("distance_km", "pk")


class ServiceAtLocationList(OrukView):
    def get(self, request: Request) -> Response:
        params = _validated(ServiceAtLocationFiltersInput, request)
        links = _public_links(params)
        items = _LazyMap(links, lambda link: oruk.service_at_location(link, with_service=True))
        return _page(request, items, links.count(), params)


class ServiceAtLocationDetail(OrukView):
    def get(self, request: Request, link_id: str) -> Response:
        link = (
            oruk.public_links()
            .filter(service__in=permissions.public_services())
            .select_related("service__organisation")
            .filter(pk=link_id)
            .first()
        )
        if link is None:
            raise NotFound
        return Response(oruk.service_at_location(link, with_service=True))


class TaxonomyList(OrukView):
    def get(self, request: Request) -> Response:
        params = _validated(PageInput, request)
        items = [oruk.taxonomy(v.value) for v in Vocabulary]
        return _page(request, items, len(items), params)


class TaxonomyDetail(OrukView):
    def get(self, request: Request, taxonomy_id: str) -> Response:
        vocabulary = VOCABULARY_BY_ID.get(str(taxonomy_id))
        if vocabulary is None:
            raise NotFound
        terms = list(TaxonomyTerm.objects.filter(vocabulary=vocabulary))
        return Response(oruk.taxonomy(vocabulary, terms))


class TaxonomyTermList(OrukView):
    def get(self, request: Request) -> Response:
        params = _validated(PageInput, request)
        terms = TaxonomyTerm.objects.order_by("vocabulary", "position")
        items = _LazyMap(terms, oruk.taxonomy_term)
        return _page(request, items, terms.count(), params)


class TaxonomyTermDetail(OrukView):
    def get(self, request: Request, term_id: str) -> Response:
        term = TaxonomyTerm.objects.filter(uuid=term_id).first()
        if term is None:
            raise NotFound
        return Response(oruk.taxonomy_term(term))


class _LazyMap:
    """A queryset whose slice is mapped to ORUK objects (so only one page is fetched)."""

    def __init__(self, queryset: QuerySet, to_item) -> None:
        self.queryset = queryset
        self.to_item = to_item

    def __getitem__(self, window: slice) -> list[Any]:
        return [self.to_item(row) for row in self.queryset[window]]
