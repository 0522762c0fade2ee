"""What a live preview's next stage takes from its last one, instead of rendering it again.

A save in the preview mostly changes one page's body. Every generated page, and every staged
document but the one saved, is a function of the handbook's facts (each document's front
matter, path, classification and heading, every register and record, what the audience may
not see), of the assessment, the history, the options, the site configuration and today: not
of any page's body. When a fingerprint of all of these is what it was at the last stage of
the same audience in this process, the generated pages on disk are the ones they would be
again, and so is each document whose text did not change: they are kept as they are. A
document that includes other files (snippets) or runs page templates is always staged again,
since what it includes is not in the fingerprint.

Only the process that wrote the stage remembers it (the preview's server): a new process,
a stage a build rewrote in between, or a file missing from the stage starts afresh.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Document
from . import layout

if TYPE_CHECKING:
    from .request import StageRequest

INCLUDES = ("--8<--", "{{", "{%", "{#")  # snippets and page templates read more than the page


@dataclass
class LastStage:
    """What the last stage of one audience was made from."""

    fingerprint: str = ""
    documents: dict[str, StagedText] = field(default_factory=dict)  # src_uri -> as staged
    stamp: tuple[int, int] = (0, 0)  # its data file's inode and change time, once written


@dataclass(frozen=True)
class StagedText:
    source: str  # the page as read
    problems: tuple[str, ...]  # what staging it said
    block: str | None  # its control block (search never indexes it)
    notes: tuple[str, ...]  # what it left out for its readers


_LAST: dict[Path, LastStage] = {}


def fingerprint(request: StageRequest, attachments: dict[str, bool]) -> str:
    """A digest of everything the generated pages and the documents' surroundings are made
    of: every fact of the model but the pages' bodies."""
    digest = hashlib.sha256()

    def add(value: object) -> None:
        digest.update(repr(value).encode("utf-8", errors="replace"))

    for document in [*request.view.documents, *request.hidden.documents]:
        add((document.path, document.meta, document.classification, document.heading))
    hidden = request.hidden
    for register in [*request.view.registers.values(), *hidden.registers]:
        add((register.name, register.path, register.header, register.records))
    add([(register.name, record) for register, record in hidden.records])
    add([(register.name, record.id, name) for register, record, name in hidden.fields])
    add((request.today, request.options, request.config, request.changes, request.history))
    add((request.assessment, request.hooks, sorted(attachments.items())))
    return digest.hexdigest()


def last_stage(request: StageRequest, root: Path, facts: str) -> LastStage | None:
    """The audience's last stage when the preview may reuse it (same fingerprint)."""
    if not request.reuse:
        return None
    last = _LAST.get(root)
    if last is None or last.fingerprint != facts or last.stamp != _stamp(root):
        return None  # other facts, or a build of another process wrote the stage since
    return last


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


def kept_document(last: LastStage | None, root: Path, document: Document) -> StagedText | None:
    """The document as the last stage wrote it, when that is what staging it would write."""
    if last is None or any(marker in document.source for marker in INCLUDES):
        return None
    staged = last.documents.get(document.src_uri)
    if staged is None or staged.source != document.source:
        return None
    if not (root / layout.StageLayout.page(document.src_uri)).is_file():
        return None
    return staged
