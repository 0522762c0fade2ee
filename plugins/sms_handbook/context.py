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

from .core.build import BuildResult, build_handbook
from .core.conformity import Assessment, assess
from .core.diagnostics import Diagnostic
from .core.integrity import HistoryReport
from .core.model import Handbook
from .core.options import Options
from .core.scope import Hidden, scope_to_audience
from .core.settings import Settings, today
from .history import History, load_history
from .item_history import check_history
from .project import Project, read_project


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

    @functools.cached_property
    def integrity(self) -> HistoryReport:
        """What the git history proves about approvals and records (read once)."""
        return check_history(self.root, self.settings, self.handbook, self.config_file)

    def view(self, audience: str) -> tuple[Handbook, Hidden]:
        """The audience's view of the handbook and what it leaves out, made once."""
        if audience not in self._views:
            self._views[audience] = scope_to_audience(self.result.handbook, audience)
        return self._views[audience]

    def assessment(self, audience: str) -> Assessment:
        """The conformity of the audience's view, assessed once."""
        if audience not in self._assessments:
            view, _hidden = self.view(audience)
            self._assessments[audience] = assess(view, self.today, self.integrity)
        return self._assessments[audience]


def load_context(
    root: Path, audience: str | None = None, config_file: Path | None = None
) -> HandbookContext:
    """Read the configuration and `SMS_TODAY`, and build the model of the handbook at `root`."""
    project, problems = read_project(root, audience, config_file)
    if project is None:
        lines = "".join(f"\n  {problem}" for problem in problems)
        raise ContextError(f"cannot read the handbook's configuration:{lines}", problems)
    try:
        date = today()
    except ValueError as error:
        raise ContextError(f"SMS_TODAY is not a date (YYYY-MM-DD): {error}") from None
    return HandbookContext(project, build_handbook(project.root, project.settings), date)


def chosen_audience(context_settings: Settings, requested: str | None) -> str:
    """The audience of a single build: as requested, else `SMS_AUDIENCE`, else configured."""
    return requested or os.environ.get("SMS_AUDIENCE") or context_settings.audience
