"""What a live preview's next stage takes from its last one, instead of rendering it again.

A save in the preview mostly changes one page's body or one register. Each generated page and
each staged document is a function of some facts of the model (stage/dependencies.py says
which); the last stage of the same audience in this process remembers, for each, the digest of
the facts it was made from. A generated page whose facts are what they were is kept as it is
on disk, with its search entries; so is a document whose text and facts did not change. A
document that includes other files (snippets) or runs page templates is always staged again,
since what it includes is not among its facts.

Only the process that wrote the stage remembers it (the preview's server): a new process,
a stage a build rewrote in between, or a file missing from the stage starts afresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Document
from . import layout

if TYPE_CHECKING:
    from .request import StageRequest
    from .writer import TreeWriter

Entries = dict[str, list[dict[str, str]]]  # page src_uri -> its search entries
Kept = dict[str, list[dict[str, str]] | None]  # a kept page's entries (None: it had none)

INCLUDES = ("--8<--", "{{", "{%", "{#")  # snippets and page templates read more than the page


@dataclass
class LastStage:
    """What the last stage of one audience was made from."""

    pages: dict[str, str] = field(default_factory=dict)  # generated src_uri -> its facts
    documents: dict[str, StagedText] = field(default_factory=dict)  # src_uri -> as staged
    stamp: tuple[int, int] = (0, 0)  # its data file's inode and change time, once written


@dataclass(frozen=True)
class StagedText:
    source: str  # the page as read
    problems: tuple[str, ...]  # what staging it said
    block: str | None  # its control block (search never indexes it)
    notes: tuple[str, ...]  # what it left out for its readers
    facts: str = ""  # the digest of the facts it was staged from (dependencies.py)


_LAST: dict[Path, LastStage] = {}


def last_stage(request: StageRequest, root: Path) -> LastStage | None:
    """The audience's last stage in this process, when the preview may reuse it."""
    if not request.reuse:
        return None
    return kept_stage(root)  # (None: a build of another process wrote the stage since)


def kept_stage(root: Path) -> LastStage | None:
    """The last stage this process wrote at `root`, unless another process wrote it since."""
    last = _LAST.get(root)
    if last is None or last.stamp != _stamp(root):
        return None
    return last


def set_unindexed(writer: TreeWriter, blocks: dict[str, str | None]) -> None:
    """The control blocks of pages staged again (None: it has none now) in what search
    takes of the stage, the generated pages' entries as they were."""
    path = writer.root / layout.SEARCH_ENTRIES
    data = json.loads(path.read_text(encoding="utf-8"))
    for src_uri, block in blocks.items():
        if block is None:
            data["unindexed"].pop(src_uri, None)
        else:
            data["unindexed"][src_uri] = block
    writer.write(layout.SEARCH_ENTRIES, json.dumps(data, ensure_ascii=False) + "\n")


def remember(root: Path, last: LastStage | None) -> None:
    """What this stage was made from, for the preview's next (None: forget it)."""
    if last is None:
        _LAST.pop(root, None)
    else:
        last.stamp = _stamp(root)
        _LAST[root] = last


def _stamp(root: Path) -> tuple[int, int]:
    """Every stage write rewrites its data file (the proof is new each time)."""
    try:
        info = (root / layout.StageLayout.DATA).stat()
    except OSError:
        return (0, 0)
    return (info.st_ino, info.st_ctime_ns)


def reads_more(document: Document) -> bool:
    """Whether staging the document reads more than its text (snippets, page templates):
    such a page is staged again on every save."""
    return any(marker in document.source for marker in INCLUDES)


def kept_document(
    last: LastStage | None, root: Path, document: Document, facts: str
) -> StagedText | None:
    """The document as the last stage wrote it, when that is what staging it would write."""
    if last is None or reads_more(document):
        return None
    staged = last.documents.get(document.src_uri)
    if staged is None or staged.source != document.source or staged.facts != facts:
        return None
    if not (root / layout.StageLayout.page(document.src_uri)).is_file():
        return None
    return staged


def kept_pages(last: LastStage | None, root: Path, facts: dict[str, str]) -> Kept:
    """The generated pages of the last stage that were made from the same `facts` (src_uri ->
    digest) and are still on disk, with their search entries."""
    entries = _entries(root) if last is not None else None
    if last is None or entries is None:
        return {}
    return {
        uri: entries.get(uri)
        for uri, digest in facts.items()
        if last.pages.get(uri) == digest and (root / layout.StageLayout.page(uri)).is_file()
    }


def held_back_pages(
    last: LastStage | None, root: Path, facts: dict[str, str], wide: set[str]
) -> Kept:
    """A preview's first step: the pages of `wide` whose facts changed keep, for now, what
    the last stage wrote (the same audience's text), with their search entries. Their digest
    in `facts` is set back to the last one, so that the next stage renders them."""
    entries = _entries(root) if last is not None else None
    if last is None or entries is None:
        return {}
    held: Kept = {}
    for uri in sorted(wide):
        before = last.pages.get(uri)
        if before is None or before == facts.get(uri):
            continue
        if (root / layout.StageLayout.page(uri)).is_file():
            held[uri] = entries.get(uri)
            facts[uri] = before
    return held


def _entries(root: Path) -> Entries | None:
    """The search entries the last stage wrote for its generated pages (None: unreadable)."""
    try:
        data = json.loads((root / layout.SEARCH_ENTRIES).read_text(encoding="utf-8"))
        return dict(data["entries"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
