"""One judgement: `build` refuses what `validate` refuses, and `validate` foresees what stops
a strict build; verification says which file a hit came from and how `verify_allow` helps;
summaries end on whole words."""

from __future__ import annotations

from pathlib import Path

import pytest
from sms_handbook.engines.base import strict_failure

from tests.conftest import Handbook, mkdocs_build, run_cli

INDEX = "docs/index.md"
POLICY_TITLE = "Service management policy"  # an internal document: hidden from the public


def test_build_refuses_what_validate_refuses(handbook: Handbook, tmp_path: Path) -> None:
    """A public page naming an internal role: an error of `validate` (SMS309), so `build`
    stops before building any audience, and so does a strict `mkdocs build` of any."""
    handbook.replace(INDEX, "Welcome.", "Welcome. Ask the service-manager role.")
    checked = handbook.validate()
    assert checked.code == 1
    finding = "docs/index.md:8:18: SMS309: this public page names 'service-manager'"
    assert finding in checked.out
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "site")
    assert built.code != 0
    assert finding in built.err
    assert "nothing was built" in built.err
    assert not (tmp_path / "site").exists()
    error, log = mkdocs_build(handbook.root, tmp_path / "plugin", audience="internal")
    assert error is not None
    assert any(finding in line for line in log)


def test_validate_foresees_a_template_that_stops_a_strict_build(handbook: Handbook) -> None:
    handbook.replace(INDEX, "Welcome.", "Welcome.\n\n{% if sms %}Unclosed.\n")
    built = run_cli("build", handbook.root, "--audience", "public")
    assert built.code != 0 and "page template not rendered" in built.out  # strict stops
    checked = handbook.validate("--strict")
    assert checked.code != 0
    assert "docs/index.md:10:1: SMS317: page template cannot be rendered" in checked.out


def test_messages_say_how_to_use_verify_allow(handbook: Handbook) -> None:
    handbook.replace(INDEX, "Welcome.", f"Welcome. Read our {POLICY_TITLE}.")
    checked = handbook.validate()
    assert f'`verify_allow: ["{POLICY_TITLE}"]`' in checked.out
    assert "sms-handbook plugin's options in mkdocs.yml" in checked.out
    handbook.replace(INDEX, f"Read our {POLICY_TITLE}.", "Ask the service-manager role.")
    checked = handbook.validate()
    assert "an id is never allowed" in checked.out
    assert "a generic text can go into" not in checked.out


OVERRIDE = """{% extends "base.html" %}
{% block footer %}<p>Ask about the POLICYTITLE.</p>{{ super() }}{% endblock %}
"""


def test_a_hit_names_the_theme_override_that_wrote_it(handbook: Handbook, tmp_path: Path) -> None:
    handbook.replace(
        "mkdocs.yml", "theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: ov\n"
    )
    handbook.write("ov/main.html", OVERRIDE.replace("POLICYTITLE", POLICY_TITLE))
    built = run_cli("build", handbook.root, "--audience", "public", "--site-dir", tmp_path / "s")
    assert built.code != 0
    hits = [line for line in built.out.splitlines() if f"contains '{POLICY_TITLE}'" in line]
    assert hits, built.out
    home = next(line for line in hits if line.strip().startswith("index.html:"))
    assert "it comes from the theme override ov/main.html" in home
    assert "docs/index.md" not in home
    assert f'`verify_allow: ["{POLICY_TITLE}"]`' in home


def test_strict_summaries_end_on_whole_words() -> None:
    from sms_handbook.core.diagnostics import shortened

    words = "the configuration names a page that does not exist in the docs folder " * 6
    summary = strict_failure("MkDocs", [f"WARNING -  {words.strip()}."])
    assert summary is not None
    listed = summary.split("sms-handbook: ", 1)[1].split(". Fix them", 1)[0]
    assert listed.endswith("\u2026")
    assert listed[:-1].split()[-1] in words.split()  # a whole word before the ellipsis
    assert len(listed) <= 200
    title = "Information security policy and procedures"
    assert shortened(title, 21) == "Information security\u2026"
    assert shortened(title, 20) == "Information\u2026"


