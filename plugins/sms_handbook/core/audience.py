"""The audience object: every question about what one audience may see, asked in one place.

Audiences are ordered (public < internal < restricted by default). Only this module and
`scope.py` know that order: everything else asks an `Audience` (is it public, does it see
everything, how much revision history, which services customers see, whether an attachment is
visible), the way MkDocs' `InclusionLevel` answers `is_excluded()` so that no call site compares
levels. The model's classification rules (an item may only be more restricted than its
container) use the few order functions at the end.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from .settings import Settings


class _Fields(Protocol):  # a record (core.model imports this module)
    def get(self, name: str, default: object = None) -> object: ...


# How much of a document's revision history the audience reads in its control block:
# commit subjects can name anything in the repository, authors are staff.
HistoryDetail = Literal["full", "authors", "minimal"]


@dataclass(frozen=True)
class Audience:
    """One audience of a handbook's settings, and every question about what it sees."""

    settings: Settings
    name: str

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        """The lowest audience: customers and anyone on the internet."""
        return _rank(self.settings, self.name) == 0

    @property
    def sees_everything(self) -> bool:
        """The highest audience: nothing is hidden from it."""
        return _rank(self.settings, self.name) == len(self.settings.audiences) - 1

    def sees(self, classification: str) -> bool:
        """Whether an item classified `classification` is visible to this audience."""
        return _rank(self.settings, classification) <= _rank(self.settings, self.name)

    @property
    def sees_staff_pages(self) -> bool:
        """The handbook-wide pages (matrix, reviews, exports) are for whoever sees what is
        unmarked (the default classification)."""
        return self.sees(self.settings.default_classification)

    @property
    def history_detail(self) -> HistoryDetail:
        if self.sees_everything:
            return "full"
        return "minimal" if self.is_public else "authors"

    def shows_record(self, register: str, record: _Fields) -> bool:
        """Whether a record it may see by classification is in its view at all: customers
        see live services only. Scoping asks, so the catalogue, the services register page,
        macros and the export all follow this one rule, and verification treats the others
        as hidden."""
        if self.is_public and register == "services":
            return record.get("status") == "live"
        return True

    def attachment_visible(
        self, src_uri: str, patterns: Mapping[str, str], chrome: Collection[str]
    ) -> bool:
        """A non-page file of docs/: the first matching pattern classifies it; the site's own
        chrome (extra CSS and JS, logo, favicon) is public; anything else is unmarked."""
        for pattern, classification in patterns.items():
            if fnmatch.fnmatch(src_uri, pattern):
                return self.sees(classification)
        return src_uri in chrome or self.sees(self.settings.default_classification)

    @property
    def reads_repository_facts(self) -> bool:
        """Commit subjects, authors of the last commit, registers' raw files: they can name
        anything in the repository, so only the highest audience reads them."""
        return self.sees_everything


# The order, for the model's classification rules -------------------------------------------


def _rank(settings: Settings, audience: str) -> int:
    """Position of an audience in the ordered list; unknown names rank above all."""
    try:
        return settings.audiences.index(audience)
    except ValueError:
        return len(settings.audiences)


def most_restricted(settings: Settings) -> str:
    """The classification of what only the highest audience may see."""
    return settings.audiences[-1]


def least_restricted(settings: Settings) -> str:
    return settings.audiences[0]


def stricter(settings: Settings, a: str, b: str) -> str:
    """The more restricted of two classifications."""
    return a if _rank(settings, a) >= _rank(settings, b) else b


def less_restricted(settings: Settings, a: str, than: str) -> bool:
    """Whether classification `a` lets more audiences see than `than` does."""
    return _rank(settings, a) < _rank(settings, than)


def visible_to(settings: Settings, classification: str, audience: str) -> bool:
    return Audience(settings, audience).sees(classification)
