"""Board report render benchmark: a three-borough partnership report with 200 and 1,000 actions.

Prints render time (HTML built from live data, then the tagged PDF/UA-1 laid out), pages and
peak memory for each size; `make bench` runs it right after the anchor page's figures. Each
render runs in a fresh process, so the time includes WeasyPrint's cold start and the peak
memory is the render's own process. Uses its own database (`vawg_bench`).
Aims (issue 9, two cores, tagged PDF): 200 actions under 4 s, 1,000 under 20 s, < 350 MB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [200, 1000]
AIMS = {200: 4.0, 1000: 20.0}
MEMORY_AIM_MB = 350


def _environment() -> dict[str, str]:
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    env["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vawg_bench"
    )
    return env


def _manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environment(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def render_in_child(size: int) -> dict:
    """Seed (once) and render one report in a fresh process: seconds, pages, peak MB, bytes."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        f"from bench.report_render import child; child({size})"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def child(size: int) -> None:
    """Runs in a fresh process: seed (if needed) and render once, then print the figures."""
    import django

    django.setup()
    from bench.report_data import bench_report

    report = bench_report(size)
    from reporting.models import Variant
    from reporting.pdf import render_pdf
    from reporting.services import report_html, report_stylesheet

    started = time.perf_counter()
    pdf = render_pdf(report_html(report, Variant.BOARD), stylesheet=report_stylesheet())
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "size": size,
                "seconds": seconds,
                "pages": pdf.pages,
                "peak_mb": peak_mb,
                "bytes": len(pdf.content),
            }
        )
    )


def main() -> None:
    _manage("ensure_database")
    _manage("migrate", "--noinput")
    print(f"{'actions':>8} {'seconds':>8} {'aim':>6} {'pages':>6} {'peak MB':>8} {'PDF KB':>7}")
    for size in SIZES:
        result = render_in_child(size)
        print(
            f"{size:>8} {result['seconds']:>8.2f} {AIMS[size]:>6.0f} {result['pages']:>6} "
            f"{result['peak_mb']:>8.0f} {result['bytes'] / 1024:>7.0f}"
        )
    print(f"Peak memory aim: under {MEMORY_AIM_MB} MB per render (process total, Django included).")


if __name__ == "__main__":
    main()
