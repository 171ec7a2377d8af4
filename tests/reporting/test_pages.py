"""Report pages over HTTP: who may open what, downloads recorded and never stored."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from partnership.models import Role
from reporting import services
from reporting.models import ReportDownload, ReportStatus, Variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(draft, author, private_storage):
    return services.report_render_now(acting_user=author, report=draft, variant=Variant.BOARD)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.BOARD_MEMBER, True),
        (Role.COMMISSIONER, True),
        (Role.LEAD_OFFICER, False),
        (Role.MARAC_COORDINATOR, False),
        (Role.PARTNERSHIP_ADMIN, False),
    ],
)
def test_board_members_and_commissioners_open_reports_others_get_404(
    role, allowed, request, make_member, draft, rendered, sign_in
):
    client = sign_in(Client(), make_member(role))
    urls = [
        reverse("reporting:board_reports", kwargs={"slug": draft.board.slug}),
        draft.get_absolute_url(),
        reverse("reporting:download", kwargs={"run_id": rendered.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == (200 if allowed else 404), url


def test_outsiders_get_404_like_a_missing_report(draft, outsider, sign_in):
    client = sign_in(Client(), outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("reporting:report", kwargs={"report_id": 999999})).status_code == 404


def test_download_is_recorded_and_not_stored(rendered, board_member, sign_in):
    client = sign_in(Client(), board_member)
    response = client.get(reverse("reporting:download", kwargs={"run_id": rendered.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ReportDownload.objects.filter(run=rendered, user=board_member).count() == 1


def test_narrative_with_html_is_saved_and_shown_as_text(draft, author, sign_in):
    client = sign_in(Client(), author)
    response = client.post(
        draft.get_absolute_url(),
        {
            "title": "Q2 report",
            "contact": "team@example.org",
            "brief_update": "<script>alert(1)</script> plain words",
            "key_challenges": "",
            "support_required": "",
        },
    )
    assert response.status_code == 302
    preview = client.get(
        reverse("reporting:preview", kwargs={"report_id": draft.pk, "variant": "board"})
    )
    html = preview.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; plain words" in html
    assert "<script>alert(1)</script>" not in html


def test_a_blank_title_redisplays_the_form_with_an_error(draft, author, sign_in):
    client = sign_in(Client(), author)
    response = client.post(draft.get_absolute_url(), {"title": "", "brief_update": "kept"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a title for the report" in html
    assert "kept" in html


def test_only_the_author_approves_and_approval_needs_the_narrative(
    draft, author, make_member, sign_in
):
    other = make_member(Role.COMMISSIONER)
    sign_in(Client(), other).post(reverse("reporting:approve", kwargs={"report_id": draft.pk}))
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    client = sign_in(Client(), author)
    response = client.post(
        reverse("reporting:approve", kwargs={"report_id": draft.pk}), follow=True
    )
    assert "before approving" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_published_public_variant_appears_on_the_public_page(
    draft, author, actor, private_storage, dial
):
    services.report_narrative_update(
        acting_user=author,
        report=draft,
        title="Public report",
        contact="",
        brief_update="a",
        key_challenges="b",
        support_required="c",
    )
    approved = services.report_approve(acting_user=author, report=draft)
    assert "Public report" not in Client().get("/reports/public/").content.decode()
    services.report_publish(acting_user=author, report=approved)
    run = services.report_render_now(acting_user=author, report=approved, variant=Variant.PUBLIC)
    page = Client().get("/reports/public/")
    assert "Public report" in page.content.decode()
    assert not page.cookies
    download = Client().get(reverse("reporting:public_download", kwargs={"run_id": run.pk}))
    assert download.status_code == 200
    # The board (OFFICIAL-SENSITIVE) variant is never public.
    board_run = services.report_render_now(
        acting_user=author, report=approved, variant=Variant.BOARD
    )
    assert (
        Client()
        .get(reverse("reporting:public_download", kwargs={"run_id": board_run.pk}))
        .status_code
        == 404
    )


def test_render_board_report_command_writes_the_pdf(board, tmp_path, private_storage):
    out = tmp_path / "report.pdf"
    call_command(
        "render_board_report", board=board.slug, start="2026-07-01", end="2026-09-30", out=str(out)
    )
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"board": "no-such-board", "start": "2026-07-01", "end": "2026-09-30"}, "no board"),
        ({"start": "2026-07-01", "end": "2026-08-31"}, "whole financial quarter"),
        ({"start": "2026-13-01", "end": "2026-09-30"}, "is not a date"),
    ],
)
def test_render_board_report_refuses_bad_input(board, tmp_path, options, message):
    options = {"board": board.slug, **options, "out": str(tmp_path / "x.pdf")}
    with pytest.raises(CommandError, match=message):
        call_command("render_board_report", **options)
    assert not (tmp_path / "x.pdf").exists()


def test_board_reports_page_query_count_is_flat(
    board, board_member, author, actor, sign_in, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.periods import Quarter

    client = sign_in(Client(), board_member)
    url = reverse("reporting:board_reports", kwargs={"slug": board.slug})
    services.report_open(acting_user=actor, board=board, period=Quarter(2025, 1), author=author)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in (2, 3, 4):
        services.report_open(
            acting_user=actor, board=board, period=Quarter(2025, number), author=author
        )
    with django_assert_max_num_queries(len(small)):
        client.get(url)


def test_a_runs_live_progress_is_polled_by_report_readers_and_404_for_others(
    draft, author, board_member, outsider, sign_in
):
    """The author's page marks the run in flight for polling; its status endpoint answers the
    board's readers with its progress and anyone else with 404."""
    from reporting.models import ReportRun, RunStatus

    run = services.report_render_request(acting_user=author, report=draft, enqueue=False)
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RENDERING, progress=40)
    url = reverse("reporting:run_status", kwargs={"run_id": run.pk})
    page = sign_in(Client(), author).get(draft.get_absolute_url()).content.decode()
    assert f'data-run-status-url="{url}"' in page
    assert "Rendering (40%)" in page
    response = sign_in(Client(), board_member).get(url)
    assert response.json() == {
        "status": "rendering",
        "progress": 40,
        "error": "",
        "label": "Rendering",
    }
    assert "no-store" in response["Cache-Control"]
    assert sign_in(Client(), outsider).get(url).status_code == 404
