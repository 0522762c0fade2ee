"""Point a running MkDocs build at a stage: the live configuration takes the stage's."""

from __future__ import annotations

import importlib
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..python_tags import PythonName
from ..site_config import named_entries
from ..stage.configuration import (
    EXPANDED_EXTENSIONS,
    GUARD,
    REPOSITORY_KEYS,
    SCOPED_EXTENSION_OPTIONS,
    SCOPED_PLUGIN_OPTIONS,
)
from ..stage.request import Stage


def point_at_stage(config: MkDocsConfig, stage: Stage) -> None:
    """Everything `stage.config` changed, applied to MkDocs' own (already validated) config."""
    derived = stage.config
    config.docs_dir = str(stage.docs_dir)
    if config.nav is not None:
        config.nav = derived.get("nav") or []
    extensions = [e for e in config.markdown_extensions if e not in EXPANDED_EXTENSIONS]
    for name, options in named_entries(derived.get("markdown_extensions")):
        if name not in extensions:
            extensions.append(name)
        if name == GUARD:
            config.mdx_configs[GUARD] = {**options, "proof": stage.proof}
    config.markdown_extensions = extensions
    for name in EXPANDED_EXTENSIONS[:-1]:
        config.mdx_configs.pop(name, None)
    theme = derived.get("theme") or {}
    _theme_dirs(config, stage, theme.get("custom_dir"))
    if "features" in theme:
        config.theme["features"] = theme["features"]
    if theme.get("font") is False:
        config.theme["font"] = False
    listed_css = set(config.extra_css)
    config.extra_css.extend(c for c in derived.get("extra_css", []) if c not in listed_css)
    listed_js = {str(getattr(s, "path", s)) for s in config.extra_javascript}
    config.extra_javascript.extend(
        s for s in derived.get("extra_javascript", []) if s not in listed_js
    )
    extra: dict[str, Any] = derived.get("extra") or {}
    for key in [key for key in config.extra if key not in extra]:
        del config.extra[key]  # scoped out by the stage (a key naming a hidden page)
    for key, value in extra.items():
        config.extra[key] = value
    for key in REPOSITORY_KEYS:
        config[key] = derived.get(key)
    _scoped_options(config, derived)


def _theme_dirs(config: MkDocsConfig, stage: Stage, staged: object) -> None:
    """The theme reads its overrides from the stage's copy (links left out), not from the
    repository's custom_dir, which MkDocs put first in the theme's folders."""
    custom = config.theme.custom_dir
    if custom is None:
        return
    dirs = config.theme.dirs
    if custom in dirs:
        dirs.remove(custom)
    if isinstance(staged, str) and str(stage.root / staged) not in dirs:
        dirs.insert(0, str(stage.root / staged))  # once, when pointed at the stage again


def _scoped_options(config: MkDocsConfig, derived: dict[str, Any]) -> None:
    """The other plugins and extensions are loaded already: give them the options the stage
    scoped for this audience (redirects to hidden pages left out, emoji without a CDN ...).
    A plugin that read an option in its own `on_config` before ours ran (Material's blog, when
    listed before sms-handbook) keeps what it read."""
    for name, options in named_entries(derived.get("plugins")):
        keys = SCOPED_PLUGIN_OPTIONS.get(name, ())
        plugin = next(
            (p for key, p in config.plugins.items() if key == name or key.endswith("/" + name)),
            None,
        )
        if plugin is None:
            continue
        for key in keys:
            if key in options:
                plugin.config[key] = options[key]
    for name, options in named_entries(derived.get("markdown_extensions")):
        for key in SCOPED_EXTENSION_OPTIONS.get(name, ()):
            if key in options:
                config.mdx_configs.setdefault(name, {})[key] = _resolved(options[key])


def _resolved(value: Any) -> Any:
    """A `!!python/name:` value of the stage's (our own generator names) as the object."""
    if not isinstance(value, PythonName):
        return value
    module, _, attribute = value.name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


def disable_page_macros(config: MkDocsConfig) -> bool:
    """The stage rendered page templates already: mkdocs-macros must not render them again."""
    macros = config.plugins.get("macros")
    if macros is None:
        return False
    macros.config["render_by_default"] = False
    macros.config["force_render_paths"] = ""
    return True
