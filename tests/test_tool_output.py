"""Every file the tool writes carries its marker, and snippets never read a marked file (nor,
outside docs/, anything but the base paths mkdocs.yml sets)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sms_handbook.core.tool_output import MARKER, is_tool_output
from sms_handbook.stage.snippets import SnippetAccess

from tests.conftest import Handbook, commit_all, run_cli


def written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


OUTPUTS = {
    "export.json": ("export", "{root}", "--audience", "internal"),
    "review.md": ("pack", "management-review", "{root}"),
    "review.json": ("pack", "management-review", "{root}", "--format", "json"),
    "audit.md": ("pack", "audit", "{root}", "--clauses", "9.2.2"),
    "audit.csv": ("pack", "audit", "{root}", "--clauses", "9.2.2", "--format", "csv"),
    "diff.md": ("diff", "HEAD", "{root}"),
    "diff.json": ("diff", "HEAD", "{root}", "--format", "json"),
}


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_carries_the_marker(handbook: Handbook, tmp_path: Path, name: str) -> None:
    commit_all(handbook.root, "A handbook")
    args = [str(handbook.root) if a == "{root}" else a for a in OUTPUTS[name]]
    result = run_cli(*args)
    assert result.code == 0, result.output
    assert is_tool_output(written(tmp_path, name, result.out)), result.out[:200]
    if name.endswith(".json"):
        assert next(iter(json.loads(result.out))) == MARKER


def test_an_export_written_with_output_carries_the_marker(
    handbook: Handbook, tmp_path: Path
) -> None:
    target = tmp_path / "restricted.json"
    assert run_cli("export", handbook.root, "--audience", "restricted", "-o", target).code == 0
    assert is_tool_output(target)
    assert json.loads(target.read_text())[MARKER]["audience"] == "restricted"


def test_a_pdf_carries_the_marker_in_its_metadata(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from sms_handbook.pdf import stamped_pdf

    writer = PdfWriter()
    for _ in range(200):
        writer.add_blank_page(595, 842)
    stream = io.BytesIO()
    writer.write(stream)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(stream.getvalue())
    assert not is_tool_output(plain)
    marked = tmp_path / "restricted.pdf"
    marked.write_bytes(stamped_pdf(plain.read_bytes(), "restricted"))
    assert is_tool_output(marked)
    assert len(PdfReader(marked).pages) == 200


def access(root: Path, base_paths: list[Path]) -> SnippetAccess:
    docs = root / "docs"
    return SnippetAccess(
        root,
        docs,
        [],
        lambda name: None,
        lambda name: False,
        lambda name: True,  # every attachment visible
        base_paths=base_paths,
    )


def test_snippets_read_no_output_and_outside_docs_only_the_configured_base_paths(
    tmp_path: Path,
) -> None:
    shared = written(tmp_path, "shared.md", "shared text\n")
    (tmp_path / "docs").mkdir()
    attachment = written(tmp_path / "docs", "table.csv", "a,b\n")
    marked = written(tmp_path / "docs", "audit.csv", f"# {MARKER} {{}}\na,b\n")
    export = written(tmp_path, "restricted.json", json.dumps({MARKER: {}, "records": []}))

    configured = access(tmp_path, [tmp_path])
    assert configured.text(str(shared)) == "shared text\n"
    assert configured.text(str(attachment)) == "a,b\n"
    assert configured.text(str(export)) is None
    assert configured.text(str(marked)) is None
    assert configured.left_out == ["restricted.json", "audit.csv"]

    unconfigured = access(tmp_path, [])
    assert unconfigured.text(str(shared)) is None
    assert unconfigured.text(str(attachment)) == "a,b\n"
