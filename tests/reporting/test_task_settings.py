"""The render task's delivery rules (research/actions_reports_perf.md §c): acknowledged late,
requeued when its worker is lost, one message prefetched, time limits below the broker's
visibility timeout, a memory ceiling per worker child, and its own `render` queue."""

from django.conf import settings

from portal.celery import app
from reporting.tasks import render_report_run


def test_the_render_task_is_acknowledged_late_and_requeued_if_its_worker_dies():
    assert render_report_run.acks_late is True
    assert render_report_run.reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_its_time_limits_are_below_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert 0 < render_report_run.soft_time_limit < render_report_run.time_limit < visibility


def test_each_worker_child_has_a_memory_ceiling_and_renders_go_to_the_render_queue():
    assert 0 < app.conf.worker_max_memory_per_child <= 1_048_576  # KiB
    assert app.conf.worker_max_tasks_per_child
    assert app.conf.task_routes[render_report_run.name] == {"queue": "render"}
