"""The MARAC staff API: cases, lookups, referrals, DASH assessments and indicators. Scoped by
marac.permissions and read through marac.selectors, so each allowed read writes exactly one
access event, as the pages do. No name, date of birth or address is ever a query parameter:
lookups are POSTs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marac import indicators as figures
from marac import permissions, selectors, services
from marac.api.serializers import (
    CaseDetailOutput,
    CasePageOutput,
    CaseSummaryOutput,
    DashOutput,
    IndicatorsOutput,
    LookupInput,
    ReferralInput,
    ReferralOutput,
)
from marac.models import AccessKind, Case, CaseStatus, Lens, Marac
from marac.views import client_ip
from marac.views.indicators import last_whole_months
from marac.views.referrals import submit_referral
from partnership.models import Agency
from partnership.permissions import access_partnership
from portal.api_params import slug_param

EMPTY_PAGE = {"count": 0, "page": 1, "pages": 1, "results": []}


def _page_number(value: str | None) -> int:
    """The `page` asked for: a whole number from 1, else 400 (never a silent first page)."""
    if value is None:
        return 1
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise serializers.ValidationError({"page": ["Give a whole number from 1."]})
    return number


class CaseList(APIView):
    """Cases visible through `lens` (full by default), a page at a time; each case returned is
    recorded as appearing in a list."""

    @extend_schema(
        parameters=[
            OpenApiParameter("lens", enum=[Lens.FULL, Lens.AGENDA]),
            OpenApiParameter("marac", str, description="A MARAC's slug"),
            OpenApiParameter("page", int),
        ],
        responses=CasePageOutput,
        operation_id="v1_marac_cases_list",
    )
    def get(self, request: Request) -> Response:
        lens = request.query_params.get("lens", Lens.FULL)
        if lens not in Lens.values:
            raise serializers.ValidationError({"lens": "Choose full or agenda."})
        page_number = _page_number(request.query_params.get("page"))
        marac = None
        if request.query_params.get("marac"):
            marac = Marac.objects.filter(slug=slug_param(request, "marac")).first()
            if marac is None:
                # Answer as for a MARAC where nothing is visible: out of scope equals missing.
                return Response(CasePageOutput(EMPTY_PAGE).data)
        page = selectors.case_page(
            request.user,
            lens,
            marac=marac,
            page=page_number,
            ip_address=client_ip(request),
        )
        data = {"count": page.total, "page": page.page, "pages": page.pages, "results": page.cases}
        return Response(CasePageOutput(data).data)


class CaseDetail(APIView):
    """One case through the widest lens the person holds."""

    @extend_schema(responses=CaseDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        lens = permissions.access_case_lens(request.user, pk)
        view = selectors.case_detail(
            request.user, pk, lens, ip_address=client_ip(request), what=AccessKind.API
        )
        return Response(CaseDetailOutput(asdict(view)).data)


class CaseLookup(APIView):
    """Exact lookup (coordinators): by case reference, or full name and date of birth. Recorded
    and rate-limited (429 past the hourly limit)."""

    @extend_schema(request=LookupInput, responses=CaseSummaryOutput(many=True))
    def post(self, request: Request) -> Response:
        data = LookupInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        marac = permissions.access_marac(request.user, values["marac"])
        if not permissions.can_look_up(request.user, marac):
            raise Http404
        try:
            if values.get("case_ref"):
                cases = selectors.case_find_by_ref(
                    request.user, marac, values["case_ref"], ip_address=client_ip(request)
                )
            else:
                cases = selectors.cases_find_exact(
                    request.user,
                    marac,
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    date_of_birth=values["date_of_birth"],
                    ip_address=client_ip(request),
                )
        except permissions.LookupLimitReached:
            raise Throttled(detail="Too many lookups in the last hour.") from None
        return Response(CaseSummaryOutput(cases, many=True).data)


class DashAssessments(APIView):
    """Every DASH version of a case (full lens only)."""

    @extend_schema(responses=DashOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        history = selectors.dash_history(request.user, pk, ip_address=client_ip(request))
        return Response(DashOutput(history, many=True).data)


class Referrals(APIView):
    """Referrals waiting at the MARACs the person coordinates or chairs (GET); a new referral
    with its 24 DASH answers (POST)."""

    @extend_schema(
        parameters=[OpenApiParameter("marac", str, required=True)],
        responses=CaseSummaryOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        marac = permissions.access_marac(
            request.user, slug_param(request, "marac"), *permissions.FULL_LENS_ROLES
        )
        waiting = selectors.referrals_waiting(request.user, marac, ip_address=client_ip(request))
        return Response(CaseSummaryOutput(waiting, many=True).data)

    @extend_schema(request=ReferralInput, responses={201: ReferralOutput})
    def post(self, request: Request) -> Response:
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        marac = permissions.access_marac(
            request.user, values["marac"], *permissions.FULL_LENS_ROLES
        )
        agency = get_object_or_404(
            Agency,
            slug=values["referring_agency"],
            marac_memberships__marac=marac,
            marac_memberships__left_on__isnull=True,
        )
        try:
            case = submit_referral(
                acting_user=request.user,
                marac=marac,
                agency=agency,
                values=values,
                answers=values["dash_answers"],
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(ReferralOutput(case).data, status=status.HTTP_201_CREATED)


class ReferralAccept(APIView):
    """Accept a waiting referral: its repeat status is decided and stored."""

    @extend_schema(request=None, responses=ReferralOutput)
    def post(self, request: Request, pk: int) -> Response:
        case = permissions.access_managed_case(
            request.user, pk, what=AccessKind.API, ip_address=client_ip(request)
        )
        if case.status != CaseStatus.REFERRED:
            raise serializers.ValidationError("This referral has already been decided.")
        case = services.case_accept(acting_user=request.user, case=case)
        return Response(ReferralOutput(Case.objects.select_related("referral").get(pk=pk)).data)


def _period(request: Request) -> tuple[date, date]:
    start, end = last_whole_months(timezone.localdate())
    try:
        start = date.fromisoformat(request.query_params.get("from") or start.isoformat())
        end = date.fromisoformat(request.query_params.get("to") or end.isoformat())
    except ValueError:
        raise serializers.ValidationError("Dates are YYYY-MM-DD.") from None
    if start > end:
        raise serializers.ValidationError("The start of the period is after its end.")
    return start, end


class Indicators(APIView):
    """SafeLives indicators for a MARAC or a partnership (counts only; no case is read)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("marac", str),
            OpenApiParameter("partnership", str),
            OpenApiParameter("from", date),
            OpenApiParameter("to", date),
        ],
        responses=IndicatorsOutput,
    )
    def get(self, request: Request) -> Response:
        start, end = _period(request)
        if request.query_params.get("marac"):
            marac = permissions.access_marac_figures(request.user, slug_param(request, "marac"))
            result = selectors.indicators(start=start, end=end, marac=marac)
            full = permissions.sees_unsuppressed_indicators(request.user, marac)
            shown = result if full else figures.suppressed(result)
            return Response({"figures": shown, "suppressed": not full})
        partnership = access_partnership(request.user, slug_param(request, "partnership"))
        result = selectors.indicators(start=start, end=end, partnership=partnership)
        full = {
            m.slug: permissions.sees_unsuppressed_indicators(request.user, m)
            for m in Marac.objects.filter(partnership=partnership)
        }
        if not all(full.values()):
            parts = [p if full[p["marac"]] else figures.suppressed(p) for p in result["maracs"]]
            result = {
                **result,
                "maracs": parts,
                "total": figures.suppressed_total(result["total"], parts),
            }
        return Response({"figures": result, "suppressed": not all(full.values())})
