"""Point a running MkDocs build at a stage: the live configuration takes the stage's."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..site_config import named_entries
from ..stage.build import Stage
from ..stage.configuration import EXPANDED_EXTENSIONS, GUARD


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
            config.mdx_configs[GUARD] = options
    config.markdown_extensions = extensions
    for name in EXPANDED_EXTENSIONS[:-1]:
        config.mdx_configs.pop(name, None)
    theme = derived.get("theme") or {}
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
    for key, value in extra.items():
        config.extra[key] = value
    for key in ("repo_url", "repo_name", "edit_uri"):
        config[key] = derived.get(key)


def disable_page_macros(config: MkDocsConfig) -> bool:
    """The stage rendered page templates already: mkdocs-macros must not render them again."""
    macros = config.plugins.get("macros")
    if macros is None:
        return False
    macros.config["render_by_default"] = False
    return True
