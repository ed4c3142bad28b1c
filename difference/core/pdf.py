"""HTML documents printed as PDF (WeasyPrint), the same way for every report."""

from __future__ import annotations

from typing import Any


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # Documents are self-contained; a URL in one (say, in a school's name) must never make the server fetch.
    raise ValueError(f"External resources are not loaded in reports: {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which pages that never print do not need

    pdf = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)