def test_template_code_is_not_read_as_published_text(handbook: Handbook) -> None:
    """`{{ document_link("POL-001") }}` names the document to the sandbox, which writes
    "restricted item" for the public: no SMS309 (the build passes verification); the id
    written as text is one."""
    handbook.replace(INDEX, "Welcome.", 'Welcome. See {{ document_link("POL-001") }}.')
    assert handbook.validate().code == 0
    handbook.replace(INDEX, "Welcome.", "Welcome, POL-001.")
    assert "SMS309: this public page names 'POL-001'" in handbook.validate().out


def test_validate_foresees_an_unreadable_navigation_file(handbook: Handbook) -> None:
    handbook.write("docs/policies/.pages", "title: Policies\nnav: [a.md\n")
    built = run_cli("build", handbook.root, "--audience", "internal")
    assert built.code != 0 and "navigation file left out" in built.out  # strict stops
    checked = handbook.validate()
    assert "docs/policies/.pages:2:11: SMS318: navigation file cannot be read" in checked.out


def test_a_hit_names_the_page_or_attachment_that_holds_it(handbook: Handbook) -> None:
    from sms_handbook.core.build import build_handbook
    from sms_handbook.leak_origins import origins

    handbook.write("docs/files/notes.txt", "SECRET-TEXT\n")
    handbook.replace(INDEX, "Welcome.", "Welcome. SECRET-TEXT.")
    origin = origins(handbook.root, build_handbook(handbook.root).handbook, {})
    assert origin("index.html", "SECRET-TEXT") == " (it comes from the page docs/index.md)"
    assert "whose source does not hold it" in origin("index.html", "OTHER-TEXT")
    assert origin("files/notes.txt", "SECRET-TEXT") == (
        " (it comes from the attachment docs/files/notes.txt)"
    )
    assert origin("search/search_index.json", "SECRET-TEXT") == ""


NAV = """nav:
  - Home: index.md
  - Policies:
      - policies/service-management-policy.md
      - Catalogue: handbook/catalogue/index.md
      - Elsewhere: https://example.org/x.md
      - Gone: policies/retired-policy.md
"""


def test_validate_foresees_a_nav_entry_naming_no_page(handbook: Handbook, tmp_path: Path) -> None:
    """A `nav:` entry naming a missing page makes MkDocs warn, and a strict build stop;
    `validate` names it at its line (generated pages and addresses are not missing)."""
    handbook.write("mkdocs.yml", handbook.read("mkdocs.yml") + NAV)
    checked = handbook.validate("--strict")
    assert checked.code != 0
    found = [line for line in checked.out.splitlines() if "SMS319" in line]
    assert found == [
        "mkdocs.yml:21:15: SMS319: `nav` names 'policies/retired-policy.md', which is not a page "
        "of docs/ (MkDocs warns, and a strict build stops); correct the path, or take the entry out"
    ]
    built = run_cli("build", handbook.root, "--audience", "internal")
    assert built.code != 0 and "retired-policy.md" in built.output  # MkDocs' own stop
    handbook.replace("mkdocs.yml", "      - Gone: policies/retired-policy.md\n", "")
    assert "SMS319" not in handbook.validate().out


SETTINGS = """site_name: Minimal handbook
site_nmae: Typo handbook
google_analytics: ['UA-1234-5', 'example.org']
repo_url: https://example.org/handbook
edit_uri: edit/main/docs/
edit_uri_template: "edit/main/docs/{path}"
"""
TEMPLATES = "site_name: Minimal handbook\nextra_templates:\n  - missing.html\n"


def _strict_warnings(log: list[str]) -> list[str]:
    return [line for line in log if line.startswith("WARNING")]


def _places(out: str) -> list[list[str]]:
    """(place, code) of each diagnostic of this block of codes that `validate` printed."""
    return [line.split(": ", 2)[:2] for line in out.splitlines() if ": SMS32" in line]


