"""Read a handbook repository's settings from its mkdocs.yml, for the CLI and the hooks.

The MkDocs plugin gets the same options from MkDocs itself; here we read only what the core
needs (`docs_dir` and the plugin's options), without loading the other plugins or the theme.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from .core.diagnostics import Diagnostic
from .core.settings import Settings, problems
from .mkdocs_plugin.config import HandbookConfig

PLUGIN = "sms-handbook"
CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


def config_file(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def plugin_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The options of our plugin in a loaded mkdocs.yml, or None when it is not listed."""
    plugins = config.get("plugins")
    entries: list[Any] = []
    if isinstance(plugins, dict):
        entries = [{name: options} for name, options in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    for entry in entries:
        if entry == PLUGIN:
            return {}
        if isinstance(entry, dict) and PLUGIN in entry:
            options = entry[PLUGIN]
            return dict(options) if isinstance(options, dict) else {}
    return None


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    return 1


def read_settings(
    root: Path, audience: str | None = None
) -> tuple[Settings | None, HandbookConfig | None, list[Diagnostic]]:
    """Settings for the handbook at `root`; `audience` (or `SMS_AUDIENCE`) overrides."""
    path = config_file(root)
    if path is None:
        message = f"no mkdocs.yml in {root}; run in the handbook's root folder or pass ROOT"
        return None, None, [Diagnostic("mkdocs.yml", 1, 1, "SMS502", message)]
    name = path.name
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        with path.open(encoding="utf-8") as stream:
            loaded = yaml_load(stream)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, None, [Diagnostic(name, line, column, "SMS501", str(error.problem))]
    except (yaml.YAMLError, OSError, UnicodeDecodeError, ValueError) as error:
        return None, None, [Diagnostic(name, 1, 1, "SMS501", f"cannot read {name}: {error}")]
    if not isinstance(loaded, dict):
        return None, None, [Diagnostic(name, 1, 1, "SMS501", f"{name} is not a mapping")]
    options = plugin_options(loaded) or {}
    config = HandbookConfig(config_file_path=str(path))
    config.load_dict(options)
    errors, _warnings = config.validate()
    line = _line_of(text, "plugins")
    diagnostics = [
        Diagnostic(name, line, 1, "SMS501", f"plugin option `{key}`: {error}; fix it in {name}")
        for key, error in errors
    ]
    if diagnostics:
        return None, None, diagnostics
    docs_dir = loaded.get("docs_dir") or "docs"
    settings = config.settings(docs_dir=str(docs_dir))
    chosen = audience or os.environ.get("SMS_AUDIENCE")
    if chosen:
        settings = settings.replace(audience=chosen)
    diagnostics = [Diagnostic(name, line, 1, "SMS501", message) for message in problems(settings)]
    return (None if diagnostics else settings), config, diagnostics
