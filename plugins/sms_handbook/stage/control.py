"""Where a controlled document's control block goes in its Markdown: after the title."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+\S")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


def title_end(lines: list[str]) -> int | None:
    """Index of the line after the page's first level-1 heading (`# T` or `T` over `===`),
    outside code fences; None when there is none."""
    fence: str | None = None
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            closing = opened.group("fence") if opened else ""
            same = closing and closing[0] == fence[0] and len(closing) >= len(fence)
            if same and not line.strip().lstrip(fence[0]):
                fence = None
            continue
        if opened:
            fence = opened.group("fence")
            continue
        if _ATX_H1.match(line):
            return index + 1
        previous = lines[index - 1] if index else ""
        if index and _SETEXT_H1.match(line) and previous.strip() and not _FENCE.match(previous):
            return index + 1
    return None


def insert_after_title(markdown: str, block: str) -> str:
    """`markdown` with `block` (a paragraph of its own) after the title, or on top."""
    lines = markdown.split("\n")
    end = title_end(lines)
    block = block.strip()
    if end is None:
        return f"{block}\n\n{markdown}"
    return "\n".join([*lines[:end], "", block, "", *lines[end:]])
