"""What `make bench` measures, and against which aim (plain Python: no Django here).

Each target is measured under gunicorn with wrk (bench/run.py) and once in-process for its
number of database queries per request (bench/prepare.py), against the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

ANCHOR = "anchor: fortunes (1 query)"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    who: str = ""  # "", "officer", "coordinator", "representative" or "lookup" (a pool)
    method: str = "GET"
    body: str = ""
    aim_share: float | None = None  # requests per second as a share of the anchor's, at least
    issue: str = ""


def lookup_body(marac: dict) -> str:
    """The coordinator's exact lookup by full name and date of birth, as the form posts it."""
    return urlencode(
        {
            "person": "1",
            "person-first_name": marac["lookup_first_name"],
            "person-last_name": marac["lookup_last_name"],
            "person-date_of_birth": marac["lookup_date_of_birth"],
        }
    )


def targets(setup: dict) -> list[Target]:
    marac = setup["marac"]
    slug = marac["marac_slug"]
    plan = setup["plan_slug"]
    return [
        Target(ANCHOR, "/bench/fortunes/"),
        Target(
            "directory search page",
            "/find-support/?q=trauma+counselling&borough=hackney&type=st-counselling",
            aim_share=0.15,
            issue="8",
        ),
        Target("ORUK /services?search=", "/api/oruk/services?search=trauma+counselling"),
        Target(
            "action plan, 300 actions",
            f"/strategies/{plan}/plan/",
            "officer",
            aim_share=0.15,
            issue="4",
        ),
        Target("my actions, 300 actions", "/my-actions/", "officer", aim_share=0.15, issue="4"),
        Target("representative's case list", "/marac/agenda-cases/", "representative", issue="6"),
        Target("coordinator's case list (50)", f"/marac/{slug}/cases/", "coordinator", issue="6"),
        Target(
            "coordinator's exact lookup (POST)",
            f"/marac/{slug}/lookup/",
            "lookup",
            method="POST",
            body=lookup_body(marac),
            issue="6",
        ),
        Target("API strategies", "/api/v1/strategies/", "officer"),
        Target("API priorities", f"/api/v1/strategies/{plan}/priorities/", "officer"),
        Target("API actions (50 a page)", f"/api/v1/actions/?strategy={plan}", "officer"),
        Target("API measures", "/api/v1/measures/", "officer"),
        Target("API MARAC cases, full lens", f"/api/v1/marac/cases/?marac={slug}", "coordinator"),
        Target(
            "API MARAC cases, agenda lens",
            f"/api/v1/marac/cases/?lens=agenda&marac={slug}",
            "representative",
        ),
        Target(
            "API MARAC referrals waiting", f"/api/v1/marac/referrals/?marac={slug}", "coordinator"
        ),
    ]
