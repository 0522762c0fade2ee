"""Python tags of mkdocs.yml: the documented functions load on every path, others are refused.

MkDocs reads `!!python/name:` and `!!python/object/apply:` by importing and calling what they
name; Material documents `!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}`
for the table of contents. The handbook accepts the documented functions (and the names the
plugin's `allow_python_names` lists), writes them unchanged into the stage, and refuses the rest
without importing anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load
from pymdownx.slugs import slugify

from tests.conftest import Handbook, build_site, mkdocs_build, run_cli

SLUGIFY = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
HEADING = "Ünïcode Héading Ä"


def _with_extension(handbook: Handbook, entry: str) -> None:
    handbook.replace("mkdocs.yml", "  - tables\n", f"  - tables\n{entry}")


def _with_slugify(handbook: Handbook) -> None:
    _with_extension(handbook, f"  - toc:\n      slugify: {SLUGIFY}\n")
    text = handbook.read("docs/index.md")
    handbook.write("docs/index.md", text + f"\n## {HEADING}\n\nText.\n")


def _heading_ids(article: object) -> set[str]:
    return {str(h.get("id")) for h in article.select("h2")}  # type: ignore[attr-defined]


def test_materials_slugify_validates_and_builds_with_its_anchors(
    handbook: Handbook, tmp_path: Path
) -> None:
    _with_slugify(handbook)
    wanted = slugify(case="lower")(HEADING, "-")
    assert wanted == "ünïcode-héading-ä"  # not the default toc's "unicode-heading-a"
    checked = handbook.validate()
    assert checked.code == 0, checked.output
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code == 0, built.output
    for audience in ("public", "internal", "restricted"):
        page = tmp_path / "cli" / audience / "index.html"
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").article
        assert wanted in _heading_ids(article), audience
    site = build_site(handbook.root, tmp_path / "plugin")
    assert wanted in _heading_ids(site.article("index.html"))


def test_the_stage_writes_the_tag_back_as_it_was(handbook: Handbook, tmp_path: Path) -> None:
    """The engine reads the stage's configuration with its own loader: the tag is there."""
    _with_slugify(handbook)
    assert run_cli("build", handbook.root, "--site-dir", tmp_path / "site").code == 0
    staged = handbook.root / ".cache/sms-handbook/stage/public/mkdocs.yml"

    toc = next(
        e["toc"]
        for e in yaml_load(staged.read_text(encoding="utf-8"))["markdown_extensions"]
        if isinstance(e, dict) and "toc" in e
    )
    assert toc["slugify"](HEADING, "-") == "ünïcode-héading-ä"


MARKER = "python-tag-ran"
NEVER = {
    "os": f'!!python/object/apply:os.system ["touch {MARKER}"]',
    "subprocess": f'!!python/object/apply:subprocess.call [["touch", "{MARKER}"]]',
    "builtins": f"!!python/object/apply:builtins.exec [\"open('{MARKER}', 'w').close()\"]",
    "bare builtin": f"!!python/object/apply:exec [\"open('{MARKER}', 'w').close()\"]",
    "os by name": "!!python/name:os.system",
    "object/new": "!!python/object/new:collections.OrderedDict [[[a, b]]]",  # even harmless
}


@pytest.mark.parametrize("kind", sorted(NEVER))
def test_tags_that_run_programs_are_never_accepted(handbook: Handbook, kind: str) -> None:
    """Refused at their line even when `allow_python_names` lists them; nothing is run."""
    _with_extension(handbook, f"  - toc:\n      slugify: {NEVER[kind]}\n")
    allow = "      allow_python_names: [os.system, subprocess.call, builtins.exec, exec]\n"
    handbook.replace("mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n" + allow)
    line = handbook.read("mkdocs.yml").splitlines().index(f"      slugify: {NEVER[kind]}") + 1
    for run in (handbook.validate(), run_cli("build", handbook.root)):
        assert run.code != 0
        assert f"mkdocs.yml:{line}:" in run.output, run.output
        assert "never accepted" in run.output
        assert "Traceback" not in run.output
    assert not (handbook.root / MARKER).exists()
    error, _log = mkdocs_build(handbook.root, handbook.root.parent / "site")
    assert error is not None  # the plugin stops MkDocs' build (MkDocs ran the tag already)


def test_an_unknown_function_is_refused_and_allowed_by_its_exact_name(
    handbook: Handbook, tmp_path: Path
) -> None:
    """A fence format of the user's own: refused with how to allow it; listed, it builds."""
    fence = "!!python/name:pymdownx.superfences.fence_code_format"
    own = "!!python/name:markdown.util.code_escape"
    _with_extension(
        handbook,
        "  - pymdownx.superfences:\n      custom_fences:\n"
        f"        - name: plain\n          class: plain\n          format: {fence}\n"
        f"        - name: own\n          class: own\n          format: {own}\n",
    )
    refused = handbook.validate()
    assert refused.code != 0
    assert "SMS504" in refused.output
    assert "!!python/name:markdown.util.code_escape" in refused.output
    assert "allow_python_names" in refused.output
    assert "fence_code_format" not in refused.output
    allow = "  - sms-handbook:\n      allow_python_names: [markdown.util]\n"
    handbook.replace("mkdocs.yml", "  - sms-handbook\n", allow)
    assert handbook.validate().code != 0  # a module is not its functions: exact names only
    handbook.replace("mkdocs.yml", "[markdown.util]", "[markdown.util.code_escape]")
    accepted = handbook.validate()
    assert accepted.code == 0, accepted.output


def test_links_to_anchors_are_checked_with_the_sites_slugify(handbook: Handbook) -> None:
    """validate knows the ids Material's documented slugify gives headings (SMS207)."""
    _with_slugify(handbook)
    handbook.write(
        "docs/links.md",
        "---\ntitle: Links\nclassification: public\n---\n\n# Links\n\n"
        "[good](index.md#ünïcode-héading-ä) and [stale](index.md#unicode-heading-a)\n",
    )
    checked = handbook.validate()
    assert checked.out.count("SMS207") == 1, checked.out
    assert "names the anchor #unicode-heading-a" in checked.out
    assert "did you mean #ünïcode-héading-ä?" in checked.out
