"""The statements cover the public side: no cookies, nothing stored about visitors, searches
left only in the browser's history, and how to clear it (issue 8, DESIGN §5)."""

from __future__ import annotations

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers, url
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(body))


def test_the_cookies_page_says_the_public_pages_set_none(client):
    text = _text(client, "/cookies/")
    assert "The public pages for finding support set no cookies at all" in text
    assert "no local storage" in text
    assert "Your searches still stay in your browser's history" in text
    assert "We do not use analytics or advertising cookies" in text


def test_the_privacy_notice_says_nothing_is_kept_about_visitors(client):
    text = _text(client, "/privacy/")
    assert "we do not record what you search for or the postcode you enter" in text
    assert "it never includes your search or your postcode" in text
    assert "Your own browser keeps a history of the pages you visited" in text
    assert "explains how to clear it" in text


def test_the_staying_safe_page_says_how_to_clear_the_history(client):
    text = _text(client, "/staying-safe-online/")
    assert "This website does not use cookies" in text
    assert "stays in your browser's history until you remove it" in text
    for browser in ("Chrome and Edge", "Safari on iPhone or iPad", "Firefox", "Chrome on Android"):
        assert browser in text
    assert "private window" in text
    assert "This does not remove pages from your history" in text


def test_the_accessibility_statement_covers_the_public_pages(client):
    text = _text(client, "/accessibility/")
    assert "applies to the public pages for finding support" in text
