"""Which files of docs/ are part of the site, decided once, as MkDocs 1.6 decides it.

MkDocs leaves out what its built-in patterns (dot files and folders, a top-level
`templates/` folder) and the site's `exclude_docs` match, and, in `mkdocs build`, what
`draft_docs` matches; `not_in_nav` pages are still built. The patterns are gitignore-style,
matched with pathspec's `GitIgnoreSpec` exactly as MkDocs matches them. A page left out is no
document of the handbook: not read, checked, counted or staged. Drafts are left out of the
preview too, so that validation, builds and the preview judge the same set of pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pathspec

# MkDocs' own exclusions (mkdocs/structure/files.py, `_default_exclude`).
BUILT_IN_EXCLUDED = (".*", "/templates/")
PATTERN_KEYS = ("exclude_docs", "draft_docs")


@dataclass(frozen=True)
class SiteFiles:
    """The site's `exclude_docs` and `draft_docs`, as written in mkdocs.yml."""

    exclude_docs: str = ""
    draft_docs: str = ""

    def is_left_out(self, src_uri: str) -> bool:
        """Whether MkDocs leaves the file at `src_uri` (relative to docs/) out of a build."""
        excluded, drafts = _specs(self.exclude_docs, self.draft_docs)
        return bool(excluded.match_file(src_uri) or (drafts and drafts.match_file(src_uri)))


@functools.cache
def _specs(
    exclude_docs: str, draft_docs: str
) -> tuple[pathspec.GitIgnoreSpec, pathspec.GitIgnoreSpec | None]:
    excluded = pathspec.GitIgnoreSpec.from_lines(BUILT_IN_EXCLUDED)
    if exclude_docs:
        excluded += pathspec.GitIgnoreSpec.from_lines(exclude_docs.splitlines())
    drafts = pathspec.GitIgnoreSpec.from_lines(draft_docs.splitlines()) if draft_docs else None
    return excluded, drafts


def site_files(config: dict[str, object]) -> tuple[SiteFiles, list[tuple[str, str]]]:
    """The patterns of a site configuration as read, and what is wrong with them: (key,
    words) pairs (MkDocs refuses such a configuration too)."""
    values: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for key in PATTERN_KEYS:
        value = config.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append((key, f"`{key}` is not text; write its patterns as lines of text"))
            continue
        try:
            pathspec.GitIgnoreSpec.from_lines(value.splitlines())
        except ValueError as error:
            problems.append((key, f"`{key}` holds a pattern MkDocs cannot read: {error}"))
            continue
        values[key] = value
    return SiteFiles(**values), problems
