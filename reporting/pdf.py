"""WeasyPrint, locked down (research/security.md §c).

The fetcher serves only the portal's own vetted assets, from memory, by exact URL, and refuses
every other URL, scheme and redirect. It is passed to the HTML and to every stylesheet; HTML is
rendered from a string with no base URL; no attachments and no XMP metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ASSET_SCHEME = "asset"
_ASSETS_DIR = Path(__file__).resolve().parent / "assets"
_ASSET_TYPES = {".css": "text/css", ".svg": "image/svg+xml"}


class ReportRenderError(Exception):
    """The report could not be rendered; the message is safe to show the author."""


def _load_assets() -> dict[str, tuple[bytes, str]]:
    assets = {}
    for path in sorted(_ASSETS_DIR.iterdir()):
        if path.suffix in _ASSET_TYPES:
            assets[f"{ASSET_SCHEME}:{path.name}"] = (path.read_bytes(), _ASSET_TYPES[path.suffix])
    return assets


def locked_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    assets = _load_assets()

    class LockedURLFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=5, allowed_protocols=(ASSET_SCHEME,), allow_redirects=False)

        def fetch(self, url: str, headers=None):
            if url not in assets:
                # Refused without opening anything; WeasyPrint leaves the resource out.
                raise ValueError("Only the report's bundled assets may be used.")
            body, mime = assets[url]
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return LockedURLFetcher()


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(html: str, *, stylesheet: str) -> RenderedPdf:
    """Render report HTML to a tagged PDF/UA-1 document."""
    # Imported here: WeasyPrint must not be imported at module level in a forked worker.
    from weasyprint import CSS, HTML

    fetcher = locked_fetcher()
    try:
        document = HTML(string=html, url_fetcher=fetcher).render(
            stylesheets=[CSS(string=stylesheet, url_fetcher=fetcher)],
            presentational_hints=False,
        )
        content = document.write_pdf(pdf_variant="pdf/ua-1")
    except Exception as error:
        raise ReportRenderError(
            "The PDF could not be laid out. The previous PDF is still available."
        ) from error
    return RenderedPdf(content=content, pages=len(document.pages))
