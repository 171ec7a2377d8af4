"""WeasyPrint locked down: hostile markup reaching the renderer fetches, attaches and embeds
nothing. The same markup through WeasyPrint's default fetcher does all three, which shows the
markup is hostile enough for the test to mean something."""

from __future__ import annotations

import io
import socket

import pytest
from pypdf import PdfReader

from reporting.pdf import render_pdf


@pytest.fixture
def connections(monkeypatch):
    """Every outgoing connection attempted, each refused."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network use is refused in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def _hostile_html(tmp_path) -> str:
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-FILE-CONTENT")
    image = tmp_path / "canary.svg"
    image.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50">'
        '<text x="0" y="20">SVGCANARY</text></svg>'
    )
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Hostile</title>
<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">
<link rel="attachment" href="file://{secret}">
<style>@import url("http://169.254.169.254/latest/meta-data/");
body {{ background: url("http://10.0.0.1/background.png") }}</style></head>
<body><p>VISIBLE-TEXT</p>
<a rel="attachment" href="file://{secret}">attached</a>
<img src="file://{image}" alt="a"> <img src="http://127.0.0.1:8000/x.png" alt="b">
<img src="http://169.254.169.254/x.png" alt="c">
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">
<image href="file://{image}" width="200" height="50"/>
<image href="http://10.0.0.1/a.png" width="10" height="10"/></svg>
<object data="file://{image}"></object><embed src="file://{image}">
</body></html>"""


def _contents(pdf: bytes) -> dict:
    reader = PdfReader(io.BytesIO(pdf))
    return {
        "attachments": list(reader.attachments),
        "annotations": [
            annotation.get_object().get("/Subtype")
            for page in reader.pages
            for annotation in page.get("/Annots") or []
        ],
        "text": "\n".join(page.extract_text() for page in reader.pages),
    }


def test_hostile_markup_fetches_attaches_and_embeds_nothing(tmp_path, connections):
    html = _hostile_html(tmp_path)
    pdf = render_pdf(html, stylesheet='@import url("http://127.0.0.1/x.css"); p { color: #000 }')
    found = _contents(pdf.content)
    assert connections == []
    assert found["attachments"] == []
    assert "/FileAttachment" not in found["annotations"]
    assert "VISIBLE-TEXT" in found["text"]
    assert "SVGCANARY" not in found["text"]  # the local SVG file was not embedded
    assert "CANARY-FILE-CONTENT" not in found["text"]


def test_the_same_markup_through_the_default_fetcher_would_leak(tmp_path, connections):
    """The control: without the lock-down the file is attached, the local image is embedded
    and every address is tried."""
    from weasyprint import HTML

    found = _contents(HTML(string=_hostile_html(tmp_path)).write_pdf())
    assert found["attachments"] == ["secret.txt"]
    assert "/FileAttachment" in found["annotations"]
    assert "SVGCANARY" in found["text"]
    hosts = {host for host, _port in connections}
    assert {"127.0.0.1", "169.254.169.254", "10.0.0.1"} <= hosts
