"""The day after a quarter ends, each board's next report draft opens and its author is told."""

import pytest
from django.core import mail
from django.utils import timezone

from partnership.services import system_actor
from reporting.models import BoardReport, ReportStatus
from reporting.periods import Quarter
from reporting.scheduling import drafts_open_for_new_quarter

pytestmark = pytest.mark.django_db


def test_drafts_open_for_every_board_and_the_author_is_emailed(
    board, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opened = drafts_open_for_new_quarter(acting_user=system_actor())
    just_ended = Quarter.containing(timezone.localdate()).previous()
    report = BoardReport.objects.get(board=board)
    assert opened == 1
    assert (report.year, report.quarter) == (just_ended.year, just_ended.number)
    assert report.status == ReportStatus.DRAFT
    assert report.author == author
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [author.email]
    assert just_ended.label in mail.outbox[0].subject


def test_opening_drafts_twice_opens_nothing_more(board, author):
    drafts_open_for_new_quarter(acting_user=system_actor())
    assert drafts_open_for_new_quarter(acting_user=system_actor()) == 0
    assert BoardReport.objects.filter(board=board).count() == 1


def test_the_job_is_scheduled_quarterly():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reporting-open-next-quarter"]
    assert entry["task"] == "reporting.tasks.open_next_quarter_drafts"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {1, 4, 7, 10}
    assert schedule.day_of_month == {1}
