"""Chainable filters for actions, with the prefetching that keeps plan pages at fixed queries."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import OuterRef, Prefetch, Q, Subquery

LONG_TEXTS = ["description", "outcomes", "resources", "performance_measures"]


class ActionQuerySet(models.QuerySet):
    def for_plan(self) -> ActionQuerySet:
        """What the plan and "my actions" show, in a fixed number of queries, loading only the
        columns a row needs (the long texts stay in the database). Leads and milestones land in
        `lead_list` and `milestone_list`: lists, because a related manager per row costs more
        than the queries."""
        from actions.models import ActionLead, Milestone

        return (
            self.select_related("strategy__partnership")
            .defer(*LONG_TEXTS)
            .prefetch_related(
                Prefetch(
                    "leads",
                    queryset=ActionLead.objects.select_related("agency").only(
                        "action_id", "is_primary", "position", "agency__name", "agency__slug"
                    ),
                    to_attr="lead_list",
                ),
                Prefetch(
                    "milestones",
                    queryset=Milestone.objects.only(
                        "action_id", "title", "due_date", "done", "position"
                    ),
                    to_attr="milestone_list",
                ),
            )
        )

    def for_api(self) -> ActionQuerySet:
        """Everything the API shows of each action, in a fixed number of queries."""
        from actions.models import ActionLead

        return self.select_related("strategy", "priority").prefetch_related(
            Prefetch("leads", queryset=ActionLead.objects.select_related("agency")),
            "boroughs",
            "milestones",
        )

    def overdue(self, today: date) -> ActionQuerySet:
        return self.filter(timescale_date__lt=today).exclude(status="complete")

    def without_update_since(self, day: date) -> ActionQuerySet:
        return self.filter(Q(last_update_at__isnull=True) | Q(last_update_at__lt=day)).exclude(
            status="complete"
        )

    def led_by(self, agency_slug: str) -> ActionQuerySet:
        return self.filter(leads__agency__slug=agency_slug)

    def in_borough(self, borough_slug: str) -> ActionQuerySet:
        return self.filter(boroughs__slug=borough_slug)

    def matching(self, text: str) -> ActionQuerySet:
        return self.filter(
            Q(ref__icontains=text)
            | Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(outcomes__icontains=text)
            | Q(performance_measures__icontains=text)
        )

    def with_status_on(self, day: date) -> ActionQuerySet:
        """Annotate `status_then` and `updated_then`: the action as it stood at the end of `day`."""
        from actions.models import ProgressUpdate

        latest = ProgressUpdate.objects.filter(
            action=OuterRef("pk"), update_date__lte=day
        ).order_by("-update_date", "-created_at")
        return self.annotate(
            status_then=Subquery(latest.values("status")[:1]),
            updated_then=Subquery(latest.values("update_date")[:1]),
        )

    def existing_on(self, day: date) -> ActionQuerySet:
        return self.filter(created_at__date__lte=day)
