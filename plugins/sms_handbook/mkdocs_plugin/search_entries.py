"""Material's search takes the entries the stage wrote for generated pages (render/search.py)
instead of parsing those pages' HTML back into sections. Shared by the plugin and the stage's
hooks; any other search plugin parses every page as usual."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..stage.layout import SEARCH_ENTRIES

if TYPE_CHECKING:  # the stage's hooks run under ProperDocs too: no import of mkdocs at run time
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

MATERIAL_SEARCH = "material.plugins.search.plugin"


def load_search_entries(docs_dir: str | Path) -> dict[str, list[dict[str, str]]]:
    """The entries of a stage whose docs folder is `docs_dir` ({} when there are none)."""
    try:
        data = json.loads((Path(docs_dir).parent / SEARCH_ENTRIES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _material_index(config: MkDocsConfig) -> Any | None:
    for plugin in config.plugins.values():
        if type(plugin).__module__ == MATERIAL_SEARCH and plugin.config.get("enabled", True):
            return getattr(plugin, "search_index", None)
    return None


def index_entries(
    page: Page, config: MkDocsConfig, entries: dict[str, list[dict[str, str]]]
) -> None:
    """Before Material's search sees `page`: when the stage wrote its entries, add them to the
    index and exclude the page from parsing."""
    found = entries.get(page.file.src_uri)
    index = _material_index(config) if found is not None else None
    if found is None or index is None or not hasattr(index, "entries"):
        return
    search = page.meta.get("search")
    page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
    for entry in found:
        location = page.url + (f"#{entry['anchor']}" if entry["anchor"] else "")
        index.entries.append({"location": location, "title": entry["title"], "text": entry["text"]})
