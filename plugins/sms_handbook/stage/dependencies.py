"""Which facts of the handbook each staged page is made of, for a live preview's next save.

A generated page or a staged document is a function of a few facts of the model: a register
page, of its register and of the titles of what its records name (references, owners); a
service page, of the services register, the titles its record names and what names the
service (documents, risks); the catalogue, of the services register; the print edition's
cover, of the settings; every other generated page (overview, matrix, reviews, packs,
exports) of all of them. A staged document is a function of its own text and facts, of the
titles its control block shows (owner, approver, services, related documents), of where every
page lives and of the settings. The dependencies come from the model (each register's schema
names what its records reference) and each fact is digested once per stage: a save renders
again only the pages whose facts changed. A page not known to depend on less depends on
everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.conformity import Assessment
from ..core.model import Document, Handbook, Item, Register
from ..render.links import LinkMap

if TYPE_CHECKING:
    from .request import StageRequest

SETTINGS = "settings"  # options, configuration, today, history, what the audience may not see
ASSESSMENT = "assessment"
LINKS = "links"  # where every page, record and clause lives
DOCUMENTS = "documents"  # every visible document's path, front matter, classification, heading
CONTROL_REFERENCES = ("owner", "approver", "services", "related")  # titled in a control block


def register_fact(name: str) -> str:
    return f"register:{name}"


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", errors="replace")).hexdigest()


@dataclass
class Facts:
    """The digest of each fact of one stage (those about one item made when first asked)."""

    digests: dict[str, str]
    view: Handbook
    derived: dict[str, str] = field(default_factory=dict)  # facts about one item, as asked
    combined: dict[tuple[str, ...], str] = field(default_factory=dict)  # names -> digest

    def of(self, names: Iterable[str] | None) -> str:
        """The digest of the facts `names` (None: of every fact of the stage, which the
        facts about one item are made from)."""
        chosen = tuple(sorted(self.digests if names is None else set(names)))
        found = self.combined.get(chosen)
        if found is None:
            found = self.combined[chosen] = _digest([(n, self._fact(n)) for n in chosen])
        return found

    def of_document(self, document: Document) -> str:
        """What a document's staged text is made of besides its source: its own facts (a
        folder's metadata may classify it), the titles its control block shows, where every
        page lives and the settings."""
        named = [
            item_id
            for field in CONTROL_REFERENCES
            for item_id in _strings(document.meta.get(field))
        ]
        own = (document.path, document.meta, document.classification, document.heading)
        return _digest((self.of([SETTINGS, LINKS]), own, self._titles(named)))

    def of_generated(self, key: str) -> str:
        return self.of(page_reads(self.view, key))

    def _fact(self, name: str) -> str:
        found = self.digests.get(name) or self.derived.get(name)
        if found is None:
            kind, _, item = name.partition(":")
            if kind == "named":  # the titles a register (or one of its records) shows
                register, _, record_id = item.partition(":")
                found = self._titles(_named_by(self.view.registers[register], record_id))
            elif kind == "referrers":  # what names the service `item`
                referrers = self.view.referrers("services", item)
                found = _digest([_kind_of(i) for i in referrers])
                found += self._titles([i.id for i in referrers if i.id])
            else:
                raise KeyError(f"no fact {name}")
            self.derived[name] = found
        return found

    def _titles(self, ids: Iterable[str]) -> str:
        """Whether each item is in the view, and the title a link to it shows."""
        view = self.view
        return _digest([(i, view.item(i) is not None, view.title_of(i)) for i in ids])


def facts_of(
    request: StageRequest,
    assessment: Assessment,
    attachments: dict[str, bool],
    links: LinkMap,
    token: str,
) -> Facts:
    """Each fact of this stage (whose pages carry `token`), digested once."""
    view, hidden = request.view, request.hidden
    settings = (
        token,
        view.audience,
        view.settings,
        view.requirements,
        [(d.path, d.meta, d.classification, d.heading) for d in hidden.documents],
        [(r.name, r.path, r.header, r.records) for r in hidden.registers],
        [(register.name, record) for register, record in hidden.records],
        [(register.name, record.id, name) for register, record, name in hidden.fields],
        (request.today, request.options, request.config, request.changes, request.history),
        (request.hooks, sorted(attachments.items())),
    )
    digests = {
        SETTINGS: _digest(settings),
        ASSESSMENT: _digest(assessment),
        LINKS: _digest(sorted(links.urls.items())),
        DOCUMENTS: _digest([(d.path, d.meta, d.classification, d.heading) for d in view.documents]),
    }
    for name, register in view.registers.items():
        schema = (register.kind.source, register.kind.schema)  # field titles, description
        facts = (register.path, register.header, register.classification, schema)
        digests[register_fact(name)] = _digest((facts, register.records))
    return Facts(digests, view)


def page_reads(view: Handbook, key: str) -> set[str] | None:
    """The facts the generated page `key` reads (None: every fact)."""
    kind, _, item = key.partition(":")
    services = "services" in view.registers
    if key == "page:print":  # its cover; the documents are added after the engine
        return {SETTINGS}
    if key.startswith("page:register:") and key.removeprefix("page:register:") in view.registers:
        name = key.removeprefix("page:register:")
        return {SETTINGS, LINKS, register_fact(name), f"named:{name}"}
    if key == "page:catalogue" and services:  # service cards and their dependency diagram
        return {SETTINGS, LINKS, register_fact("services")}
    if kind == "service" and services:
        named = f"named:services:{item}"
        return {SETTINGS, LINKS, register_fact("services"), named, f"referrers:{item}"}
    return None


def _named_by(register: Register, record_id: str) -> list[str]:
    """The ids a register page shows the titles of (its owner, what its records reference);
    with `record_id`, those its record of that id references."""
    named = [] if record_id else _strings(register.header.get("owner"))
    for record in register.records:
        if record_id and record.id != record_id:
            continue
        for reference in register.kind.references:
            named += [item_id for _path, item_id in reference.values(record.data)]
    return named


def _kind_of(item: Item) -> tuple[str, str | None, bool]:
    """What a service page asks of an item naming it (a controlled document? a risk?)."""
    if isinstance(item, Document):
        return ("document", item.id, item.controlled)
    return (item.register, item.id, False)


def _strings(value: object) -> list[str]:
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
