"""mkdocs-static-i18n builds each further language by running MkDocs' build again in the same
process, on the same configuration. A real `mkdocs build` of a two-language handbook: the
second language uses the first one's model and stage, so each problem is logged once, and
both languages are built, scoped and verified, once both are written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY, commit_all, copy_fixture
from tests.plugin.test_leaks import readable

pytestmark = pytest.mark.slow

CONFIG = """site_name: Minimal handbook
repo_url: https://example.org/handbook
theme:
  name: material
markdown_extensions:
  - sms_handbook.guard
  - attr_list
  - tables
plugins:
  - search
  - sms-handbook
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
          build: true
        - locale: fr
          name: Français
          build: true
          site_name: Manuel minimal
"""
MARKERS = ("MARKRESTRICTEDTITLE", "MARKRESTRICTEDBODY", "MARKRESTREINT", "MARKRESTREINTCORPS")


def _page(title: str, classification: str, body: str) -> str:
    return f"---\ntitle: {title}\nclassification: {classification}\n---\n\n# {title}\n\n{body}\n"


def _two_languages(root: Path) -> None:
    """The minimal handbook in English and French, with a restricted page in each language,
    a broken link in each home page (SMS206) and a parent clause (SMS205)."""
    handbook = copy_fixture("minimal", root)
    handbook.write("mkdocs.yml", CONFIG)
    handbook.write("docs/index.md", _page("Home", "public", "Welcome. [Gone](missing.md)"))
    handbook.write("docs/index.fr.md", _page("Accueil", "public", "Bienvenue. [Parti](gone.md)"))
    handbook.write("docs/secret.md", _page(MARKERS[0], "restricted", MARKERS[1]))
    handbook.write("docs/secret.fr.md", _page(MARKERS[2], "restricted", MARKERS[3]))
    policy = "docs/policies/service-management-policy.md"
    handbook.replace(policy, 'clauses: ["5.2.1", "5.2.2"]', 'clauses: ["5.2", "5.2.1"]')
    commit_all(root, "two languages")


def _mkdocs_build(root: Path, site: Path, audience: str, code: int = 0) -> list[str]:
    """A real `mkdocs build` (not strict: the handbook has errors), which exits with `code`;
    the lines of its log."""
    environment = {k: v for k, v in os.environ.items() if k != "SMS_WORKERS"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=root,
        env={**environment, "SMS_TODAY": TODAY, "SMS_AUDIENCE": audience},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == code, result.stderr[-3000:]
    return result.stderr.splitlines()


def test_each_language_is_built_scoped_and_each_problem_said_once(tmp_path: Path) -> None:
    root, site = tmp_path / "handbook", tmp_path / "site"
    _two_languages(root)
    log = _mkdocs_build(root, site, "internal")

    ours = [line for line in log if "sms_handbook:" in line]
    problems = [line for line in ours if line.startswith(("WARNING", "ERROR"))]
    assert len(problems) == 3, "\n".join(ours)
    assert sum("SMS205" in line for line in problems) == 1
    assert sum("SMS206" in line and "'missing.md'" in line for line in problems) == 1
    assert sum("SMS206" in line and "'gone.md'" in line for line in problems) == 1
    notes = [line for line in ours if "repository and edit links are left out" in line]
    assert len(notes) == 1, "\n".join(ours)
    # the site is verified once, when both languages are written
    assert sum("verified: nothing above the internal audience" in line for line in ours) == 1
    assert sum("Building 'fr' documentation" in line for line in log) == 1

    assert "Welcome." in (site / "index.html").read_text(encoding="utf-8")
    assert "Bienvenue." in (site / "fr" / "index.html").read_text(encoding="utf-8")
    for page in site.rglob("*.html"):  # marked once, not again by the next language
        html = page.read_text(encoding="utf-8")
        assert html.count('<meta name="robots" content="noindex, nofollow">') == 1, page
        assert html.count('class="sms-audience-banner sms-audience-internal"') == 1, page
    for language in (site, site / "fr"):
        policy = language / "policies" / "service-management-policy" / "index.html"
        assert "We deliver what we agree." in policy.read_text(encoding="utf-8")
        assert (language / "handbook" / "traceability" / "index.html").is_file()
        assert not (language / "secret").exists()
    text = "\n".join(readable(p) for p in site.rglob("*") if p.is_file())
    assert "Manuel minimal" in text  # the French build's own setting
    for marker in MARKERS:
        assert marker not in text, marker


REWRITE_HOOK = """from pathlib import Path

from mkdocs.plugins import event_priority
from sms_handbook.context import load_context
from sms_handbook.pipeline import stage_audience
from sms_handbook.stage.layout import StageLock

written = []


@event_priority(-50)  # after the plugin finished the first language, before the next one
def on_post_build(config):
    if written:
        return
    root = Path(config.config_file_path).parent.resolve()
    with StageLock(root, "internal"):
        stage = stage_audience(load_context(root), "internal", [], [Path(config.site_dir)])
        stage.complete()
    written.append(stage)
"""


def test_a_stage_another_build_wrote_meanwhile_is_written_again(tmp_path: Path) -> None:
    """Between two languages another build writes the audience's stage (with a proof of its
    own): the next language stages afresh instead of building from it."""
    root, site = tmp_path / "handbook", tmp_path / "site"
    _two_languages(root)
    (root / "rewrite.py").write_text(REWRITE_HOOK, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - rewrite.py\n")
    log = _mkdocs_build(root, site, "internal")
    ours = [line for line in log if "sms_handbook:" in line]
    assert not [line for line in ours if "again from the same stage" in line]
    assert sum("stage internal:" in line for line in ours) == 2, "\n".join(ours)
    assert sum("verified: nothing above the internal audience" in line for line in ours) == 1
    assert "Bienvenue." in (site / "fr" / "index.html").read_text(encoding="utf-8")
    text = "\n".join(readable(p) for p in site.rglob("*") if p.is_file())
    for marker in MARKERS:
        assert marker not in text, marker


LATE_HOOK = """from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

builds = []


def on_pre_build(config):
    builds.append(config.site_dir)
    if {fail} and len(builds) == 2:
        raise PluginError("the French build fails")


@event_priority({priority})
def on_post_build(config):
    Path(config.site_dir, "late.txt").write_text("The plan is in secret.md, ask for it.")
"""


@pytest.mark.parametrize(
    ("priority", "fail"),
    [(-150, False), (-50, True)],
    ids=["written-after-the-last-language", "written-before-a-language-that-fails"],
)
def test_what_other_plugins_write_after_a_language_is_verified(
    tmp_path: Path, priority: int, fail: bool
) -> None:
    """A plugin writes a restricted page's path into the internal site after this plugin
    finished a language: after mkdocs-static-i18n's last language (where it writes the
    languages' merged search index), or before a further language whose build fails. Each
    language used to be verified as soon as this plugin finished it, so the file was
    published; now the build fails, naming the file, and removes it with the manifest."""
    root, site = tmp_path / "handbook", tmp_path / "site"
    _two_languages(root)
    hook = LATE_HOOK.format(priority=priority, fail=fail)
    (root / "late.py").write_text(hook, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - late.py\n")
    log = "\n".join(_mkdocs_build(root, site, "internal", code=1))
    assert "verification: late.txt: contains 'secret.md'" in log, log[-3000:]
    assert ("the French build fails" in log) is fail
    assert not (site / "late.txt").exists()
    assert not (site / "sms-manifest.json").exists()
    assert "Traceback" not in log
    text = "\n".join(readable(p) for p in site.rglob("*") if p.is_file())
    for marker in MARKERS:
        assert marker not in text, marker
