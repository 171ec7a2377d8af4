import pytest
from django.core.management import CommandError, call_command

from marac.models import Marac
from partnership.models import Board, Membership, Partnership, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not Partnership.objects.exists()
    assert not User.objects.filter(email__endswith=".demo.vawg-portal.uk").exists()


def test_seed_demo_loads_the_named_partnerships_boards_maracs_and_every_role(settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    shared = Partnership.objects.get(slug="shared-services")
    assert set(shared.boroughs.values_list("slug", flat=True)) == {
        "hammersmith-and-fulham",
        "kensington-and-chelsea",
        "westminster",
    }
    assert Partnership.objects.filter(slug="havering").exists()
    assert Board.objects.filter(slug="shared-services-strategic-board", partnership=shared).exists()
    assert Board.objects.filter(slug="havering-csp").exists()
    assert set(Marac.objects.values_list("slug", flat=True)) == {
        "westminster",
        "hammersmith-and-fulham",
        "kensington-and-chelsea",
        "havering",
    }
    for slug in ("shared-services", "havering"):
        roles = set(
            Membership.objects.active()
            .filter(partnership__slug=slug)
            .values_list("role", flat=True)
        )
        assert roles == set(Role.values), slug


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    counts = [m.objects.count() for m in (Partnership, Board, Marac, Membership, User)]
    call_command("seed_demo", quiet_logins=True)
    assert [m.objects.count() for m in (Partnership, Board, Marac, Membership, User)] == counts


def test_seed_demo_prints_the_logins(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "admin@shared-services.demo.vawg-portal.uk" in out
    assert "demo-password-2026" in out
