"""Drill: two coordinators save the same record a hundred times, at the same moment each round.

MARAC case records have no edit form that changes a case in place (referrals, DASH versions,
research and minutes are each appended), so the drill uses the portal's optimistic-locking edit
path: the action edit page of the action plan (`actions.services.action_update`, a version
column checked under `SELECT ... FOR UPDATE`). Each round both people open the edit page, then
both save a different title at once. Pass: every round exactly one save wins (a redirect) and
the other is refused with what changed (the form again, nothing overwritten); after all rounds
the version has gone up by exactly the number of rounds, the history holds exactly one change
per round and it is that round's winner's, and the action holds the last winner's title.
"""

from __future__ import annotations

import argparse
import re
import threading

import harness

STALE = "Someone else changed this action while you were editing it"


def _form(stack, action_id: int) -> dict[str, object]:
    """The edit form as it stands, field by field (from the database, not by scraping HTML)."""
    row = stack.postgres.sql(
        "SELECT a.priority_id, a.ref, a.timescale_kind, a.timescale_date, "
        "(SELECT agency_id FROM actions_actionlead WHERE action_id = a.id AND is_primary), "
        "(SELECT string_agg(borough_id::text, ',') FROM actions_action_boroughs "
        " WHERE action_id = a.id) "
        "FROM actions_action a WHERE a.id = :id",
        id=action_id,
    ).split("|")
    priority, ref, kind, due, lead, boroughs = row
    return {
        "priority": priority,
        "ref": ref,
        "description": "",
        "milestones": "",
        "outcomes": "Synthetic outcomes for the drills.",
        "resources": "",
        "resource_amount": "",
        "timescale_kind": kind,
        "timescale_date": due,
        "primary_lead": lead,
        "boroughs": boroughs.split(","),
        "performance_measures": "",
        "indicator_name": "",
    }


def _version_on_page(answer) -> str:
    match = re.search(r'name="lock_version" value="(\d+)"', answer.body)
    if match is None:
        raise harness.DrillFailed(f"no version on the edit page ({answer.status})")
    return match.group(1)


def _round(number, people, path, form):
    versions = [_version_on_page(person.get(path)) for person in people]
    barrier = threading.Barrier(len(people))
    outcomes = [None] * len(people)

    def save(index):
        data = {**form, "title": f"Round {number} title by person {index}"}
        data["lock_version"] = versions[index]
        barrier.wait()
        outcomes[index] = people[index].post(path, form=data)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [i for i, answer in enumerate(outcomes) if answer.status == 302]
    refused = [
        i for i, answer in enumerate(outcomes) if answer.status == 200 and STALE in answer.body
    ]
    return won, refused, versions


def run(rounds: int = 100) -> bool:
    failures: list[str] = []
    with harness.stack("concurrent-edit") as stack:
        stack.start_web()
        facts = stack.facts()
        alpha = facts["partnerships"]["alpha"]
        action = alpha["actions"][0]
        path = f"/strategies/{alpha['strategy']}/actions/{action['ref']}/edit/"
        people = [
            harness.Client(stack.base, facts, person["session"])
            for person in alpha["people"]["commissioner"][:2]
        ]
        form = _form(stack, action["id"])
        start = int(
            stack.postgres.sql(
                "SELECT lock_version FROM actions_action WHERE id = :id", id=action["id"]
            )
        )
        winners, same_version, bad_rounds = [], 0, []
        for number in range(1, rounds + 1):
            won, refused, versions = _round(number, people, path, form)
            same_version += versions[0] == versions[1]
            if len(won) != 1 or len(refused) != 1:
                bad_rounds.append(number)
            winners.append((number, won[0] if len(won) == 1 else None))
        final_version, final_title = stack.postgres.sql(
            "SELECT lock_version, title FROM actions_action WHERE id = :id", id=action["id"]
        ).split("|")
        history = stack.postgres.sql(
            "SELECT detail->'changed'->'title'->>'to' FROM partnership_changerecord "
            "WHERE action = 'action_update' AND object_type = 'actions.action' "
            "AND object_id = :'id' ORDER BY (detail->>'version')::int",
            id=action["id"],
        ).splitlines()
    expected = [f"Round {n} title by person {w}" for n, w in winners if w is not None]
    rows = [
        ("rounds, people", f"{rounds}, 2"),
        ("rounds both opened the same version", same_version),
        ("rounds with exactly one winner and one refusal", rounds - len(bad_rounds)),
        ("version before, after", f"{start}, {final_version}"),
        ("changes in the history", len(history)),
        (
            "wins by person 0, person 1",
            f"{sum(w == 0 for _, w in winners)}, {sum(w == 1 for _, w in winners)}",
        ),
    ]
    if bad_rounds:
        failures.append(f"rounds without exactly one winner: {bad_rounds[:10]}")
    if int(final_version) != start + rounds:
        failures.append("the version did not go up by exactly one per round")
    if history != expected:
        failures.append("the history is not exactly one change per round, by its winner")
    if not expected or final_title != expected[-1]:
        failures.append("the action does not hold the last winner's title")
    return harness.report("Two people saving the same action a hundred times", rows, failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="the same hundred rounds")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.rounds) else 1)


if __name__ == "__main__":
    main()
