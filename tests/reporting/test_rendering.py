"""Board reports rendered by a real Celery worker and read back with pypdf."""

from __future__ import annotations

import io
import re
import time

import pytest
from pypdf import PdfReader

from reporting import services
from reporting.models import ReportRun, RunStatus, Variant
from reporting.suppression import SUPPRESSED

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(run: ReportRun, timeout: float = 60) -> ReportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (RunStatus.READY, RunStatus.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run stayed {run.status}")


def pdf_pages(run: ReportRun) -> list[str]:
    reader = PdfReader(io.BytesIO(services.run_file_path(run).read_bytes()))
    return [page.extract_text() for page in reader.pages]


def write_narrative(report, actor, **text):
    defaults = {
        "title": report.title,
        "contact": "vawg-team@example.org",
        "brief_update": "Brief update text.",
        "key_challenges": "Challenge text.",
        "support_required": "Support text.",
    }
    return services.report_narrative_update(
        acting_user=actor, report=report, **{**defaults, **text}
    )


def test_a_requested_report_is_rendered_by_the_worker_with_every_section(
    draft, author, dial, private_storage, celery_worker_thread
):
    """Request → queued row → real worker → ready PDF with marking and page numbers."""
    write_narrative(draft, author, brief_update="The refuge opened a new wing.")
    run = services.report_render_request(acting_user=author, report=draft)
    assert run.status == RunStatus.QUEUED
    run = wait_for(run)
    assert run.status == RunStatus.READY, run.error
    pages = pdf_pages(run)
    assert run.pages == len(pages) >= 1
    text = "\n".join(pages)
    for section in (
        "1. Brief update",
        "2. Key challenges",
        "3. Support required from the board",
        "4. Appendices",
        "Cases discussed (test)",
        "Board attendance by agency",
        "The refuge opened a new wing.",
    ):
        assert section in text
    for number, page in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in page
        assert f"Page {number} of {len(pages)}" in page
    assert not list(private_storage.glob("reports/*.part-*"))


def test_approval_freezes_the_figures(draft, author, dial, private_storage):
    write_narrative(draft, author)
    dial.cases = 37
    approved = services.report_approve(acting_user=author, report=draft)
    dial.cases = 99  # live data moves on
    run = services.report_render_now(
        acting_user=author, report=approved, variant=Variant.BOARD, out=private_storage / "a.pdf"
    )
    text = "\n".join(pdf_pages(run))
    assert ": 37" in text
    assert "99" not in text


def test_a_draft_always_uses_live_figures(draft, author, dial, private_storage):
    dial.cases = 12
    first = services.report_render_now(
        acting_user=author, report=draft, variant=Variant.BOARD, out=private_storage / "1.pdf"
    )
    dial.cases = 13
    second = services.report_render_now(
        acting_user=author, report=draft, variant=Variant.BOARD, out=private_storage / "2.pdf"
    )
    assert ": 12" in "\n".join(pdf_pages(first))
    assert ": 13" in "\n".join(pdf_pages(second))


def test_a_second_request_reuses_the_first_run(draft, author, dial, private_storage):
    first = services.report_render_request(acting_user=author, report=draft, enqueue=False)
    second = services.report_render_request(acting_user=author, report=draft, enqueue=False)
    assert first.pk == second.pk
    write_narrative(draft, author)
    approved = services.report_approve(acting_user=author, report=draft)
    run = services.report_render_now(
        acting_user=author, report=approved, variant=Variant.PUBLIC, out=private_storage / "p.pdf"
    )
    again = services.report_render_request(
        acting_user=author, report=approved, variant=Variant.PUBLIC
    )
    assert again.pk == run.pk
    assert ReportRun.objects.filter(report=approved, variant=Variant.PUBLIC).count() == 1


def test_the_public_variant_suppresses_small_counts_and_their_percentages(
    draft, author, dial, private_storage
):
    dial.cases = 3
    run = services.report_render_now(
        acting_user=author, report=draft, variant=Variant.PUBLIC, out=private_storage / "p.pdf"
    )
    text = "\n".join(pdf_pages(run))
    assert "OFFICIAL" in text
    assert "OFFICIAL-SENSITIVE" not in text
    assert SUPPRESSED in text
    assert "42.5%" not in text  # the rate derived from the small count
    assert "Board attendance by agency" not in text
    dial.cases = 12
    run = services.report_render_now(
        acting_user=author, report=draft, variant=Variant.PUBLIC, out=private_storage / "q.pdf"
    )
    assert "42.5%" in "\n".join(pdf_pages(run))


def test_a_failed_render_keeps_the_last_good_pdf_and_says_why(draft, author, dial, private_storage):
    good = services.report_render_now(
        acting_user=author, report=draft, variant=Variant.BOARD, out=private_storage / "good.pdf"
    )

    def broken(**kwargs):
        raise RuntimeError("source system unavailable")

    dial.count = broken  # not used directly: re-register a failing indicator
    from partnership import indicators

    indicators.register(
        indicators.Indicator(name="testing.broken", label="Broken", unit="count", compute=broken)
    )
    try:
        failed = services.report_render_request(acting_user=author, report=draft, enqueue=False)
        failed = services.report_run_execute(run_id=failed.pk)
    finally:
        indicators.unregister("testing.broken")
    assert failed.status == RunStatus.FAILED
    assert "previous PDF is still available" in failed.error
    assert "source system" not in failed.error
    assert services.latest_ready_run(draft, Variant.BOARD).pk == good.pk
    assert services.run_file_path(good).exists()


def test_hostile_narrative_is_shown_as_text_and_fetches_nothing(
    draft, author, private_storage, monkeypatch
):
    """No connection is attempted, nothing is attached, and the markup appears as text."""
    import socket

    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network use is refused in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    hostile = (
        '<a href="file:///etc/passwd">file</a> <img src="http://127.0.0.1:8000/x.png">'
        '<link rel="attachment" href="file:///etc/hostname">'
        '<style>@import url("http://169.254.169.254/latest/meta-data/");</style>'
        '<svg><image href="http://10.0.0.1/a.png"/></svg> CANARY-TEXT'
    )
    write_narrative(draft, author, brief_update=hostile, key_challenges="<b>bold?</b>")
    run = services.report_render_now(
        acting_user=author, report=draft, variant=Variant.BOARD, out=private_storage / "h.pdf"
    )
    reader = PdfReader(services.run_file_path(run))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert attempts == []
    assert not reader.attachments
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    assert "CANARY-TEXT" in text
    assert "<b>bold?</b>" in re.sub(r"\s+", "", text) or "<b>bold?</b>" in text
    assert "file:///etc/passwd" in text  # shown, not followed


def test_the_locked_fetcher_refuses_everything_but_bundled_assets():
    from reporting.pdf import locked_fetcher

    fetcher = locked_fetcher()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "http://169.254.169.254/",
        "https://example.org/",
        "asset:../settings.py",
        "data:text/plain,hi",
    ):
        with pytest.raises(ValueError, match="Only the report's bundled assets"):
            fetcher.fetch(url)
    assert fetcher.fetch("asset:report.css").status == 200


def test_the_sweeper_re_enqueues_runs_left_behind_when_the_broker_was_down(
    draft, author, dial, private_storage, celery_worker_thread
):
    """A request is a row first: one never sent to Redis is picked up by the sweeper."""
    from datetime import timedelta

    from django.utils import timezone

    left = services.report_render_request(acting_user=author, report=draft, enqueue=False)
    ReportRun.objects.filter(pk=left.pk).update(requested_at=timezone.now() - timedelta(minutes=5))
    assert services.report_runs_sweep() == 1
    assert wait_for(left).status == RunStatus.READY
    assert services.report_runs_sweep() == 0
