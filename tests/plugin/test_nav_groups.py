"""Long navigation sections split into groups titled by their first and last page.

A group's title is kept once every page is read (it is asked for on every page of the site);
it must still be the titles the pages end with, which for a page with no `title` in its front
matter is known only once MkDocs has rendered its first heading.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Handbook, build_site

NOTES = ["Alpha note", "Bravo note", "Charlie note", "Delta note", "Echo note"]


def _grouped_site(handbook: Handbook) -> None:
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      nav_group_size: 2\n"
    )
    for number, title in enumerate(NOTES, 1):
        handbook.write(
            f"docs/notes/note-{number}.md",
            f"---\nclassification: public\n---\n\n# {title}\n\nText of note {number}.\n",
        )


def _group_titles(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html5lib")
    links = soup.select("nav.md-nav--primary .md-nav__link")
    return [" ".join(link.get_text(" ", strip=True).split()) for link in links]


def test_groups_are_titled_by_the_headings_of_their_pages(handbook: Handbook, tmp_path: Path):
    _grouped_site(handbook)
    site = build_site(handbook.root, tmp_path / "site")
    for page in ("notes/note-1/", "notes/note-5/"):
        titles = _group_titles(site.html(page))
        assert "Alpha note \u2013 Bravo note" in titles, titles
        assert "Charlie note \u2013 Delta note" in titles, titles
        assert "Echo note \u2013 Echo note" in titles, titles
