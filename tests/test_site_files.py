"""The pages of the site as MkDocs 1.6 decides them (`exclude_docs`, `draft_docs`, its own
exclusions), and link problems at the levels of the site's `validation:`, for `validate`,
`build` and a strict `mkdocs build` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Handbook, mkdocs_build, run_cli

# A public page that would stop every build if it were a page of the site: a broken link, a
# broken anchor, and an internal role named to the public (SMS309).
LEFT_OUT = """---
title: Plan
classification: public
---

# Plan

See [nothing](nope.md) and [home](../index.md#nowhere). Ask the service-manager role.
"""
SECRET = "Ask the service-manager role"
EXCLUDE = "exclude_docs: |\n  drafts/\n"


def _configure(handbook: Handbook, text: str) -> None:
    handbook.write("mkdocs.yml", handbook.read("mkdocs.yml") + text)


def _stage_and_site_texts(root: Path) -> str:
    found = [p for folder in (".cache", "site") for p in (root / folder).rglob("*") if p.is_file()]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in found)


@pytest.mark.parametrize(
    ("config", "page"),
    [
        (EXCLUDE, "docs/drafts/plan.md"),
        ("draft_docs: |\n  *-draft.md\n", "docs/drafts/plan-draft.md"),
        ("", "docs/templates/plan.md"),  # MkDocs' own exclusion of a top-level templates/
    ],
)
def test_a_page_the_site_leaves_out_is_no_page_of_the_handbook(
    handbook: Handbook, tmp_path: Path, config: str, page: str
) -> None:
    _configure(handbook, config)
    handbook.write(page, LEFT_OUT)
    checked = handbook.validate("--strict")
    assert checked.code == 0, checked.output
    assert "2 pages, " in checked.out  # the home page and the policy only
    error, log = mkdocs_build(handbook.root, tmp_path / "plugin", audience="public")
    assert error is None, "\n".join(log)
    assert any("(1 pages visible)" in line for line in log), log
    built = run_cli("build", handbook.root, "--audience", "public")
    assert built.code == 0, built.output
    assert SECRET not in _stage_and_site_texts(handbook.root)
    assert SECRET not in _stage_and_site_texts(tmp_path)


def test_a_link_into_an_excluded_page_is_judged_as_mkdocs_judges_it(
    handbook: Handbook, tmp_path: Path
) -> None:
    """MkDocs says at `info` that a link leads to a page it leaves out (a note: it stops
    nothing) and writes the link as it would to that page; `not_found: ignore` silences it."""
    _configure(handbook, EXCLUDE)
    handbook.write("docs/drafts/plan.md", LEFT_OUT)
    handbook.replace("docs/index.md", "Welcome.", "Welcome. See [the plan](drafts/plan.md).")
    checked = handbook.validate("--strict")
    assert checked.code == 0, checked.output
    note = (
        "docs/index.md:8:14: SMS208: the link 'drafts/plan.md' leads to drafts/plan.md, "
        "which the site leaves out"
    )
    assert note in checked.out
    assert "0 errors, 0 warnings, 1 note" in checked.out
    error, log = mkdocs_build(handbook.root, tmp_path / "plugin", audience="public")
    assert error is None, "\n".join(log)
    said = "contains a link to 'drafts/plan.md' which is excluded from the built site"
    assert any(line.startswith("INFO") and said in line for line in log), log
    home = (tmp_path / "plugin" / "index.html").read_text(encoding="utf-8")
    assert 'href="drafts/plan/"' in home
    assert not (tmp_path / "plugin" / "drafts").exists()
    assert SECRET not in _stage_and_site_texts(handbook.root)
    handbook.replace("mkdocs.yml", "validation:\n", "validation:\n  not_found: ignore\n")
    assert "SMS208" not in handbook.validate().out


BROKEN_ANCHOR = "---\ntitle: Links\nclassification: public\n---\n\nSee [home](index.md#nowhere).\n"


@pytest.mark.parametrize("level", ["info", "warn"])
def test_a_broken_anchor_is_judged_at_the_sites_level(
    handbook: Handbook, tmp_path: Path, level: str
) -> None:
    """SMS207 follows `validation.anchors` as MkDocs does (the shorthand applies to links):
    at `info` a note that stops nothing, at `warn` what stops a strict build, in `validate`,
    `build` and `mkdocs build` alike."""
    handbook.replace("mkdocs.yml", "  links:\n    anchors: warn\n", f"  anchors: {level}\n")
    handbook.write("docs/links.md", BROKEN_ANCHOR)
    checked = handbook.validate("--strict")
    assert "docs/links.md:6:5: SMS207" in checked.out, checked.output
    built = run_cli("build", handbook.root, "--audience", "public")
    error, log = mkdocs_build(handbook.root, tmp_path / "plugin", audience="public")
    if level == "info":
        assert checked.code == 0 and "1 note" in checked.out, checked.output
        assert built.code == 0, built.output
        assert error is None, "\n".join(log)
    else:
        assert checked.code == 1 and "1 error" in checked.out, checked.output
        assert handbook.validate().code == 1
        assert built.code != 0 and "SMS207" in built.err, built.output
        assert error is not None and any("SMS207" in line for line in log), log


UNUSED_DEFINITION = """---
title: Links
classification: public
---

See [the plan][plan] and ![the chart][].

[plan]: gone.md
[the chart]: missing.png
[old]: nowhere.md
"""


def test_only_a_used_reference_definition_is_checked(handbook: Handbook, tmp_path: Path) -> None:
    """A link reference definition that no link of its page uses writes no link, and plain
    MkDocs never checks it: neither does `validate` nor the build (real sites keep old ones)."""
    handbook.write("docs/links.md", UNUSED_DEFINITION)
    checked = handbook.validate()
    assert "docs/links.md:8:9: SMS206" in checked.out, checked.output
    assert "docs/links.md:9:14: SMS206" in checked.out, checked.output
    assert "nowhere.md" not in checked.out and checked.out.count("SMS206") == 2, checked.output
    handbook.replace("docs/links.md", "See [the plan][plan] and ![the chart][].", "See us.")
    assert handbook.validate("--strict").code == 0, handbook.validate("--strict").output
    assert run_cli("build", handbook.root, "--audience", "public").code == 0
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="public")
    assert error is None, "\n".join(log)


def test_a_missing_page_follows_not_found(handbook: Handbook) -> None:
    handbook.write("docs/links.md", BROKEN_ANCHOR.replace("index.md#nowhere", "gone.md"))
    assert "SMS206" in handbook.validate().out and handbook.validate().code == 1
    handbook.replace("mkdocs.yml", "validation:\n", "validation:\n  not_found: info\n")
    checked = handbook.validate("--strict")
    assert checked.code == 0 and "docs/links.md:6:5: SMS206" in checked.out, checked.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("exclude_docs: [drafts/]\n", "mkdocs.yml:15:1: SMS501: `exclude_docs` is not text"),
        ("draft_docs: '\\'\n", "mkdocs.yml:15:1: SMS501: `draft_docs` holds a pattern"),
        ("validation:\n  anchors: loud\n", "SMS326: `validation: anchors` takes one of"),
    ],
)
def test_patterns_and_levels_mkdocs_refuses_are_refused(
    handbook: Handbook, text: str, said: str
) -> None:
    if text.startswith("validation"):
        handbook.replace("mkdocs.yml", "validation:\n  links:\n    anchors: warn\n", text)
    else:
        _configure(handbook, text)
    checked = handbook.validate()
    assert checked.code == (1 if text.startswith("validation") else 2), checked.output
    assert said in checked.output
    assert "Traceback" not in checked.output


def test_snippets_still_read_a_page_the_site_leaves_out(handbook: Handbook, tmp_path: Path) -> None:
    """`exclude_docs: includes/` keeps shared snippets out of the site, not out of the pages
    that include them; they are read as attachments are (the default classification here),
    and never staged themselves."""
    _configure(handbook, "exclude_docs: |\n  includes/\n")
    handbook.replace("mkdocs.yml", "  - tables\n", "  - tables\n  - pymdownx.snippets\n")
    handbook.write("docs/includes/note.md", "A shared note for staff.\n")
    policy = "docs/policies/service-management-policy.md"
    handbook.write(policy, handbook.read(policy) + '\n--8<-- "docs/includes/note.md"\n')
    checked = handbook.validate("--strict")
    assert checked.code == 0 and "2 pages, " in checked.out, checked.output
    site = tmp_path / "plugin"
    error, log = mkdocs_build(handbook.root, site, audience="internal")
    assert error is None, "\n".join(log)
    page = (site / "policies/service-management-policy/index.html").read_text(encoding="utf-8")
    assert "A shared note for staff." in page
    assert not (site / "includes").exists()
    staged = [p for p in (handbook.root / ".cache").rglob("note.md") if p.is_file()]
    assert staged and all(p.read_bytes() == b"" for p in staged)


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_every_engine_leaves_out_what_the_site_leaves_out(
    handbook: Handbook, tmp_path: Path, engine: str
) -> None:
    """(A link to such a page stops a strict Zensical 0.0.73 build, as it does plain Zensical
    on the site itself: "page does not exist"; ProperDocs judges it as MkDocs does.)"""
    _configure(handbook, EXCLUDE)
    handbook.write("docs/drafts/plan.md", LEFT_OUT)
    if engine == "properdocs":
        handbook.replace("docs/index.md", "Welcome.", "Welcome. See [the plan](drafts/plan.md).")
    site = tmp_path / "site"
    built = run_cli("build", handbook.root, "--engine", engine, "--site-dir", site)
    assert built.code == 0, built.output
    for audience in ("public", "internal", "restricted"):
        assert (site / audience / "index.html").is_file()
        assert not (site / audience / "drafts").exists()
    assert SECRET not in _stage_and_site_texts(handbook.root)
    assert SECRET not in _stage_and_site_texts(tmp_path)
