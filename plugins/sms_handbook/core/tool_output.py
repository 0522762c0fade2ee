"""The marker every file sms-handbook writes carries, and the one test for it.

A restricted export lying in the working tree is the handbook's content in a form the model no
longer knows as classified. Each output says what it is in its first bytes (a key, a comment
line) or, for a PDF, in its metadata, so snippets, attachment staging and `validate` refuse it
by what it holds, whatever its name or place. A finished site is known by its manifest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

MARKER = "sms-handbook-output"
PDF_KEY = "/SMSHandbookOutput"
MANIFEST = "sms-manifest.json"  # every finished site holds one (stage/layout.py, finish.py)

OutputKind = Literal["export", "pack", "changes", "pdf"]

_HEAD = 4096
_TAIL = 65536
# In the first line: a JSON object whose first key is the marker, a `#` comment line (CSV,
# text) or an HTML comment (Markdown). A page that merely mentions the name is not refused.
_FIRST_LINE = re.compile(
    rb'\A(?:\xef\xbb\xbf)?\s*(?:\{\s*"sms-handbook-output"\s*:|#\s*sms-handbook-output\b'
    rb"|<!--\s*sms-handbook-output\b)"
)


def stamp(kind: OutputKind, audience: str) -> dict[str, str]:
    """What an output says about itself."""
    return {"generator": "sms-handbook", "kind": kind, "audience": audience}


def marked_json(kind: OutputKind, audience: str, data: dict[str, object]) -> dict[str, object]:
    """`data` with the marker as its first key."""
    return {MARKER: stamp(kind, audience), **data}


def marker_line(kind: OutputKind, audience: str, comment: Literal["#", "html"]) -> str:
    """The first line of a text output: `# ...` (CSV, text) or `<!-- ... -->` (Markdown)."""
    text = f"{MARKER} {json.dumps(stamp(kind, audience), sort_keys=True)}"
    return f"# {text}\n" if comment == "#" else f"<!-- {text.replace('--', '- -')} -->\n"


def carries_marker(head: bytes, tail: bytes = b"") -> bool:
    """Whether bytes from a file's start (and end, for a PDF's metadata) mark it an output."""
    if _FIRST_LINE.match(head):
        return True
    return head.startswith(b"%PDF") and PDF_KEY.encode() in head + tail


def is_tool_output(path: Path) -> bool:
    """Whether the file at `path` is something sms-handbook wrote (its first bytes, and a
    PDF's first and last ones, where writers put the metadata)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD)
            tail = b""
            if head.startswith(b"%PDF"):
                head += stream.read(_TAIL - _HEAD)
                size = stream.seek(0, 2)
                if size > len(head):
                    stream.seek(max(len(head), size - _TAIL))
                    tail = stream.read(_TAIL)
    except OSError:
        return False
    return carries_marker(head, tail)


def in_built_site(path: Path, top: Path) -> bool:
    """Whether `path` lies in a site sms-handbook built: a folder from `top` down to it holds
    the site manifest."""
    return any(
        (folder / MANIFEST).is_file()
        for folder in (path.parent, *path.parent.parents)
        if folder.is_relative_to(top)
    )
