"""What the history checks read: each item's versions on the default branch, oldest first.

The git reader (`sms_handbook.item_history`) builds these from one pass over `git log`; the
checks (`checks.py`) only read them, so they are tested on timelines as on real repositories.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

# Keys that only tell the tool what a document or record is: adding or changing one after an
# approval is an observation, not a change of the approved content. README lists them; a
# release of the tool that introduces such a key adds it here.
# `auditors`, `criteria`, `audits`, `findings_on`, `decisions`, `full_review` and `targets`
# restate a document's text for the conformity checks.
METADATA_KEYS = frozenset(
    {"kind", "auditors", "criteria", "audits", "findings_on", "decisions", "full_review"}
    | {"targets"}
)

# Front matter that records an approval, not the approved content (core/documents.py).
DOCUMENT_APPROVAL = frozenset({"status", "approved_on", "next_review", "review_interval_months"})
DOCUMENT_DATES = ("held_on", "performed_on", "date", "approved_on")
LATE_ENTRY_KEY = "entered_late"


@dataclass(frozen=True)
class Commit:
    sha: str
    day: datetime.date  # when it reached the default branch (committer date)
    index: int  # position on the default branch's first-parent line, oldest first

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class RecordRules:
    """What a register kind's schema marks: the record's own date fields, when a record counts
    as approved (`x-approved-when`) and the fields its lifecycle may change afterwards."""

    date_fields: tuple[str, ...] = ()
    approved_when: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    lifecycle: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Version:
    """An item as one commit left it: its fields, and for a document a hash of its body."""

    commit: Commit
    fields: dict[str, Any]
    body_hash: str = ""


@dataclass
class ItemHistory:
    path: str  # the file (its current name); records add `#id`
    kind: Literal["document", "record"]
    versions: list[Version]
    complete: bool = True  # the first version is the item's first entry into the repository
    rules: RecordRules = field(default_factory=RecordRules)
    _contents: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def item_id(self) -> str:
        latest = self.versions[-1].fields.get("id") if self.versions else None
        return str(latest) if latest else self.path

    @property
    def file(self) -> str:
        return self.path.split("#", 1)[0]

    def approved(self, version: Version) -> bool:
        if self.kind == "document":
            return version.fields.get("status") == "approved"
        when = self.rules.approved_when
        return bool(when) and all(version.fields.get(k) in v for k, v in when.items())

    def approval(self, version: Version) -> tuple[str | None, str | None]:
        """(version, approved_on) of an approved version, as text."""
        fields = version.fields
        return _text(fields.get("version")), _text(fields.get("approved_on"))

    def own_date(self, version: Version) -> tuple[str, datetime.date] | None:
        """(field, date) of the event the item records: held, performed, raised, approved."""
        names = DOCUMENT_DATES if self.kind == "document" else self.rules.date_fields
        for name in names:
            value = _date(version.fields.get(name))
            if value is not None and (name != "approved_on" or self.approved(version)):
                return name, value
        return None

    def content(self, version: Version) -> str:
        """A hash of what an approval approves: every field but approval data, lifecycle
        fields and metadata keys, and the body (computed once per version)."""
        known = self._contents.get(id(version))
        if known is None:
            known = self._contents[id(version)] = self._content(version)
        return known

    def _content(self, version: Version) -> str:
        left_out = DOCUMENT_APPROVAL if self.kind == "document" else self.rules.lifecycle
        kept = {
            k: v
            for k, v in version.fields.items()
            if k not in left_out and k not in METADATA_KEYS and k != LATE_ENTRY_KEY
        }
        text = json.dumps(kept, sort_keys=True, default=str) + "\n" + version.body_hash
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def fixed_fields(self, version: Version) -> dict[str, Any]:
        left_out = DOCUMENT_APPROVAL if self.kind == "document" else self.rules.lifecycle
        return {k: v for k, v in version.fields.items() if k not in left_out | METADATA_KEYS}

    @staticmethod
    def metadata(version: Version) -> dict[str, Any]:
        return {k: version.fields.get(k) for k in sorted(METADATA_KEYS)}


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None
