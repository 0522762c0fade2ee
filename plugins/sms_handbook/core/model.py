"""The handbook model: documents, registers and records, each with its classification.

The model is built once from validated sources (`build.build_handbook`) and then only read:
scoping makes a filtered copy, renderers and exports turn it into pages and files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .audience import Audience, most_restricted
from .schemas import DOCUMENTS, KindSchema
from .settings import Settings
from .standards import Standard

if TYPE_CHECKING:
    from .conformity.requirements import Requirements


class Restricted:
    """Stands in for a reference to an item the audience may not see."""

    _instance: Restricted | None = None

    def __new__(cls) -> Restricted:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "RESTRICTED"

    def __str__(self) -> str:
        return "restricted item"


RESTRICTED = Restricted()


@dataclass
class Document:
    """A Markdown page; controlled when its front matter has an `id`."""

    path: str  # relative to the handbook root
    src_uri: str  # relative to docs_dir, as MkDocs names it
    meta: dict[str, Any]
    classification: str
    heading: str | None = None  # first `# ` heading of the body, if any
    lines: dict[str, int] = field(default_factory=dict)  # front matter key -> line
    content_hash: str = ""  # of the body and the front matter that is not approval data
    source: str = field(default="", repr=False)  # the page as read: what the stage writes

    @property
    def id(self) -> str | None:
        value = self.meta.get("id")
        return value if isinstance(value, str) else None

    @property
    def controlled(self) -> bool:
        return self.id is not None

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        if isinstance(title, str) and title:
            return title
        if self.heading:
            return self.heading
        stem = self.src_uri.rsplit("/", 1)[-1].removesuffix(".md")
        return stem.replace("-", " ").replace("_", " ").capitalize()

    @property
    def clauses(self) -> list[str]:
        return [c for c in self.meta.get("clauses") or [] if isinstance(c, str)]

    def get(self, name: str, default: Any = None) -> Any:
        return self.meta.get(name, default)


@dataclass
class Record:
    id: str
    register: str
    data: dict[str, Any]
    classification: str
    field_classification: dict[str, str] = field(default_factory=dict)
    line: int = 1
    index: int = 0  # position in the register file's `records` list
    due_at: tuple[int, int] | None = None  # line and column of the due-date field

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    @property
    def clauses(self) -> list[str]:
        return [c for c in self.data.get("clauses") or [] if isinstance(c, str)]


@dataclass
class Register:
    name: str  # the register kind
    path: str
    header: dict[str, Any]
    classification: str
    kind: KindSchema
    records: list[Record] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # header key -> line

    @property
    def title(self) -> str:
        return str(self.header.get("title") or self.kind.title)

    @property
    def owner(self) -> str | None:
        owner = self.header.get("owner")
        return owner if isinstance(owner, str) else None

    @property
    def clauses(self) -> list[str]:
        return [c for c in self.header.get("clauses") or [] if isinstance(c, str)]

    def record_title(self, record: Record) -> str:
        name = self.kind.title_field
        value = record.data.get(name) if name else None
        return value if isinstance(value, str) else record.id


Item = Document | Record


@dataclass
class Handbook:
    """A handbook, complete or as one audience sees it (`audience` set by scoping)."""

    settings: Settings
    standard: Standard
    documents: list[Document] = field(default_factory=list)
    registers: dict[str, Register] = field(default_factory=dict)
    audience: str | None = None
    requirements: Requirements = field(default=None, repr=False)  # type: ignore[assignment]  # set after init
    _index: dict[str, Item] = field(default_factory=dict, repr=False)
    _by_uri: dict[str, Document] = field(default_factory=dict, repr=False)
    _referrers: dict[str, dict[str, list[Item]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.requirements is None:
            from .conformity.requirements import catalogue_requirements  # it imports the model

            self.requirements = catalogue_requirements(self.standard)
        self.reindex()

    @property
    def access(self) -> Audience:
        """Who this handbook is scoped to, to ask what it sees (the complete model: the
        highest audience)."""
        return Audience(self.settings, self.audience or most_restricted(self.settings))

    def reindex(self) -> None:
        index: dict[str, Item] = {}
        for document in self.documents:
            if document.id and document.id not in index:
                index[document.id] = document
        for register in self.registers.values():
            for record in register.records:
                index.setdefault(record.id, record)
        self._index = index
        self._by_uri = {document.src_uri: document for document in self.documents}
        self._referrers = {}

    def item(self, item_id: str) -> Item | None:
        return self._index.get(item_id)

    def ids(self) -> list[str]:
        """Every id `item` finds."""
        return list(self._index)

    def referrers(self, name: str, target: str) -> list[Item]:
        """Documents, then records, whose field `name` names `target` (alone or in a list).

        One pass over the handbook per field name, then a lookup: pages that each list what
        refers to them stay linear in the size of the handbook.
        """
        by_target = self._referrers.get(name)
        if by_target is None:
            by_target = {}
            items: list[Item] = [*self.documents, *(record for _, record in self.records())]
            for item in items:
                value = item.get(name)
                for named in value if isinstance(value, list) else [value]:
                    if isinstance(named, str):
                        found = by_target.setdefault(named, [])
                        if not found or found[-1] is not item:
                            found.append(item)
            self._referrers[name] = by_target
        return by_target.get(target, [])

    def kind_of(self, item_id: str) -> str | None:
        item = self._index.get(item_id)
        if item is None:
            return None
        return DOCUMENTS if isinstance(item, Document) else item.register

    def title_of(self, item_id: str) -> str:
        item = self._index.get(item_id)
        if isinstance(item, Document):
            return item.title
        if isinstance(item, Record):
            return self.registers[item.register].record_title(item)
        return item_id

    @property
    def controlled_documents(self) -> list[Document]:
        return [d for d in self.documents if d.controlled]

    def document_by_uri(self, src_uri: str) -> Document | None:
        return self._by_uri.get(src_uri)

    def records(self) -> Iterator[tuple[Register, Record]]:
        for register in self.registers.values():
            for record in register.records:
                yield register, record
