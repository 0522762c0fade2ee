"""Real sites written by others, built with the plugin and without it (issue 29, point 10).

Each folder of `tests/corpus/` is a trimmed copy of a public MkDocs site or policy set, with its
licence beside it and a NOTICE saying where it came from and what was changed: only what the
plugin needs (a classification in front matter, document control fields where a page is a
controlled document, a roles register, the plugin and the guard in `mkdocs.yml`) and what a
strict plain build of the trimmed copy needs too. Each site has a restricted page whose own
words (its marker) appear nowhere else in the site.

For every site: plain `mkdocs build --strict` (the plugin and the guard taken out of its
configuration) and `sms-handbook build` of every audience both pass; the highest audience's site
equals the plain one article by article (text and links of Material's content area, which holds
the page's `article`, parsed by html5lib), apart from the differences `INTENDED` lists (the
README's "What the stage changes in a page, and why"); the stage invents no `&name;` sequence
and loses no HTML comment; and the restricted page's marker is in no file of a lower audience's
site.
"""

from __future__ import annotations

import html.entities
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Tag

from benchmarks.corpus import CORPUS, corpus_names, plain_config
from tests.conftest import REPO, TODAY, build_site, commit_all, run_cli
from tests.site_text import site_texts

AUDIENCES = ("public", "internal", "restricted")
HIGHEST = AUDIENCES[-1]
CONTENT = "div.md-content"
# site -> its restricted page (in docs/) and words of it that no other page of the site has
MARKERS = {
    "pagerduty": (
        "crisis/terms.md",
        "an extraordinary event or situation that serves as an existential threat",
    ),
    "nhs-datascience": (
        "our_work/diabetic_retinopathy.md",
        "identify unknown or interacting risk factors that could predict",
    ),
    "security-policies": (
        "procedures/bcdr.md",
        "Maximize the effectiveness of contingency operations",
    ),
    "material-docs": (
        "blog/posts/sunsetting-gitter.md",
        "efforts to improve the processes for maintaining Material for MkDocs and for supporting",
    ),
}
# `&` then a name then `;`, as text reads after parsing: a reference nobody wrote
AMPERSAND_NAME = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


@dataclass(frozen=True)
class Intended:
    """A rewrite the stage means to make, and how the comparison allows for it in the highest
    audience's article (nothing, where that article never shows it)."""

    what: str  # its name in the README's list
    selector: str = ""  # the elements it makes, in the plugin's article
    change: Callable[[Tag], None] | None = None  # what the comparison does to each of them


def _drop(tag: Tag) -> None:
    tag.decompose()


# The README's "What the stage changes in a page, and why", item by item, in its order. The
# print edition's markers are comments: the comment check counts only comments lost.
INTENDED = (
    Intended("Front matter it owns"),  # no part of the article
    Intended("Links to hidden pages and attachments"),  # nothing is hidden from the highest
    Intended("Comments naming a hidden target"),
    Intended("Hidden includes"),
    Intended("The control block and the print edition's markers", ".sms-control", _drop),
    Intended("The guard's marker"),  # taken out before Markdown reads the page
)
README_SECTION = "### What the stage changes in a page, and why"


@dataclass
class Page:
    """One page of the plain build and the same page of the highest audience's site, parsed."""

    path: str
    plain: Tag  # the plain build's article
    staged: Tag  # the plugin's article, with the INTENDED changes made
    plain_comments: Counter[str]
    staged_comments: Counter[str]
    plain_strays: Counter[str]
    staged_strays: Counter[str]


@dataclass
class Built:
    name: str
    root: Path
    plain: Path  # plain `mkdocs build --strict` of the same copy
    sites: dict[str, Path]  # audience -> `sms-handbook build` output
    pages: list[Page]  # the plain build's pages that have an article
    missing: list[str]  # pages of the plain build the plugin's highest audience lacks


def _with_today(build: Callable[[], Path]) -> Path:
    previous = os.environ.get("SMS_TODAY")
    os.environ["SMS_TODAY"] = TODAY
    try:
        return build()
    finally:
        if previous is None:
            os.environ.pop("SMS_TODAY", None)
        else:
            os.environ["SMS_TODAY"] = previous


