"""Every diagnostic code has a test of its whole message: where, what is wrong, what to do.

Codes of bad input are in tests/golden/bad_inputs.yaml; the others are here, in MESSAGES.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.core.diagnostics import CODES

from tests.conftest import Handbook, commit_all, run_cli
from tests.core.test_bad_inputs import CASES

POLICY = "docs/policies/service-management-policy.md"
BIN = Path(sys.executable).parent
MESSAGES = {
    "SMS205": f"{POLICY}:10:29: SMS205: '9.2' has child clauses, and conformity does not count "
    "a document for the children of a clause it lists; list those it addresses: 9.2.1, 9.2.2",
    "SMS208": "docs/index.md:8:14: SMS208: the link 'templates/plan.md' leads to "
    "templates/plan.md, which the site leaves out (its `exclude_docs` or `draft_docs`): the "
    "published link leads nowhere; link to a page of the site",
    "SMS306": f"{POLICY}:10:14: SMS306: `next_review` 2026-01-01 is before `approved_on` "
    "2026-03-02; check both dates",
    "SMS310": "docs/links.md:6:5: SMS310: this public page links to "
    "'policies/service-management-policy.md', which its public readers may not see: their "
    'page shows "restricted item" there (a list item or table row holding only the link is '
    "left out); link to a page they may see, classify this page higher, or say it is meant "
    "with `hidden_links: accepted` in its front matter",
    "SMS315": "docs/access.md:8:1: SMS315: `{{ companyShortName }}`: no variable "
    "`companyShortName` is defined (not under `extra:` in mkdocs.yml, nor one of the "
    "handbook's); it is printed as written",
    "SMS316": "docs/access.md:8:1: SMS316: `{{ companyShortName }}`: no variable "
    "`companyShortName` is defined (not under `extra:` in mkdocs.yml, nor one of the "
    "handbook's); the page fails (on_undefined: strict)",
    "SMS317": "docs/index.md:10:1: SMS317: page template cannot be rendered: Unexpected end of "
    "template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The "
    "innermost block that needs to be closed is 'if'; the page is built without it, and a "
    "strict build stops",
    "SMS318": "docs/policies/.pages:2:11: SMS318: navigation file cannot be read (did not find "
    "expected ',' or ']'; check the quotes, brackets and indentation here): the build leaves "
    "it out, and a strict build stops",
    "SMS319": "mkdocs.yml:17:5: SMS319: `nav` names 'policies/retired.md', which is not a page "
    "of docs/ (MkDocs warns, and a strict build stops); correct the path, or take the entry out",
    "SMS322": "docs/index.md:10:1: SMS322: snippet file not found (pymdownx.snippets: Snippet at "
    "path 'parts/gone.md' could not be found; base paths: docs/): with `check_paths: true` the "
    "page's snippets are not expanded, and a strict build stops; correct the path, or add the "
    "file",
    "SMS323": "docs/index.md:10:1: SMS323: snippet file not found (pymdownx.snippets: Snippet at "
    "path 'parts/gone.md' could not be found; base paths: docs/): it is included as nothing "
    "(`check_paths` is off); correct the path, or take the line out",
    "SMS324": "mkdocs.yml:2:1: SMS324: `site_nmae` is not a setting of MkDocs (it warns, and a "
    "strict build stops); correct its name, or take it out",
    "SMS325": "mkdocs.yml:3:1: SMS325: `google_analytics`: deprecated, and MkDocs will remove it "
    "(it warns, and a strict build stops); use the theme's own analytics settings",
    "SMS326": "mkdocs.yml:7:1: SMS326: `pages`: MkDocs no longer has this setting and stops on "
    "it; write the entries under `nav`",
    "SMS327": "docs/policies/README.md:1:1: SMS327: MkDocs leaves this page out: "
    "'policies/index.md' in the same folder has its address (MkDocs warns, and a strict build "
    "stops); keep one of them",
    "SMS328": "mkdocs.yml:8:19: SMS328: `extra_templates` names 'missing.html', which is not a "
    "file of docs/ (MkDocs skips it and warns, and a strict build stops); correct the name, or "
    "add the file",
    "SMS329": "docs/blog/posts/first.md:4:1: SMS329: post names the author 'bob', whom "
    "blog/.authors.yml does not list (Material's blog stops every build); add the author there, "
    "or correct the name",
    "SMS330": "docs/index.md:3:1: SMS330: the public site has no home page: index.md is "
    "classified internal, so its address answers 404 (the build warns, and a strict build "
    "stops); classify the home page for this audience, or add one that is",
    "SMS401": f"{POLICY}:9:1: SMS401: document POL-001 was due for review on 2026-05-01; "
    "review it, then record the new approval or review date",
    "SMS402": "registers/improvements.yaml:16:5: SMS402: IMP-001 (Faster first response) was "
    "due on 2026-10-31; act on it or move the date",
    "SMS501": "mkdocs.yml:8:1: SMS501: `audience` is 'nobody', not one of the audiences: "
    "public, internal, restricted; use one of them",
    "SMS502": "mkdocs.yml:1:1: SMS502: no mkdocs.yml in {root}; run in the handbook's root "
    "folder or pass ROOT",
    "SMS503": "SMS503: cannot read the base revision (release-1): ",
    "SMS504": "mkdocs.yml:12:19: SMS504: !!python/name:markdown.util.code_escape names a "
    "function the handbook does not know; if you trust it, list `markdown.util.code_escape` "
    "in the sms-handbook plugin's `allow_python_names` option",
    "SMS601": f"{POLICY}:7:1: SMS601: the content changed since HEAD but the version is still "
    '"1.0" at HEAD; raise `version`',
    "SMS602": f"{POLICY}:9:1: SMS602: the content changed since its approval on 2026-03-02; "
    "have managing-director re-approve it (a new `approved_on`) or set `status` to draft or "
    "in-review",
    "SMS603": f'{POLICY}:7:1: SMS603: version "0.9" is lower than "1.0" at HEAD; '
    "versions only go up",
    "SMS604": f"{POLICY}:9:1: SMS604: `approved_on` 2026-02-02 is before the approval of "
    "2026-03-02 at HEAD; an approval is later than the one it follows, so give the date of "
    "this approval",
    "SMS901": "comply/narratives/broken.md:1:1: SMS901: no `---` after the metadata; Comply "
    "needs YAML, `---`, Markdown; not imported",
    "SMS902": "comply/policies/classification.md:31:1: SMS902: LaTeX command '\\textbf{bold}' "
    "kept as text; write it in Markdown",
    "SMS701": ".github/CODEOWNERS:1:1: SMS701: CODEOWNERS is missing: run `sms-handbook "
    "codeowners --write` and commit it",
    # tests/core/test_tree_checks.py
    "SMS702": ".cache/sms-handbook/stage/public/docs/extra.md:1:1: SMS702: "
    ".cache/sms-handbook/stage/public/docs/extra.md is tracked by git, but .cache/ is the "
    "build's own (its stage is written there); remove it from the repository: "
    "git rm -r --cached .cache",
    "SMS703": "docs/relative.md:1:1: SMS703: docs/relative.md is a symbolic link to "
    "../../outside.md, outside docs/; a build never follows links, so replace it with the "
    "file itself inside docs/",
    "SMS704": "docs/brochure.pdf:1:1: SMS704: docs/brochure.pdf is a hard link (the same bytes "
    "as another file, which may be classified higher); replace it with a copy of its own",
    # tests/test_direct_runs.py, and here
    "SMS706": "zensical.toml:1:1: SMS706: zensical.toml: sms_handbook.guard is not in its "
    "markdown_extensions, so a site generator run on it directly (`zensical build`, "
    "`properdocs build`, `mkdocs build -f`) would publish every page, whatever its "
    "classification; list sms_handbook.guard first in its markdown_extensions, or delete it",
    "SMS707": "mkdocs.yml:1:1: SMS707: theme custom_dir 'docs/theme' is inside docs/: its files "
    "would be published as theme files to every audience, whatever their classification; move "
    "it out of docs/",
    # tests/test_preview.py
    "SMS710": "mkdocs.yml:1:1: SMS710: Config value 'theme': Unrecognised theme name: 'nosuch'. "
    "The available installed themes are: {themes}; the preview keeps serving its last good "
    "build until this is fixed",
    "SMS711": "docs/index.md:8:10: SMS711: the page shows the text of an item hidden from the "
    "public audience (1 found); the preview does not serve it until it is reworded",
    # tests/test_preview_files.py
    "SMS715": "registers/services.yaml:3:32: SMS715: handbook/export.json of the preview names "
    "the title of an item hidden from the internal audience (1 found); the preview serves a "
    "notice in its place until the text is reworded",
    "SMS708": "docs/notes.txt:1:1: SMS708: docs/notes.txt is not public, and a direct `zensical "
    "build` on the repository copies the files of docs/ into its output before the guard stops "
    "it (MkDocs and ProperDocs stop first); build with sms-handbook or the plugin only, and "
    "never publish the output of a failed direct run",
}


def test_every_code_has_a_test_of_its_full_message() -> None:
    golden = {line.split(": ")[1] for case in CASES for line in case["expect"]}
    assert set(CODES) - golden == set(MESSAGES)
    for message in MESSAGES.values():
        assert "; " in message or ": run" in message or message.endswith(": ")


def test_import_messages(tmp_path: Path) -> None:
    from tests.conftest import FIXTURES

    root = tmp_path / "handbook"
    assert run_cli("init", root).code == 0
    result = run_cli("import", "comply", FIXTURES / "comply", root)
    lines = result.err.splitlines()
    assert MESSAGES["SMS901"] in lines and MESSAGES["SMS902"] in lines


def test_direct_run_messages(handbook: Handbook) -> None:
    handbook.write("zensical.toml", '[project]\nsite_name = "Direct"\n')
    handbook.write("docs/theme/main.html", '{% extends "base.html" %}\n')
    handbook.write("docs/notes.txt", "notes")
    handbook.replace(
        "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: docs/theme\n"
    )
    lines = handbook.validate().out.splitlines()
    for code in ("SMS706", "SMS707", "SMS708"):
        assert MESSAGES[code] in lines, code


def test_warning_parent_clause(handbook: Handbook) -> None:
    handbook.replace(POLICY, '"5.2.2"]', '"5.2.2", "9.2"]')
    assert MESSAGES["SMS205"] in handbook.validate().out.splitlines()


def test_note_link_to_a_page_the_site_leaves_out(handbook: Handbook) -> None:
    handbook.write("docs/templates/plan.md", "# Plan\n")  # MkDocs leaves templates/ out
    handbook.replace("docs/index.md", "Welcome.", "Welcome. See [it](templates/plan.md).")
    assert MESSAGES["SMS208"] in handbook.validate().out.splitlines()


def test_warning_next_review_before_approval(handbook: Handbook) -> None:
    handbook.replace(POLICY, "clauses:", "next_review: 2026-01-01\nclauses:")
    assert MESSAGES["SMS306"] in handbook.validate().out.splitlines()


def test_warning_link_to_a_page_its_readers_may_not_see(handbook: Handbook) -> None:
    handbook.write(
        "docs/links.md",
        "---\ntitle: Links\nclassification: public\n---\n\n"
        "See [it](policies/service-management-policy.md).\n",
    )
    result = handbook.validate()
    assert result.code == 0 and MESSAGES["SMS310"] in result.out.splitlines(), result.out


def test_overdue_document_and_record(handbook: Handbook) -> None:
    handbook.replace(POLICY, "approved_on: 2026-03-02", "approved_on: 2025-05-01")
    handbook.replace("registers/improvements.yaml", "due: 2027-03-31", "due: 2026-10-31")
    hook = subprocess.run(
        [str(BIN / "sms-handbook-check-reviews"), "--root", str(handbook.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert hook.returncode == 1
    assert MESSAGES["SMS401"] in hook.stdout.splitlines()
    assert MESSAGES["SMS402"] in hook.stdout.splitlines()


def test_configuration_messages(handbook: Handbook, tmp_path: Path) -> None:
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      audience: nobody\n"
    )
    assert f"  {MESSAGES['SMS501']}" in handbook.validate().err.splitlines()
    missing = run_cli("validate", tmp_path)
    assert f"  {MESSAGES['SMS502'].format(root=tmp_path)}" in missing.err.splitlines()


def test_unreadable_base_revision(handbook: Handbook) -> None:
    commit_all(handbook.root, "one")
    result = handbook.validate("--base", "release-1")
    assert result.code == 2
    assert result.err.startswith(f"sms-handbook: {MESSAGES['SMS503']}")
    assert result.err.rstrip().endswith("; fetch it, or name another base revision")


@pytest.mark.parametrize(
    ("edits", "code"),
    [
        ([("We deliver what we agree.", "We deliver, on time.")], "SMS601"),
        ([("We deliver what we agree.", "We deliver, on time."), ('"1.0"', '"1.1"')], "SMS602"),
        ([('"1.0"', '"0.9"')], "SMS603"),
        (
            [
                ("We deliver what we agree.", "We deliver, on time."),
                ('"1.0"', '"2.0"'),
                ("approved_on: 2026-03-02", "approved_on: 2026-02-02"),
            ],
            "SMS604",
        ),
    ],
)
def test_approval_messages(handbook: Handbook, edits: list[tuple[str, str]], code: str) -> None:
    commit_all(handbook.root, "one")
    for old, new in edits:
        handbook.replace(POLICY, old, new)
    assert MESSAGES[code] in handbook.validate("--base", "HEAD").out.splitlines()


def test_codeowners_message(handbook: Handbook) -> None:
    result = run_cli("codeowners", handbook.root, "--check")
    assert result.code == 1
    assert MESSAGES["SMS701"] in result.out.splitlines()


def test_page_template_messages(handbook: Handbook) -> None:
    handbook.replace("docs/index.md", "Welcome.", "Welcome.\n\n{% if sms %}Unclosed.\n")
    handbook.write(
        "docs/access.md",
        "---\ntitle: Access\nclassification: public\n---\n\n# Access\n\n"
        "Access to {{companyShortName}} systems.\n",
    )
    handbook.write("docs/policies/.pages", "title: Policies\nnav: [a.md\n")
    lines = handbook.validate().out.splitlines()
    assert MESSAGES["SMS315"] in lines and MESSAGES["SMS317"] in lines
    assert MESSAGES["SMS318"] in lines
    handbook.write(
        "mkdocs.yml", handbook.read("mkdocs.yml") + "nav:\n  - index.md\n  - policies/retired.md\n"
    )
    assert MESSAGES["SMS319"] in handbook.validate().out.splitlines()
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      on_undefined: strict\n"
    )
    assert MESSAGES["SMS316"] in handbook.validate().out.splitlines()


def test_python_tag_message(handbook: Handbook) -> None:
    handbook.replace(
        "mkdocs.yml",
        "  - tables\n",
        "  - tables\n  - pymdownx.superfences:\n      custom_fences:\n        - name: own\n"
        "          class: own\n          format: !!python/name:markdown.util.code_escape\n",
    )
    assert f"  {MESSAGES['SMS504']}" in handbook.validate().err.splitlines()


STRICT_SETTINGS = """site_name: Minimal handbook
site_nmae: Typo
google_analytics: ['UA-1234-5', 'example.org']
repo_url: https://example.org/handbook
edit_uri: edit/main/docs/
edit_uri_template: "edit/main/docs/{path}"
pages: [index.md]
extra_templates: [missing.html]
"""


def test_strict_warning_messages(handbook: Handbook) -> None:
    handbook.replace("mkdocs.yml", "site_name: Minimal handbook\n", STRICT_SETTINGS)
    handbook.replace(
        "mkdocs.yml",
        "  - tables\n",
        "  - tables\n  - pymdownx.snippets:\n      base_path: [docs]\n      check_paths: true\n",
    )
    handbook.replace("docs/index.md", "Welcome.", 'Welcome.\n\n--8<-- "parts/gone.md"')
    handbook.write("docs/policies/index.md", "# Policies\n")
    handbook.write("docs/policies/README.md", "# About the policies\n")
    lines = handbook.validate().out.splitlines()
    for code in ("SMS322", "SMS324", "SMS325", "SMS326", "SMS327", "SMS328"):
        assert MESSAGES[code] in lines, code
    handbook.replace("mkdocs.yml", "      check_paths: true\n", "")
    assert MESSAGES["SMS323"] in handbook.validate().out.splitlines()


def test_blog_author_message(handbook: Handbook) -> None:
    handbook.replace("mkdocs.yml", "plugins:\n", "plugins:\n  - blog:\n      blog_dir: blog\n")
    handbook.write(
        "docs/blog/posts/first.md",
        "---\nclassification: public\ndate: 2026-01-02\nauthors: [bob]\n---\n\n# First\n",
    )
    assert MESSAGES["SMS329"] in handbook.validate().out.splitlines()


def test_home_page_message(handbook: Handbook) -> None:
    handbook.replace("docs/index.md", "classification: public", "classification: internal")
    assert MESSAGES["SMS330"] in handbook.validate().out.splitlines()
