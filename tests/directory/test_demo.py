"""The demo directory: plausible, synthetic, idempotent, with confidential refuges."""

import pytest
from django.core.management import call_command

from directory.models import Location, Service

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_directory_once(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    count = Service.objects.count()
    call_command("seed_demo", quiet_logins=True)
    assert Service.objects.count() == count
    public = Service.objects.public()
    assert public.count() >= 60
    for code in (
        "st-refuge",
        "st-helpline",
        "st-perpetrator",
        "at-fgm",
        "at-forced-marriage",
        "at-trafficking",
        "pop-lgbt",
        "pop-black-minoritised",
        "pop-men",
        "pop-disabled",
        "pop-children",
        "at-sexual-violence",
    ):
        assert public.filter(taxonomy_terms__code=code).exists(), code
    refuges = Service.objects.filter(taxonomy_terms__code="st-refuge")
    assert refuges.count() >= 5
    assert not Location.objects.filter(
        service_at_locations__service__in=refuges, confidential=False
    ).exists()
    national = client.get("/").content.decode()
    assert "0808 2000 247" in national
    assert "Every day, 24 hours" in national
    # One service waits to be checked; one is hidden for being unchecked for a year; one draft.
    assert Service.objects.filter(is_published=False).count() == 1
    assert Service.objects.filter(is_published=True).count() - public.count() == 1
