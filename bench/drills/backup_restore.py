"""Drill: back the portal's database up with pg_dump and restore it into an empty database.

Before the backup, a coordinator reads cases through the portal so there are access events.
The dump is taken in PostgreSQL's custom format and restored with `pg_restore --exit-on-error`
into a new, empty database. Pass: every table has the same number of rows and the same
checksum (MD5 over its rows in a fixed order) in both; the access events are all there and
still append-only (the trigger came back with them); the encrypted fields decrypt with the
keys from the environment and give the same values; and no victim's name is readable in the
dump file or in the restored tables.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import harness

RESTORED = "vawg_restored"
DECRYPT = """
import hashlib, json, django
django.setup()
from marac.models import Victim
rows = sorted(
    f"{v.case_id}|{v.first_name}|{v.last_name}|{v.date_of_birth}|{v.address}"
    for v in Victim.objects.all()
)
print(json.dumps({
    "victims": len(rows),
    "with_marker": sum("Casemark" in row for row in rows),
    "sha256": hashlib.sha256("\\n".join(rows).encode()).hexdigest(),
}))
"""


# Per table: its row count and an MD5 over its rows as text, in text order (so equal tables
# give equal sums whatever order the restore wrote them in), built inside PostgreSQL.
TABLE_FIGURES = """
SELECT tablename,
       (xpath('/row/c/text()', figures))[1]::text,
       (xpath('/row/m/text()', figures))[1]::text
FROM (
    SELECT tablename, query_to_xml(format(
        'SELECT count(*) AS c, md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), %L))'
        ' AS m FROM public.%I t', '', tablename), false, true, '') AS figures
    FROM pg_tables WHERE schemaname = 'public'
) per_table
ORDER BY tablename
"""


def _table_figures(stack, database: str) -> dict[str, str]:
    return {
        line.split("|", 1)[0]: line.split("|", 1)[1]
        for line in stack.postgres.sql(TABLE_FIGURES, database).splitlines()
    }


def _decrypted(stack, database: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", DECRYPT],
        cwd=harness.ROOT,
        env=stack.env(DATABASE_URL=stack.postgres.url(database)),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _append_only(stack, database: str) -> bool:
    result = stack.postgres.tool(
        "psql",
        "-d",
        database,
        "-AtX",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        "UPDATE marac_accessevent SET lens = lens",
        check=False,
        capture_output=True,
        text=True,
    )
    return result.returncode != 0


def _read_cases(stack, facts) -> int:
    alpha = facts["partnerships"]["alpha"]
    reader = harness.Client(stack.base, facts, alpha["people"]["coordinator"][0]["session"])
    return sum(reader.get(f"/marac/cases/{case}/").status == 200 for case in alpha["cases"][:10])


def run(quick: bool = False) -> bool:
    failures: list[str] = []
    with harness.stack("backup") as stack:
        stack.start_web()
        facts = stack.facts()
        reads = _read_cases(stack, facts)
        stack.stop_process("web")  # a quiet database, so both sides are the same moment
        dump = stack.workdir / "portal.dump"
        started = time.monotonic()
        stack.postgres.tool("pg_dump", "-Fc", "-f", str(dump), harness.DB_NAME)
        dumped = time.monotonic() - started
        stack.postgres.tool("createdb", RESTORED)
        started = time.monotonic()
        stack.postgres.tool("pg_restore", "--exit-on-error", "-d", RESTORED, str(dump))
        restored = time.monotonic() - started
        before, after = _table_figures(stack, harness.DB_NAME), _table_figures(stack, RESTORED)
        events = [
            stack.postgres.sql("SELECT count(*) FROM marac_accessevent", db)
            for db in (harness.DB_NAME, RESTORED)
        ]
        plain, restored_plain = _decrypted(stack, harness.DB_NAME), _decrypted(stack, RESTORED)
        in_dump = dump.read_bytes().count(b"Casemark")
        in_tables = stack.postgres.sql(
            "SELECT count(*) FROM marac_victim WHERE last_name LIKE '%Casemark%' "
            "OR first_name LIKE '%Testvictim%'",
            RESTORED,
        )
        append_only = _append_only(stack, RESTORED)
        size = dump.stat().st_size
    differing = sorted(name for name in before if before[name] != after.get(name))
    rows_total = sum(int(value.split("|")[0]) for value in before.values())
    rows = [
        ("case pages read before the backup", reads),
        ("pg_dump -Fc, pg_restore", f"{dumped:.1f} s, {restored:.1f} s ({size // 1024} KiB)"),
        ("tables, rows", f"{len(before)}, {rows_total}"),
        ("tables whose count or checksum differ", len(differing) + len(set(after) - set(before))),
        ("access events before, after", ", ".join(events)),
        ("victims decrypted before, after", f"{plain['victims']}, {restored_plain['victims']}"),
        ("decrypted values equal (SHA-256)", plain["sha256"] == restored_plain["sha256"]),
        ("victim names readable in dump, restored tables", f"{in_dump}, {in_tables}"),
        ("access events still append-only", append_only),
    ]
    if reads != 10:
        failures.append(f"only {reads} of 10 case reads answered 200")
    if differing or set(after) != set(before):
        failures.append(f"tables differ after the restore: {differing[:10]}")
    if events[0] != events[1] or int(events[0]) < reads:
        failures.append("the access events are not all there")
    if plain != restored_plain or plain["with_marker"] != plain["victims"] or not plain["victims"]:
        failures.append("encrypted fields do not decrypt to the same values")
    if in_dump or in_tables != "0":
        failures.append("a victim's name is readable in the backup")
    if not append_only:
        failures.append("the restored access events can be updated")
    return harness.report("Backup and restore", rows, failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the same drill (it is quick)")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.quick) else 1)


if __name__ == "__main__":
    main()
