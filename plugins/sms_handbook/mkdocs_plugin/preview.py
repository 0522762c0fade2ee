"""The incremental live preview: a save rebuilds the pages whose output depends on it.

`sms-handbook serve` runs MkDocs' server with dirty builds: MkDocs renders again only the pages
whose staged file is newer than their output, and the stage rewrites only the files whose
content changed. What MkDocs' dirty builds get wrong is put right here, from what the previous
build of the preview left:

* the navigation: a page MkDocs does not read again keeps its title and front matter (the
  navigation of the pages it renders shows them); when a title, a page's place or the set of
  pages changes, every page whose navigation shows that entry is rendered again (with
  `navigation.prune`, the pages of its section; otherwise all of them);
* pages and files that left the stage (a classification raised, a page deleted) leave the
  site at once, and their search entries with them; the search index keeps the entries of the
  pages not rendered again;
* the print edition is assembled again whenever a printed document is rendered;
* the banner of problems: every page shows the current list, rendered or not.

The first build, and every build after `mkdocs.yml` changed, is a full one.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory, get_markdown_title
from mkdocs.utils.meta import get_data

from ..core.diagnostics import Diagnostic
from ..core.model import Handbook
from ..finish import PageMarks, SettledSite
from ..project import read_project
from ..verify import SecretFinder
from .search_entries import MATERIAL_SEARCH

Place = tuple[str, str, tuple[str, ...], int]  # title, URL, sections above, position


@dataclass
class Known:
    """What the preview knows of a page from the build that last rendered it."""

    title: str | None
    meta: dict[str, Any]
    dest: str = ""  # its output file
    url: str = ""


@dataclass
class PreviewState:
    """What one build of the preview leaves for the next (the plugin lives as long as the
    server)."""

    config_digest: str = ""
    known: dict[str, Known] = field(default_factory=dict)  # src_uri -> page
    places: dict[str, Place] = field(default_factory=dict)  # src_uri -> place in the nav
    outputs: set[str] = field(default_factory=set)  # files of the site, as written
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page URL -> entries
    banners: dict[str, str] = field(default_factory=dict)  # page output -> banner it shows
    rendered: set[str] = field(default_factory=set)  # src_uris rendered by this build
    sections: dict[str, tuple[object, str]] | None = None  # the print edition's (finish.py)
    settled: SettledSite = field(default_factory=SettledSite)  # file modes, as last settled
    secrets_key: str = ""  # what the pages on disk were checked against (`SecretFinder.digest`)
    full: bool = True
    nav: Navigation | None = None  # this build's
    # A save's first step: the pages that only show a changed entry in their navigation are
    # `deferred` to its second step (they keep what they showed until then)
    hold_back: bool = False
    deferred: set[str] = field(default_factory=set)
    refused: dict[str, str] = field(default_factory=dict)  # src_uri -> why it is not served

    def start(self, config: MkDocsConfig, before_clean: Callable[[], None] | None) -> bool:
        """A new build: a full one when it is the first or `mkdocs.yml` changed (MkDocs'
        dirty build would keep the pages of the old settings); `before_clean` is called
        before a full build empties the site. Returns whether it is full."""
        digest = _digest(Path(config.config_file_path or "mkdocs.yml"))
        self.full = digest != self.config_digest or not self.outputs
        self.config_digest = digest
        self.rendered = set()
        self.hold_back = False
        if self.full:
            if before_clean is not None:
                before_clean()
            clean_directory(config.site_dir)
            self.known, self.places, self.search, self.banners = {}, {}, {}, {}
            self.outputs, self.sections, self.deferred, self.refused = set(), {}, set(), {}
            self.settled = SettledSite()
        return self.full

    def continues(self, config: MkDocsConfig) -> bool:
        """Whether the next build goes on from this one (`start` would not make it full)."""
        digest = _digest(Path(config.config_file_path or "mkdocs.yml"))
        return bool(self.outputs) and bool(self.config_digest) and digest == self.config_digest

    def plan(self, nav: Navigation, files: Files, site: Site) -> None:
        """Which pages this build renders: those whose staged file changed, and those whose
        navigation shows a changed entry; the others keep what they showed. Outputs of files
        that left the stage are removed now."""
        current = {os.path.normpath(file.abs_dest_path) for file in files}
        for gone in sorted(self.outputs - current):
            _remove_output(Path(gone), site.site_dir)
        self.outputs = current
        pages = {f.src_uri: f.page for f in files.documentation_pages() if f.page is not None}
        changed = {uri for uri, page in pages.items() if self.full or page.file.is_modified()}
        changed |= set(pages) - set(self.known)
        seen: dict[str, Known] = {}
        for uri, page in pages.items():
            seen[uri] = known = _read_known(page) if uri in changed else self.known[uri]
            # MkDocs does not read it again: it shows what it showed (a changed page's
            # title and front matter stand until MkDocs reads them, for the navigation)
            page.title, page.meta = known.title, dict(known.meta)
        places = _places(nav, {uri: known.title for uri, known in seen.items()})
        for uri in changed:
            vars(pages[uri]).pop("title", None)  # MkDocs' own title once it reads the page
        forced = _shown_with(places, self.places, site.pruned) | self.deferred
        forced = (forced & set(pages)) - changed
        self.deferred, forced = (forced, set()) if self.hold_back else (set(), forced)
        printed = site.printed & (changed | forced)
        if site.print_page in pages and site.print_page not in changed and printed:
            forced.add(site.print_page)
        for uri in forced:  # MkDocs renders a page whose output is missing
            _remove_output(Path(pages[uri].file.abs_dest_path), site.site_dir)
        self.nav = nav
        self.places = places  # until the build ends (and every title is known)
        self.rendered = changed | forced
        for uri in set(self.known) - set(pages):
            del self.known[uri]
        # a page rendered again is judged again; the others stay refused, on the banner too
        self.refused = {
            uri: problem
            for uri, problem in self.refused.items()
            if uri in pages and uri not in self.rendered
        }

    def keep_search(self, config: MkDocsConfig, files: Files) -> None:
        """Before pages are rendered: Material's index starts with the entries of the pages
        this build does not render (and of no page that left the site)."""
        plugin = _material_search(config)
        if plugin is None:
            return
        plugin.search_index_prev = None  # its own merge assumes one page per build
        kept = []
        for file in files.documentation_pages():
            if file.src_uri not in self.rendered and file.page is not None:
                kept += self.search.get(file.page.url, [])
        plugin.search_index.entries[:0] = kept

    def rendered_page(self, page: Page, banner: str) -> None:
        dest = os.path.normpath(page.file.abs_dest_path)
        self.known[page.file.src_uri] = Known(page.title, dict(page.meta), dest, page.url)
        self.banners[dest] = banner

    def recheck(self, secrets: SecretFinder, view: Handbook, config: MkDocsConfig) -> list[str]:
        """When what the audience may not see changed (a classification raised), the pages
        not rendered again are checked too: one may show a title that has just become
        hidden. Returns the problems; each such page is replaced as a rendered one is."""
        if secrets.digest == self.secrets_key:
            return []
        self.secrets_key = secrets.digest
        problems = []
        for uri, known in self.known.items():
            if uri in self.rendered or not os.path.isfile(known.dest):
                continue
            text = Path(known.dest).read_text(encoding="utf-8")
            refused = refused_page(text, uri, None, secrets, view)
            if refused is not None:
                problems.append(refused[0])
                self.refused[uri] = refused[0]
                Path(known.dest).write_text(refused[1], encoding="utf-8")
                self.banners[known.dest] = ""
                _drop_entries(config, known.url, rewrite=True)
        return problems

    def remember(self, config: MkDocsConfig) -> None:
        """What this build showed, for the next: each page's place in the navigation (with
        the titles MkDocs rendered) and each page's search entries."""
        if self.nav is not None:
            titles = {page.file.src_uri: page.title for page in self.nav.pages}
            self.places = _places(self.nav, titles)
            self.nav = None
        plugin = _material_search(config)
        if plugin is None:
            return
        self.search = {}
        for entry in plugin.search_index.entries:
            page_url = str(entry.get("location", "")).split("#", 1)[0]
            self.search.setdefault(page_url, []).append(entry)

    def refresh_banners(self, banner: str, marked: set[str]) -> None:
        """Every page output shows `banner` (rendered now or by an earlier build); all are
        `marked`, so that nothing marks them twice."""
        for path, shown in list(self.banners.items()):
            if path not in self.outputs and not os.path.exists(path):
                del self.banners[path]
                continue
            marked.add(path)
            if shown != banner:
                text = Path(path).read_text(encoding="utf-8")
                if shown:
                    text = text.replace(shown, banner, 1)
                else:
                    text = PageMarks("", banner).apply(text)
                Path(path).write_text(text, encoding="utf-8")
                self.banners[path] = banner


