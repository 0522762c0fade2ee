"""`sms-handbook pdf`: one audience's print edition as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import __version__
from ..pdf import PdfError, render_pdf
from .common import CommandError, add_root, load_valid, one_audience


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "pdf",
        help="the print edition of one audience as a PDF (headless Chromium)",
        description=(
            "Build and verify the audience's site, then print its print edition with headless "
            "Chromium: a cover, a table of contents with page numbers, every controlled "
            "document with its control block, and on every page 'Uncontrolled when printed' "
            "with the audience, the version and the page number. The PDF's text is verified "
            "like the site; a PDF that would hold hidden content is not written."
        ),
    )
    add_root(parser)
    parser.add_argument("--audience", help="audience (default: the plugin's `audience`)")
    parser.add_argument(
        "--output",
        type=Path,
        help="file to write (default: site/AUDIENCE/AUDIENCE.pdf, inside the audience's site)",
    )
    parser.add_argument("--version-label", default="", help="version shown on every page")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load_valid(args.root, "nothing was printed")
    audience = one_audience(loaded, args.audience)
    # Inside the audience's own folder: a server that protects the folder protects the PDF.
    output = args.output or args.root / "site" / audience / f"{audience}.pdf"
    version = args.version_label or f"sms-handbook {__version__}"
    try:
        result = render_pdf(loaded, audience, output.resolve(), version)
    except PdfError as error:
        raise CommandError(str(error)) from None
    print(f"wrote {result.path}: {result.pages} pages, {result.documents} documents")
    return 0
