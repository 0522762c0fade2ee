"""MkDocs hooks listed in a stage's configuration (MkDocs and ProperDocs engines): the same
page events the plugin runs under `mkdocs build` (page_events.py)."""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from sms_handbook.finish import PageMarks
from sms_handbook.mkdocs_plugin.page_events import StagePages, events_for

_pages = StagePages()  # set anew by each build (MkDocs loads a hook file once a process)
_marks: PageMarks | None = None


def mark_pages(marks: PageMarks | None) -> None:
    """Mark every page of this build as MkDocs writes it (the MkDocs engine, which runs in
    this process, asks so before the build): the finish step need not read them back. MkDocs
    loads a hook file once per process, so every build says its marks, None for none: a
    public build after a restricted one took the restricted banner."""
    global _marks  # noqa: PLW0603 (one build's state, in the module MkDocs made for it)
    _marks = marks


def marked_pages() -> set[str]:
    """The normalised paths of the output files this build marked."""
    return _pages.marked


def on_config(config: Any) -> Any:
    global _pages  # noqa: PLW0603 (one build's state, in the module MkDocs made for it)
    _pages = events_for(config, _marks)
    return config


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    _pages.nav(nav, config, files)
    return nav


def on_env(env: Any, config: Any, files: Any) -> Any:
    _pages.pages_read(env)
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    _pages.page_markdown(page, config)
    return markdown


@event_priority(100)  # before Material's search reads the page
def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    _pages.page_context(page, config)
    return context


@event_priority(100)  # before other plugins rewrite the page (minify, say)
def on_post_page(output: str, page: Any, config: Any) -> str:
    return _pages.post_page(output, page)
