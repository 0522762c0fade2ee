"""The stage's page events: one sequence that both MkDocs paths run.

`mkdocs build`/`serve` with the plugin (plugin.py) and `sms-handbook build --engine mkdocs` or
`properdocs` (the stage's hooks, stage_hooks.py) hand every page to the same `StagePages`:
long navigation sections grouped, generated pages' search entries handed to Material's index,
control blocks set aside while search reads a page and put back before anything else sees the
output. What only the plugin does beside it (waiting for its workers, the print edition's
spool, the audience marks of a live preview) stays in the plugin.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..finish import PageMarks
from ..stage.layout import StageLayout
from .navigation import PageGroup, answer_theme_lookups, group_large_sections
from .search_entries import StageSearch, index_entries, load_stage_search, put_back, set_aside

NAV_GROUP_SIZE = "sms_nav_group_size"  # in the site's `extra`, set by the pipeline


class StagePages:
    """The page events of one build of a stage."""

    def __init__(self, generated: set[str] | None = None, marks: PageMarks | None = None) -> None:
        self.search = StageSearch()
        self.generated = generated or set()  # src_uris of the generated pages
        self.groups: list[PageGroup] = []
        self.items: list[Any] = []  # the navigation's top level, once MkDocs made it
        self.marks = marks  # the audience's marks, put on each page as MkDocs writes it
        self.marked: set[str] = set()  # normalised paths of the output files marked

    def read_stage(self, docs_dir: str | Path) -> None:
        """What the stage wrote for search (once its generated pages are written)."""
        self.search = load_stage_search(docs_dir)

    def nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> None:
        """Long sections grouped; the generated pages read last (under `mkdocs build` a
        worker writes them meanwhile), which is also the order of their search entries."""
        size = dict(config.extra or {}).get(NAV_GROUP_SIZE, 0)
        if isinstance(size, int) and size > 0:
            self.groups = group_large_sections(nav, size)
        self.items = nav.items
        last = [file for file in files if file.src_uri in self.generated]
        for file in last:
            files.remove(file)
            files.append(file)

    def pages_read(self, env: Any) -> None:
        """Every page is read (MkDocs' `on_env`, `env` the theme's): the groups' titles are
        final, and the theme's lookups of navigation items can be answered."""
        for group in self.groups:
            group.settle()
        answer_theme_lookups(self.items, env.undefined)

    def page_markdown(self, page: Page, config: MkDocsConfig) -> None:
        """Generated pages' search entries come from the stage, not from parsing them; they
        have no file in the repository to edit."""
        index_entries(page, config, self.search)
        if page.file.src_uri in self.generated:
            page.edit_url = None

    def page_context(self, page: Page, config: MkDocsConfig) -> None:
        """Before Material's search reads the page: the control block stands aside."""
        set_aside(page, config, self.search)

    def post_page(self, output: str, page: Page) -> str:
        """The control block back, before other plugins rewrite the page; the audience's
        marks, when these events were given them (the finish step then leaves the page)."""
        output = put_back(output, page, self.search)
        if self.marks:
            output = self.marks.apply(output)
            self.marked.add(os.path.normpath(page.file.abs_dest_path))
        return output


def events_for(config: Any, marks: PageMarks | None = None) -> StagePages:
    """The page events of the stage whose docs folder `config` names, with what the stage
    wrote for search; with `marks`, they mark every page."""
    pages = StagePages(generated_pages(Path(config.docs_dir).parent), marks)
    pages.read_stage(config.docs_dir)
    return pages


def generated_pages(stage_root: Path) -> set[str]:
    """The generated pages the stage's data file lists."""
    try:
        data = json.loads(StageLayout(stage_root).data_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    listed = data.get("generated") if isinstance(data, dict) else None
    return {str(uri) for uri in listed} if isinstance(listed, list) else set()
