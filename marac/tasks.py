"""Scheduled MARAC work. Tasks take ids (or nothing) and call one service."""

from celery import shared_task

from marac.services import reminders


@shared_task(ignore_result=True, acks_late=True, time_limit=600)
def send_marac_reminders() -> int:
    """Daily: email representatives what is due (research, minutes ready, actions)."""
    return reminders.reminders_send()
