"""The anchors links are judged against (SMS207): every id the full conversion gives, found by
a conversion that spares the text giving none, and kept between runs by the page's content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pymdownx.slugs import slugify
from sms_handbook.anchors import NAME, _gives_no_id, converter, ids_in
from sms_handbook.core.documents import split_front_matter

from tests.conftest import REPO, Handbook, commit_all, mkdocs_build

# Where ids come from, and text around them that gives none.
TRICKY = [
    "# Title\n\nPlain prose.\n\n## Title\n\nMore prose *with emphasis* and `code`.\n",
    "Intro\n{: #intro-para }\n\n# A heading {#custom}\n\n## A heading {: .class }\n",
    "* item *one*{#em-id}\n* [link](x.md){#link-id}\n* ![img](i.png){: #img-id }\n",
    "Text with <a name=\"named\"></a> inline and <span id='spanned'>span</span>.\n",
    '<div id="block" markdown="1">\n\n## Inside html\n\nText\n\n</div>\n\n## Inside html\n',
    '<div id="raw">\n<h2 id="raw-heading">Raw</h2>\n</div>\n\nAfter the block.\n',
    '<p markdown="span">Span *text*{#span-em}</p>\n\n# Dup\n\nx {#dup}\n\n# Dup\n',
    '| a | b |\n|---|---|\n| *c*{#cell} | d |\n| e | <b id="bold">f</b> |\n',
    "Setext\n======\n\nSecond\n------\n\n> ## Quoted heading\n>\n> quote\n> {: #quoted }\n",
    "[TOC]\n\n# One\n\n# One\n\n# One {#one}\n\n    # indented code {#nope}\n",
    "A line\n{: #after-line }\n\n1. first\n\n    nested paragraph\n    {: #nested }\n",
    "<!-- a comment <a id='commented'> -->\n\n# Heading with <code>x</code> & *more*\n",
    "# Heading [link](page.md) `code` **bold**\n\nText &amp; entities &#123; \\{#escaped}\n",
    'An incident <br> provides nothing, {nor this}.\n\n<SPAN ID = "upper">x</SPAN> and '
    '<a\nNAME=\'lower\'>y</a>.\n\nA `<a id="in-code">` span, <i data-id="data">z</i>.\n',
    "Braces {: .cls } only\n\nand more\n{: id=keyed }\n\n* a <b>bold</b> item\n"
    "* [link](x.md){: name=named-link }\n",
]


def _corpus_bodies() -> list[str]:
    pages = sorted((REPO / "tests" / "corpus").rglob("*.md")) + sorted(
        (REPO / "docs").rglob("*.md")
    )
    bodies = [split_front_matter(p.read_text(encoding="utf-8"))[1] for p in pages]
    assert len(bodies) > 100  # four real sites and the example handbook
    return bodies


@pytest.mark.parametrize("slug", [None, slugify(case="lower")], ids=["toc", "pymdownx"])
def test_the_spared_conversion_finds_exactly_the_ids_of_the_full_one(slug: object) -> None:
    spared, full = converter(slug), converter(slug, spare=False)  # type: ignore[arg-type]
    for body in TRICKY + _corpus_bodies():
        assert ids_in(spared, body) == ids_in(full, body), body[:200]


def test_the_tricky_cases_hold_the_ids_they_mean_to() -> None:
    """The cases above are not vacuous: each kind of id is there."""
    found = set().union(*(ids_in(converter(None, spare=False), body) for body in TRICKY))
    for wanted in ("intro-para", "custom", "em-id", "link-id", "img-id", "named", "spanned"):
        assert wanted in found
    for wanted in ("block", "raw-heading", "span-em", "cell", "bold", "quoted", "nested"):
        assert wanted in found
    assert {"dup", "dup_1", "one", "one_1", "one_2", "after-line"} <= found
    assert {"upper", "lower", "keyed", "named-link"} <= found
    assert "commented" not in found and "nope" not in found and "in-code" not in found


def test_text_with_inline_html_or_braces_that_names_no_id_is_spared() -> None:
    """Inline HTML or an attribute list gives an id only through `#`, `id=` or `name=`: text
    without them (words such as "incident" hold "id") is left out of the inline step."""
    assert _gives_no_id("An incident <br> provides {nothing}")
    assert _gives_no_id("a <b>bold</b> item {: .cls }")
    for giving in ("<SPAN ID = 'x'>", "<a\nName='y'>", "{: #z }", "{id=w}", "x \x02wzxhzdk:0\x03"):
        assert not _gives_no_id(giving), giving


LINKS = "---\ntitle: Links\nclassification: public\n---\n\n# Links\n\nSee [it](index.md#{}).\n"


def _kept(handbook: Handbook) -> dict[str, list[str]]:
    data = json.loads((handbook.root / ".git" / NAME).read_text(encoding="utf-8"))
    assert data["format"] == 1
    return data["anchors"]


def test_a_pages_anchors_are_kept_by_its_content_between_runs(handbook: Handbook) -> None:
    handbook.write("docs/links.md", LINKS.format("second-heading"))
    handbook.write("docs/index.md", handbook.read("docs/index.md") + "\n## Second heading\n")
    commit_all(handbook.root, "handbook")
    assert handbook.validate().code == 0
    kept = _kept(handbook)
    entry = next(k for k, ids in kept.items() if "second-heading" in ids)
    # The next run reads what was kept instead of converting the page again ...
    kept[entry] = [*kept[entry], "only-kept"]
    (handbook.root / ".git" / NAME).write_text(json.dumps({"format": 1, "anchors": kept}))
    handbook.write("docs/links.md", LINKS.format("only-kept"))
    assert handbook.validate().code == 0
    # ... until the page's text changes.
    handbook.write("docs/index.md", handbook.read("docs/index.md") + "\nMore text.\n")
    changed = handbook.validate()
    assert changed.code == 1 and "SMS207" in changed.out, changed.output
    assert "names the anchor #only-kept" in changed.out


def test_anchors_kept_for_one_slugify_are_not_used_for_another(handbook: Handbook) -> None:
    handbook.write("docs/index.md", handbook.read("docs/index.md") + "\n## Ünïcode Héading\n")
    handbook.write("docs/links.md", LINKS.format("unicode-heading"))
    commit_all(handbook.root, "handbook")
    assert handbook.validate().code == 0  # toc's own slugify
    slug = "!!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}"
    handbook.replace("mkdocs.yml", "  - tables\n", f"  - tables\n  - toc:\n      slugify: {slug}\n")
    checked = handbook.validate()
    assert checked.code == 1 and "did you mean #ünïcode-héading?" in checked.out, checked.output
    kept = list(_kept(handbook).values())
    assert any("unicode-heading" in ids for ids in kept)  # both kept, each under its own key
    assert any("ünïcode-héading" in ids for ids in kept)


def test_outside_a_repository_nothing_is_kept(handbook: Handbook) -> None:
    handbook.write("docs/links.md", LINKS.format("nowhere"))
    checked = handbook.validate()
    assert checked.code == 1 and "names the anchor #nowhere" in checked.out
    assert not list(Path(handbook.root).rglob(NAME))


WARN = "validation:\n  links:\n    anchors: warn\n"


def test_a_build_converts_no_page_for_an_anchor_it_could_only_note(
    handbook: Handbook, tmp_path: Path
) -> None:
    """At MkDocs' default level for anchors (`info`) a missing anchor is a note, which
    `mkdocs build` never reports: the build converts no page to learn its anchors (none is
    kept), while `validate` still notes it. At `warn` the build judges it, and stops."""
    assert WARN in handbook.read("mkdocs.yml")
    handbook.replace("mkdocs.yml", WARN, "")
    handbook.write("docs/links.md", LINKS.format("nowhere"))
    commit_all(handbook.root, "handbook")
    kept = handbook.root / ".git" / NAME
    error, log = mkdocs_build(handbook.root, tmp_path / "info")
    assert error is None, log
    assert not any("SMS207" in line for line in log), log
    assert not kept.exists()  # no page was converted for its anchors
    noted = handbook.validate()
    assert noted.code == 0 and "names the anchor #nowhere" in noted.out, noted.output
    assert kept.exists()
    kept.unlink()
    handbook.write("mkdocs.yml", handbook.read("mkdocs.yml") + WARN)
    error, log = mkdocs_build(handbook.root, tmp_path / "warn")
    assert error is not None and any("names the anchor #nowhere" in line for line in log), log
    assert kept.exists()
