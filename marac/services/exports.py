"""Case and action exports (DESIGN §4, §5).

An export is a CSV spreadsheet written to private storage encrypted under the field keys, so
the file at rest reveals nothing; it is downloaded only through `marac.views.exports` (which
asks for a recent second factor), expires after `MARAC_EXPORT_TTL_MINUTES` and is deleted by
the scheduled job. Every cell that a spreadsheet would read as a formula is neutralised. Each
case exported, and each case in a downloaded file, is an access event.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from marac import crypto, permissions
from marac.models import AccessKind, Case, CaseAction, CaseExport, ExportKind, Marac
from marac.services.recording import record, stamp
from partnership.models import User

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CASE_COLUMNS = [
    "case_ref",
    "status",
    "referral_date",
    "referring_agencies",
    "referral_criteria",
    "dash_score",
    "is_repeat",
    "victim_first_name",
    "victim_last_name",
    "victim_dob",
    "victim_gender",
    "victim_ethnicity",
    "victim_lgbt",
    "victim_disability",
    "children_in_household",
    "perpetrator_first_name",
    "perpetrator_last_name",
    "idva_allocated",
]
ACTION_COLUMNS = ["case_ref", "meeting_date", "owner_agency", "action", "due_on", "status"]


def neutralise(value: object) -> str:
    """A cell as text, with a leading apostrophe where a spreadsheet would start a formula
    (`= + - @`, a tab or a carriage return), so it is shown and never run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "not_known")


def _case_row(case: Case) -> list[object]:
    referral, victim = case.referral, case.victim
    criteria = [
        name
        for name, met in (
            ("visible_high_risk", referral.visible_high_risk),
            ("professional_judgement", referral.professional_judgement),
            ("potential_escalation", referral.potential_escalation),
        )
        if met
    ]
    perpetrator = next(iter(case.perpetrators.all()), None)
    return [
        case.case_ref,
        case.status,
        referral.referral_date.isoformat(),
        ";".join(str(source) for source in referral.sources.all()),
        ";".join(criteria),
        referral.dash_score,
        _yes_no(referral.is_repeat),
        victim.first_name,
        victim.last_name,
        victim.date_of_birth.isoformat() if victim.date_of_birth else "",
        victim.gender,
        victim.ethnicity,
        victim.lgbt,
        victim.disability,
        case.children_in_household,
        perpetrator.first_name if perpetrator else "",
        perpetrator.last_name if perpetrator else "",
        case.idva_allocated,
    ]


def _case_rows(cases: QuerySet[Case]) -> tuple[list[str], list[list[object]], list[int]]:
    listed = list(
        cases.select_related("referral", "victim")
        .prefetch_related("referral__sources__agency", "perpetrators")
        .order_by("referral__referral_date", "pk")
    )
    return CASE_COLUMNS, [_case_row(case) for case in listed], [case.pk for case in listed]


def _action_rows(cases: QuerySet[Case]) -> tuple[list[str], list[list[object]], list[int]]:
    actions = list(
        CaseAction.objects.filter(case__in=cases)
        .select_related("case", "meeting", "owner_agency")
        .order_by("case__case_ref", "due_on", "pk")
    )
    rows = [
        [
            action.case.case_ref,
            action.meeting.date.isoformat() if action.meeting else "",
            action.owner_agency.name,
            action.text,
            action.due_on.isoformat() if action.due_on else "",
            action.status,
        ]
        for action in actions
    ]
    return ACTION_COLUMNS, rows, [action.case_id for action in actions]


def export_directory() -> Path:
    path = Path(settings.PRIVATE_STORAGE_ROOT) / "marac-exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _csv(columns: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()


@transaction.atomic
def case_export_create(
    *, acting_user: User, marac: Marac, kind: str, ip_address: str | None = None
) -> CaseExport:
    """Write an export of the cases (or their agency actions) the person may export at the
    MARAC, recording one access event per case in it."""
    cases = permissions.exportable_cases(acting_user, marac)
    columns, rows, case_ids = _case_rows(cases) if kind == ExportKind.CASES else _action_rows(cases)
    export = CaseExport(
        marac=marac,
        kind=ExportKind(kind),
        file_name=f"{uuid.uuid4().hex}.csv.enc",
        case_ids=sorted(set(case_ids)),
        row_count=len(rows),
        expires_at=timezone.now() + timedelta(minutes=settings.MARAC_EXPORT_TTL_MINUTES),
    )
    stamp(export, acting_user, new=True)
    export.save()
    permissions.record_export_reads(
        acting_user, marac, case_ids, what=AccessKind.EXPORT, ip_address=ip_address
    )
    record(
        acting_user=acting_user,
        action="case_export_create",
        obj=export,
        marac=marac,
        detail={"kind": export.kind, "rows": export.row_count},
    )
    path = export_directory() / export.file_name
    try:
        path.write_text(crypto.encrypt(_csv(columns, rows)), encoding="ascii")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return export


@transaction.atomic
def case_export_download(
    *, acting_user: User, export: CaseExport, ip_address: str | None = None
) -> bytes:
    """The export's CSV (UTF-8 with a byte-order mark, for spreadsheets), each of its cases
    recorded as read from a file."""
    path = export_directory() / export.file_name
    content = crypto.decrypt(path.read_text(encoding="ascii"))
    permissions.record_export_reads(
        acting_user, export.marac, export.case_ids, what=AccessKind.FILE, ip_address=ip_address
    )
    return ("\ufeff" + content).encode("utf-8")


@transaction.atomic
def case_exports_expire(*, acting_user: User) -> int:
    """Delete the files of expired exports and mark them deleted (the scheduled job)."""
    now = timezone.now()
    expired = list(
        CaseExport.objects.select_for_update()
        .select_related("marac__partnership")
        .filter(deleted_at__isnull=True, expires_at__lte=now)
    )
    for export in expired:
        (export_directory() / export.file_name).unlink(missing_ok=True)
        export.deleted_at = now
        stamp(export, acting_user, new=False)
        export.save(update_fields=["deleted_at", "updated_at", "updated_by"])
        record(acting_user=acting_user, action="case_export_delete", obj=export, marac=export.marac)
    _delete_orphans(now)
    return len(expired)


def _delete_orphans(now) -> None:
    """Files no live export names (a request that failed after writing), once old enough."""
    live = set(
        CaseExport.objects.filter(deleted_at__isnull=True).values_list("file_name", flat=True)
    )
    cutoff = (now - timedelta(minutes=settings.MARAC_EXPORT_TTL_MINUTES)).timestamp()
    for path in export_directory().glob("*.csv.enc"):
        if path.name not in live and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
