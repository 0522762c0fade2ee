"""MkDocs hooks listed in a stage's configuration (MkDocs and ProperDocs engines)."""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from sms_handbook.mkdocs_plugin.navigation import group_large_sections
from sms_handbook.mkdocs_plugin.search_entries import (
    StageSearch,
    index_entries,
    load_stage_search,
    put_back,
    set_aside,
)

_search = StageSearch()  # MkDocs loads the hooks anew for each build


def on_config(config: Any) -> Any:
    global _search  # noqa: PLW0603 (one build's state, in the module MkDocs made for it)
    _search = load_stage_search(config.docs_dir)
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Group long navigation sections, as the plugin does in `mkdocs build`."""
    size = (config.extra or {}).get("sms_nav_group_size", 0)
    if isinstance(size, int) and size > 0:
        group_large_sections(nav, size)
    return nav


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Generated pages' search entries come from the stage, not from parsing their HTML."""
    index_entries(page, config, _search)
    return markdown


@event_priority(100)  # before Material's search reads the page
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    set_aside(page, config, _search)
    return context


@event_priority(100)  # before other plugins rewrite the page (minify, say)
def on_post_page(output: str, page: Any, config: Any) -> str:
    return put_back(output, page, _search)
