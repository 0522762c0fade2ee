"""The handbook's pages are found by one walk of each folder: the same files, in the same
order, as a glob per Markdown extension found them (dot names and linked folders left out)."""

from __future__ import annotations

import os
from pathlib import Path

from sms_handbook.core.sources import MARKDOWN, _find, _found


def _globbed(folder: Path, patterns: tuple[str, ...], recursive: bool) -> list[Path]:
    """What `Path.rglob` (or `glob`) per pattern finds, files only, no dot name below `folder`."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(folder.rglob(pattern) if recursive else folder.glob(pattern))
    return sorted(
        path
        for path in found
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
    )


def test_the_walk_finds_what_the_glob_found(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in (
        "a/b.md",
        "a-b/c.md",
        "a-c.md",
        "x.md",
        "Q.MD",
        "k.markdown",
        "n.mdx",
        ".hidden.md",
        ".dot/inside.md",
        "a/.dot/deep.md",
        "deep/er/est/page.mkd",
    ):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# A\n", encoding="utf-8")
    (docs / "folder.md").mkdir()  # a folder named like a page is no page
    os.symlink(docs / "a", docs / "linked")  # a linked folder is not entered
    os.symlink(docs / "x.md", docs / "link.md")  # a linked page is a page
    for recursive in (True, False):
        for patterns in (MARKDOWN, ("*.yaml", "*.md")):
            assert _find(docs, patterns, recursive) == _globbed(docs, patterns, recursive)
    found = _found(docs, MARKDOWN, True)
    assert [relative for _path, relative in found] == [
        "a/b.md",
        "a-b/c.md",
        "a-c.md",
        "deep/er/est/page.mkd",
        "k.markdown",
        "link.md",
        "x.md",
    ]
    assert _find(tmp_path / "missing", MARKDOWN, True) == []
