"""The one context every front end uses: configuration and environment read once, the model
built once, and each audience's view (with what it hides) made once.

The CLI and the hooks make it with `load_context`; the MkDocs plugin with the same function
from its own configuration file. Nothing after it reads the configuration or the sources.
"""

from __future__ import annotations

import datetime
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .background import Background
from .core.build import BuildResult, build_handbook
from .core.conformity import Assessment, assess
from .core.diagnostics import Diagnostic
from .core.model import Handbook
from .core.options import Options
from .core.scope import Hidden, scope_to_audience
from .core.settings import Settings, today
from .history import History, load_history
from .project import Project, read_project
from .render.links import relative_url


class ContextError(Exception):
    """The handbook's configuration or environment cannot be used; `diagnostics` say why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass
class HandbookContext:
    project: Project
    result: BuildResult
    today: datetime.date
    _views: dict[str, tuple[Handbook, Hidden]] = field(default_factory=dict, repr=False)
    _assessments: dict[str, Assessment] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def config_file(self) -> Path:
        return self.project.config_file

    @property
    def site_config(self) -> dict[str, Any]:
        return self.project.site_config

    @property
    def settings(self) -> Settings:
        return self.project.settings

    @property
    def options(self) -> Options:
        return self.project.options

    @property
    def handbook(self) -> Handbook:
        return self.result.handbook

    @functools.cached_property
    def history(self) -> History | None:
        """Each document's revisions from git (once; None when the `history` option is off)."""
        if not self.options.history:
            return None
        return load_history(self.root, self.settings.docs_dir)

    def view(self, audience: str) -> tuple[Handbook, Hidden]:
        """The audience's view of the handbook and what it leaves out, made once."""
        if audience not in self._views:
            self._views[audience] = scope_to_audience(self.result.handbook, audience)
        return self._views[audience]

    def release_sources(self) -> None:
        """Forget the pages' texts once the stage holds them (`Stage.complete()`): nothing after
        the stage reads them (data flows one way), and the engine keeps its own copy."""
        for handbook in (self.handbook, *(view for view, _hidden in self._views.values())):
            for document in handbook.documents:
                document.source = ""
        relative_url.cache_clear()

    def assessment(self, audience: str) -> Assessment:
        """The conformity of the audience's view, assessed once."""
        if audience not in self._assessments:
            view, _hidden = self.view(audience)
            self._assessments[audience] = assess(view, self.today)
        return self._assessments[audience]


def load_context(
    root: Path,
    audience: str | None = None,
    config_file: Path | None = None,
    *,
    beside: bool = False,
) -> HandbookContext:
    """Read the configuration and `SMS_TODAY`, and build the model of the handbook at `root`.
    `beside`: build the model in a worker (README, Workers), so that what only loading and
    validating need (the schema engines, the YAML node maps) never takes this process's
    memory; it receives the finished model."""
    project, problems = read_project(root, audience, config_file)
    if project is None:
        lines = "".join(f"\n  {problem}" for problem in problems)
        raise ContextError(f"cannot read the handbook's configuration:{lines}", problems)
    try:
        date = today()
    except ValueError as error:
        raise ContextError(f"SMS_TODAY is not a date (YYYY-MM-DD): {error}") from None
    built = Background(
        lambda _channel: build_handbook(project.root, project.settings), beside=beside
    )
    return HandbookContext(project, built.result(), date)


def chosen_audience(context_settings: Settings, requested: str | None) -> str:
    """The audience of a single build: as requested, else `SMS_AUDIENCE`, else configured."""
    return requested or os.environ.get("SMS_AUDIENCE") or context_settings.audience
