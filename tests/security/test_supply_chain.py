"""Supply chain (issue 11, ASVS 15.1): security-relevant dependencies are at safe versions.

Offline there is no advisory database to ask (pip-audit without the network reports nothing
and exits 0), so this test holds the floors: each package's installed version and its lower
bound in pyproject.toml must reach the first release known to fix the advisories named here.
Raise a floor when an advisory lands; never lower one.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# package: (first safe version, why)
SAFE_FLOORS: dict[str, tuple[str, str]] = {
    "weasyprint": ("70.0", "CVE-2026-55073: stylesheets and metadata bypassed the URL fetcher"),
    "django": ("5.2.8", "CVE-2025-64459: SQL injection through the _connector of Q objects"),
    "djangorestframework": ("3.15.2", "CVE-2024-21520: XSS in the browsable API"),
    "django-guardian": ("2.4.0", "object permissions with accept_global_perms=False"),
    "django-allauth": ("65.3.0", "MFA, re-authentication and the secure admin login we use"),
    "django-axes": ("8.3.0", "database-backed lockout on (username, IP); watched, see research"),
    "django-csp": ("4.0", "the nonce API and the policy format the settings use"),
    "cryptography": ("44.0.1", "CVE-2024-12797: the OpenSSL in older wheels"),
    "celery": ("5.4.0", "acks_late with reject_on_worker_lost as the render queue relies on"),
    "psycopg": ("3.2.0", "the PostgreSQL driver the settings configure"),
    "gunicorn": ("23.0.0", "CVE-2024-1135 and CVE-2024-6827: request smuggling"),
    "pyyaml": ("6.0", "CVE-2020-14343: arbitrary code through full_load"),
    "pillow": ("10.3.0", "CVE-2024-28219: buffer overflow (WeasyPrint decodes images with it)"),
    "fonttools": ("4.43.0", "CVE-2023-45139: XXE in SVG fonts (WeasyPrint subsets fonts)"),
    "sqlparse": ("0.5.0", "CVE-2024-4340: denial of service on nested lists"),
}


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return {Requirement(line).name.lower(): Requirement(line) for line in project["dependencies"]}


def _lower_bound(requirement: Requirement) -> Version | None:
    bounds = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")]
    return max(bounds) if bounds else None


def test_every_runtime_dependency_has_a_lower_bound_the_installed_version_meets():
    for name, requirement in _requirements().items():
        assert _lower_bound(requirement) is not None, f"{name} has no lower bound in pyproject"
        installed = version(name)
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{name} {installed} is outside pyproject's {requirement.specifier}"
        )


@pytest.mark.parametrize("package", sorted(SAFE_FLOORS))
def test_security_relevant_packages_are_at_least_their_safe_floor(package):
    floor, why = SAFE_FLOORS[package]
    try:
        installed = Version(version(package))
    except PackageNotFoundError:
        pytest.fail(f"{package} is not installed, yet the portal relies on it")
    assert installed >= Version(floor), f"{package} {installed} < {floor}: {why}"
    requirement = _requirements().get(package)
    if requirement is not None:  # a direct dependency: pyproject itself must hold the floor
        bound = _lower_bound(requirement)
        assert bound >= Version(floor), f"pyproject lets {package} {bound} in: {why}"


def test_the_pdf_renderer_is_the_locked_down_release():
    """DESIGN and the research: WeasyPrint 70 or later, whose fetcher covers stylesheets."""
    assert Version(version("weasyprint")) >= Version("70")
