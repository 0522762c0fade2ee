"""What Material's search parses of a staged site, shared by the plugin and the stage's hooks.

Generated pages come with their search entries (render/search.py), which go into the index
instead of the pages being parsed back into sections. Each controlled document's control block
is excluded from search (`data-search-exclude`) yet was most of what the search parser read on
an ordinary page: it stands aside as a slot while search reads the page and comes back when the
page is written. Any other search plugin, and Zensical, parse the pages as usual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..stage.layout import SEARCH_ENTRIES

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

MATERIAL_SEARCH = "material.plugins.search.plugin"


@dataclass
class StageSearch:
    token: str = ""
    entries: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    unindexed: dict[str, str] = field(default_factory=dict)  # src_uri -> HTML search skips
    aside: set[str] = field(default_factory=set)  # pages whose HTML stands aside now

    @property
    def slot(self) -> str:
        # "SMSHTML": a slot left in a page fails verification like any block not put back
        return f'<div class="sms-slot" data-search-exclude>SMSHTML{self.token}S</div>'


def load_stage_search(docs_dir: str | Path) -> StageSearch:
    """What the stage whose docs folder is `docs_dir` wrote for search (nothing if absent)."""
    try:
        data = json.loads((Path(docs_dir).parent / SEARCH_ENTRIES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return StageSearch()
    if not isinstance(data, dict) or not isinstance(data.get("token"), str):
        return StageSearch()
    return StageSearch(data["token"], data.get("entries") or {}, data.get("unindexed") or {})


def _material_index(config: MkDocsConfig) -> Any | None:
    for plugin in config.plugins.values():
        if type(plugin).__module__ == MATERIAL_SEARCH and plugin.config.get("enabled", True):
            index = getattr(plugin, "search_index", None)
            return index if hasattr(index, "entries") else None
    return None


def index_entries(page: Page, config: MkDocsConfig, search: StageSearch) -> None:
    """Before Material's search sees `page` (any page event before `on_page_context`): when
    the stage wrote its entries, add them to the index and exclude the page from parsing."""
    found = search.entries.pop(page.file.src_uri, None)  # used once: not kept for the build
    index = _material_index(config) if found is not None else None
    if found is None or index is None:
        return
    meta = page.meta.get("search")
    page.meta["search"] = {**(meta if isinstance(meta, dict) else {}), "exclude": True}
    for entry in found:
        location = page.url + (f"#{entry['anchor']}" if entry["anchor"] else "")
        index.entries.append({"location": location, "title": entry["title"], "text": entry["text"]})


def set_aside(page: Page, config: MkDocsConfig, search: StageSearch) -> None:
    """In `on_page_context`, before Material's search: put the page's unindexed HTML aside."""
    block = search.unindexed.get(page.file.src_uri)
    content = page.content or ""
    if block is None or content.count(block) != 1 or _material_index(config) is None:
        return
    page.content = content.replace(block, search.slot, 1)
    search.aside.add(page.file.src_uri)


class SlotLostError(Exception):
    """A page's slot did not reach `on_post_page` intact: its control block would be missing."""


def put_back(output: str, page: Page, search: StageSearch) -> str:
    """In `on_post_page`, before any other plugin: the page's HTML back in its slot."""
    if page.file.src_uri not in search.aside:
        return output
    search.aside.discard(page.file.src_uri)
    if output.count(search.slot) != 1:
        raise SlotLostError(
            f"sms-handbook: the control block of {page.file.src_uri} could not be put back (a "
            "plugin changed the page between its context and its output); the build stops "
            "rather than publish the page without it"
        )
    return output.replace(search.slot, search.unindexed.pop(page.file.src_uri), 1)
