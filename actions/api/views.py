"""The action-plan staff API: reads scoped by actions.permissions, and posting progress."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions import permissions, services
from actions.api.serializers import (
    ActionOutput,
    MeasureOutput,
    PriorityOutput,
    ProgressUpdateOutput,
    StrategyOutput,
)
from actions.models import Action, ActionStatus, ProgressUpdate
from portal.api_params import slug_param


class StrategyList(generics.ListAPIView):
    serializer_class = StrategyOutput

    def get_queryset(self):
        return (
            permissions.strategies_visible_to(self.request.user)
            .select_related("partnership", "approved_by", "supersedes")
            .order_by("partnership__name", "-created_at")
        )


class StrategyDetail(generics.RetrieveAPIView):
    serializer_class = StrategyOutput
    lookup_field = "slug"
    objects_visible_to = staticmethod(permissions.strategies_visible_to)  # ObjectInScope

    def get_queryset(self):
        return permissions.strategies_visible_to(self.request.user).select_related(
            "partnership", "approved_by", "supersedes"
        )


class PriorityList(generics.ListAPIView):
    serializer_class = PriorityOutput

    def get_queryset(self):
        strategy = permissions.access_strategy(self.request.user, self.kwargs["slug"])
        return strategy.priorities.order_by("position", "code")


class ActionList(generics.ListAPIView):
    """Actions visible to the person; `?strategy=<slug>` narrows to one strategy."""

    serializer_class = ActionOutput

    def get_queryset(self):
        actions = permissions.actions_visible_to(self.request.user).for_api()
        if self.request.query_params.get("strategy"):
            actions = actions.filter(strategy__slug=slug_param(self.request, "strategy"))
        return actions.order_by("strategy__slug", "position", "ref")


class ActionDetail(generics.RetrieveAPIView):
    serializer_class = ActionOutput
    objects_visible_to = staticmethod(permissions.actions_visible_to)  # ObjectInScope

    def get_queryset(self):
        return permissions.actions_visible_to(self.request.user).for_api()


def _visible_action(request: Request, pk: int) -> Action:
    try:
        action = permissions.actions_visible_to(request.user).get(pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None
    return permissions.access_action(request.user, action.strategy.slug, action.ref)


class ProgressUpdates(APIView):
    """An action's progress history (GET) and a new update (POST: 403 unless one may)."""

    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ActionStatus.choices)
        narrative = serializers.CharField()
        next_steps = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(responses=ProgressUpdateOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        action = _visible_action(request, pk)
        updates = ProgressUpdate.objects.filter(action=action).select_related("author", "agency")
        return Response(ProgressUpdateOutput(updates, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ProgressUpdateOutput})
    def post(self, request: Request, pk: int) -> Response:
        action = _visible_action(request, pk)
        action = permissions.access_action_for_progress(
            request.user, action.strategy.slug, action.ref
        )
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            update = services.action_progress_record(
                acting_user=request.user,
                action=action,
                agency=permissions.posting_agency(request.user, action),
                **data.validated_data,
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(ProgressUpdateOutput(update).data, status=status.HTTP_201_CREATED)


class MeasureList(generics.ListAPIView):
    serializer_class = MeasureOutput

    def get_queryset(self):
        from actions.models import MeasureValue

        return (
            permissions.measures_visible_to(self.request.user)
            .select_related("partnership")
            .prefetch_related(
                Prefetch("values", queryset=MeasureValue.objects.select_related("borough"))
            )
            .order_by("partnership__name", "name")
        )
