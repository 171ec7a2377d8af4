"""Who may read and change action plans and measures (DESIGN §4). The only place deciding it.

Partnership members read. Commissioners change structure, measures and values, and post
progress on any action of their partnership. Lead officers post progress on the actions their
agency leads (as primary or supporting lead). What one cannot see answers 404, like a missing
object; what one can see but not change answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from actions.indicators import MEASURE_PREFIX
from actions.models import Action, ActionLead, Measure, Priority, Strategy
from partnership import indicators
from partnership.models import Agency, Membership, Partnership, Role, User
from partnership.permissions import has_role, partnerships_visible_to


def strategies_visible_to(user: User) -> QuerySet[Strategy]:
    return Strategy.objects.filter(partnership__in=partnerships_visible_to(user))


def actions_visible_to(user: User) -> QuerySet[Action]:
    return Action.objects.filter(strategy__partnership__in=partnerships_visible_to(user))


def measures_visible_to(user: User) -> QuerySet[Measure]:
    return Measure.objects.filter(partnership__in=partnerships_visible_to(user))


def _lead_officer_of_action(user: User):
    """Exists(): the person is an active lead officer, in the action's partnership, of an
    agency leading the action."""
    memberships = Membership.objects.active().filter(
        user=user,
        role=Role.LEAD_OFFICER,
        partnership=OuterRef("action__strategy__partnership"),
        agency=OuterRef("agency"),
    )
    return Exists(ActionLead.objects.filter(action=OuterRef("pk")).filter(Exists(memberships)))


def actions_updatable_by_lead_officer(user: User) -> QuerySet[Action]:
    """Actions led by an agency through which the person is a lead officer of the partnership."""
    if not user.is_authenticated or not user.is_active:
        return Action.objects.none()
    return Action.objects.filter(_lead_officer_of_action(user))


def is_commissioner(user: User, partnership: Partnership) -> bool:
    return has_role(user, partnership, Role.COMMISSIONER)


def can_change_structure(user: User, strategy: Strategy) -> bool:
    return is_commissioner(user, strategy.partnership)


def can_post_progress(user: User, action: Action) -> bool:
    if is_commissioner(user, action.strategy.partnership):
        return True
    return actions_updatable_by_lead_officer(user).filter(pk=action.pk).exists()


def can_manage_measures(user: User, partnership: Partnership) -> bool:
    return is_commissioner(user, partnership)


def access_strategy(user: User, slug: str) -> Strategy:
    try:
        return strategies_visible_to(user).select_related("partnership").get(slug=slug)
    except Strategy.DoesNotExist:
        raise Http404 from None


def access_strategy_for_change(user: User, slug: str) -> Strategy:
    strategy = access_strategy(user, slug)
    if not can_change_structure(user, strategy):
        raise PermissionDenied("Only the partnership's commissioners change the action plan.")
    return strategy


def access_action(user: User, slug: str, ref: str) -> Action:
    try:
        return (
            actions_visible_to(user)
            .select_related("strategy__partnership", "priority")
            .get(strategy__slug=slug, ref=ref)
        )
    except Action.DoesNotExist:
        raise Http404 from None


def access_action_for_change(user: User, slug: str, ref: str) -> Action:
    action = access_action(user, slug, ref)
    if not can_change_structure(user, action.strategy):
        raise PermissionDenied("Only the partnership's commissioners change actions.")
    return action


def access_action_for_progress(user: User, slug: str, ref: str) -> Action:
    action = access_action(user, slug, ref)
    if not can_post_progress(user, action):
        raise PermissionDenied("You can post progress only on actions your agency leads.")
    return action


def access_partnership_measures(user: User, slug: str) -> Partnership:
    try:
        return partnerships_visible_to(user).get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None


def access_measure(user: User, partnership: Partnership, code: str) -> Measure:
    try:
        return measures_visible_to(user).get(partnership=partnership, code=code)
    except Measure.DoesNotExist:
        raise Http404 from None


def require_measure_manager(user: User, partnership: Partnership) -> None:
    if not can_manage_measures(user, partnership):
        raise PermissionDenied("Only the partnership's commissioners enter measure values.")


def posting_agency(user: User, action: Action) -> Agency | None:
    """The agency a progress update is posted for: the leading agency the person is a lead
    officer of, else the agency of their commissioner role."""
    partnership = action.strategy.partnership
    memberships = Membership.objects.active().filter(user=user, partnership=partnership)
    lead = (
        memberships.filter(role=Role.LEAD_OFFICER, agency__action_leads__action=action)
        .select_related("agency")
        .first()
    )
    chosen = lead or memberships.filter(role=Role.COMMISSIONER).select_related("agency").first()
    return chosen.agency if chosen else None


def agencies_for_plan(partnership: Partnership) -> QuerySet[Agency]:
    """Agencies that may lead a partnership's actions: serving its boroughs or with members."""
    return (
        Agency.objects.filter(
            Q(boroughs__partnerships=partnership) | Q(memberships__partnership=partnership)
        )
        .distinct()
        .order_by("name")
    )


def require_commissioner(user: User, partnership: Partnership) -> None:
    if not is_commissioner(user, partnership):
        raise PermissionDenied("Only the partnership's commissioners change strategies.")


def access_priority(strategy: Strategy, code: str) -> Priority:
    try:
        return strategy.priorities.get(code=code)
    except Priority.DoesNotExist:
        raise Http404 from None


def live_figure_choices(partnership: Partnership) -> list[tuple[str, str]]:
    """Figures an action of `partnership` may show: every registered indicator except other
    partnerships' own measures, whose names are theirs alone."""
    codes = partnership.measures.values_list("code", flat=True)
    own = {f"{MEASURE_PREFIX}{code}" for code in codes}
    return [
        (name, label)
        for name, label in indicators.choices()
        if not name.startswith(MEASURE_PREFIX) or name in own
    ]
