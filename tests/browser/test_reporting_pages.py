"""A board member downloads the quarter's PDF in a real browser; reporting pages pass axe."""

import pytest
from django.core.management import call_command

from partnership.models import User
from reporting.models import BoardReport, Variant
from reporting.periods import Quarter
from reporting.services import report_open, report_publish, report_render_now
from tests.browser.conftest import axe_violations, click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    settings.DEBUG = False


def test_board_member_downloads_the_quarterly_pdf(
    demo, page, live_server, sign_in_browser, tmp_path
):
    member = User.objects.get(email="board@havering.demo.vawg-portal.uk")
    sign_in_browser(page, member)
    page.goto(f"{live_server.url}/boards/havering-csp/")
    click_and_wait(page, page.get_by_role("link", name="Quarterly reports to this board"))
    assert page.locator("h1").inner_text() == "Quarterly reports"
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").first.click()
    download = download_info.value
    path = tmp_path / "downloaded.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.startswith("havering-csp-")


def test_author_pages_have_no_axe_violations(demo, page, live_server, sign_in_browser):
    """The author's report page, both previews, the form with an error, and the public list."""
    author = User.objects.get(email="commissioner@shared-services.demo.vawg-portal.uk")
    report = BoardReport.objects.get(board__slug="shared-services-strategic-board")
    sign_in_browser(page, author)
    page.goto(f"{live_server.url}{report.get_absolute_url()}")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/reports/{report.pk}/preview/public/")
    assert axe_violations(page) == []
    draft = report_open(
        acting_user=author, board=report.board, period=Quarter(2025, 1), author=author
    )
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.get_by_label("Title").fill("")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    report_render_now(acting_user=author, report=report, variant=Variant.PUBLIC)
    report_publish(acting_user=author, report=report)  # reuses the public PDF just made
    page.goto(f"{live_server.url}/reports/public/")
    assert report.title in page.locator("main").inner_text()
    assert axe_violations(page) == []
