"""THE authorisation matrix: every route of the portal, who gets what, in one table.

Each row names a route exactly as the URL resolver spells it (regex groups shown as <name>),
the records its arguments point at (`target`: a function of one partnership's records, see
matrix_world), and the answer each actor gets to GET and to POST on its own partnership's
record. On the other partnership's record, and on a missing one, every actor gets the answer a
missing record gets (404 for signed-in people), with the same body.

Adding a route: add one row. `Page(...)` is a staff page (anonymous and deactivated people are
sent to sign in, a person without a second factor to set one up); `Api(...)` a staff API route
(all three get 401/403); `Public(...)` is on the public map (everyone gets the same answer).
`answers(200, WHO, ..., default=404)` lists who gets which status, first match wins. WHO is a
role ("commissioner": through either agency) or a role at one agency ("idva@1": the first
agency, which refers the case, leads the action and owns the directory service).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from partnership.models import Role

COORDINATOR = Role.MARAC_COORDINATOR.value
CHAIR = Role.MARAC_CHAIR.value
REPRESENTATIVE = Role.MARAC_REPRESENTATIVE.value
IDVA = Role.IDVA.value
ADMIN = Role.PARTNERSHIP_ADMIN.value
COMMISSIONER = Role.COMMISSIONER.value
LEAD_OFFICER = Role.LEAD_OFFICER.value
DPL = Role.DATA_PROTECTION_LEAD.value
BOARD_MEMBER = Role.BOARD_MEMBER.value
EDITOR = Role.SERVICE_EDITOR.value
MEMBERS = tuple(role.value for role in Role)  # every role: members of the partnership
MANAGERS = (COORDINATOR, CHAIR)  # the MARAC's coordinators and chair
FULL_LENS = (COORDINATOR, CHAIR, f"{REPRESENTATIVE}@1", f"{IDVA}@1")  # DESIGN §4
REPORT_READERS = (COMMISSIONER, BOARD_MEMBER)


@dataclass(frozen=True)
class Answers:
    """Who gets which status; first match wins, everyone else gets `default`."""

    rules: tuple[tuple[int, frozenset[str]], ...]
    default: int = 404

    def status_for(self, role: str, agency: int) -> int:
        for status, who in self.rules:
            if role in who or f"{role}@{agency}" in who:
                return status
        return self.default


def answers(*pairs: Any, default: int = 404) -> Answers:
    """answers(200, (A, B), 403, MEMBERS) — statuses and who gets them, in order."""
    rules = []
    for status, who in zip(pairs[::2], pairs[1::2], strict=True):
        rules.append((status, frozenset((who,) if isinstance(who, str) else who)))
    return Answers(tuple(rules), default)


def ok(*who: str, status: int = 200, default: int = 404) -> Answers:
    return answers(status, who, default=default)


NOBODY_ELSE = answers()  # 404 for every signed-in person
NOT_ALLOWED = answers(default=405)  # the method is refused before anything is looked up
Target = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    kind: str  # "page", "api" or "public"
    get: Answers
    post: Answers
    target: Target | None = None  # the route's arguments for one partnership's records
    foreign: bool = True  # whether the other partnership has a record to try
    missing: str = ""  # the argument a "missing record" replaces (default: the last id)
    note: str = field(default="", compare=False)


def Page(get: Answers, post: Answers = NOT_ALLOWED, target: Target | None = None, **kw) -> Row:  # noqa: N802
    """A staff page; `post=AS_GET` when the view answers POST as it answers GET."""
    return Row("page", get, get if post is AS_GET else post, target, **kw)


def Api(get: Answers, post: Answers = NOT_ALLOWED, target: Target | None = None, **kw) -> Row:  # noqa: N802
    return Row("api", get, post, target, **kw)


def Public(get: int = 200, post: int = 405, target: Target | None = None, **kw) -> Row:  # noqa: N802
    return Row("public", answers(default=get), answers(default=post), target, **kw)


def partnership(s):
    return {"slug": s["partnership"].slug}


def strategy(s):
    return {"slug": s["strategy"].slug}


def board(s):
    return {"slug": s["board"].slug}


def marac(s):
    return {"slug": s["marac"].slug}


def case(s):
    return {"pk": s["case"].pk}


def waiting(s):
    return {"pk": s["waiting"].pk}


def meeting(s):
    return {**marac(s), "pk": s["meeting"].pk}


def item(s):
    return {**meeting(s), "item_pk": s["item"].pk}


def report(s):
    return {"report_id": s["report"].pk}


def service(s):
    return {"service_id": s["service"].pk}


def person(s):
    return {**partnership(s), "person_id": s["person"].pk}


MATRIX: dict[str, Row] = {
    # --- public map (DESIGN §6) ---
    "": Public(),
    "accessibility/": Public(),
    "privacy/": Public(),
    "cookies/": Public(),
    "healthz": Public(),
    "readyz": Public(),
    "robots.txt": Public(),
    "favicon.ico": Public(),
    ".well-known/security.txt": Public(),
    "find-support/": Public(),
    "find-support/services/<uuid:service_id>/": Public(
        target=lambda s: {"service_id": s["published_service"].pk}
    ),
    "staying-safe-online/": Public(),
    "staying-safe-online/exit-this-page/": Public(),
    "exit/": Public(get=302, post=302, note="quick exit: straight to a neutral site"),
    "reports/public/": Public(),
    "reports/public/<int:run_id>/download/": Public(
        target=lambda s: {"run_id": s["public_run"].pk}, foreign=False
    ),
    "api/oruk/^$": Public(),
    "api/oruk/^openapi\\.json$": Public(post=200, note="a static document, whatever the method"),
    "api/oruk/^services/?$": Public(),
    "api/oruk/^services/<service_id>/?$": Public(
        target=lambda s: {"service_id": s["published_service"].pk}
    ),
    "api/oruk/^service_at_locations/?$": Public(),
    "api/oruk/^service_at_locations/<link_id>/?$": Public(target=lambda s: {"link_id": s["link"]}),
    "api/oruk/^taxonomies/?$": Public(),
    "api/oruk/^taxonomies/<taxonomy_id>/?$": Public(
        target=lambda s: {"taxonomy_id": s["taxonomy"]}
    ),
    "api/oruk/^taxonomy_terms/?$": Public(),
    "api/oruk/^taxonomy_terms/<term_id>/?$": Public(target=lambda s: {"term_id": s["term"]}),
}
AS_GET = answers(default=-1)  # POST answers as GET does: the view reads, whatever the method


def _marac_query(s):
    return {"?marac": s["marac"].slug}


ALL = MEMBERS
MATRIX.update(
    {
        # --- partnership (partnership/permissions.py) ---
        "staff/": Page(ok(*ALL, status=302), AS_GET, note="sends each person to their start page"),
        "staff/switch-partnership/": Page(
            NOT_ALLOWED, NOBODY_ELSE, note="POST without a partnership of theirs: 404"
        ),
        "partnerships/<slug:slug>/": Page(ok(*ALL), AS_GET, partnership),
        "partnerships/<slug:slug>/people/": Page(ok(ADMIN), AS_GET, partnership),
        "partnerships/<slug:slug>/people/invite/": Page(ok(ADMIN), AS_GET, partnership),
        "partnerships/<slug:slug>/people/<int:person_id>/": Page(ok(ADMIN), AS_GET, person),
        "partnerships/<slug:slug>/people/<int:person_id>/deactivate/": Page(
            ok(ADMIN), ok(ADMIN, status=302), person
        ),
        "partnerships/<slug:slug>/people/<int:person_id>/reset-second-factor/": Page(
            ok(ADMIN), ok(ADMIN, status=302), person
        ),
        "partnerships/<slug:slug>/people/<int:person_id>/unlock/": Page(
            NOT_ALLOWED, ok(ADMIN, status=302), person
        ),
        "partnerships/<slug:slug>/memberships/<int:membership_id>/end/": Page(
            NOT_ALLOWED,
            ok(ADMIN, status=302),
            lambda s: {**partnership(s), "membership_id": s["membership"].pk},
        ),
        "partnerships/<slug:slug>/boroughs/<slug:borough_slug>/population/": Page(
            ok(ADMIN), AS_GET, lambda s: {**partnership(s), "borough_slug": s["borough"].slug}
        ),
        "agencies/<slug:slug>/": Page(ok(*ALL), AS_GET, lambda s: {"slug": s["agencies"][1].slug}),
        "boards/<slug:slug>/": Page(ok(*ALL), AS_GET, board),
        "boards/<slug:slug>/meetings/new/": Page(ok(ADMIN), AS_GET, board),
        "boards/<slug:slug>/meetings/<int:meeting_id>/attendance/<int:attendance_id>/": Page(
            ok(ADMIN),
            AS_GET,
            lambda s: {
                **board(s),
                "meeting_id": s["board_meeting"].pk,
                "attendance_id": s["attendance"].pk,
            },
        ),
        # --- action plans (actions/permissions.py): in scope but not allowed answers 403 ---
        "my-actions/": Page(ok(*ALL), AS_GET),
        "partnerships/<slug:slug>/action-plans/": Page(ok(*ALL), AS_GET, partnership),
        "partnerships/<slug:slug>/action-plans/new/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, partnership
        ),
        "partnerships/<slug:slug>/measures/": Page(ok(*ALL), AS_GET, partnership),
        "partnerships/<slug:slug>/measures/new/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, partnership
        ),
        "partnerships/<slug:slug>/measures/upload/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, partnership
        ),
        "partnerships/<slug:slug>/measures/<slug:code>/": Page(
            ok(*ALL),
            answers(200, COMMISSIONER, 403, ALL),
            lambda s: {**partnership(s), "code": s["measure"].code},
        ),
        "partnerships/<slug:slug>/measures/<slug:code>/edit/": Page(
            answers(200, COMMISSIONER, 403, ALL),
            AS_GET,
            lambda s: {**partnership(s), "code": s["measure"].code},
        ),
        "strategies/<slug:slug>/": Page(ok(*ALL), AS_GET, strategy),
        "strategies/<slug:slug>/edit/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, strategy
        ),
        "strategies/<slug:slug>/status/": Page(
            NOT_ALLOWED, answers(302, COMMISSIONER, 403, ALL), strategy
        ),
        "strategies/<slug:slug>/new-version/": Page(
            NOT_ALLOWED, answers(302, COMMISSIONER, 403, ALL), strategy
        ),
        "strategies/<slug:slug>/plan/": Page(ok(*ALL), AS_GET, strategy),
        "strategies/<slug:slug>/plan/export/": Page(ok(*ALL), AS_GET, strategy),
        "strategies/<slug:slug>/plan/import/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, strategy
        ),
        "strategies/<slug:slug>/priorities/new/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, strategy
        ),
        "strategies/<slug:slug>/priorities/<str:code>/edit/": Page(
            answers(200, COMMISSIONER, 403, ALL),
            AS_GET,
            lambda s: {**strategy(s), "code": "A"},
            missing="slug",  # in a strategy one may read, a priority one may not edit is 403
        ),
        "strategies/<slug:slug>/actions/new/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, strategy
        ),
        "strategies/<slug:slug>/actions/<str:ref>/": Page(
            ok(*ALL), AS_GET, lambda s: {**strategy(s), "ref": "A.1"}
        ),
        "strategies/<slug:slug>/actions/<str:ref>/edit/": Page(
            answers(200, COMMISSIONER, 403, ALL), AS_GET, lambda s: {**strategy(s), "ref": "A.1"}
        ),
        "strategies/<slug:slug>/actions/<str:ref>/update/": Page(
            answers(200, (COMMISSIONER, f"{LEAD_OFFICER}@1"), 403, ALL),
            AS_GET,
            lambda s: {**strategy(s), "ref": "A.1"},
        ),
        "api/v1/strategies/": Api(ok(*ALL)),
        "api/v1/strategies/<slug:slug>/": Api(ok(*ALL), target=strategy),
        "api/v1/strategies/<slug:slug>/priorities/": Api(ok(*ALL), target=strategy),
        "api/v1/actions/": Api(ok(*ALL)),
        "api/v1/actions/<int:pk>/": Api(ok(*ALL), target=lambda s: {"pk": s["action"].pk}),
        "api/v1/actions/<int:pk>/progress-updates/": Api(
            ok(*ALL),
            answers(400, (COMMISSIONER, f"{LEAD_OFFICER}@1"), 403, ALL),
            lambda s: {"pk": s["action"].pk},
            note="an empty update is refused with field errors to those who may post one",
        ),
        "api/v1/measures/": Api(ok(*ALL)),
        # --- board reports (reporting/permissions.py) ---
        "boards/<slug:slug>/reports/": Page(ok(*REPORT_READERS), AS_GET, board),
        "boards/<slug:slug>/reports/open/": Page(NOT_ALLOWED, ok(COMMISSIONER, status=302), board),
        "reports/<int:report_id>/": Page(
            ok(*REPORT_READERS), NOBODY_ELSE, report, note="approved: its text no longer changes"
        ),
        "reports/<int:report_id>/preview/<str:variant>/": Page(
            ok(*REPORT_READERS), target=lambda s: {**report(s), "variant": "board"}
        ),
        "reports/<int:report_id>/render/": Page(NOT_ALLOWED, ok(COMMISSIONER, status=302), report),
        "reports/<int:report_id>/approve/": Page(NOT_ALLOWED, ok(COMMISSIONER, status=302), report),
        "reports/<int:report_id>/publish/": Page(NOT_ALLOWED, ok(COMMISSIONER, status=302), report),
        "reports/runs/<int:run_id>/status/": Page(
            ok(*REPORT_READERS), target=lambda s: {"run_id": s["run"].pk}
        ),
        "reports/runs/<int:run_id>/download/": Page(
            ok(*REPORT_READERS), target=lambda s: {"run_id": s["run"].pk}
        ),
        # --- MARAC (marac/permissions.py): the two lenses of DESIGN §4 ---
        "marac/": Page(ok(*ALL), AS_GET),
        "marac/agenda-cases/": Page(ok(REPRESENTATIVE), AS_GET),
        "marac/caseload/": Page(ok(IDVA), AS_GET),
        "marac/cases/<int:pk>/": Page(ok(*FULL_LENS, f"{REPRESENTATIVE}@2"), AS_GET, case),
        "marac/cases/<int:pk>/check/": Page(ok(*MANAGERS), ok(*MANAGERS, status=302), waiting),
        "marac/cases/<int:pk>/list/": Page(NOT_ALLOWED, ok(*MANAGERS, status=302), waiting),
        "marac/partnerships/<slug:slug>/indicators/": Page(ok(*ALL), AS_GET, partnership),
        "marac/<slug:slug>/": Page(ok(*MANAGERS), AS_GET, marac),
        "marac/<slug:slug>/indicators/": Page(ok(*ALL), AS_GET, marac),
        "marac/<slug:slug>/indicators/safelives-return.csv": Page(
            ok(*MANAGERS, DPL), AS_GET, marac
        ),
        "marac/<slug:slug>/cases/": Page(ok(*MANAGERS), AS_GET, marac),
        "marac/<slug:slug>/lookup/": Page(ok(COORDINATOR), AS_GET, marac),
        "marac/<slug:slug>/referrals/new/": Page(ok(*MANAGERS), AS_GET, marac),
        "marac/<slug:slug>/meetings/new/": Page(ok(*MANAGERS), AS_GET, marac),
        "marac/<slug:slug>/meetings/<int:pk>/": Page(ok(*MANAGERS), target=meeting),
        "marac/<slug:slug>/meetings/<int:pk>/circulate/": Page(
            NOT_ALLOWED,
            ok(*MANAGERS, status=302),
            lambda s: {**marac(s), "pk": s["meeting"].pk},
        ),
        # --- the MARAC meeting workflow (issue 7): meeting days, agencies, transfers... ---
        "marac/<slug:slug>/actions/": Page(ok(*MANAGERS), target=marac),
        "marac/<slug:slug>/meetings/<int:pk>/agenda/add/": Page(
            NOT_ALLOWED, ok(*MANAGERS, status=302), meeting
        ),
        "marac/<slug:slug>/meetings/<int:pk>/day/": Page(ok(*MANAGERS), target=meeting),
        "marac/<slug:slug>/meetings/<int:pk>/attendance/": Page(
            NOT_ALLOWED, ok(*MANAGERS, status=400), meeting, note="an empty attendance: 400"
        ),
        "marac/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/": Page(
            ok(*MANAGERS), ok(*MANAGERS, status=400), item, note="an empty minute: 400"
        ),
        "marac/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/draft/": Page(
            NOT_ALLOWED, ok(*MANAGERS), item, note="the minute's autosave"
        ),
        "marac/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/actions/": Page(
            NOT_ALLOWED, ok(*MANAGERS, status=400), item, note="an empty action: 400"
        ),
        "marac/<slug:slug>/meetings/<int:pk>/review/<int:action_pk>/": Page(
            NOT_ALLOWED,
            ok(*MANAGERS, status=302),
            lambda s: {**meeting(s), "action_pk": s["case_action"].pk},
        ),
        "marac/<slug:slug>/meetings/<int:pk>/approve/": Page(
            NOT_ALLOWED, ok(CHAIR, status=302), meeting, note="the chair only"
        ),
        "marac/research/": Page(ok(REPRESENTATIVE)),
        "marac/research/<int:item_pk>/": Page(
            ok(REPRESENTATIVE),
            ok(REPRESENTATIVE, status=400),
            lambda s: {"item_pk": s["item"].pk},
            note="every member agency's representative researches a listed case",
        ),
        "marac/my-actions/": Page(ok(REPRESENTATIVE)),
        "marac/my-actions/<int:pk>/": Page(
            ok(f"{REPRESENTATIVE}@1"),
            ok(f"{REPRESENTATIVE}@1", status=400),
            lambda s: {"pk": s["case_action"].pk},
            note="the owner agency's representatives only",
        ),
        "marac/extracts/<int:pk>/": Page(
            ok(REPRESENTATIVE), target=lambda s: {"pk": s["extract_meeting"].pk}
        ),
        "marac/reminders/": Page(ok(REPRESENTATIVE)),
        "marac/cases/<int:pk>/transfer/": Page(ok(COORDINATOR), AS_GET, case),
        "marac/cases/<int:pk>/legal-hold/": Page(ok(COORDINATOR, DPL), AS_GET, case),
        "marac/transfers/<int:pk>/": Page(
            ok(COORDINATOR),
            ok(COORDINATOR, status=302),
            lambda s: {"pk": s["transfer"].pk},
            note="sent outside London: nothing to answer",
        ),
        "marac/<slug:slug>/transfers/": Page(ok(COORDINATOR), AS_GET, marac),
        "marac/<slug:slug>/exports/": Page(ok(COORDINATOR, DPL), AS_GET, marac),
        "marac/exports/<int:pk>/download/": Page(
            ok(f"{COORDINATOR}@1"),
            target=lambda s: {"pk": s["export"].pk},
            note="only the person who made the export",
        ),
        "marac/partnerships/<slug:slug>/oversight/": Page(ok(DPL), AS_GET, partnership),
        "marac/partnerships/<slug:slug>/oversight/alerts/handle/": Page(
            NOT_ALLOWED, ok(DPL, status=302), partnership
        ),
        "api/v1/marac/cases/": Api(ok(*ALL), note="each sees only the cases of their lens"),
        "api/v1/marac/cases/lookup/": Api(
            NOT_ALLOWED, answers(default=400), note="an empty lookup is refused before any search"
        ),
        "api/v1/marac/cases/<int:pk>/": Api(ok(*FULL_LENS, f"{REPRESENTATIVE}@2"), target=case),
        "api/v1/marac/cases/<int:pk>/dash-assessments/": Api(ok(*FULL_LENS), target=case),
        "api/v1/marac/referrals/": Api(
            ok(*MANAGERS),
            answers(default=400),
            _marac_query,
            note="an empty referral is refused with field errors before the MARAC is looked up",
        ),
        "api/v1/marac/referrals/<int:pk>/accept/": Api(NOT_ALLOWED, ok(*MANAGERS), waiting),
        "api/v1/marac/indicators/": Api(ok(*ALL), target=_marac_query),
        "api/schema/": Api(ok(*ALL)),
        "api/docs/": Api(ok(*ALL)),
        # --- directory editing (directory/permissions.py) ---
        "directory/": Page(ok(ADMIN, EDITOR), AS_GET),
        "directory/services/new/": Page(ok(ADMIN, EDITOR), AS_GET),
        "directory/services/<uuid:service_id>/": Page(ok(ADMIN, f"{EDITOR}@1"), AS_GET, service),
        "directory/services/<uuid:service_id>/edit/": Page(
            ok(ADMIN, f"{EDITOR}@1"), AS_GET, service
        ),
        "directory/services/<uuid:service_id>/confirm/": Page(
            NOT_ALLOWED, ok(ADMIN, f"{EDITOR}@1", status=302), service
        ),
        "directory/services/<uuid:service_id>/publish/": Page(
            NOT_ALLOWED, ok(ADMIN, status=302), service
        ),
        "directory/services/<uuid:service_id>/discard/": Page(
            NOT_ALLOWED, ok(ADMIN, status=302), service
        ),
        "directory/services/<uuid:service_id>/withdraw/": Page(
            NOT_ALLOWED, ok(ADMIN, status=302), service
        ),
    }
)

# Route families declared as a whole: Django's admin (every model's pages; only superusers and
# staff may use it, and production has neither, DESIGN §4) and allauth's sign-in pages (the
# public map; tests/security/test_second_factor.py and test_url_walk.py cover them).
FAMILIES = {"admin/": "admin", "accounts/": "sign-in"}
