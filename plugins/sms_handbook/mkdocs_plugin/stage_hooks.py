"""MkDocs hooks listed in a stage's configuration (MkDocs and ProperDocs engines)."""

from __future__ import annotations

from typing import Any

from sms_handbook.mkdocs_plugin.navigation import group_large_sections
from sms_handbook.mkdocs_plugin.search_entries import index_entries, load_search_entries

_search_entries: dict[str, list[dict[str, str]]] = {}  # MkDocs loads hooks anew for each build


def on_config(config: Any) -> Any:
    _search_entries.clear()
    _search_entries.update(load_search_entries(config.docs_dir))
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Group long navigation sections, as the plugin does in `mkdocs build`."""
    size = (config.extra or {}).get("sms_nav_group_size", 0)
    if isinstance(size, int) and size > 0:
        group_large_sections(nav, size)
    return nav


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Generated pages' search entries come from the stage, not from parsing their HTML."""
    index_entries(page, config, _search_entries)
    return markdown
