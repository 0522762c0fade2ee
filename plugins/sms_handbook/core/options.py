"""The plugin's options (`sms-handbook:` in mkdocs.yml) as plain, typed data.

Every front end reads them through here, so the CLI and the hooks need no site generator.
MkDocs itself validates the same options through `mkdocs_plugin/config.py`, which documents
each one; a test keeps the two declarations in step.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from .audience import Audience
from .settings import Settings
from .site_files import SiteFiles

DEFAULTS = Settings()
PAGES = ("catalogue", "registers", "traceability", "reviews", "exports", "print", "packs")
PAGE_LIMIT = 1000
UNDEFINED = ("keep", "strict")  # what a page template does with an undefined variable


@dataclass(frozen=True)
class Options:
    enabled: bool = True
    audiences: tuple[str, ...] = DEFAULTS.audiences
    default_classification: str = DEFAULTS.default_classification
    audience: str = DEFAULTS.audience
    registers_dir: str = DEFAULTS.registers_dir
    standard: str = DEFAULTS.standard
    review_interval_months: int = DEFAULTS.review_interval_months
    due_soon_days: int = DEFAULTS.due_soon_days
    overdue_is_warning: bool = DEFAULTS.overdue_is_warning
    strict_page_keys: bool = DEFAULTS.strict_page_keys
    history_limit: int = DEFAULTS.history_limit
    max_merge_lag: int = DEFAULTS.max_merge_lag
    late_entry_days: int = DEFAULTS.late_entry_days
    history_baseline: str = DEFAULTS.history_baseline
    history_migrated_from: str = DEFAULTS.history_migrated_from
    pages_dir: str = "handbook"
    pages: tuple[str, ...] = PAGES
    register_page_limit: int = PAGE_LIMIT
    nav_section: str = "Handbook"
    attachments: dict[str, str] = field(default_factory=dict)
    nav_group_size: int = 50
    prune_navigation: bool = True
    allow_third_party: bool = False
    history: bool = True
    compare_with: str = ""
    verify_allow: tuple[str, ...] = ()
    access_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    allow_python_names: tuple[str, ...] = ()
    on_undefined: str = "keep"
    staged_dot_files: tuple[str, ...] = ()

    def settings(self, docs_dir: str = "docs", site_files: SiteFiles | None = None) -> Settings:
        """The core's view of these options, with the site's docs folder and its patterns of
        files left out."""
        return Settings(
            audiences=tuple(self.audiences),
            default_classification=self.default_classification,
            audience=self.audience,
            docs_dir=docs_dir,
            site_files=site_files or SiteFiles(),
            registers_dir=self.registers_dir,
            standard=self.standard,
            review_interval_months=self.review_interval_months,
            due_soon_days=self.due_soon_days,
            overdue_is_warning=self.overdue_is_warning,
            strict_page_keys=self.strict_page_keys,
            history_limit=self.history_limit,
            max_merge_lag=self.max_merge_lag,
            late_entry_days=self.late_entry_days,
            history_baseline=self.history_baseline,
            history_migrated_from=self.history_migrated_from,
        )


def _check(name: str, value: Any, default: Any) -> tuple[Any, str | None]:
    """(the value as the option's type, None) or (None, what is wrong)."""
    if isinstance(default, bool):
        return (value, None) if isinstance(value, bool) else (None, "expected true or false")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        return None, "expected a whole number"
    if name == "on_undefined":
        return (value, None) if value in UNDEFINED else (None, "expected keep or strict")
    if isinstance(default, str):
        return (value, None) if isinstance(value, str) else (None, "expected a text")
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, "expected a list of texts"
        if name == "pages":
            unknown = [v for v in value if v not in PAGES]
            if unknown:
                return None, f"unknown page '{unknown[0]}'; choose from {', '.join(PAGES)}"
        return tuple(value), None
    if name == "access_groups":
        return _access_groups(value)
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return None, "expected a mapping of patterns to audiences"
        return dict(value), None
    return value, None  # pragma: no cover (every option has one of the types above)


# A group name goes into web server configurations: no spaces, quotes or other syntax.
GROUP_NAME = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9_.@/:-]{0,127}")


def _access_groups(value: Any) -> tuple[Any, str | None]:
    expected = "expected a mapping of audiences to lists of groups"
    if not isinstance(value, dict):
        return None, expected
    groups: dict[str, tuple[str, ...]] = {}
    for audience, names in value.items():
        if not isinstance(audience, str) or not isinstance(names, list) or not names:
            return None, f"{expected}, each with at least one group"
        for group in names:
            if not isinstance(group, str) or not GROUP_NAME.fullmatch(group):
                return None, (
                    f"group {group!r} of '{audience}' is not a plain group name (letters, digits "
                    "and _ . @ / : -, at most 128): it is written into web server configurations"
                )
        groups[audience] = tuple(names)
    return groups, None


def access_problems(options: Options) -> list[str]:
    """What is wrong with `access_groups` given the audiences, in words, or nothing."""
    settings = options.settings()
    found = []
    for audience in options.access_groups:
        if audience not in settings.audiences:
            found.append(
                f"`access_groups` names '{audience}', not one of the audiences: "
                f"{', '.join(settings.audiences)}"
            )
        elif Audience(settings, audience).is_public:
            found.append(
                f"`access_groups` names '{audience}', the public audience: everyone reads it "
                "without signing in; remove it"
            )
    return found


def parse_options(raw: dict[str, Any]) -> tuple[Options, list[tuple[str, str]]]:
    """The options in `raw`, and (option, problem) for each that is unknown or invalid."""
    known = {f.name: f for f in dataclasses.fields(Options)}
    defaults = Options()
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, value in raw.items():
        if name not in known:
            problems.append((str(name), f"unknown option; known: {', '.join(sorted(known))}"))
            continue
        checked, problem = _check(name, value, getattr(defaults, name))
        if problem:
            problems.append((name, problem))
        else:
            values[name] = checked
    return dataclasses.replace(defaults, **values), problems
