"""Case and action exports (issue 7, item 8): coordinators and the data protection lead only,
a second factor within the last five minutes, formulas neutralised, encrypted in private
storage, downloaded with no-store, expired and deleted by the scheduled job, and one access
event per case exported or downloaded."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marac.models import AccessEvent, AccessKind, CaseExport, Lens
from marac.services import (
    case_export_create,
    case_exports_expire,
    case_transfer_request,
    do_not_disclose_add,
)
from marac.services.exports import FORMULA_STARTS, export_directory, neutralise
from partnership.models import Role
from tests.marac.factories import victim
from tests.reporting.conftest import celery_worker_thread  # noqa: F401  (a real worker)
from tests.security.conftest import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return settings.PRIVATE_STORAGE_ROOT


def _age_second_factor(client: Client, seconds: int) -> None:
    session = client.session
    records = session["account_authentication_methods"]
    for entry in records:
        entry["at"] = time.time() - seconds
    session["account_authentication_methods"] = records
    session.save()


def _rows(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_every_formula_start_is_neutralised():
    """Cells starting = + - @, a tab or a carriage return get a leading apostrophe; others
    are left alone."""
    for start in FORMULA_STARTS:
        assert neutralise(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert neutralise("Plain text") == "Plain text"
    assert neutralise(16) == "16"
    assert neutralise(None) == ""


def test_who_may_open_the_export_page(
    sign_in, make_member, marac, other_marac, grant_role, outsider
):
    """The MARAC's coordinator and the partnership's data protection lead get the page; the
    chair, a representative, an IDVA, a commissioner, another MARAC's coordinator and an
    outsider get 404."""
    url = reverse("marac:exports", args=[marac.slug])
    for person in (make_member(Role.MARAC_COORDINATOR), make_member(Role.DATA_PROTECTION_LEAD)):
        assert sign_in(Client(), person).get(url).status_code == 200
    for person in (
        make_member(Role.MARAC_CHAIR),
        make_member(Role.MARAC_REPRESENTATIVE),
        make_member(Role.IDVA),
        make_member(Role.COMMISSIONER),
        grant_role(Role.MARAC_COORDINATOR, other_marac),
        outsider,
    ):
        client = sign_in(Client(), person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "cases"}).status_code == 404
    assert not CaseExport.objects.exists()


def test_an_export_needs_a_recent_second_factor(sign_in, make_member, make_case, marac):
    """With the code given more than five minutes ago the export waits for a new code; once
    given, the suspended request resumes and the export is made."""
    make_case()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    client = sign_in(Client(), coordinator)
    _age_second_factor(client, 6 * 60)
    url = reverse("marac:exports", args=[marac.slug])
    response = client.post(url, {"kind": "cases"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not CaseExport.objects.exists()
    assert client.get(response["Location"]).status_code == 200
    resumed = client.post(
        reverse("mfa_reauthenticate") + f"?next={url}", {"code": totp_code(secret)}
    )
    assert resumed.status_code == 302
    export = CaseExport.objects.get()
    assert (export.created_by, export.row_count) == (coordinator, 1)
    download = reverse("marac:export_download", args=[export.pk])
    assert client.get(download).status_code == 200
    _age_second_factor(client, 6 * 60)
    again = client.get(download)
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("mfa_reauthenticate"))


def test_export_contents_access_events_and_download(
    sign_in, make_member, make_case, marac, other_marac, actor, other_agency
):
    """A cases export holds the MARAC's cases the person may export (not a case barred from
    them, not one transferred away), with formulas neutralised; the file at rest is
    encrypted; each case exported and downloaded is one access event; the download is
    no-store and for its maker only."""
    lead = make_member(Role.DATA_PROTECTION_LEAD)
    planted = make_case(
        case_ref="TEST-FORMULA",
        victim_details=victim(first='=HYPERLINK("http://x.invalid")', last="Testcanaryname"),
    )
    plain = make_case(case_ref="TEST-PLAIN")
    barred = make_case(case_ref="TEST-BARRED")
    do_not_disclose_add(acting_user=actor, case=barred, user=lead, reason="Synthetic")
    moved = make_case(case_ref="TEST-MOVED")
    case_transfer_request(acting_user=actor, case=moved, outside_marac_name="Elsewhere", reason="x")

    client = sign_in(Client(), lead)
    response = client.post(reverse("marac:exports", args=[marac.slug]), {"kind": "cases"})
    assert response.status_code == 302
    export = CaseExport.objects.get()
    assert sorted(export.case_ids) == sorted([planted.pk, plain.pk])
    stored = (export_directory() / export.file_name).read_bytes()
    assert b"Testcanaryname" not in stored
    assert b"TEST-PLAIN" not in stored
    exported = AccessEvent.objects.filter(user=lead, what=AccessKind.EXPORT)
    assert sorted(exported.values_list("case_id", flat=True)) == sorted([planted.pk, plain.pk])
    assert set(exported.values_list("lens", "marac_id")) == {(Lens.FULL, marac.pk)}

    download = client.get(reverse("marac:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"].startswith("attachment;")
    rows = {row["case_ref"]: row for row in _rows(download.content)}
    assert set(rows) == {"TEST-FORMULA", "TEST-PLAIN"}
    assert rows["TEST-FORMULA"]["victim_first_name"] == '\'=HYPERLINK("http://x.invalid")'
    assert rows["TEST-FORMULA"]["victim_last_name"] == "Testcanaryname"
    files = AccessEvent.objects.filter(user=lead, what=AccessKind.FILE)
    assert sorted(files.values_list("case_id", flat=True)) == sorted([planted.pk, plain.pk])

    someone_else = sign_in(Client(), make_member(Role.MARAC_COORDINATOR))
    assert someone_else.get(reverse("marac:export_download", args=[export.pk])).status_code == 404
    assert AccessEvent.objects.filter(what=AccessKind.FILE).count() == 2


def test_an_actions_export_records_each_case_once(actor, make_case, marac, marac_coordinator):
    from marac.services import case_action_create

    case = make_case()
    for text in ("Synthetic action one", "-Synthetic action two"):
        case_action_create(
            acting_user=actor, case=case, owner_agency=case.referral.sources.get().agency, text=text
        )
    export = case_export_create(acting_user=marac_coordinator, marac=marac, kind="actions")
    assert (export.row_count, export.case_ids) == (2, [case.pk])
    assert AccessEvent.objects.filter(what=AccessKind.EXPORT, case_id=case.pk).count() == 1
    from marac.services import case_export_download

    rows = _rows(case_export_download(acting_user=marac_coordinator, export=export))
    assert sorted(row["action"] for row in rows) == [
        "'-Synthetic action two",
        "Synthetic action one",
    ]


def test_expired_exports_are_refused_and_deleted(
    sign_in, make_case, marac, marac_coordinator, actor
):
    """After the set time the download answers 404, and the job deletes the file."""
    make_case()
    export = case_export_create(acting_user=marac_coordinator, marac=marac, kind="cases")
    path = export_directory() / export.file_name
    assert path.exists()
    client = sign_in(Client(), marac_coordinator)
    url = reverse("marac:export_download", args=[export.pk])
    assert client.get(url).status_code == 200
    assert case_exports_expire(acting_user=actor) == 0
    CaseExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404
    assert case_exports_expire(acting_user=actor) == 1
    export.refresh_from_db()
    assert export.deleted_at is not None
    assert not path.exists()


def test_the_expiry_job_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["marac-delete-expired-exports"]
    assert entry["task"] == "marac.tasks.delete_expired_exports"


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_job_deletes_expired_files_on_a_real_worker(
    celery_worker_thread,  # noqa: F811
    make_case,
    marac,
    marac_coordinator,
):
    from marac.tasks import delete_expired_exports

    make_case()
    export = case_export_create(acting_user=marac_coordinator, marac=marac, kind="cases")
    CaseExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    delete_expired_exports.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.deleted_at is not None:
            break
        time.sleep(0.2)
    assert export.deleted_at is not None
    assert not (export_directory() / export.file_name).exists()
    assert export.updated_by.is_system