def _build_plain(name: str, base: Path) -> Path:
    root = base / "plain"
    shutil.copytree(CORPUS / name, root)
    config = root / "mkdocs.yml"
    config.write_text(plain_config(config.read_text(encoding="utf-8")), encoding="utf-8")
    return build_site(root, base / "plain-site", strict=True).root


def _build_every_audience(root: Path) -> Path:
    result = run_cli("build", root)
    assert result.code == 0, result.output
    for audience in AUDIENCES:
        assert f"{audience}: built and verified" in result.out, result.output
    return root / "site"


# Each site's tests run on one worker, which builds it once.
SITES = [pytest.param(name, marks=pytest.mark.xdist_group(f"corpus-{name}")) for name in MARKERS]


@pytest.fixture(scope="module", params=SITES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    name = request.param
    base = tmp_path_factory.mktemp(f"corpus-{name}")
    root = base / "handbook"
    shutil.copytree(CORPUS / name, root)
    commit_all(root, f"{name}: the corpus copy")
    plain = _build_plain(name, base)
    site = _with_today(lambda: _build_every_audience(root))
    sites = {audience: site / audience for audience in AUDIENCES}
    return Built(name, root, plain, sites, *_pages(plain, sites[HIGHEST]))


def _article(path: Path) -> Tag | None:
    """A page's main content: Material's content area, which holds the page's `article` (and on
    a blog's index, one `article` per post's excerpt)."""
    return BeautifulSoup(path.read_bytes(), "html5lib").select_one(CONTENT)


def _pages(plain: Path, staged: Path) -> tuple[list[Page], list[str]]:
    """Every page of the plain site that has a main content (Material's content area), beside the
    same page of the plugin's site; and the plain site's pages the plugin's site lacks."""
    pages, missing = [], []
    for path in sorted(plain.rglob("*.html")):
        page = path.relative_to(plain).as_posix()
        plain_article = _article(path)
        if plain_article is None:
            continue
        article = _article(staged / page) if (staged / page).is_file() else None
        if article is None:
            missing.append(page)
            continue
        pages.append(
            Page(
                page,
                plain_article,
                article,
                _comments(plain_article),
                _comments(article),
                _strays(plain_article),
                _strays(article),
            )
        )
        for intended in INTENDED:
            for tag in article.select(intended.selector) if intended.change else []:
                intended.change(tag)
    return pages, missing


def _content(article: Tag) -> tuple[str, list[tuple[str, str, str]]]:
    """An article's text (white space collapsed) and its links, in document order."""
    text = " ".join(article.get_text(" ").split())
    links = [
        (tag.name, attribute, str(tag[attribute]))
        for tag in article.find_all(True)
        for attribute in ("href", "src")
        if tag.has_attr(attribute)
    ]
    return text, links


def _comments(article: Tag) -> Counter[str]:
    return Counter(str(text) for text in article.find_all(string=lambda s: isinstance(s, Comment)))


def _strays(article: Tag) -> Counter[str]:
    """`&name;` sequences in a parsed article's text and attribute values whose name is no
    character reference: what is left when an `&` gained a `;` nobody wrote."""
    values = [str(text) for text in article.find_all(string=True)]
    for tag in [article, *article.find_all(True)]:
        for value in tag.attrs.values():
            values += value if isinstance(value, list) else [str(value)]
    return Counter(
        match.group(0)
        for value in values
        for match in AMPERSAND_NAME.finditer(value)
        if match.group(1) + ";" not in html.entities.html5
    )


def _first_difference(plain: str, staged: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(plain, staged, strict=False)) if a != b), None)
    at = min(len(plain), len(staged)) if at is None else at
    around = slice(max(0, at - 60), at + 60)
    return f"plain: …{plain[around]}…\nstaged: …{staged[around]}…"


def test_plain_and_plugin_builds_pass_for_every_audience(built: Built) -> None:
    """The fixture built the copy plain (strict) and for every audience (verified); each page
    of the plain site is in the highest audience's, at the same address."""
    assert len(built.pages) >= 3, [page.path for page in built.pages]
    assert not built.missing, f"pages of the plain build not in the {HIGHEST} site: {built.missing}"


