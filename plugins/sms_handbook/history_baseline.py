"""The adoption baseline in the configuration's history: once set, it stays."""

from __future__ import annotations

from pathlib import Path

import yaml

from . import gitrepo
from .core.integrity import CONFIGURATION_ITEM, Commit, HistoryFinding
from .history import _commits
from .project import plugin_options
from .site_config import ConfigError, _read


def baseline_moves(
    root: Path, prefix: str, config_file: Path, oldest: str | None
) -> list[tuple[str, str]]:
    """(commit, the earlier baseline) wherever a later version of the configuration set the
    baseline to another commit than the one it had."""
    try:
        name = str(config_file.relative_to(root))
    except ValueError:
        return []
    output = gitrepo.changes_on_line(root, oldest, [name])
    headers = [header for header, _files in reversed(_commits(output))]
    texts = gitrepo.blobs(root, [f"{h[0]}:{prefix}{name}" for h in headers])
    moves, previous = [], ""
    for header, text in zip(headers, texts, strict=True):
        try:
            options = plugin_options(_read(text or "", name) or {}) or {}
        except (ConfigError, yaml.YAMLError):
            continue
        baseline = commit_of(root, str(options.get("history_baseline") or ""))
        if previous and baseline and baseline != previous:
            moves.append((header[0], previous))
        previous = baseline or previous
    return moves


def commit_of(root: Path, revision: str) -> str:
    """The commit a configured baseline names (an abbreviated id and the full one agree)."""
    if not revision:
        return ""
    try:
        return gitrepo.resolve(root, revision)
    except gitrepo.GitError:
        return revision


def moved_finding(
    commit: str, previous: str, line: dict[str, Commit], config: str
) -> HistoryFinding:
    at = line.get(commit)
    problem = (
        f"`history_baseline` was {previous[:12]} and was moved on "
        f"{at.day if at else 'a later date'} ({commit[:7]}); a baseline once set stays"
    )
    return HistoryFinding(
        "baseline-moved",
        "major",
        CONFIGURATION_ITEM,
        config,
        commit[:7],
        problem,
        "set `history_baseline` back to the commit it named first",
    )
