"""Scheduled MARAC jobs. Each calls one service, acting as the system actor."""

from celery import shared_task

from partnership.services import system_actor


@shared_task(ignore_result=True)
def delete_expired_exports() -> int:
    from marac.services import case_exports_expire

    return case_exports_expire(acting_user=system_actor())
