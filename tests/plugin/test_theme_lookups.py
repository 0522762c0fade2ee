"""The navigation items answer what Material's navigation template asks of them.

Material's `partials/nav-item.html` asks every item it lists for attributes MkDocs' pages and
sections lack (`typeset`, `encrypted`, `pages`, a section's `meta`); each miss cost Jinja two
exceptions, millions of times in a build of thousands of pages. The items now hold what Jinja
made of each miss, so the site must be exactly the site built without them, with Material's
`typeset` plugin (which sets a page's `typeset` only when the page has none) among the plugins.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import pytest
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page
from sms_handbook.mkdocs_plugin import page_events
from sms_handbook.mkdocs_plugin.navigation import THEME_LOOKUPS

from tests.conftest import Handbook, build_site

NOTES = [
    ("Alpha note", "icon: material/star\n"),
    ("Bravo note", "subtitle: The second\n"),
    ("Charlie note", "status: new\n"),
    ("Delta note", ""),
    ("Echo note", "title: Echo's own title\n"),
]


def _grouped_site(handbook: Handbook) -> None:
    """Groups of two notes in a section, pages with and without the meta the template reads,
    the typeset plugin and pruned navigation."""
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      nav_group_size: 2\n"
    )
    handbook.replace("mkdocs.yml", "  - search\n", "  - search\n  - material/typeset\n")
    handbook.replace(
        "mkdocs.yml",
        "  name: material\n",
        "  name: material\n  features:\n    - navigation.prune\n    - navigation.indexes\n",
    )
    for number, (title, meta) in enumerate(NOTES, 1):
        handbook.write(
            f"docs/notes/note-{number}.md",
            f"---\nclassification: public\n{meta}---\n\n# {title} *{number}*\n\nText {number}.\n",
        )


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_site_is_the_one_built_without_the_answers(
    handbook: Handbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _grouped_site(handbook)
    answered = build_site(handbook.root, tmp_path / "answered")
    monkeypatch.setattr(page_events, "answer_theme_lookups", lambda items, undefined: None)
    asked = build_site(handbook.root, tmp_path / "asked")
    new, old = _files(answered.root), _files(asked.root)
    assert sorted(new) == sorted(old)
    assert [name for name in new if new[name] != old[name]] == []
    assert 'class="md-typeset"' in answered.html("notes/note-1/")  # the typeset titles shown


def test_the_navigation_template_finds_what_it_asks_for(
    handbook: Handbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _grouped_site(handbook)
    missed: Counter[tuple[str, str]] = Counter()
    ask = jinja2.Environment.getattr

    def counting(self: jinja2.Environment, obj: Any, attribute: str) -> Any:
        if isinstance(obj, (Page, Section)) and not hasattr(obj, attribute):
            missed[type(obj).__name__, attribute] += 1
        return ask(self, obj, attribute)

    monkeypatch.setattr(jinja2.Environment, "getattr", counting)
    build_site(handbook.root, tmp_path / "site")
    asked = {name for _kind, names in THEME_LOOKUPS for name in names}
    assert {key: n for key, n in missed.items() if key[1] in asked} == {}
