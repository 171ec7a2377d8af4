"""Scheduled MARAC work. Tasks take ids (or nothing) and call one service."""

from celery import shared_task

from marac.services import reminders
from partnership.services import system_actor


@shared_task(ignore_result=True, acks_late=True, time_limit=600)
def send_marac_reminders() -> int:
    """Daily: email representatives what is due (research, minutes ready, actions)."""
    return reminders.reminders_send()


@shared_task(ignore_result=True)
def delete_expired_exports() -> int:
    """Every quarter of an hour: delete export files past their expiry."""
    from marac.services import case_exports_expire

    return case_exports_expire(acting_user=system_actor())
