"""Direct engine runs on the repository fail closed, and what can reach one is named first:
configuration files of every engine without the guard (SMS706), a theme's `custom_dir` in
docs/ (SMS707) or reaching out through a link, and the attachments a direct Zensical run
copies before the guard stops it (SMS708)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.core.diagnostics import CODES, Severity

from tests.conftest import Handbook, run_cli
from tests.plugin.test_leaks import leaks_repository

TOML_WITHOUT_GUARD = '[project]\nsite_name = "Direct"\n'
TOML_WITH_GUARD = (
    '[project]\nsite_name = "Direct"\n[project.markdown_extensions."sms_handbook.guard"]\n'
)


def site_bytes(site: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in site.rglob("*") if p.is_file())


def direct(root: Path, engine: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", engine, "build", *arguments],
        cwd=root,
        env={k: v for k, v in os.environ.items() if k not in ("SMS_GUARD_PROOF", "SMS_AUDIENCE")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def handbook(tmp_path: Path) -> Handbook:
    return leaks_repository(tmp_path / "handbook")


@pytest.mark.slow
def test_a_two_line_zensical_toml_is_a_route_and_validate_names_it(handbook: Handbook) -> None:
    handbook.write("zensical.toml", TOML_WITHOUT_GUARD)
    built = direct(handbook.root, "zensical")  # what the attacker's file does on its own
    assert built.returncode == 0
    assert b"MARKBODYR" in site_bytes(handbook.root / "site")  # every page, published
    result = handbook.validate()
    assert result.code == 1
    assert "zensical.toml:1:1: SMS706: zensical.toml: sms_handbook.guard is not in" in result.out
    refused = run_cli("build", handbook.root, "--site-dir", handbook.root / "out")
    assert refused.code != 0
    assert not (handbook.root / "out").exists()


def test_a_configuration_with_the_guard_is_accepted(handbook: Handbook) -> None:
    handbook.write("zensical.toml", TOML_WITH_GUARD)
    assert "SMS706" not in handbook.validate().out


@pytest.mark.parametrize("name", ["properdocs.yml", "mkdocs.yaml"])
def test_every_file_an_engine_finds_by_itself_is_checked(handbook: Handbook, name: str) -> None:
    handbook.write(name, "site_name: Direct\nplugins: [search]\n")
    result = handbook.validate()
    assert f"{name}:1:1: SMS706" in result.out


def test_an_inherit_parent_without_the_guard_is_named(handbook: Handbook) -> None:
    config = handbook.read("mkdocs.yml")
    handbook.write("base.yml", "theme:\n  name: material\nmarkdown_extensions: [attr_list]\n")
    handbook.write("mkdocs.yml", "INHERIT: base.yml\n" + config)
    result = handbook.validate()
    assert "base.yml:1:1: SMS706" in result.out
    assert "mkdocs.yml:1:1: SMS706" not in result.out  # the child lists the guard


def test_the_hook_refuses_an_engine_configuration_without_the_guard(
    handbook: Handbook, capsys: pytest.CaptureFixture[str]
) -> None:
    from sms_handbook.hooks.validate_handbook import main

    handbook.write("zensical.toml", TOML_WITHOUT_GUARD)
    previous = Path.cwd()
    os.chdir(handbook.root)
    try:
        assert main([]) == 1
    finally:
        os.chdir(previous)
    assert "zensical.toml:1:1: SMS706" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_a_refused_direct_run_of_mkdocs_or_properdocs_leaves_nothing_restricted(
    handbook: Handbook, engine: str
) -> None:
    """MkDocs and ProperDocs convert pages before they copy files: the guard stops them first."""
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      enabled: false\n"
    )
    finished = direct(handbook.root, engine, "-f", "mkdocs.yml")
    assert finished.returncode != 0
    assert "not staged for an audience" in finished.stdout + finished.stderr
    leftovers = site_bytes(handbook.root / "site") if (handbook.root / "site").exists() else b""
    for marker in (b"MARKATTACHI", b"MARKBODYI", b"MARKBODYR", b"MARKTITLER"):
        assert marker not in leftovers


@pytest.mark.slow
def test_a_refused_direct_zensical_run_copies_attachments_and_validate_says_so(
    handbook: Handbook,
) -> None:
    finished = direct(handbook.root, "zensical")
    assert finished.returncode != 0  # the guard stops it...
    assert b"MARKATTACHI" in site_bytes(handbook.root / "site")  # ...after the copy: residual
    result = handbook.validate()
    assert "docs/files/internal-report.txt:1:1: SMS708" in result.out
    assert CODES["SMS708"].severity is Severity.NOTE  # advice: nothing in the handbook is wrong


OVERRIDE = (
    '{% extends "base.html" %}\n'
    '{% block content %}{% include "lnk/plain.md" %}{{ super() }}{% endblock %}\n'
)


@pytest.mark.slow
def test_a_link_in_the_theme_overrides_never_reaches_a_page(handbook: Handbook) -> None:
    """The override includes a restricted page through a link in custom_dir; validate names
    the link (SMS703) and the stage's copy of the overrides leaves it out, so even the
    plugin's `mkdocs build`, which goes on after validation errors, publishes nothing of it."""
    handbook.write("overrides/main.html", OVERRIDE.replace("lnk/plain.md", "partials/none.html"))
    handbook.write("overrides/partials/none.html", "")
    handbook.write("docs/restricted/plain.md", "MARKOVERRIDER\n")
    os.symlink("../docs/restricted", handbook.root / "overrides/lnk")
    handbook.write("overrides/main.html", OVERRIDE)
    handbook.replace(
        "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n"
    )
    assert "overrides/lnk:1:1: SMS703" in handbook.validate().out
    site = handbook.root / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=handbook.root,
        env={**os.environ, "SMS_AUDIENCE": "public", "SMS_WORKERS": "0"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "overrides/lnk is a symbolic link" not in built.stderr or built.returncode != 0
    assert b"MARKOVERRIDER" not in (site_bytes(site) if site.exists() else b"")


def test_a_custom_dir_inside_docs_is_refused(handbook: Handbook) -> None:
    handbook.write("docs/theme/main.html", '{% extends "base.html" %}\n')
    handbook.replace(
        "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: docs/theme\n"
    )
    result = handbook.validate()
    assert "mkdocs.yml:1:1: SMS707" in result.out
    assert result.code == 1
