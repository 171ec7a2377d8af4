"""`import_action_plan` and `export_action_plan` (DESIGN §6): good files, every kind of bad
line, all-or-nothing, and the round trip through CSV and .xlsx."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from actions.models import Action, Priority, ProgressUpdate, Strategy
from partnership.models import Agency, ChangeRecord

pytestmark = pytest.mark.django_db

HEADER = (
    "priority_code,priority_title,action_ref,action_title,sub_actions,outcomes,resources,"
    "timescale,lead_agencies,performance_measures,rag,latest_update"
)
GOOD = "\n".join(
    [
        HEADER,
        "A,Prevention,A.1,Coordinate the synthetic strategic group,Agree terms; Meet quarterly,"
        "Better joint working,Staff,Ongoing,Test Police BCU,Group meets,green,"
        "Met twice this quarter.",
        'A,Prevention,A.2,Run a synthetic campaign,,More reports,"£30,000 from the synthetic '
        'fund",March 2019,test-housing-options; Test Police BCU,Campaign reach,,',
        "B,Protection,B.1,Improve the synthetic MARAC,,,,2019-03-31,,,amber,"
        '"Referrals down; plan agreed, with ""quotes""."',
        "",
    ]
)


def _write(tmp_path, text, name="plan.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _import(path, *args):
    call_command("import_action_plan", str(path), *args)


def test_a_good_file_creates_priorities_actions_leads_and_updates(
    tmp_path, strategy, agency, other_agency, actor
):
    _import(_write(tmp_path, GOOD), "--strategy", strategy.slug)
    assert list(Priority.objects.filter(strategy=strategy).values_list("code", "title")) == [
        ("A", "Prevention"),
        ("B", "Protection"),
    ]
    a2 = Action.objects.get(strategy=strategy, ref="A.2")
    assert (a2.timescale_kind, a2.timescale_date) == ("month", date(2019, 3, 31))
    assert a2.resource_amount == 30000
    assert [lead.agency for lead in a2.leads.all()] == [other_agency, agency]
    assert a2.leads.get(is_primary=True).agency == other_agency
    a1 = Action.objects.get(strategy=strategy, ref="A.1")
    assert [m.title for m in a1.milestones.all()] == ["Agree terms", "Meet quarterly"]
    assert a1.timescale_kind == "ongoing"
    update = ProgressUpdate.objects.get(action=a1)
    assert (update.author, update.status, update.update_date) == (
        actor,
        "green",
        timezone.localdate(),
    )
    b1 = Action.objects.get(strategy=strategy, ref="B.1")
    assert b1.status == "amber"
    assert b1.updates.get().narrative == 'Referrals down; plan agreed, with "quotes".'
    change = ChangeRecord.objects.get(action="action_plan_import", actor=actor)
    assert change.detail["created"] == ["A.1", "A.2", "B.1"]
    assert change.detail["priorities_created"] == ["A", "B"]
    assert change.detail["progress_updates"] == 2


def test_a_byte_order_mark_is_accepted(tmp_path, strategy, agency, other_agency):
    _import(_write(tmp_path, GOOD, encoding="utf-8-sig"), "--strategy", strategy.slug)
    assert strategy.actions.count() == 3


BAD_LINES = [
    ("A,Prevention,,Untitled,,,,Ongoing,,,,", "line 2, column action_ref: enter a value"),
    ("A,Prevention,A.9,,,,,Ongoing,,,,", "line 2, column action_title: enter a value"),
    (",Prevention,A.9,T,,,,Ongoing,,,,", "line 2, column priority_code: enter a value"),
    (
        "A,Prevention,A.9,T,,,,Soon,,,,",
        "line 2, column timescale: enter a date (2019-03-31), a month (March 2019) or Ongoing",
    ),
    ("A,Prevention,A.9,T,,,,2019-02-30,,,,", "line 2, column timescale: enter a date"),
    (
        "A,Prevention,A.9,T,,,,Ongoing,,,purple,",
        "line 2, column rag: must be one of not_started, red, amber, green, complete or empty",
    ),
    (
        "A,Prevention,A.9,T,,,,Ongoing,Nobody Agency,,,",
        "line 2, column lead_agencies: no agency is called 'Nobody Agency'",
    ),
    (
        "A,Prevention,A.9,T,,,,Ongoing,,,,,extra",
        "line 2, column latest_update: the row has more cells than the header",
    ),
    (
        "A,Prevention,A.12345678901234567890,T,,,,Ongoing,,,,",
        "line 2, column action_ref: must be at most 20 characters",
    ),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_each_kind_of_bad_line_is_reported_and_nothing_is_imported(
    tmp_path, strategy, capsys, line, message
):
    text = f"{HEADER}\n{line}\nA,Prevention,A.1,A good row,,,,Ongoing,,,,\n"
    with pytest.raises(CommandError, match="nothing was imported"):
        _import(_write(tmp_path, text), "--strategy", strategy.slug)
    assert message in capsys.readouterr().err
    assert not Action.objects.exists()
    assert not Priority.objects.exists()


def test_every_bad_line_is_reported_at_once(tmp_path, strategy, capsys):
    """A record spanning two lines is numbered by the line it starts on."""
    text = (
        f"{HEADER}\n"
        "A,Prevention,A.1,Fine,,,,Ongoing,,,,\n"
        "A,Prevention,A.1,Repeated ref,,,,Ongoing,,,,\n"
        "A,Not prevention,A.3,Title differs,,,,Ongoing,,,,\n"
        'A,Prevention,A.4,"A title\nover two lines",,,,never,,,,\n'
        "A,Prevention,A.5,Bad status,,,,Ongoing,,,blue,\n"
    )
    with pytest.raises(CommandError):
        _import(_write(tmp_path, text), "--strategy", strategy.slug)
    assert capsys.readouterr().err.splitlines() == [
        "line 5, column timescale: enter a date (2019-03-31), a month (March 2019) or Ongoing",
        "line 7, column rag: must be one of not_started, red, amber, green, complete or empty",
        "line 3, column action_ref: A.1 is already on line 2",
        "line 4, column priority_title: priority A has a different title on line 2",
    ]
    assert not Action.objects.exists()


def test_a_missing_or_unknown_column_is_an_error_on_line_one(tmp_path, strategy, capsys):
    text = HEADER.replace("rag", "status") + "\nA,P,A.1,T,,,,Ongoing,,,,\n"
    with pytest.raises(CommandError):
        _import(_write(tmp_path, text), "--strategy", strategy.slug)
    err = capsys.readouterr().err
    assert "line 1, column rag: this column is missing from the header" in err
    assert "line 1, column status: this column is not part of the action plan format" in err


def test_a_file_that_is_not_utf8_is_refused(tmp_path, strategy, capsys):
    text = f"{HEADER}\nA,Prévention,A.1,T,,,,Ongoing,,,,\n"
    with pytest.raises(CommandError):
        _import(_write(tmp_path, text, encoding="latin-1"), "--strategy", strategy.slug)
    assert "line 2, column (line): the file must be saved as UTF-8 text" in capsys.readouterr().err


def test_unknown_strategy_needs_create(tmp_path, partnership):
    with pytest.raises(CommandError, match="--create"):
        _import(_write(tmp_path, GOOD), "--strategy", "new-plan")


def test_create_makes_a_draft_and_create_agencies_lists_what_it_made(
    tmp_path, partnership, agency, capsys
):
    _import(
        _write(tmp_path, GOOD),
        "--strategy",
        "new-plan",
        "--create",
        "--partnership",
        partnership.slug,
        "--title",
        "New synthetic plan",
        "--create-agencies",
    )
    strategy = Strategy.objects.get(slug="new-plan")
    assert (strategy.status, strategy.title, strategy.partnership) == (
        "draft",
        "New synthetic plan",
        partnership,
    )
    created = Agency.objects.get(name="test-housing-options")
    assert created.category == "other"
    assert set(created.boroughs.all()) == set(partnership.boroughs.all())
    assert "Created agency: test-housing-options" in capsys.readouterr().out


def test_a_failed_create_leaves_no_strategy_behind(tmp_path, partnership):
    with pytest.raises(CommandError):
        _import(
            _write(tmp_path, f"{HEADER}\nA,P,A.1,T,,,,whenever,,,,\n"),
            "--strategy",
            "new-plan",
            "--create",
            "--partnership",
            partnership.slug,
            "--title",
            "New plan",
        )
    assert not Strategy.objects.filter(slug="new-plan").exists()


def _export(strategy_slug, path, fmt):
    call_command(
        "export_action_plan", "--strategy", strategy_slug, "--format", fmt, "--out", str(path)
    )
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(
    tmp_path, strategy, agency, other_agency, partnership, fmt
):
    """Re-importing an export changes nothing, and a fresh strategy exports identically."""
    _import(_write(tmp_path, GOOD), "--strategy", strategy.slug)
    first = _export(strategy.slug, tmp_path / f"one.{fmt}", fmt)
    changes = ChangeRecord.objects.count()
    updates = ProgressUpdate.objects.count()
    _import(tmp_path / f"one.{fmt}", "--strategy", strategy.slug)
    assert ProgressUpdate.objects.count() == updates
    assert ChangeRecord.objects.count() == changes + 1  # the import itself, nothing else
    assert _export(strategy.slug, tmp_path / f"two.{fmt}", fmt) == first or fmt == "xlsx"
    _import(
        tmp_path / f"one.{fmt}",
        "--strategy",
        "copy",
        "--create",
        "--partnership",
        partnership.slug,
        "--title",
        "Copy",
    )
    rows = _rows(_export("copy", tmp_path / f"three.{fmt}", fmt), fmt)
    assert rows == _rows(first, fmt)
    assert rows[3][7] == "2019-03-31"  # a month exports as its last day


def _rows(data, fmt):
    if fmt == "csv":
        assert data.startswith("\ufeff".encode())
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
