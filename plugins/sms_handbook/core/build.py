"""Build the handbook model and every diagnostic about it: the one entry point of the core.

discover -> load -> validate -> model. Every front end (MkDocs plugin, CLI, hooks) calls
`build_handbook`; nothing after it reads a file or validates again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .conformity.requirements import apply_repository_rules, catalogue_requirements
from .conformity.sections import TextFacts
from .diagnostics import Diagnostic, has_errors
from .documents import LoadedDocument, load_document
from .loading import collector_paused
from .model import Handbook
from .registers import LoadedRegister, load_register
from .rules import (
    check_approval_authority,
    check_classifications,
    check_clauses,
    check_identifiers,
    check_lifecycle,
    check_references,
    check_schema_audiences,
    sites,
)
from .schemas import load_schemas
from .settings import Settings
from .sources import discover
from .standards import load_standard
from .tree_checks import TreeFacts, tree_diagnostics

Parsed = tuple[Any, list[Diagnostic]]  # a loaded file and its problems


@dataclass
class LoadCache:
    """What a long-lived process (the live preview) parsed of each file, by its path and
    text: a file whose text, schemas and settings are those of the last build is not parsed
    and validated again. The checks across files always run."""

    key: tuple[object, ...] = ()  # the schemas and settings the entries were made with
    entries: dict[tuple[str, str], Parsed] = field(default_factory=dict)
    used: dict[tuple[str, str], Parsed] = field(default_factory=dict)
    assessments: dict[str, Any] = field(default_factory=dict)  # the context's (context.py)
    links: dict[str, Any] = field(default_factory=dict)  # each body's links (page_links.py)
    named_ids: dict[str, TextFacts] = field(default_factory=dict)  # each text's (context)
    exposure: dict[Any, Any] = field(default_factory=dict)  # each page's SMS309 (exposure.py)
    scoped: dict[str, Any] = field(default_factory=dict)  # each audience's (core/scope.py)

    def start(self, key: tuple[object, ...]) -> None:
        """A new build: entries made with other schemas or settings are dropped; entries no
        build used last time go now."""
        self.entries = self.used if key == self.key else {}
        self.key, self.used = key, {}

    def get(self, path: str, text: str, parse: Callable[[], Parsed]) -> Parsed:
        found = self.entries.get((path, text))
        if found is None:
            found = parse()
        self.used[(path, text)] = found
        return found


@dataclass
class BuildResult:
    handbook: Handbook
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def build_handbook(
    root: Path | str,
    settings: Settings | None = None,
    tree: TreeFacts | None = None,
    cache: LoadCache | None = None,
) -> BuildResult:
    """Read, validate and model the handbook under `root` (the folder of mkdocs.yml).
    `tree`: check the file tree too (a working tree; an old revision's export has none).
    `cache`: reuse what an earlier build of this process parsed of unchanged files."""
    with collector_paused():
        return _build(Path(root), settings or Settings(), tree, cache or LoadCache())


def _build(root: Path, settings: Settings, tree: TreeFacts | None, cache: LoadCache) -> BuildResult:
    sources, diagnostics = discover(root, settings)
    if tree is not None:
        diagnostics += tree_diagnostics(root, settings, tree)
    schemas, schema_problems = load_schemas(sources.schemas)
    diagnostics += schema_problems
    cache.start((tuple((s.path, s.text) for s in sources.schemas), settings))

    documents: list[LoadedDocument] = []
    for source in sources.documents(diagnostics):
        loaded_document, problems = cache.get(
            source.path, source.text, partial(load_document, source, schemas, settings)
        )
        documents.append(loaded_document)
        diagnostics += problems

    loaded_registers: list[LoadedRegister] = []
    for source in sources.registers:
        loaded_register, problems = cache.get(
            source.path, source.text, partial(load_register, source, schemas, settings)
        )
        diagnostics += problems
        if loaded_register is not None:
            loaded_registers.append(loaded_register)
    registers, duplicates = _one_file_per_register(loaded_registers)
    diagnostics += duplicates
    by_kind = {loaded.register.name: loaded.register for loaded in registers}

    standard = load_standard(settings.standard)
    requirements = catalogue_requirements(standard)
    diagnostics += apply_repository_rules(requirements, sources.rules)
    handbook = Handbook(
        settings=settings,
        standard=standard,
        documents=[d.document for d in documents],
        registers=by_kind,
        requirements=requirements,
    )
    all_sites = list(sites(documents, registers, schemas))
    diagnostics += check_identifiers(all_sites)
    diagnostics += check_references(all_sites, handbook)
    diagnostics += check_clauses(all_sites, handbook)
    diagnostics += check_classifications(all_sites, handbook)
    diagnostics += check_lifecycle(all_sites)
    diagnostics += check_approval_authority(all_sites, handbook)
    diagnostics += check_schema_audiences(handbook)
    return BuildResult(handbook, sorted(set(diagnostics)))


def _one_file_per_register(
    loaded: list[LoadedRegister],
) -> tuple[list[LoadedRegister], list[Diagnostic]]:
    """Keep one file per register kind: the one named after it, else the first."""

    def stem(candidate: LoadedRegister) -> str:
        return candidate.register.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    chosen: dict[str, LoadedRegister] = {}
    for candidate in loaded:
        name = candidate.register.name
        current = chosen.get(name)
        if current is None or stem(candidate) == name != stem(current):
            chosen[name] = candidate
    kept = [c for c in loaded if chosen[c.register.name] is c]
    diagnostics = []
    for candidate in loaded:
        winner = chosen[candidate.register.name]
        if winner is not candidate:
            line, column = candidate.yaml.position(("register",))
            message = (
                f"register '{candidate.register.name}' is already defined in "
                f"{winner.register.path}; keep one file per register"
            )
            diagnostics.append(Diagnostic(candidate.register.path, line, column, "SMS110", message))
    return kept, diagnostics
