"""The handbook's settings: the plugin options of mkdocs.yml, as plain data.

The defaults here are the single source of truth: the MkDocs plugin's `Config` class takes its
defaults from `Settings()`.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from dataclasses import dataclass, field
from typing import Any

from .site_files import SiteFiles


@dataclass(frozen=True)
class Settings:
    audiences: tuple[str, ...] = ("public", "internal", "restricted")
    default_classification: str = "internal"
    audience: str = "internal"
    docs_dir: str = "docs"
    registers_dir: str = "registers"
    standard: str = "iso20000-1-2018"
    review_interval_months: int = 12
    due_soon_days: int = 30
    overdue_is_warning: bool = False
    strict_page_keys: bool = False
    history_limit: int = 20_000
    max_merge_lag: int = 7
    late_entry_days: int = 30
    history_baseline: str = ""
    history_migrated_from: str = ""
    site_files: SiteFiles = field(default_factory=SiteFiles)  # exclude_docs, draft_docs

    @property
    def schemas_dir(self) -> str:
        return f"{self.registers_dir}/schemas"

    @property
    def rules_dir(self) -> str:
        """The repository's own conformity rules and cadences (see core/conformity)."""
        return f"{self.registers_dir}/rules"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


FIELDS = tuple(f.name for f in dataclasses.fields(Settings))
AUDIENCE_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}")


def today() -> datetime.date:
    """The date review states are computed for: `SMS_TODAY` when set, else the clock."""
    value = os.environ.get("SMS_TODAY")
    if value:
        return datetime.date.fromisoformat(value)
    return datetime.date.today()


def problems(settings: Settings) -> list[str]:
    """What is wrong with these settings, in words, or nothing."""
    from .standards import available_standards

    found = []
    audiences = settings.audiences
    for name in audiences:
        if not AUDIENCE_NAME.fullmatch(str(name)):
            found.append(
                f"audience '{name}' is not a plain name (lower-case letters, digits and "
                "hyphens, starting with a letter, at most 32): it names a folder of the site"
            )
    if not audiences:
        found.append("`audiences` is empty; list at least one audience")
    elif len(set(audiences)) != len(audiences):
        found.append(f"`audiences` lists an audience twice: {', '.join(audiences)}; list each once")
    for option in ("default_classification", "audience"):
        value = getattr(settings, option)
        if audiences and value not in audiences:
            found.append(
                f"`{option}` is '{value}', not one of the audiences: {', '.join(audiences)}; "
                "use one of them"
            )
    if settings.standard not in available_standards():
        known = ", ".join(available_standards())
        found.append(f"`standard` is '{settings.standard}'; use one of the catalogues: {known}")
    if settings.review_interval_months < 1:
        found.append("`review_interval_months` is below 1; give a number of months")
    for option in ("history_limit", "max_merge_lag", "late_entry_days"):
        if getattr(settings, option) < (1 if option == "history_limit" else 0):
            found.append(f"`{option}` is too small; give a whole number of days or commits")
    if settings.due_soon_days < 0:
        found.append("`due_soon_days` is negative; give a number of days, 0 or more")
    return found
