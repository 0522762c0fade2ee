"""A PDF of one audience's print edition, rendered by headless Chromium.

The audience's site is built and verified first (the same pipeline as `build`); Chromium
prints its print edition page with a cover, a table of contents whose page numbers come from
a first rendering (the pages its links' anchors land on, never its titles' text), and on
every page the marking "Uncontrolled when printed - <audience> - <version>" and the page
number. The PDF's text is verified like the site: nothing hidden from the audience may be in
it, or no PDF is written.
"""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from .context import HandbookContext
from .core.tool_output import PDF_KEY, stamp
from .publish import BuildRequest, publish
from .safe_write import UnsafeWriteError, replace_file
from .verify import Secret, secrets_for, secrets_in_text

if TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class PdfError(Exception):
    """The PDF cannot be made; the message says why and what to do."""


@dataclass
class PdfResult:
    path: Path
    pages: int
    documents: int


def chromium() -> str:
    found = os.environ.get("SMS_CHROMIUM") or next(
        (shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)), None
    )
    if not found:
        raise PdfError("Chromium is not installed; install it (Debian: apt-get install chromium)")
    return found


def _serve(site: Path) -> ThreadingHTTPServer:
    """A quiet server of `site` on a free port of 127.0.0.1, answering from a thread. Its
    module is imported here: every other command of the CLI, `build` among them, starts
    without it (about 25 ms)."""
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _marking_css(audience: str, version: str) -> str:
    text = f"Uncontrolled when printed \u2014 {audience} \u2014 {version}".replace('"', "'")
    return (
        f'@page {{ margin: 18mm 14mm; @top-center {{ content: "{text}"; font-size: 8pt; '
        'color: #b71c1c; } @bottom-right { content: counter(page) " / " counter(pages); '
        "font-size: 8pt; } @bottom-center { content: none; } }"
    )


def _page_texts(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def stamped_pdf(data: bytes, audience: str) -> bytes:
    """The PDF with the tool's marker in its metadata (see core/tool_output.py)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({PDF_KEY: json.dumps(stamp("pdf", audience), sort_keys=True)})
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def anchor_pages(data: bytes) -> dict[str, int]:
    """The page (from 1) each linked anchor of the rendering lands on: Chromium writes a
    named destination for every element a link of the document points to."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number is not None and number >= 0:
            pages[str(name).removeprefix("/")] = number + 1
    return pages


def render_pdf(
    context: HandbookContext,
    audience: str,
    output: Path,
    version: str,
    report: Callable[[str], None] = print,
) -> PdfResult:
    """Build and verify the audience's site, print its print edition to `output`."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfError("PDF output needs Playwright: pip install 'sms-handbook[pdf]'") from None
    executable = chromium()
    view, hidden = context.view(audience)
    with tempfile.TemporaryDirectory(prefix="sms-pdf-") as folder:
        os.chmod(folder, 0o700)
        site_root = Path(folder)
        request = BuildRequest(context, [audience], allow=list(context.options.verify_allow))

        def progress(line: str) -> None:
            if folder not in line:  # the site is a throw-away: where it went is nobody's concern
                report(line)

        outcomes = publish(request, site_root, progress)
        if not outcomes or not outcomes[0].ok:
            raise PdfError(f"the {audience} site did not build and verify; nothing was printed")
        site = site_root / audience
        printed = site / context.options.pages_dir / "print" / "index.html"
        if not printed.is_file():
            raise PdfError(
                "the site has no print edition: no controlled document is visible to this "
                "audience, or the `pages` option leaves the print edition out"
            )
        server = _serve(site)
        url = f"http://127.0.0.1:{server.server_address[1]}/{context.options.pages_dir}/print/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
                try:
                    data, documents = _print(browser, url, audience, version)
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    texts = _page_texts(data)
    leaks = _leaks(texts, secrets_for(view, hidden, context.options.verify_allow))
    if leaks:
        raise PdfError(
            "the PDF holds what this audience may not see: "
            + "; ".join(f"'{s.text}', the {s.what}" for s in leaks[:5])
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    try:  # the audience's folder (or the one --output names) holds it; a link there is refused
        replace_file(output.parent, output, stamped_pdf(data, audience), mode=0o644)
    except UnsafeWriteError as error:
        raise PdfError(str(error)) from None
    return PdfResult(output, len(texts), documents)


def _print(browser: Any, url: str, audience: str, version: str) -> tuple[bytes, int]:
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.add_style_tag(content=_marking_css(audience, version))
    # A heading's text without its permalink (the `toc` extension's ¶)
    titles = page.evaluate(
        """() => [...document.querySelectorAll('section.sms-print-document')].map(s => {
            const h = s.querySelector('h1'); if (!h) return [s.id, s.id];
            const copy = h.cloneNode(true);
            copy.querySelectorAll('.headerlink').forEach(a => a.remove());
            return [s.id, copy.textContent.trim()]; })"""
    )
    toc = [
        f'<li><a href="#{escape(section_id)}">{escape(title)}</a>'
        f'<span class="sms-toc-page" data-for="{escape(section_id)}">…</span></li>'
        for section_id, title in titles
    ]
    page.evaluate(
        """(html) => { const toc = document.createElement('nav');
            toc.className = 'sms-print-toc';
            toc.innerHTML = '<h2>Contents</h2><ol>' + html + '</ol>';
            toc.style.breakAfter = 'page';
            const cover = document.querySelector('.sms-print-cover');
            cover.style.breakAfter = 'page'; cover.after(toc); }""",
        "".join(toc),
    )
    for _ in range(2):  # the second pass finds where the sections land once the numbers are in
        # The contents link every section: where each link's anchor lands is its page.
        landed = anchor_pages(page.pdf(format="A4", print_background=True))
        numbers = {section_id: landed.get(section_id, 0) for section_id, _title in titles}
        page.evaluate(
            """(numbers) => { for (const [id, n] of Object.entries(numbers)) {
                const span = document.querySelector(`.sms-toc-page[data-for="${id}"]`);
                if (span) span.textContent = ' \u2026 ' + n; } }""",
            numbers,
        )
    data = page.pdf(format="A4", print_background=True)
    page.close()
    return data, len(titles)


def _leaks(texts: list[str], secrets: list[Secret]) -> list[Secret]:
    return secrets_in_text("\n".join(texts), secrets)
