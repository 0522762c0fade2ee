"""MkDocs hooks listed in a stage's configuration (MkDocs and ProperDocs engines)."""

from __future__ import annotations

from typing import Any

from sms_handbook.mkdocs_plugin.navigation import group_large_sections


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Group long navigation sections, as the plugin does in `mkdocs build`."""
    size = (config.extra or {}).get("sms_nav_group_size", 0)
    if isinstance(size, int) and size > 0:
        group_large_sections(nav, size)
    return nav
