"""The configuration files a site generator finds by itself, each checked for the guard.

A direct `zensical build`, `properdocs build` or `mkdocs build` (plugin switched off) on the
repository reads one of these files, or the file `-f` names; only the guard extension makes
such a run refuse to convert pages. A file without it (a two-line `zensical.toml` beside
`mkdocs.yml`, which Zensical reads first; an `INHERIT:` parent built with `-f`) would publish
every page. The front end finds them; the core reports them (SMS706).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .site_config import ConfigError, load_config_and_parent, named_entries

# What each engine looks for, in the order it looks (Zensical: the TOML file first).
CONFIG_FILES = ("zensical.toml", "properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
GUARD = "sms_handbook.guard"
MAX_PARENTS = 10


def unguarded_configs(root: Path) -> list[tuple[str, str]]:
    """(path relative to `root`, why) of every configuration an engine could build directly
    without the guard: the files engines find in `root`, and every `INHERIT:` parent."""
    found: list[tuple[str, str]] = []
    pending = [root / name for name in CONFIG_FILES if (root / name).is_file()]
    seen: set[Path] = set()
    while pending and len(seen) < len(CONFIG_FILES) + MAX_PARENTS:
        path = pending.pop(0).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        shown = (
            path.relative_to(root.resolve()).as_posix()
            if path.is_relative_to(root.resolve())
            else str(path)
        )
        try:
            if path.suffix == ".toml":
                guarded = _toml_has_guard(path)
            else:
                config, parent = load_config_and_parent(path)
                guarded = _has_guard(config.get("markdown_extensions"))
                if parent is not None:
                    pending.append(parent)
        except (ConfigError, OSError, ValueError):
            continue  # mkdocs.yml's own errors are reported where it is read; others: unused
        if not guarded:
            found.append((shown, f"{GUARD} is not in its markdown_extensions"))
    return found


def _has_guard(extensions: Any) -> bool:
    names = [name for name, _options in named_entries(extensions)]
    if GUARD in names:
        return True
    nested = extensions.get("sms_handbook") if isinstance(extensions, dict) else None
    return isinstance(nested, dict) and "guard" in nested  # TOML's dotted table


def _toml_has_guard(path: Path) -> bool:
    import tomllib  # (here: only a site with a TOML configuration reads one)

    with path.open("rb") as handle:
        data = tomllib.load(handle)
    project = data.get("project", data) if isinstance(data, dict) else {}
    return _has_guard(project.get("markdown_extensions") if isinstance(project, dict) else None)
