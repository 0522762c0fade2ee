"""The stage's pages written: documents as the stage holds them, and the generated pages and
files. Each writer runs in this process or in a worker beside the engine (background.py), so
what it gives back is plain data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..background import Channel
from ..core.documents import split_front_matter
from ..core.model import Document
from ..render.links import LinkMap
from ..render.search import RenderedPage
from . import layout
from .dependencies import Facts
from .generated import Generated
from .htmlstash import PageStash
from .links import HiddenTargets
from .pages import marked_page, page_marker, staged_page
from .reuse import Entries, Kept, LastStage, StagedText, kept_document
from .snippets import SnippetAccess, Snippets
from .templates import PageTemplates
from .writer import TreeWriter

if TYPE_CHECKING:
    from .request import StageRequest


@dataclass
class StagedDocuments:
    """What staging some documents gives back (from a worker, pickled)."""

    changed: int = 0
    unchanged: int = 0
    restaged: int = 0  # documents staged (the others were kept from a preview's last stage)
    unindexed: dict[str, str] = field(default_factory=dict)  # control blocks, never indexed
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what pages left out for their readers
    # what they added to the notes the snippets and page templates keep
    left_out_snippets: list[str] = field(default_factory=list)
    template_notes: list[str] = field(default_factory=list)
    left_out_includes: list[str] = field(default_factory=list)
    texts: dict[str, StagedText] = field(default_factory=dict)  # for a preview's next stage

    def add(self, other: StagedDocuments) -> None:
        """`other`'s documents after these (the notes are the caller's)."""
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.restaged += other.restaged
        self.unindexed.update(other.unindexed)
        self.texts.update(other.texts)
        self.warnings += other.warnings
        self.notes += other.notes


@dataclass
class DocumentWriter:
    """Stages documents (each as `staged_page` makes it), here or in a worker."""

    root: Path
    request: StageRequest
    token: str
    links: LinkMap
    urls: dict[str, str]
    templates: PageTemplates | None
    snippets: Snippets | None
    targets: HiddenTargets
    access: SnippetAccess
    last: LastStage | None = None  # a preview's last stage, when it may be reused
    facts: Facts | None = None  # a preview's: what each document is made of

    def _lists(self) -> list[list[str]]:
        """The notes the snippets and page templates keep, as staging adds to them."""
        templates = self.templates
        found = [self.access.left_out]
        return found + ([templates.notes, templates.loader.left_out] if templates else [[], []])

    def notes(self) -> tuple[int, ...]:
        return tuple(len(notes) for notes in self._lists())

    def add_notes(self, kept: tuple[int, ...], staged: StagedDocuments) -> None:
        """The notes as they were at `kept`, then those of `staged` (wherever it ran)."""
        added = (staged.left_out_snippets, staged.template_notes, staged.left_out_includes)
        for notes, length, more in zip(self._lists(), kept, added, strict=True):
            notes[length:] = more

    def __call__(self, documents: list[Document]) -> StagedDocuments:
        writer = TreeWriter(self.root)
        staged = StagedDocuments()
        before = self.notes()
        kept = 0
        for document in documents:
            facts = self.facts.of_document(document) if self.facts is not None else ""
            text = kept_document(self.last, self.root, document, facts)
            if text is None:
                text = self._stage(writer, document, staged, facts)
            else:
                kept += 1
                staged.notes.extend(text.notes)
            staged.warnings.extend(f"{document.path}: {problem}" for problem in text.problems)
            if text.block is not None:
                staged.unindexed[document.src_uri] = text.block
            if self.request.reuse:
                staged.texts[document.src_uri] = text
        staged.changed, staged.unchanged = writer.changed, writer.unchanged + kept
        staged.restaged = len(documents) - kept
        lists = self._lists()
        staged.left_out_snippets = lists[0][before[0] :]
        staged.template_notes = lists[1][before[1] :]
        staged.left_out_includes = lists[2][before[2] :]
        return staged

    def _stage(
        self, writer: TreeWriter, document: Document, staged: StagedDocuments, facts: str
    ) -> StagedText:
        """One document staged and written; what it gave, as a preview may keep it."""
        noted = len(staged.notes)
        text, stash, problems, block = staged_page(
            document,
            self.request,
            self.links.at(self.urls[document.src_uri]),
            self.templates,
            self.snippets,
            self.targets,
            self.token,
            staged.notes,
        )
        write_page(writer, document.src_uri, text, self.token, stash)
        notes = tuple(staged.notes[noted:])
        return StagedText(document.source, tuple(problems), block, notes, facts)


@dataclass
class GeneratedOutput:
    """What writing the generated pages gives back (from the worker, pickled)."""

    changed: int
    unchanged: int
    rendered: int  # generated pages rendered (the others were kept from a preview's last stage)


@dataclass
class GeneratedWriter:
    """Renders and writes the generated pages and files (catalogue, registers, matrix…),
    then what search takes of the stage (their entries, the documents' unindexed control
    blocks): in the worker beside the engine, or here."""

    root: Path
    token: str
    generated: list[Generated]
    links: LinkMap
    page_urls: dict[str, str]
    unindexed: dict[str, str]  # a document's control block, which search never indexes
    kept: Kept = field(default_factory=dict)  # pages kept as on disk, with their entries

    def __call__(self, channel: Channel) -> GeneratedOutput:
        writer = TreeWriter(self.root)
        search: Entries = {}
        rendered = 0
        for page in self.generated:
            if page.src_uri in self.kept:
                entries = self.kept[page.src_uri]
                if entries is not None:
                    search[page.src_uri] = entries
                continue
            rendered += 1
            content = page.render(self.links.at(self.page_urls[page.key]))
            if isinstance(content, RenderedPage):
                search[page.src_uri] = [entry.as_json() for entry in content.search]
                content = content.markdown
            if not layout.is_page(page.src_uri):
                writer.write(layout.StageLayout.page(page.src_uri), content)
                continue
            head, body = split_front_matter(content)
            stash = PageStash(self.token)
            body = stash.stash_blocks(body)
            marker = page_marker(self.token, page.src_uri, "")
            text = marked_page(head, body, marker)
            write_page(writer, page.src_uri, text, self.token, stash)
        data = {"token": self.token, "entries": search, "unindexed": self.unindexed}
        writer.write(layout.SEARCH_ENTRIES, json.dumps(data, ensure_ascii=False) + "\n")
        return GeneratedOutput(writer.changed, writer.unchanged + len(self.kept), rendered)


def write_page(
    writer: TreeWriter, src_uri: str, text: str, token: str, stash: PageStash | None = None
) -> None:
    writer.write(
        layout.StageLayout.page(src_uri), stash.finish(text) if stash is not None else text
    )