def test_validate_foresees_the_settings_mkdocs_warns_about(
    handbook: Handbook, tmp_path: Path
) -> None:
    """Each setting a strict `mkdocs build` stops on, at its line: an unknown name (SMS324),
    a deprecated one and `edit_uri` beside `edit_uri_template` (SMS325)."""
    handbook.replace("mkdocs.yml", "site_name: Minimal handbook\n", SETTINGS)
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None
    said = "\n".join(_strict_warnings(log))
    for words in ("site_nmae", "google_analytics", "'edit_uri' has no effect"):
        assert words in said
    checked = handbook.validate("--strict")
    assert checked.code == 1
    assert _places(checked.out) == [
        ["mkdocs.yml:2:1", "SMS324"],
        ["mkdocs.yml:3:1", "SMS325"],
        ["mkdocs.yml:5:1", "SMS325"],
    ]
    assert "`site_nmae` is not a setting of MkDocs" in checked.out
    merged = "<<: {site_description: Described}\nsite_name: Minimal handbook\n"
    handbook.replace("mkdocs.yml", SETTINGS, merged)  # a YAML merge key is no setting
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is None and not _strict_warnings(log)
    assert _places(handbook.validate().out) == []


# The fixture's own `validation:` block, taken out where a test writes one of its own.
FIXTURE_VALIDATION = "validation:\n  links:\n    anchors: warn\n"
VALIDATION = """validation:
  anchors: warn
  nav:
    omited_files: warn
  links:
    absolute_links: relative_to_docs
  unknown_checks: info
"""


def test_validate_foresees_names_and_levels_under_validation(
    handbook: Handbook, tmp_path: Path
) -> None:
    """A name under `validation:` MkDocs does not know makes it warn (SMS324); a level it
    does not know makes it stop (SMS326)."""
    config = handbook.read("mkdocs.yml").replace(FIXTURE_VALIDATION, "")
    handbook.write("mkdocs.yml", config + VALIDATION)
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None
    said = "\n".join(_strict_warnings(log))
    assert "omited_files" in said and "unknown_checks" in said
    assert _places(handbook.validate().out) == [
        ["mkdocs.yml:15:5", "SMS324"],
        ["mkdocs.yml:18:3", "SMS324"],
    ]
    handbook.write("mkdocs.yml", config + "validation:\n  links:\n    not_found: loud\n")
    assert "Expected one of ['warn', 'info', 'ignore'], got 'loud'" in _refusals(handbook, tmp_path)
    assert _places(handbook.validate().out) == [["mkdocs.yml:14:16", "SMS326"]]
    handbook.write(
        "mkdocs.yml",
        config + VALIDATION.replace("omited", "omitted").replace("  unknown_checks: info\n", ""),
    )
    assert _places(handbook.validate().out) == []


def test_validate_foresees_an_extra_template_not_in_docs(
    handbook: Handbook, tmp_path: Path
) -> None:
    handbook.replace("mkdocs.yml", "site_name: Minimal handbook\n", TEMPLATES)
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None
    assert any("'missing.html' not found" in line for line in _strict_warnings(log))
    checked = handbook.validate("--strict")
    assert checked.code == 1
    assert _places(checked.out) == [["mkdocs.yml:3:5", "SMS328"]]
    handbook.write("docs/missing.html", "<p>{{ config.site_name }}</p>\n")
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is None and not _strict_warnings(log)
    assert _places(handbook.validate().out) == []


def _refusals(handbook: Handbook, tmp_path: Path) -> str:
    """The errors of a plain `mkdocs build` (not strict) that stopped on the configuration."""
    error, log = mkdocs_build(handbook.root, tmp_path / "site", strict=False)
    assert error is not None and "configuration error" in error
    return "\n".join(line for line in log if line.startswith("ERROR"))


THEME = "theme:\n  name: material\n"
# (change to the minimal mkdocs.yml, words of MkDocs' error, where `validate` says it)
REFUSED = [
    (("", "pages:\n  - index.md\n"), "'pages' was removed", "mkdocs.yml:12:1"),
    (
        ("", "hooks:\n  - hooks/missing.py\n"),
        "hooks/missing.py' isn't an existing",
        "mkdocs.yml:13:5",
    ),
    (("", "watch:\n  - nowhere\n"), "nowhere' isn't an existing", "mkdocs.yml:13:5"),
    ((THEME, THEME + "  custom_dir: overrides\n"), "overrides') does not exist", "mkdocs.yml:4:15"),
    (("site_name: Minimal handbook\n", ""), "'site_name': Required", "mkdocs.yml:1:1"),
]


