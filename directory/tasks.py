"""Scheduled work for the directory. Tasks take ids (or nothing) and call one service."""

from celery import shared_task

from directory import services


@shared_task(ignore_result=True, acks_late=True, time_limit=300)
def remind_editors_of_unchecked_services() -> int:
    """Weekly: tell service editors which of their services have gone six months unchecked."""
    return services.unchecked_service_reminders_send()


@shared_task(ignore_result=True, acks_late=True, time_limit=300)
def prune_directory_changes() -> int:
    """Daily: forget the directory's change records older than a day."""
    return services.directory_changes_prune()
