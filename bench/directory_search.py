"""Directory search over 100,000 synthetic services (issue 8), beside a naive scan.

Loads (once, idempotently) synthetic published services into the configured database, then
measures in one run, warm, many repetitions each:
  - p50/p95 of a text query with two filters (borough and type) through `directory.search`;
  - the same question asked naively: `icontains` on name and description, same filters;
  - facet counting (every filter group's counts) separately.
`bench/run.py` calls `seed` and `measure` in its own run; the search page's requests per second,
as a share of the anchor page, come from its wrk targets.

    DJANGO_DEBUG=1 .venv/bin/python bench/directory_search.py [--services 100000] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.postgres.search import SearchVector  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q, Value  # noqa: E402
from django.utils import timezone  # noqa: E402

from directory import search  # noqa: E402
from directory.models import AreaExtent, Service, ServiceArea, TaxonomyTerm  # noqa: E402
from directory.search import SEARCH_CONFIG, Filters  # noqa: E402
from directory.services import organisation_upsert  # noqa: E402
from partnership.models import Borough  # noqa: E402
from partnership.services import system_actor  # noqa: E402

BENCH_ORGANISATION = "Bench synthetic services (benchmark only)"
WORDS = [
    "support",
    "advice",
    "counselling",
    "refuge",
    "outreach",
    "advocacy",
    "women",
    "men",
    "children",
    "young",
    "people",
    "housing",
    "legal",
    "court",
    "group",
    "recovery",
    "helpline",
    "health",
    "clinic",
    "money",
    "work",
    "training",
    "safety",
    "planning",
    "community",
    "drop-in",
    "family",
    "therapy",
    "trauma",
    "survivors",
    "abuse",
    "violence",
    "stalking",
    "exploitation",
    "harassment",
    "online",
    "elder",
    "honour",
    "marriage",
    "mutilation",
    "trafficking",
]


def seed(total: int) -> None:
    actor = system_actor()
    organisation, _ = organisation_upsert(
        acting_user=actor, organisation_id=None, name=BENCH_ORGANISATION
    )
    have = Service.objects.filter(organisation=organisation).count()
    if have >= total:
        return
    boroughs = list(Borough.objects.all())
    terms = list(TaxonomyTerm.objects.all())
    rng = random.Random(8)  # noqa: S311 - synthetic data
    today = timezone.localdate()
    batch = 5000
    for start in range(have, total, batch):
        with transaction.atomic():
            services = []
            for n in range(start, min(start + batch, total)):
                words = rng.sample(WORDS, 12)
                services.append(
                    Service(
                        id=uuid.uuid4(),
                        organisation=organisation,
                        agency=organisation.agency,
                        name=f"Synthetic {' '.join(words[:3])} service {n}",
                        description=" ".join(words) + ".",
                        last_checked=today - timedelta(days=rng.randrange(300)),
                        is_published=True,
                        is_free=rng.random() < 0.8,
                        languages=["en"],
                        created_by=actor,
                        updated_by=actor,
                    )
                )
            chosen = {s.id: rng.sample(terms, 4) for s in services}
            areas = [
                ServiceArea(service=s, extent=AreaExtent.BOROUGH, borough=rng.choice(boroughs))
                for s in services
            ]
            for service, area in zip(services, areas, strict=True):
                service.filter_codes = search.filter_codes_of(service, chosen[service.id], [area])
            Service.objects.bulk_create(services)
            through = Service.taxonomy_terms.through
            through.objects.bulk_create(
                through(service_id=s.id, taxonomyterm_id=t.id)
                for s in services
                for t in chosen[s.id]
            )
            ServiceArea.objects.bulk_create(areas)
            Service.objects.filter(pk__in=[s.id for s in services]).update(
                search_text=Value(" ".join(rng.sample(WORDS, 4))),
                search_vector=SearchVector("name", weight="A", config=SEARCH_CONFIG)
                + SearchVector("description", weight="B", config=SEARCH_CONFIG),
            )
        print(f"  seeded {min(start + batch, total)} / {total}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_service")
        cursor.execute("ANALYZE directory_servicearea")
        cursor.execute("ANALYZE directory_service_taxonomy_terms")


BUDGET_SECONDS = 45  # per measure: on a loaded machine one call can take seconds
MIN_SAMPLES = 5


def timed(function, runs: int, budget: float = BUDGET_SECONDS) -> list[float]:
    """Warm, then `runs` timed calls (ms), or fewer (at least five) once `budget` is spent."""
    function()  # warm
    samples = []
    deadline = time.monotonic() + budget
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        if len(samples) >= MIN_SAMPLES and time.monotonic() > deadline:
            break
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def measure(runs: int) -> dict[str, dict[str, float]]:
    """p50 and p95 (ms) of the search, the naive scan and facet counting, warm, in one run."""
    borough = Borough.objects.get(slug="hackney")
    service_type = TaxonomyTerm.objects.get(code="st-counselling")
    filters = Filters(text="trauma counselling", borough=borough, service_type=service_type)

    def fts() -> None:
        results = search.search(filters)
        list(results.services[:20])

    def naive() -> None:
        services = Service.objects.public().covering_borough(borough.pk).with_term(service_type.pk)
        for word in ("trauma", "counselling"):
            services = services.filter(Q(name__icontains=word) | Q(description__icontains=word))
        services.count()
        list(services.order_by("name")[:20])

    def facets() -> None:
        results = search.search(filters)
        search.facet_counts(filters, results.text)

    measures = {"search": fts, "naive scan": naive, "facet counts": facets}
    figures = {}
    for name, function in measures.items():
        samples = timed(function, runs)
        figures[name] = {
            "p50_ms": statistics.median(samples),
            "p95_ms": p95(samples),
            "samples": len(samples),
        }
    figures["services"] = {"count": Service.objects.public().count()}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    print(f"Directory search benchmark: {args.services} synthetic services")
    seed(args.services)
    figures = measure(args.runs)
    print(f"{'measure':<28} {'p50 ms':>8} {'p95 ms':>8}")
    for name in ("search", "naive scan", "facet counts"):
        print(f"{name:<28} {figures[name]['p50_ms']:>8.1f} {figures[name]['p95_ms']:>8.1f}")
    ratio = figures["naive scan"]["p95_ms"] / figures["search"]["p95_ms"]
    print(f"naive p95 / search p95: {ratio:.1f}x (aim: at least 10x; search p95 under 50 ms)")


if __name__ == "__main__":
    main()