@pytest.mark.parametrize(("change", "said", "place"), REFUSED)
def test_validate_foresees_a_setting_mkdocs_refuses(
    handbook: Handbook, tmp_path: Path, change: tuple[str, str], said: str, place: str
) -> None:
    """Settings MkDocs stops on even without strict, each an error at its line (SMS326): the
    removed `pages`, a `hooks` file, a `watch` path or a theme `custom_dir` that does not
    exist, a missing `site_name`."""
    config = handbook.read("mkdocs.yml").replace(FIXTURE_VALIDATION, "")
    old, new = change
    handbook.write("mkdocs.yml", config.replace(old, new, 1) if old else config + new)
    assert said in _refusals(handbook, tmp_path)
    checked = handbook.validate()
    assert checked.code == 1
    assert _places(checked.out) == [[place, "SMS326"]]


def test_validate_foresees_two_pages_with_one_address(handbook: Handbook, tmp_path: Path) -> None:
    """`README.md` beside `index.md`: MkDocs leaves the README out, and warns."""
    handbook.write("docs/policies/index.md", "# Policies\n")
    handbook.write("docs/policies/README.md", "# About the policies\n")
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None
    assert any("Excluding 'policies/README.md'" in line for line in _strict_warnings(log))
    checked = handbook.validate("--strict")
    assert checked.code == 1
    assert (
        "docs/policies/README.md:1:1: SMS327: MkDocs leaves this page out: 'policies/index.md' "
        "in the same folder has its address" in checked.out
    )
    (handbook.root / "docs/policies/README.md").unlink()
    assert "SMS327" not in handbook.validate().out
    handbook.write("docs/templates/index.md", "# Template\n")  # MkDocs leaves out templates/
    handbook.write("docs/templates/README.md", "# About the templates\n")
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is None and not _strict_warnings(log)
    assert "SMS327" not in handbook.validate().out


SNIPPETS = """markdown_extensions:
  - sms_handbook.guard
  - pymdownx.snippets:
      base_path: [docs]
      check_paths: true
"""
PAGE_WITH_SNIPPETS = """Welcome.

--8<-- "parts/intro.md"

--8<--
parts/intro.md
parts/gone.md
--8<--

;--8<-- "parts/written-as-text.md"

--8<-- "../mkdocs.yml"
"""


def test_validate_foresees_a_snippet_naming_no_file(handbook: Handbook, tmp_path: Path) -> None:
    """With `check_paths: true`, a `--8<--` naming a missing file, or one outside the base
    path, stops a strict build; `validate` names each at its line (SMS322). Without it, the
    snippet is included as nothing: a note (SMS323) that fails nothing."""
    handbook.replace("mkdocs.yml", "markdown_extensions:\n  - sms_handbook.guard\n", SNIPPETS)
    handbook.write("docs/parts/intro.md", "An introduction.\n")
    handbook.replace(INDEX, "Welcome.\n", PAGE_WITH_SNIPPETS)
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None
    assert any("parts/gone.md" in line for line in _strict_warnings(log))
    checked = handbook.validate("--strict")
    assert checked.code == 1
    assert _places(checked.out) == [
        ["docs/index.md:14:1", "SMS322"],
        ["docs/index.md:19:1", "SMS322"],
    ]
    assert "Snippet at path 'parts/gone.md' could not be found; base paths: docs/)" in checked.out
    handbook.replace("mkdocs.yml", "      check_paths: true\n", "")
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is None and not _strict_warnings(log)
    checked = handbook.validate("--strict")
    assert checked.code == 0
    assert _places(checked.out) == [
        ["docs/index.md:14:1", "SMS323"],
        ["docs/index.md:19:1", "SMS323"],
    ]


POST = """---
classification: public
date: 2026-01-02
authors:
  - alice
  - bob
---

# First post

Hello.
"""


def _authors_file(*ids: str) -> str:
    """A `.authors.yml` listing `ids`, each with the fields Material requires."""
    entries = "".join(
        f"  {id_}: {{name: {id_}, description: Writer, avatar: https://example.org/a.png}}\n"
        for id_ in ids
    )
    return f"authors:\n{entries}"


