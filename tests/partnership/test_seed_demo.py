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


def test_every_demo_person_has_an_authenticator_app_and_its_secret_is_printed(settings):
    """Demo people can sign in (a second factor is required): seed_demo prints each secret."""
    from io import StringIO

    from allauth.mfa.models import Authenticator

    from partnership.demo import demo_totp_secret

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", quiet_logins=True)
    demo_people = User.objects.filter(email__endswith=".demo.vawg-portal.uk")
    assert demo_people.exists()
    for person in demo_people:
        assert Authenticator.objects.filter(user=person, type="totp").count() == 1
        assert f"TOTP secret {demo_totp_secret(person.email)} (code now " in out.getvalue()


def test_demo_totp_prints_a_code_that_signs_in(settings):
    from io import StringIO

    from allauth.mfa.models import Authenticator

    settings.DEBUG = True
    call_command("seed_demo", quiet_logins=True)
    email = "commissioner@shared-services.demo.vawg-portal.uk"
    out = StringIO()
    call_command("demo_totp", email, stdout=out)
    code = out.getvalue().split()[0]
    authenticator = Authenticator.objects.get(user__email=email, type="totp")
    assert authenticator.wrap().validate_code(code)
    with pytest.raises(CommandError, match="Only demo people"):
        call_command("demo_totp", "someone@example.org")
