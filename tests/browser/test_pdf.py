"""`sms-handbook pdf`: a real PDF from headless Chromium, read back with pypdf."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import TODAY, controlled, copy_fixture
from tests.plugin.test_leaks import MARKERS, leaks_repository

pytestmark = [pytest.mark.browser]


def pdf(root: Path, audience: str, output: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sms_handbook.cli", "pdf", str(root)]
    command += ["--audience", audience, "--output", str(output), "--version-label", "2026.4"]
    return subprocess.run(
        command,
        env={**os.environ, "SMS_TODAY": TODAY},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_pdf_has_a_cover_contents_with_page_numbers_and_the_marking_on_every_page(
    tmp_path: Path,
) -> None:
    """With permalinks on (as `init` writes mkdocs.yml) and titles that print with "fi" and
    "ff" ligatures, every entry of the contents has the page its section starts on."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace("mkdocs.yml", "  - tables\n", "  - tables\n  - toc:\n      permalink: true\n")
    for number in (1, 2):
        body = "\n".join(f"Paragraph {i} of the procedure." for i in range(120))
        text = controlled(
            f"PRO-70{number}",
            f"Official staffing procedure {number}",
            "procedure",
            "approved",
            ["8.1"],
            approved_on="2026-03-02",
        )
        handbook.write(f"docs/procedure-{number}.md", text + "\n" + body + "\n")
    output = tmp_path / "internal.pdf"
    result = pdf(handbook.root, "internal", output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sms-pdf-" not in result.stdout + result.stderr  # no throw-away folder named
    assert f"wrote {output}" in result.stdout
    pages = [
        unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(output).pages
    ]
    assert len(pages) >= 5
    for number, text in enumerate(pages, 1):
        assert "Uncontrolled when printed \u2014 internal \u2014 2026.4" in text, number
        assert f"{number} / {len(pages)}" in text, number
    assert "Print edition" in pages[0] and "internal audience" in pages[0]
    contents = dict(re.findall(r"\d+\. (.+?) \.\.\. (\d+)", pages[1]))  # NFKC: …
    assert set(contents) == {
        "Service management policy",
        "Official staffing procedure 1",
        "Official staffing procedure 2",
    }
    for title, page_number in contents.items():
        assert int(page_number) > 2, (title, page_number)
        assert title in pages[int(page_number) - 1], (title, page_number)
    assert "Document PRO-701" in pages[int(contents["Official staffing procedure 1"]) - 1]
    assert int(contents["Official staffing procedure 2"]) > int(
        contents["Official staffing procedure 1"]
    )


def test_the_public_pdf_holds_nothing_above_the_public(tmp_path: Path) -> None:
    handbook = leaks_repository(tmp_path / "handbook")
    text = controlled(
        "PRO-801",
        "Public procedure",
        "procedure",
        "approved",
        ["8.1"],
        approved_on="2026-03-02",
        classification="public",
    )
    handbook.write(
        "docs/public-procedure.md",
        text + "\nSee [MARKLINKTEXTI](internal/internal-page.md).\n\n"
        '{{ register_table("risks", columns=["id", "title"]) }}\n',
    )
    output = tmp_path / "public.pdf"
    result = pdf(handbook.root, "public", output)
    assert result.returncode == 0, result.stdout + result.stderr
    text = "\n".join(page.extract_text() or "" for page in PdfReader(output).pages)
    assert "Public procedure" in text
    for marker, lowest in MARKERS.items():
        if lowest != "public":
            assert marker not in text, marker
    internal = tmp_path / "internal.pdf"
    assert pdf(handbook.root, "internal", internal).returncode == 0
    internal_text = "\n".join(page.extract_text() or "" for page in PdfReader(internal).pages)
    assert "MARKBODYI" in internal_text and "MARKBODYR" not in internal_text
