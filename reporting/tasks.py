"""Celery tasks for reports. Each takes ids and calls one service."""

from celery import shared_task

from partnership.services import system_actor
from reporting import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    ignore_result=True,
)
def render_report_run(run_id: int) -> None:
    services.report_run_execute(run_id=run_id)


@shared_task(ignore_result=True)
def sweep_report_runs() -> int:
    return services.report_runs_sweep()


@shared_task(ignore_result=True)
def open_next_quarter_drafts() -> int:
    from reporting.scheduling import drafts_open_for_new_quarter

    return drafts_open_for_new_quarter(acting_user=system_actor())
