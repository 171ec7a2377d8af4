"""No trace: public pages and the ORUK API set no cookie, send no referrer, are not stored,
and nothing the public typed reaches a log line. Refuge addresses never leave the system."""

from __future__ import annotations

import logging
import uuid

import pytest

from tests.directory.conftest import SECRET_ADDRESS, SECRET_LATITUDE, SECRET_POSTCODE

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/find-support/",
    "/find-support/?q=refuge&postcode=RM1+3BB&borough=havering&open_now=1",
    "/find-support/?postcode=nonsense",
    "/staying-safe-online/",
    "/staying-safe-online/exit-this-page/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    f"/find-support/services/{uuid.uuid4()}/",
]
API_URLS = [
    "/api/oruk/",
    "/api/oruk/services",
    "/api/oruk/services/?search=refuge",
    "/api/oruk/services?page=0",
    "/api/oruk/service_at_locations?postcode=RM1+3BB&proximity=5000",
    "/api/oruk/taxonomies",
    "/api/oruk/taxonomy_terms",
    f"/api/oruk/services/{uuid.uuid4()}",
]


def _all_public_urls(golden) -> list[str]:
    return [
        *PUBLIC_PAGES,
        *API_URLS,
        *(s.get_absolute_url() for s in golden.values()),
        *(f"/api/oruk/services/{s.pk}" for s in golden.values()),
    ]


def test_no_public_page_or_api_response_sets_a_cookie(client, golden):
    for url in _all_public_urls(golden):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    assert not client.cookies


def test_public_pages_send_privacy_headers(client, golden):
    for url in _all_public_urls(golden):
        response = client.get(url)
        assert response.headers["Referrer-Policy"] == "no-referrer", url
        assert "no-store" in response.headers["Cache-Control"], url


def test_public_pages_load_nothing_from_another_origin(client, golden):
    for url in [*PUBLIC_PAGES, golden["idva"].get_absolute_url()]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        content = response.content.decode()
        for attribute in ('src="http', "src='http", 'href="//', "url(http"):
            assert attribute not in content, url
        assert '<link rel="stylesheet" href="/static/' in content


def test_public_pages_carry_exit_this_page_and_the_emergency_strip(client, golden):
    for url in [*PUBLIC_PAGES, golden["idva"].get_absolute_url()]:
        content = client.get(url).content.decode()
        assert 'data-module="govuk-exit-this-page"' in content, url
        assert "govuk-js-exit-this-page-skiplink" in content, url
        assert 'href="/exit/"' in content
        assert "press 55" in content, url


def test_exit_leaves_for_the_safe_site_and_clears_site_data(
    client, settings, sign_in, commissioner
):
    settings.DIRECTORY_EXIT_URL = "https://safe.example/weather"
    sign_in(client, commissioner)
    response = client.get("/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://safe.example/weather"
    assert response["Clear-Site-Data"] == '"cookies", "storage"'
    # The staff session (if any) is gone on the server too.
    assert client.get("/staff/").status_code == 302


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records():
    """Every log record, at every level, while the test runs."""
    handler = _Collect()
    loggers = [logging.getLogger(), logging.getLogger("django.request")]
    loggers += [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.records
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_nothing_the_public_typed_reaches_a_log(client, golden, log_records):
    secret_words = ["Zanzibarquery", "E8 7QQ"]
    client.get("/find-support/", {"q": secret_words[0], "postcode": secret_words[1]})
    client.get("/find-support/", {"q": secret_words[0], "borough": "nowhere"})
    client.get("/api/oruk/services", {"search": secret_words[0]})
    client.get("/api/oruk/service_at_locations", {"postcode": secret_words[1]})
    client.get("/api/oruk/service_at_locations", {"postcode": "ZZ99 " + secret_words[0][:4]})
    assert log_records, "the collector sees the request logs"
    for record in log_records:
        line = record.getMessage() + str(record.args)
        for word in secret_words:
            assert word.lower() not in line.lower()


def test_gunicorn_access_log_has_no_query_strings():
    from pathlib import Path

    config = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    namespace: dict = {}
    # The project's own config file, read as gunicorn reads it.
    exec(compile(config.read_text(), str(config), "exec"), namespace)  # noqa: S102  # nosec B102
    assert "%(U)s" in namespace["access_log_format"]
    assert "%(r)s" not in namespace["access_log_format"]
    assert "%(q)s" not in namespace["access_log_format"]


# -- confidential locations ---------------------------------------------------------------------

SECRETS = [SECRET_ADDRESS, SECRET_POSTCODE, SECRET_POSTCODE.replace(" ", ""), str(SECRET_LATITUDE)]


def _assert_no_secret(response, url: str) -> None:
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, (url, secret)


RADII = [1, 100, 500, 1000, 5000, 20000, 100000, 1000000]


def test_a_refuge_address_appears_in_no_page_or_api_response(client, golden):
    """The planted address, postcode and coordinates appear nowhere public, at any radius."""
    refuge = golden["refuge"]
    urls = [
        *_all_public_urls(golden),
        f"/find-support/?q={SECRET_ADDRESS.split()[1]}",
        "/find-support/?postcode=RM1",
        "/find-support/?q=refuge&postcode=RM1",
        "/api/oruk/service_at_locations",
        f"/api/oruk/services/{refuge.pk}",
        f"/api/oruk/services?search={SECRET_ADDRESS.split()[1]}",
        f"/find-support/services/{refuge.pk}/?postcode=RM1",
    ]
    for postcode in ("RM1 4QZ", "RM1", "E8", "W2"):
        for radius in RADII:
            urls.append(f"/api/oruk/service_at_locations?postcode={postcode}&proximity={radius}")
    seen_links = set()
    for url in urls:
        response = client.get(url)
        _assert_no_secret(response, url)
        if url.startswith("/api/oruk/service_at_locations") and response.status_code == 200:
            for item in response.json()["contents"]:
                seen_links.add(item["id"])
                assert item["service_id"] != str(refuge.pk)
    for link_id in seen_links:
        _assert_no_secret(client.get(f"/api/oruk/service_at_locations/{link_id}"), link_id)
    confidential_link = refuge.service_at_locations.get()
    response = client.get(f"/api/oruk/service_at_locations/{confidential_link.pk}")
    assert response.status_code == 404
    _assert_no_secret(response, "confidential link")


def test_a_refuge_takes_no_part_in_distance_ordering(client, golden):
    """Searching from the refuge's own postcode does not put it first or give its distance."""
    response = client.get("/find-support/", {"postcode": SECRET_POSTCODE})
    services = response.context["services"]
    refuge = next(s for s in services if s.id == golden["refuge"].pk)
    assert refuge.distance_miles is None
    assert services[0].id == golden["havering-outreach"].pk
    assert (
        "The address is kept secret"
        in client.get(golden["refuge"].get_absolute_url()).content.decode()
    )
