"""`sms-handbook import comply`: a Comply project (a fixture written here in Comply's format)
becomes draft documents that validate, build and render as the author meant."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import FIXTURES, run_cli

COMPLY = FIXTURES / "comply"


def _digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, Path, object]:
    theme = tmp_path / "comply"
    shutil.copytree(COMPLY, theme)
    root = tmp_path / "handbook"
    assert run_cli("init", root, "--name", "Birchway IT").code == 0
    before = _digest(theme)
    result = run_cli("import", "comply", theme, root, "--organization", "Birchway IT")
    assert _digest(theme) == before  # the source is never changed
    return theme, root, result


def test_every_document_is_imported_as_a_draft_and_problems_are_named(imported) -> None:
    _theme, root, result = imported
    assert result.code == 1  # one file could not be imported
    assert "imported 4 of 5 Comply documents as drafts" in result.out
    assert "Traceback" not in result.output
    # what could not be converted, per file and line
    assert "comply/narratives/broken.md:1:1: SMS901: no `---` after the metadata" in result.err
    assert "comply/policies/classification.md:31:1: SMS902: LaTeX command" in result.err
    assert "comply/narratives/system.md:17:1: SMS902: template syntax '{{.Components}}'" in (
        result.err
    )
    assert "comply/procedures/onboard.md:1:1: SMS902: Comply scheduled this procedure" in (
        result.err
    )
    policy = (root / "docs" / "policies" / "access.md").read_text(encoding="utf-8")
    assert policy.startswith("---\nid: POL-")
    assert "status: draft" in policy and 'version: "0.1"' in policy
    assert "title: Account Access Policy" in policy
    assert "There it satisfied TSC CC6.1, CC6.2." in policy
    assert "- Jan 9 2022: Reviewers added" in policy
    assert not (root / "docs" / "policies" / "README.md").exists()
    narrative = (root / "docs" / "system" / "system.md").read_text(encoding="utf-8")
    assert "type: other" in narrative and narrative.count("# System Narrative") == 1
    assert "Birchway IT runs its services" in narrative
    assert run_cli("validate", root).code == 0


def test_imported_documents_render_as_meant(imported, tmp_path: Path) -> None:
    _theme, root, _result = imported
    site = tmp_path / "site"
    built = run_cli("build", root, "--audience", "internal", "--site-dir", site)
    assert built.code == 0, built.output

    def page(name: str) -> BeautifulSoup:
        html = (site / "internal" / name / "index.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser").select_one("article")

    access = page("policies/access")
    # `a.` items are an ordered list, `i.` items a list nested in them
    nested = access.select("ol > li > ol > li")
    assert [li.get_text(strip=True) for li in nested][:2] == [
        "Their manager asks for the accounts the role needs.",
        "The service desk creates them within one working day.",
    ]
    assert [h.get_text().rstrip("¶") for h in access.find_all("h2")] == [
        "Purpose and Scope",
        "Policy",
        "Contacts",
    ]
    text = access.get_text(" ")
    assert "<security contact>" in text and "<Head of IT>" in text  # placeholders stay text
    assert access.find("a", href="https://example.org/form") is not None  # real HTML stays
    assert "pagebreak" not in text
    labels = page("policies/classification")
    tables = [t for t in labels.find_all("table") if "sms-facts" not in (t.get("class") or [])]
    assert len(tables) == 2
    rows = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in tables[0]("tr")
    ]
    assert rows == [
        ["Label", "Who may read it", "Examples"],
        ["Public", "Anyone", "Brochures, the service catalogue"],
        ["Internal", "Staff and named contractors", "Procedures, minutes"],
    ]
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in tables[1]("tr")]
    assert rows == [["Record", "Kept for"], ["Contracts", "seven years"], ["Tickets", "two years"]]


def test_import_never_overwrites(imported) -> None:
    theme, root, _result = imported
    policy = root / "docs" / "policies" / "access.md"
    policy.write_text(policy.read_text(encoding="utf-8") + "\nMy own edit.\n", encoding="utf-8")
    again = run_cli("import", "comply", theme, root)
    assert again.code == 1
    assert "exists; not overwritten" in again.err
    assert policy.read_text(encoding="utf-8").endswith("My own edit.\n")


def test_a_folder_without_comply_documents_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "handbook"
    assert run_cli("init", root).code == 0
    result = run_cli("import", "comply", tmp_path / "nothing", root)
    assert result.code == 2 and "is not a folder" in result.err
    (tmp_path / "empty").mkdir()
    result = run_cli("import", "comply", tmp_path / "empty", root)
    assert result.code == 2 and "holds no Comply documents" in result.err


def test_hostile_comply_metadata_is_refused_by_the_core_loader(tmp_path: Path) -> None:
    """Comply metadata is read by the handbook's one YAML loader, with its limits."""
    theme = tmp_path / "comply"
    (theme / "policies").mkdir(parents=True)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    )
    (theme / "policies" / "bomb.md").write_text(bomb + "---\n# Body\n", encoding="utf-8")
    root = tmp_path / "handbook"
    assert run_cli("init", root).code == 0
    result = run_cli("import", "comply", theme, root)
    assert result.code == 1
    assert (
        "comply/policies/bomb.md:5:1: SMS901: metadata: aliases expand to more than 100,000 values"
        in (result.err)
    )
    assert not (root / "docs" / "policies" / "bomb.md").exists()
