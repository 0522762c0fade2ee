"""`validate` names what in the file tree would plant content in a build: files tracked under
`.cache/`, links out of their tree, hard links in docs/, built sites and tool outputs in docs/."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import Handbook, commit_all, git, run_cli
from tests.core.test_messages import MESSAGES


def reported(handbook: Handbook, code: str) -> list[str]:
    result = handbook.validate()
    assert "Traceback" not in result.output
    found = [line for line in result.out.splitlines() if f": {code}: " in line]
    if found:
        assert result.code == 1, result.output
    return found


def test_a_file_force_added_under_the_cache_is_reported(handbook: Handbook) -> None:
    commit_all(handbook.root, "A handbook")
    planted = handbook.write(".cache/sms-handbook/stage/public/docs/extra.md", "planted\n")
    handbook.write(".gitignore", ".cache/\n")
    git(handbook.root, "add", "-f", str(planted))
    assert reported(handbook, "SMS702") == [MESSAGES["SMS702"]]


def test_an_untracked_cache_is_not_reported(handbook: Handbook) -> None:
    commit_all(handbook.root, "A handbook")
    handbook.write(".cache/sms-handbook/stage/public/docs/extra.md", "a stage\n")
    assert reported(handbook, "SMS702") == []


def test_links_out_of_docs_registers_and_the_theme_are_reported(
    handbook: Handbook, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("secret\n", encoding="utf-8")
    handbook.write("docs/inside.md", "# Inside\n")
    os.symlink("inside.md", handbook.root / "docs" / "same-tree.md")  # stays inside: fine
    os.symlink(outside, handbook.root / "docs" / "absolute.md")
    os.symlink("../../outside.md", handbook.root / "docs" / "relative.md")
    os.symlink("missing.md", handbook.root / "docs" / "dangling.md")
    os.symlink("../docs", handbook.root / "registers" / "pages")
    handbook.write("overrides/main.html", "{% extends 'base.html' %}\n")
    os.symlink("../registers/risks.yaml", handbook.root / "overrides" / "risks.html")
    handbook.replace(
        "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n"
    )
    lines = reported(handbook, "SMS703")
    assert [line.split(":")[0] for line in lines] == [
        "docs/absolute.md",
        "docs/dangling.md",
        "docs/relative.md",
        "overrides/risks.html",
        "registers/pages",
    ]
    assert f"is a symbolic link to the absolute path {outside}" in lines[0]
    assert "docs/dangling.md is a symbolic link to missing.md, which does not exist" in lines[1]
    assert lines[2] == MESSAGES["SMS703"]
    assert "outside overrides/" in lines[3]


def test_a_hard_link_in_docs_is_reported(handbook: Handbook, tmp_path: Path) -> None:
    restricted = tmp_path / "restricted.pdf"
    restricted.write_bytes(b"restricted bytes\n")
    os.link(restricted, handbook.root / "docs" / "brochure.pdf")
    assert reported(handbook, "SMS704") == [MESSAGES["SMS704"]]


def test_a_built_site_in_docs_is_reported(handbook: Handbook) -> None:
    handbook.write("docs/built/restricted/sms-manifest.json", '{"audience": "restricted"}\n')
    handbook.write("docs/built/restricted/index.html", "<p>restricted</p>\n")
    lines = reported(handbook, "SMS705")
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "docs/built/restricted/sms-manifest.json:1:1: SMS705: docs/built/restricted/ holds a "
        "site sms-handbook built (sms-manifest.json)"
    )


def test_an_export_written_into_docs_is_reported(handbook: Handbook) -> None:
    target = handbook.root / "docs" / "files" / "model.json"
    target.parent.mkdir()
    exported = run_cli("export", handbook.root, "--audience", "restricted", "-o", target)
    assert exported.code == 0, exported.output
    lines = reported(handbook, "SMS705")
    assert [line.split(": SMS705: ")[0] for line in lines] == ["docs/files/model.json:1:1"]
    assert "write outputs outside docs/ and delete it" in lines[0]


def test_a_page_that_names_the_marker_is_not_an_output(handbook: Handbook) -> None:
    handbook.write("docs/about.md", "# About\n\nOutputs carry `sms-handbook-output`.\n")
    handbook.write("docs/data.json", json.dumps({"name": "sms-handbook-output"}))
    assert reported(handbook, "SMS705") == []


def test_a_theme_folder_outside_the_root_is_checked_too(handbook: Handbook, tmp_path: Path) -> None:
    theme = tmp_path / "shared-theme"
    theme.mkdir()
    os.symlink("/etc/hostname", theme / "partial.html")
    handbook.replace(
        "mkdocs.yml", "  name: material\n", f"  name: material\n  custom_dir: {theme}\n"
    )
    assert [line.split(":")[0] for line in reported(handbook, "SMS703")] == [
        "../shared-theme/partial.html"
    ]
