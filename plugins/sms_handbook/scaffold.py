"""New documents and new handbooks: ids, folders, front matter and skeletons."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .core.model import Handbook
from .core.standards import Standard

PREFIXES = {
    "policy": "POL",
    "plan": "PLN",
    "procedure": "PRO",
    "process": "PRC",
    "agreement": "AGR",
    "record": "REC",
    "other": "DOC",
}
FOLDERS = {
    "policy": "policies",
    "plan": "plans",
    "procedure": "procedures",
    "process": "processes",
    "agreement": "agreements",
    "record": "records",
    "other": "system",
}


def slug(title: str, limit: int = 60) -> str:
    """A file name from a title; a long one is cut between words, never inside one."""
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(text) > limit:
        cut = text[: limit + 1].rsplit("-", 1)[0]
        text = cut if cut else text[:limit]
    return text.rstrip("-") or "document"


def next_id(handbook: Handbook, doc_type: str) -> str:
    """The next free id for a document type: one above the highest in use, anywhere."""
    prefix = PREFIXES[doc_type]
    numbers = [
        int(item_id.split("-", 1)[1])
        for item_id in [d.id for d in handbook.controlled_documents if d.id]
        + [r.id for _g, r in handbook.records()]
        if item_id.startswith(prefix + "-") and item_id.split("-", 1)[1].isdigit()
    ]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


@dataclass(frozen=True)
class NewDocument:
    doc_id: str
    title: str
    doc_type: str
    owner: str
    approver: str
    clauses: tuple[str, ...] = ()
    classification: str | None = None
    guidance: str = ""

    @property
    def path(self) -> str:
        return f"{FOLDERS[self.doc_type]}/{slug(self.title)}.md"

    def front_matter(self) -> str:
        """The draft's front matter block, `---` to `---`."""
        meta: dict[str, object] = {
            "id": self.doc_id,
            "title": self.title,
            "type": self.doc_type,
            "owner": self.owner,
            "approver": self.approver,
            "version": "0.1",
            "status": "draft",
        }
        if self.classification:
            meta["classification"] = self.classification
        meta["clauses"] = list(self.clauses)
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
        front = front.replace("version: '0.1'", 'version: "0.1"')
        return f"---\n{front}---\n"

    def text(self) -> str:
        guidance = f"\n*To cover: {self.guidance}*\n" if self.guidance else ""
        return (
            f"{self.front_matter()}\n# {self.title}\n{guidance}\n"
            "## Purpose\n\nWhy this document exists and what it governs.\n\n"
            "## Scope\n\nThe services, teams and situations it applies to.\n\n"
            "## Content\n\nWhat we do, who does it, and what is recorded.\n"
        )


def skeleton(standard: Standard, owner: str, approver: str) -> list[NewDocument]:
    """A draft for every document the standard expects, so that every leaf clause is addressed.

    Each expected document becomes one draft (an expectation that extends another, such as
    "Service management policy, published to staff", joins it); a leaf clause that expects no
    document of its own gets a draft named after the clause.
    """
    drafts: list[NewDocument] = []
    counters: dict[str, int] = {}

    def add(title: str, doc_type: str, clause: str, guidance: str) -> None:
        for index, draft in enumerate(drafts):
            if title == draft.title or title.startswith(draft.title + ","):
                if clause not in draft.clauses:
                    drafts[index] = NewDocument(
                        draft.doc_id,
                        draft.title,
                        draft.doc_type,
                        owner,
                        approver,
                        (*draft.clauses, clause),
                        None,
                        draft.guidance,
                    )
                return
        counters[doc_type] = counters.get(doc_type, 0) + 1
        doc_id = f"{PREFIXES[doc_type]}-{counters[doc_type]:03d}"
        drafts.append(
            NewDocument(doc_id, title, doc_type, owner, approver, (clause,), None, guidance)
        )

    for leaf in standard.leaves:
        expected = [e for e in leaf.expects if e.document_types is not None]
        for expectation in expected:
            add(
                expectation.what,
                (expectation.document_types or ("other",))[0],
                leaf.id,
                leaf.summary,
            )
        if not expected and not leaf.expects:
            parent = standard.clauses[leaf.parent] if leaf.parent else None
            title = parent.title if leaf.title == "General" and parent else leaf.title
            add(title, "other", leaf.id, leaf.summary)
    return drafts


EXAMPLE_REGISTERS = {
    "roles": """register: roles
title: Roles, responsibilities and authorities
owner: service-manager
reviewed_on: {today}
clauses: ["5.3"]
records:
  - id: managing-director
    name: Managing director
    responsibilities: [Approves the SMS policies and chairs the management review.]
    holder: (name)
    approves: [policy, plan, procedure, process, agreement, record, other]
  - id: service-manager
    name: Service manager
    responsibilities: [Runs the SMS day to day and reports on its performance.]
    holder: (name)
    approves: [plan, procedure, process, agreement, record, other]
    code_owners: ["@your-organization/sms"]
""",
    "services": """register: services
title: Service register
owner: service-manager
classification: public
reviewed_on: {today}
clauses: ["8.2.2", "8.2.4"]
records:
  - id: SVC-001
    name: Service desk
    summary: One place to report a fault or request something.
    status: pipeline
    criticality: high
    owner: service-manager
    customers: [All customers]
    intended_outcomes: [Users get help quickly.]
    service_level_targets:
      - metric: First response
        target: 1 business hour
    support_hours: Monday to Friday, 08:00-18:00
    workload_limits: To be agreed
""",
    "risks": """register: risks
title: Risk and opportunity register
owner: service-manager
reviewed_on: {today}
clauses: ["6.1.2", "6.1.3"]
records:
  - id: RSK-001
    title: The SMS depends on a few people
    kind: risk
    category: organization
    services: [SVC-001]
    owner: service-manager
    likelihood: 3
    impact: 3
    treatment: reduce
    actions: [Write down how each process runs.]
    status: open
    next_review: {next_review}
""",
    "suppliers": """register: suppliers
title: Supplier register
owner: service-manager
reviewed_on: {today}
clauses: ["8.2.3.1", "8.3.4.1"]
records:
  - id: SUP-001
    name: Example supplier
    kind: external
    manager: service-manager
    services: [SVC-001]
    scope: What the supplier provides.
    contract_ref: (contract number)
    service_level_targets:
      - metric: Response
        target: 4 hours
    next_contract_review: {next_review}
""",
    "improvements": """register: improvements
title: Improvement register
owner: service-manager
reviewed_on: {today}
clauses: ["10.1.2", "10.2"]
records:
  - id: IMP-001
    title: Complete the handbook skeleton
    kind: improvement
    source: management-review
    source_ref: Kick-off
    owner: service-manager
    priority: high
    status: in-progress
    target: Every draft document approved
    due: {next_review}
""",
}
