"""Link integrity of every audience's site of the example handbook, checked offline."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.xdist_group("example-sites")
ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


def broken_links(site: Path) -> list[str]:
    pages = {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")}
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for name, path in pages.items():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids[name] = {str(tag["id"]) for tag in soup.find_all(id=True)}
        ids[name] |= {str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})}
        for tag, attribute in ATTRIBUTES.items():
            links += [
                (name, str(element[attribute]))
                for element in soup.find_all(tag)
                if element.get(attribute)
            ]
    problems = []
    for name, link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
            continue
        target = name
        if parts.path:
            path = unquote(parts.path)
            base = "" if path.startswith("/") else posixpath.dirname(name)
            target = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
            if parts.path.endswith("/") or (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            if not (site / target).is_file():
                problems.append(f"{name}: {link} -> missing {target}")
                continue
        fragment = unquote(parts.fragment)
        if fragment and target in ids and fragment not in ids[target]:
            problems.append(f"{name}: {link} -> no #{fragment} in {target}")
    return problems


@pytest.mark.parametrize("audience", ["public", "internal", "restricted"])
def test_no_broken_internal_link_or_anchor(example_sites: Path, audience: str) -> None:
    site = example_sites / audience
    assert len(list(site.rglob("*.html"))) > 5
    assert broken_links(site) == []


def test_the_checker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="b/">gone</a><a href="a/#here">ok</a><a href="a/#nowhere">x</a>'
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">Here</h2>')
    assert broken_links(tmp_path) == [
        "index.html: b/ -> missing b/index.html",
        "index.html: a/#nowhere -> no #nowhere in a/index.html",
    ]


@pytest.mark.parametrize("audience", ["public", "internal", "restricted"])
def test_service_pages_sit_in_the_navigation_under_the_catalogue(
    example_sites: Path, audience: str
) -> None:
    """A service page is no dead end: its tab is active, its sidebar holds the catalogue."""
    pages = sorted((example_sites / audience / "handbook" / "catalogue").glob("svc-*/index.html"))
    assert len(pages) >= 5
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        tab = soup.select_one(".md-tabs__item--active")
        assert tab is not None and tab.get_text(" ", strip=True) == "Customers", page
        sidebar = soup.select_one(".md-sidebar--primary")
        assert sidebar is not None
        active = sidebar.select(".md-nav__link--active")
        assert {a.get_text(" ", strip=True) for a in active} == {soup.h1.get_text().rstrip("¶")}
        catalogue = [a for a in sidebar.find_all("a") if a.get("href") == "../"]
        assert catalogue and "Service catalogue" in catalogue[0].get_text(), page


@pytest.mark.parametrize("audience", ["public", "internal", "restricted"])
def test_no_two_pages_share_a_title(example_sites: Path, audience: str) -> None:
    site = example_sites / audience
    titles: dict[str, list[str]] = {}
    for page in site.rglob("index.html"):
        title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title
        assert title is not None, page
        name = page.parent.relative_to(site).as_posix()
        titles.setdefault(title.get_text(strip=True), []).append(name)
    assert {t: p for t, p in titles.items() if len(p) > 1} == {}
