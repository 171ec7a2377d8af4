"""The PDF as a document: A4, tagged PDF/UA-1 in en-GB with a title, every font embedded,
contents whose page numbers are the pages the sections start on, and charts drawn as vectors
from inline SVG."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from reporting import services
from reporting.models import Variant
from tests.reporting.test_rendering import pdf_pages, write_narrative

pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)
LONG_UPDATE = "\n".join(
    f"Paragraph {number} of the synthetic brief update, long enough to fill the page."
    for number in range(1, 160)
)


@pytest.fixture
def rendered(draft, author, dial, private_storage):
    write_narrative(draft, author, brief_update=LONG_UPDATE)
    return services.report_render_now(acting_user=author, report=draft, variant=Variant.BOARD)


def _font_descriptor(font):
    if "/DescendantFonts" in font:
        return font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return font["/FontDescriptor"].get_object()


def test_the_pdf_is_a4_tagged_in_british_english_with_a_title_and_embedded_fonts(rendered, draft):
    reader = PdfReader(services.run_file_path(rendered))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == draft.title
    fonts = {}
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=0.5)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = _font_descriptor(font)
    assert fonts
    for name, descriptor in fonts.items():
        assert "Liberation" in name, name
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name


def test_the_contents_give_the_page_each_section_starts_on(rendered):
    pages = pdf_pages(rendered)
    contents = next(text for text in pages if "Contents" in text)
    headings = [
        "1. Brief update",
        "2. Key challenges",
        "3. Support required from the board",
        "4. Appendices",
    ]
    listed = {}
    for heading in headings:
        match = re.search(re.escape(heading) + r"[\s.]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, heading
        listed[heading] = int(match.group(1))
    for heading, number in listed.items():
        # The heading alone on its line, not the contents entry with its page number.
        starts = next(
            i + 1
            for i, text in enumerate(pages)
            if re.search(r"^" + re.escape(heading) + r"\s*$", text, re.MULTILINE)
        )
        assert number == starts, heading
    assert listed["2. Key challenges"] > listed["1. Brief update"]  # the long update moved it


def test_charts_are_inline_svg_drawn_as_vectors(rendered, draft):
    html = services.report_html(draft, Variant.BOARD)
    assert '<svg role="img" aria-label="Trend over four quarters: Cases discussed (test)"' in html
    reader = PdfReader(services.run_file_path(rendered))
    for page in reader.pages:
        for xobject in (page["/Resources"].get("/XObject") or {}).values():
            assert xobject.get_object().get("/Subtype") != "/Image"


def test_the_cover_block_has_subject_date_author_contact_and_marking(rendered, draft):
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    cover = " ".join(pdf_pages(rendered)[0].split())
    for label in ("Date", "Author", "Contact", "Security marking"):
        assert label in cover, label
    assert draft.title in cover
    assert f"{date_format(timezone.localdate(), 'j F Y')} (draft)" in cover
    assert "Commissioner, Test Police BCU" in cover
    assert "vawg-team@example.org" in cover
    assert "OFFICIAL-SENSITIVE – not for publication" in cover