def drop_search_entries(config: MkDocsConfig, page: Page) -> None:
    """A page refused by verification: none of its text stays in the search index."""
    _drop_entries(config, page.url, rewrite=False)


def _drop_entries(config: MkDocsConfig, url: str, *, rewrite: bool) -> None:
    """The page at `url` leaves Material's index; with `rewrite`, the index file written
    already is written again."""
    plugin = _material_search(config)
    if plugin is None:
        return
    entries = plugin.search_index.entries
    entries[:] = [e for e in entries if str(e.get("location", "")).split("#")[0] != url]
    path = Path(config.site_dir) / "search" / "search_index.json"
    if rewrite and path.is_file():
        path.write_text(plugin.search_index.generate_search_index(None), encoding="utf-8")


@dataclass
class Site:
    """What the plan needs to know of the site being built."""

    site_dir: Path
    pruned: bool  # a page's navigation shows only its own section's pages
    print_page: str | None
    printed: set[str]  # src_uris of the documents in the print edition

    @classmethod
    def of(cls, config: MkDocsConfig, print_page: str | None, printed: set[str]) -> Site:
        features = list(config.theme.get("features") or [])
        pruned = "navigation.prune" in features and "navigation.expand" not in features
        return cls(Path(config.site_dir), pruned, print_page, printed)


