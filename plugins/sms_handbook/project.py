"""Read a handbook repository's settings from its mkdocs.yml, for the CLI and the hooks.

Every front end (the MkDocs plugin too) reads them here, without a site generator: the site
configuration as written (see site_config.py) and the plugin's options (core/options.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core.diagnostics import Diagnostic
from .core.options import Options, access_problems, parse_options
from .core.settings import Settings, problems
from .core.site_files import site_files
from .python_tags import refused_tags
from .site_config import ConfigError, find_config, load_config, named_entries

PLUGIN = "sms-handbook"


def config_file(root: Path) -> Path | None:
    return find_config(root)


def plugin_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The options of our plugin in a loaded mkdocs.yml, or None when it is not listed."""
    for name, options in named_entries(config.get("plugins")):
        if name == PLUGIN:
            return options
    return None


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return number
    return 1


@dataclass
class Project:
    """A handbook repository's configuration: the site's, and the plugin's settings."""

    root: Path
    config_file: Path
    site_config: dict[str, Any]  # mkdocs.yml as read (see site_config.py)
    settings: Settings
    options: Options


def read_project(
    root: Path, audience: str | None = None, path: Path | None = None
) -> tuple[Project | None, list[Diagnostic]]:
    """The configuration of the handbook at `root` (from `path`, by default its mkdocs.yml);
    `audience` (or `SMS_AUDIENCE`) overrides the configured audience."""
    path = path or config_file(root)
    if path is None:
        message = f"no mkdocs.yml in {root}; run in the handbook's root folder or pass ROOT"
        return None, [Diagnostic("mkdocs.yml", 1, 1, "SMS502", message)]
    name = path.name
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        loaded = load_config(path)
    except ConfigError as error:
        return None, [Diagnostic(name, error.line, error.column, "SMS501", str(error))]
    config, errors = parse_options(plugin_options(loaded) or {})
    line = _line_of(text, "plugins")
    diagnostics = [
        Diagnostic(name, line, 1, "SMS501", f"plugin option `{key}`: {error}; fix it in {name}")
        for key, error in errors
    ]
    diagnostics += [
        Diagnostic(r.place.file, r.place.line, r.place.column, "SMS504", r.reason)
        for r in refused_tags(loaded, config.allow_python_names)
    ]
    if diagnostics:
        return None, diagnostics
    docs_dir = loaded.get("docs_dir") or "docs"
    files, file_problems = site_files(loaded)
    settings = config.settings(docs_dir=str(docs_dir), site_files=files)
    chosen = audience or os.environ.get("SMS_AUDIENCE")
    if chosen:
        settings = settings.replace(audience=chosen)
    found = problems(settings) + access_problems(config)
    diagnostics = [Diagnostic(name, line, 1, "SMS501", message) for message in found]
    diagnostics += [
        Diagnostic(name, _line_of(text, key), 1, "SMS501", message)
        for key, message in file_problems
    ]
    if diagnostics:
        return None, diagnostics
    return Project(root, path, loaded, settings, config), []
