"""The benchmark anchor (TechEmpower "fortunes"): one query, a row added, sorted, rendered."""

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.test import Client

from portal.models import Fortune

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _resolves_with(anchor: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BENCHMARK_ANCHOR": anchor, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    script = (
        "import django; django.setup(); from django.urls import resolve; "
        "print(resolve('/bench/fortunes/').func.__name__)"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_anchor_exists_only_when_the_benchmark_setting_is_on():
    on = _resolves_with("1")
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip() == "fortunes"
    off = _resolves_with("0")
    assert off.returncode != 0
    assert "Resolver404" in off.stderr
    assert Client().get("/bench/fortunes/").status_code == 404


@pytest.mark.urls("tests.portal.anchor_urls")
def test_the_anchor_reads_the_rows_in_one_query_adds_one_and_sorts(
    django_assert_num_queries,
):
    Fortune.objects.bulk_create(
        [Fortune(message=f"Synthetic fortune {letter}.") for letter in "LKJIHGFEDCB"]
        + [Fortune(message="<script>alert('A synthetic fortune')</script>")]
    )
    with django_assert_num_queries(1):
        response = Client().get("/bench/fortunes/")
    assert response.status_code == 200
    html = response.content.decode()
    messages = [unescape(m) for m in re.findall(r"<tr><td>\d+</td><td>(.*?)</td></tr>", html)]
    assert len(messages) == 13
    assert "Additional fortune added at request time." in messages
    assert messages == sorted(messages)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert not response.cookies
