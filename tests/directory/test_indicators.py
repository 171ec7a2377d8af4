"""Directory health in the indicator registry and in board reports (counts of services)."""

from datetime import date

import pytest
from django.utils import timezone

from partnership import indicators as registry

pytestmark = pytest.mark.django_db


def test_directory_health_counts_local_published_and_unchecked_services(
    make_service, partnership, borough
):
    make_service("Fresh local service", checked_days_ago=10)
    make_service("Stale local service", checked_days_ago=200)
    make_service("Hidden local service", checked_days_ago=400)
    make_service("Draft local service", publish=False)
    make_service("Elsewhere service", areas=["havering"])
    today = timezone.localdate()
    kwargs = {"partnership": partnership, "start": date(today.year - 1, 1, 1), "end": today}
    assert registry.get("directory.services_published").value(**kwargs) == 2
    assert registry.get("directory.services_past_check").value(**kwargs) == 2
    assert registry.get("directory.services_hidden_unchecked").value(**kwargs) == 1
    assert registry.get("directory.services_published").value(**kwargs, borough=borough) == 2
    assert not registry.get("directory.services_published").about_people


def test_public_reports_do_not_suppress_counts_of_services(
    make_service, board, commissioner, actor, settings, tmp_path
):
    from reporting import services
    from reporting.models import Variant
    from reporting.periods import Quarter
    from tests.reporting.test_rendering import pdf_pages

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    make_service("Fresh local service", checked_days_ago=10)
    report = services.report_open(
        acting_user=actor,
        board=board,
        period=Quarter.containing(timezone.localdate()),
        author=commissioner,
    )
    run = services.report_render_now(
        acting_user=commissioner, report=report, variant=Variant.PUBLIC
    )
    text = " ".join(" ".join(pdf_pages(run)).split())
    assert "Directory of services" in text
    assert "Local services shown to the public Test Shared Partnership: 1" in text