def test_validate_foresees_a_blog_author_nobody_lists(handbook: Handbook, tmp_path: Path) -> None:
    """Material's blog stops any build on a post whose author `.authors.yml` does not list;
    `validate` names it at the post's `authors:` line (SMS329), and `build` refuses."""
    handbook.replace("mkdocs.yml", "plugins:\n", "plugins:\n  - blog\n")
    handbook.write("docs/blog/index.md", "---\nclassification: public\n---\n\n# Blog\n")
    handbook.write("docs/blog/posts/first.md", POST)
    handbook.write("docs/blog/.authors.yml", _authors_file("alice"))
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal", strict=False)
    assert error is not None and any("Couldn't find author 'bob'" in line for line in log)
    checked = handbook.validate()
    assert checked.code == 1
    assert _places(checked.out) == [["docs/blog/posts/first.md:4:1", "SMS329"]]
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "built")
    assert built.code != 0 and "SMS329" in built.err and "nothing was built" in built.err
    handbook.write("docs/blog/.authors.yml", _authors_file("alice", "bob"))
    assert _places(handbook.validate().out) == []
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is None, log


RELATIVE = """markdown_extensions:
  - sms_handbook.guard
  - pymdownx.snippets:
      base_path:
        - !relative
        - !relative $config_dir/shared
      check_paths: true
"""
GUIDE = """---
title: Guide
classification: public
---

# Guide

--8<-- "steps.txt"

--8<-- "footer.txt"

--8<-- "gone.txt"
"""


def test_snippet_base_paths_follow_mkdocs_relative_tag(handbook: Handbook, tmp_path: Path) -> None:
    """`!relative` is the page's own folder, `!relative $config_dir/shared` a folder beside
    mkdocs.yml, as MkDocs resolves them for the extension: the stage includes from both, and
    `validate` names the one snippet found in neither."""
    handbook.replace("mkdocs.yml", "markdown_extensions:\n  - sms_handbook.guard\n", RELATIVE)
    handbook.write("docs/guide/index.md", GUIDE)
    handbook.write("docs/guide/steps.txt", "STEPS-FROM-THE-PAGE-FOLDER\n")
    handbook.write("shared/footer.txt", "FOOTER-FROM-SHARED\n")
    checked = handbook.validate()
    assert _places(checked.out) == [["docs/guide/index.md:12:1", "SMS322"]]
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None and any("gone.txt" in line for line in _strict_warnings(log))
    handbook.replace("docs/guide/index.md", '\n--8<-- "gone.txt"\n', "")
    assert _places(handbook.validate().out) == []
    built = run_cli("build", handbook.root, "--audience", "internal", "--site-dir", tmp_path / "b")
    assert built.code == 0, built.output
    page = (tmp_path / "b" / "internal" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "STEPS-FROM-THE-PAGE-FOLDER" in page and "FOOTER-FROM-SHARED" in page


def test_validate_names_settings_of_an_inherited_file_there(
    handbook: Handbook, tmp_path: Path
) -> None:
    """A setting MkDocs does not know in the file `INHERIT` names: reported in that file."""
    handbook.write("base.yml", "theme:\n  name: material\nsite_autor: Someone\n")
    config = handbook.read("mkdocs.yml").replace("theme:\n  name: material\n", "")
    handbook.write("mkdocs.yml", "INHERIT: base.yml\n" + config)
    error, log = mkdocs_build(handbook.root, tmp_path / "site", audience="internal")
    assert error is not None and any("site_autor" in line for line in _strict_warnings(log))
    assert _places(handbook.validate().out) == [["base.yml:3:1", "SMS324"]]


def test_validate_foresees_an_audience_without_a_home_page(handbook: Handbook) -> None:
    """`build` builds every audience and warns, stopping a strict build, when one has no
    home page (tests/test_cli.py); `validate` says so first, at the home page's
    classification (SMS330), for each audience that cannot see it."""
    assert "SMS330" not in handbook.validate().out
    handbook.replace("docs/index.md", "classification: public", "classification: internal")
    checked = handbook.validate("--strict")
    assert checked.code == 1, checked.output
    lines = [line for line in checked.out.splitlines() if ": SMS330: " in line]
    assert lines == [
        "docs/index.md:3:1: SMS330: the public site has no home page: index.md is classified "
        "internal, so its address answers 404 (the build warns, and a strict build stops); "
        "classify the home page for this audience, or add one that is"
    ]
    handbook.replace("docs/index.md", "classification: internal", "classification: public")
    (handbook.root / "docs" / "index.md").rename(handbook.root / "docs" / "home.md")
    places = [
        line.split(": ")[0] for line in handbook.validate().out.splitlines() if "SMS330" in line
    ]
    assert places == ["mkdocs.yml:1:1"] * 3  # public, internal, restricted: none has one