def test_validate_foresees_nothing_that_the_strict_builds_passed(built: Built) -> None:
    """Both strict builds passed, so `validate` foresees no strict stop, snippet or blog
    author problem (SMS317 to SMS329) on the site: no false hit."""
    checked = run_cli("validate", built.root)
    foreseen = [
        line for line in checked.out.splitlines() if re.search(r": SMS3(1[7-9]|2\d):", line)
    ]
    assert foreseen == []


def test_highest_audience_equals_plain_build_article_by_article(built: Built) -> None:
    differences = []
    for page in built.pages:
        plain_text, plain_links = _content(page.plain)
        text, links = _content(page.staged)
        if text != plain_text:
            differences.append(f"{page.path}: text differs\n{_first_difference(plain_text, text)}")
        if links != plain_links:
            lost = [link for link in plain_links if link not in links]
            added = [link for link in links if link not in plain_links]
            differences.append(f"{page.path}: links differ; lost {lost[:5]}, added {added[:5]}")
    assert not differences, "\n\n".join(differences)


def _per_page(built: Built, count: Callable[[Page], Counter[str]]) -> list[str]:
    """`page: what count found` for each page where it found anything."""
    return [f"{page.path}: {dict(count(page))}" for page in built.pages if count(page)]


def _total(built: Built, count: Callable[[Page], Counter[str]]) -> int:
    return sum(sum(count(page).values()) for page in built.pages)


def test_no_ampersand_gains_a_semicolon(built: Built) -> None:
    invented = _per_page(built, lambda page: page.staged_strays - page.plain_strays)
    plain = _total(built, lambda page: page.plain_strays)
    staged = _total(built, lambda page: page.staged_strays)
    print(f"{built.name}: non-entity &name; sequences: plain {plain}, plugin {staged}")
    assert not invented, "\n".join(invented)


def test_no_html_comment_is_lost(built: Built) -> None:
    lost = _per_page(built, lambda page: page.plain_comments - page.staged_comments)
    plain = _total(built, lambda page: page.plain_comments)
    missing = _total(built, lambda page: page.plain_comments - page.staged_comments)
    print(f"{built.name}: HTML comments in the plain articles {plain}, lost {missing}")
    assert not lost, "\n".join(lost)


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_restricted_page_leaks_nowhere(built: Built) -> None:
    """Neither the restricted page's words nor its path (without `.md`, so its address too) are
    in any file of a lower audience's site, its search index and sitemap included."""
    page, words = MARKERS[built.name]
    marker = _words(words)
    docs = built.root / "docs"
    sources = [p for p in docs.rglob("*.md") if marker in _words(p.read_text(encoding="utf-8"))]
    assert sources == [docs / page], f"the marker must be words of {page} alone: {sources}"
    path = page.removesuffix(".md").casefold()
    highest = site_texts(built.sites[HIGHEST])
    assert any(marker in text for text in highest.values())  # the scan reads real content
    for audience in AUDIENCES[:-1]:
        texts = site_texts(built.sites[audience])
        assert "search/search_index.json" in texts
        assert "sitemap.xml" in texts
        where = [name for name, text in texts.items() if marker in text or path in text]
        assert not where, f"the restricted page leaked into the {audience} site: {where}"


def test_the_allowed_differences_are_the_readmes() -> None:
    """INTENDED names the README's list of what the stage changes in a page, in its order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_SECTION in readme
    section = readme.split(README_SECTION, 1)[1].split("\n#", 1)[0]
    items = re.findall(r"^\d+\. \*\*(.+?)\.?\*\*", section, flags=re.MULTILINE)
    assert items == [intended.what for intended in INTENDED]


def test_every_corpus_site_is_tested_beside_its_licence() -> None:
    assert sorted(MARKERS) == corpus_names()
    for name in MARKERS:
        for kept in ("LICENSE", "NOTICE", "mkdocs.yml", "registers/roles.yaml"):
            assert (CORPUS / name / kept).is_file(), f"{name}: no {kept}"
