"""How loud a broken link is: the site's `validation:` levels, read as MkDocs 1.6 reads them.

MkDocs logs each kind of link problem at the level the site sets (`warn`: a warning, which
stops a strict build; `info`: a message only; `ignore`: nothing). Our link diagnostics follow
the same levels, so that `validate` and `build` judge a site as plain MkDocs would: at `warn` a
diagnostic keeps the severity of its code (a strict build stops on it), at `info` it is a note
(it never fails), at `ignore` it is not reported.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from .diagnostics import Diagnostic, Severity

Group = Literal["links", "nav"]
LEVELS = ("warn", "info", "ignore")
# MkDocs' defaults (mkdocs/config/defaults.py, `Validation`).
DEFAULTS: dict[Group, dict[str, str]] = {
    "links": {
        "not_found": "warn",
        "absolute_links": "info",
        "unrecognized_links": "info",
        "anchors": "info",
    },
    "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "info"},
}
EXTRA_VALUES = {"absolute_links": ("relative_to_docs",)}


@dataclass(frozen=True)
class LinkLevels:
    """The level of each kind of link problem, by group (`links`, `nav`) and kind."""

    levels: dict[str, dict[str, str]] = field(default_factory=lambda: _copy(DEFAULTS))

    def level(self, group: Group, kind: str) -> str:
        return self.levels[group][kind]

    def judged(self, diagnostic: Diagnostic, group: Group, kind: str) -> Diagnostic | None:
        """`diagnostic` at the site's level for this kind of problem (None: not reported)."""
        return at_level(diagnostic, self.level(group, kind))

    def excluded_target(self, diagnostic: Diagnostic, group: Group) -> Diagnostic | None:
        """A link to a file the site leaves out: MkDocs says so at `info` at most, and not at
        all when `not_found` is `ignore`."""
        level = "ignore" if self.level(group, "not_found") == "ignore" else "info"
        return at_level(diagnostic, level)


def at_level(diagnostic: Diagnostic, level: str) -> Diagnostic | None:
    if level == "ignore":
        return None
    if level == "info":
        return dataclasses.replace(diagnostic, level=Severity.NOTE)
    return diagnostic


def link_levels(config: dict[str, Any]) -> LinkLevels:
    """The levels a site configuration sets; a key written directly under `validation:`
    applies to both groups, unless a group sets it. What MkDocs refuses there is said by
    `validate` at its line (site_warnings.py) and left at MkDocs' default here."""
    written = config.get("validation")
    if not isinstance(written, dict):
        return LinkLevels()
    levels = _copy(DEFAULTS)
    for group, kinds in DEFAULTS.items():
        chosen = written.get(group) or {}
        if not isinstance(chosen, dict):
            continue
        for kind in kinds:
            value = chosen.get(kind, written.get(kind))
            if value in LEVELS:
                levels[group][kind] = str(value)
    return LinkLevels(levels)


def _copy(levels: dict[Group, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {group: dict(kinds) for group, kinds in levels.items()}