def _places(nav: Navigation, titles: dict[str, str | None]) -> dict[str, Place]:
    places = {}
    for position, page in enumerate(nav.pages):
        sections = []
        parent = page.parent
        while parent is not None:
            sections.append(str(parent.title))
            parent = parent.parent
        places[page.file.src_uri] = (
            str(titles.get(page.file.src_uri)),
            page.url,
            tuple(reversed(sections)),
            position,
        )
    return places


def _shown_with(new: dict[str, Place], old: dict[str, Place], pruned: bool) -> set[str]:
    """The pages whose navigation (or previous/next links) shows an entry that changed: a
    page's, or a section's that appeared or went."""
    changed = {uri for uri in new.keys() | old.keys() if new.get(uri) != old.get(uri)}
    if not changed or not old:
        return set()
    if not pruned:
        return set(new)
    listed = {section[:-1] for section in _sections(new) ^ _sections(old)} | {
        place[2] for uri in changed for place in (new.get(uri), old.get(uri)) if place
    }
    if () in listed:
        return set(new)  # a top-level entry: every page shows it
    shown = {u for u, p in new.items() if any(p[2][: len(s)] == s for s in listed)}
    order = sorted(new, key=lambda uri: new[uri][3])
    for uri in changed:
        for place in (new.get(uri), old.get(uri)):
            if place is not None:  # the pages before and after it link to it
                shown |= set(order[max(place[3] - 1, 0) : place[3] + 2])
    return shown


def _sections(places: dict[str, Place]) -> set[tuple[str, ...]]:
    """Every section of the navigation (a section that appears or goes changes what its
    parent shows)."""
    found = set()
    for place in places.values():
        sections = place[2]
        found |= {sections[:depth] for depth in range(1, len(sections) + 1)}
    return found


def _read_known(page: Page) -> Known:
    """A changed page's title and front matter, read from its staged file before MkDocs
    reads it (its neighbours' navigation shows them)."""
    assert page.file.abs_src_path is not None
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return Known(None, {})
    markdown, meta = get_data(text)
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    return Known(title or get_markdown_title(markdown), meta)


def _material_search(config: MkDocsConfig) -> Any | None:
    for plugin in config.plugins.values():
        if type(plugin).__module__ == MATERIAL_SEARCH and hasattr(plugin, "search_index"):
            return plugin
    return None


def _remove_output(path: Path, site_dir: Path) -> None:
    """A file of the site removed, and the folders it leaves empty (never the site's own)."""
    try:
        os.unlink(path)
    except OSError:
        return
    folder = path.parent
    while folder != site_dir and folder.is_relative_to(site_dir) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def refused_page(
    output: str, src_uri: str, markdown: str | None, secrets: SecretFinder, view: Handbook
) -> tuple[str, str] | None:
    """(the problem, the page served instead) when a rendered page shows an item hidden from
    the preview's audience (a hidden title typed into a public page, say), else None. The
    problem names the page and where the text is, never the text."""
    found = secrets(output)
    if not found:
        return None
    what = "id" if found[0].is_id else "title" if found[0].is_name else "text"
    path = f"{view.settings.docs_dir}/{src_uri}"
    source = next((d.source for d in view.documents if d.src_uri == src_uri), "")
    line, column = _where(source or markdown or "", found[0].text)
    message = (
        f"the page shows the {what} of an item hidden from the {view.audience} audience "
        f"({len(found)} found); the preview does not serve it until it is reworded"
    )
    problem = str(Diagnostic(path, line, column, "SMS711", message))
    body = f"<h1>Not served</h1><p><code>{escape(problem)}</code></p>"
    html = (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>Not served</title>'
        f"</head><body>{body}</body></html>\n"
    )
    return problem, html


def _where(markdown: str, text: str) -> tuple[int, int]:
    """Line and column of `text` in the page as written (1, 1 when not found as typed)."""
    wanted = text.casefold()
    for number, line in enumerate(markdown.splitlines(), start=1):
        at = line.casefold().find(wanted)
        if at >= 0:
            return number, at + 1
    return 1, 1


class ConfigWords(logging.Handler):
    """What MkDocs says of the configuration while it loads it (it raises only "Aborted with
    a configuration error!"): kept, so that the banner can say it too."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


def broken_settings(error: Exception, config_file: Path, said: list[str]) -> list[str]:
    """Why a rebuild of the preview failed, as path:line:column lines: the configuration's
    problems when it has any (its YAML, the plugin's options), else MkDocs' own words."""
    _project, problems = read_project(config_file.parent, None, config_file)
    if problems:
        return [str(problem) for problem in problems]
    message = "; ".join(said) or str(error).strip() or type(error).__name__
    kept = "the preview keeps serving its last good build until this is fixed"
    if isinstance(error, ConfigurationError | Abort):
        return [str(Diagnostic(config_file.name, 1, 1, "SMS710", f"{message}; {kept}"))]
    return [f"the preview could not be rebuilt: {message}; {kept}"]
