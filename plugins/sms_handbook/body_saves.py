"""A live preview's body-only save: one decision, made once per save, of whether the save
changed nothing but the bodies of pages the preview shows.

A document's body is what follows its front matter. When a save rewrote only such bodies
(the front matter byte for byte as loaded, the first heading as it was) and no other file the
preview reads was written, added or removed, the model, every audience's view, what is hidden,
the generated pages and the stage's guards are what they were: the preview stages those pages
again (with whatever includes another page) and checks them, instead of loading and staging
the handbook. Everything else is not body-only, and takes the full path.

What a build read is known by the identity of each file (inode, size, times) taken *before*
the build read it: a file written while a build reads it differs from its stamp at the next
save. The stamps cover the folders the handbook is loaded from (pages, attachments, registers,
schemas, rules), the theme's `custom_dir`, the configuration file and what git says of the
repository (a commit changes the pages' revision history).
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import gitrepo
from .core.conformity.sections import text_facts
from .core.documents import first_heading, split_front_matter
from .core.sources import read_text
from .preview_files import Signature, signature, signature_of
from .project import Project, read_project
from .stage.reuse import reads_more

if TYPE_CHECKING:
    from .context import HandbookContext
    from .core.model import Document

GIT_FILES = ("HEAD", "index", "packed-refs", "logs/HEAD")  # written by every commit or checkout
# A file's times move by the file system's tick (a few milliseconds): one written within a
# tick of its stamp could be written again, to the same size, without its stamp changing
RACY_NS = 50_000_000


@dataclass(frozen=True)
class InputStamps:
    """The identity of every file a build of the preview reads, taken before it reads them."""

    folders: tuple[str, ...]  # what was walked, relative to the root
    files: dict[str, Signature | None] = field(default_factory=dict)  # path -> identity
    racy: frozenset[str] = frozenset()  # written within a tick of the stamps (RACY_NS)

    def changed(self, later: InputStamps) -> set[str]:
        """Paths written, added or removed between these stamps and `later` (and those
        whose stamp could not tell)."""
        paths = self.files.keys() | later.files.keys()
        changed = {path for path in paths if self.files.get(path) != later.files.get(path)}
        return changed | self.racy


def stamped_folders(project: Project) -> tuple[str, ...]:
    """The folders a build of `project`'s handbook reads, as its settings name them."""
    settings = project.settings
    folders = [settings.docs_dir, settings.registers_dir, settings.schemas_dir, settings.rules_dir]
    theme = project.site_config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom_dir, str):
        folders.append(custom_dir)
    return tuple(dict.fromkeys(folders))


def input_stamps(project: Project, repository: gitrepo.Facts | None) -> InputStamps:
    """The stamps of what a build of `project`'s handbook reads (its folders as configured
    now: a configuration that moved them is a change of the configuration file), in the git
    `repository` around it, if any."""
    root, folders = project.root, stamped_folders(project)
    taken = time.time_ns()
    files: dict[str, Signature | None] = {}
    for folder in folders:
        _stamp_tree(root, folder, files)
    singles = [project.config_file, root / ".git"]
    if repository is not None:
        singles += [repository.git_dir / name for name in GIT_FILES]
    for path in singles:
        files[str(path)] = signature(path)
    racy = {path for path, found in files.items() if found and found[1] >= taken - RACY_NS}
    return InputStamps(folders, files, frozenset(racy))


def stamps_before_build(last: HandbookContext | None, config_file: Path) -> InputStamps | None:
    """The stamps of what the next build reads: the folders of the `last` build's settings,
    or before a first build of its configuration (a build whose settings moved them makes
    no base); None when the configuration cannot be read."""
    if last is not None:
        return input_stamps(last.project, last.repository)
    project, _problems = read_project(config_file.parent, None, config_file)
    if project is None:
        return None
    return input_stamps(project, gitrepo.facts(project.root))


def _stamp_tree(root: Path, folder: str, files: dict[str, Signature | None]) -> None:
    """Every file under `folder`, dot files too; a link to a file as the file it leads to
    (loading reads a page through a link), a link to a folder as a link (never entered)."""
    skip = len(os.path.join(root, ""))  # (paths as strings: a thousand pages each save)
    pending = [os.path.join(root, folder)]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
                continue
            key = entry.path[skip:].replace(os.sep, "/")
            try:
                info = entry.stat(follow_symlinks=entry.is_symlink() and entry.is_file())
            except OSError:  # gone meanwhile: as if removed
                files[key] = None
                continue
            files[key] = signature_of(info)


@dataclass
class BodyOnlyBase:
    """A build of the preview a later save may build on: its context (the model and views),
    its audience and the stamps of what it read. Made only after a build that completed and
    owes nothing (no second step)."""

    context: HandbookContext
    audience: str
    stamps: InputStamps


@dataclass(frozen=True)
class BodyOnlySave:
    """A save that changed only bodies: each page's new text, and whether what the
    assessment reads of a text changed (the ids it names, its sections' names): then the
    generated pages that read every fact wait for a second step, which loads everything."""

    texts: dict[str, str]  # src_uri -> the page as read now
    assessed_changed: bool

    def restaged(self, context: HandbookContext, audience: str) -> list[Document]:
        """The pages the save stages again: those it changed, and every page that includes
        other files or runs page templates (staging never keeps them)."""
        return [
            d
            for d in context.view(audience)[0].documents
            if d.src_uri in self.texts or reads_more(d)
        ]


def body_only_save(
    base: BodyOnlyBase | None, now: InputStamps, today: datetime.date, comparing: bool
) -> BodyOnlySave | None:
    """The save's texts when it is body-only for `base` (stamped `now`), else None: the full
    path loads and stages everything. `comparing`: the build compares with an earlier
    revision (its changes page lists documents whose text changed), never body-only."""
    if base is None or comparing or now.folders != base.stamps.folders:
        return None
    if today != base.context.today:
        return None
    view = base.context.view(base.audience)[0]
    shown = {document.path: document for document in view.documents}
    texts: dict[str, str] = {}
    assessed_changed = False
    for path in sorted(base.stamps.changed(now)):
        document = shown.get(path)
        if document is None or now.files.get(path) is None:
            return None  # not a page the audience sees, or added or removed
        text = _body_only_text(base.context.root / path, document)
        if text is None:
            return None
        texts[document.src_uri] = text
        edited = dataclasses.replace(document, source=text)
        assessed_changed = assessed_changed or text_facts(edited) != text_facts(document)
    return BodyOnlySave(texts, assessed_changed)


def _body_only_text(path: Path, document: Document) -> str | None:
    """The page's text now, when only its body changed: its front matter is the one loaded,
    byte for byte, and so is its first heading (a title when the front matter has none)."""
    try:
        text, problem = read_text(path.read_bytes(), document.path)
    except OSError:
        return None
    if text is None or problem is not None:
        return None
    head, body = split_front_matter(text)
    old_head, old_body = split_front_matter(document.source)
    if head is None or old_head is None:
        return None
    if text[: len(text) - len(body)] != document.source[: len(document.source) - len(old_body)]:
        return None
    if first_heading(body) != first_heading(old_body):
        return None
    return text
