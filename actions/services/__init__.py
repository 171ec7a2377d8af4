"""Writes to action plans and measures. Each is atomic, takes the acting user and records the
change (who, when, what changed) in the same transaction."""

from actions.services.measures import (
    measure_create,
    measure_update,
    measure_value_set,
    measure_values_import,
)
from actions.services.plan import (
    MilestoneSpec,
    StaleEdit,
    action_create,
    action_progress_record,
    action_update,
    priority_create,
    priority_update,
)
from actions.services.plan_import import action_plan_import
from actions.services.strategies import (
    DOCUMENT_FIELDS,
    strategy_create,
    strategy_new_version,
    strategy_set_status,
    strategy_update,
)

__all__ = [
    "DOCUMENT_FIELDS",
    "MilestoneSpec",
    "StaleEdit",
    "action_create",
    "action_plan_import",
    "action_progress_record",
    "action_update",
    "measure_create",
    "measure_update",
    "measure_value_set",
    "measure_values_import",
    "priority_create",
    "priority_update",
    "strategy_create",
    "strategy_new_version",
    "strategy_set_status",
    "strategy_update",
]
