"""Scheduled account housekeeping. Tasks take ids (or nothing) and call one service."""

from celery import shared_task

from partnership.services import accounts_lock_dormant, system_actor


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=300, time_limit=360)
def lock_dormant_accounts() -> int:
    """Lock accounts unused for ACCOUNT_DORMANT_DAYS (Celery beat, nightly), as the system."""
    return len(accounts_lock_dormant(acting_user=system_actor()))
