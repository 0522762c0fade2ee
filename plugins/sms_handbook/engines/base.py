"""What an engine is to the pipeline."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import shortened
from ..finish import PageMarks
from ..stage.request import Stage


@dataclass
class EngineResult:
    ok: bool
    seconds: float
    log: list[str] = field(default_factory=list)
    error: str | None = None
    marked: set[str] = field(default_factory=set)  # output files it gave the marks (normalised)


def strict_failure(engine: str, log: list[str]) -> str | None:
    """Why a strict build stopped, when warnings stopped it: the warnings, and the choice.

    The handbook's own warnings stop a build before the engine starts (the stage reports
    them), so every warning the engine logs comes from the engine, its theme or another
    plugin; a user should know that before deciding to fix it or to build without strict."""
    warnings = [line.split("-", 1)[1].strip() for line in log if line.startswith("WARNING")]
    if not warnings:
        return None
    shown = [w.rstrip(". ") for w in warnings[:5]]  # the sentence below ends them
    listed = "; ".join(shortened(w, 200) for w in shown)
    more = f" (and {len(warnings) - 5} more)" if len(warnings) > 5 else ""
    return (
        f"{engine} stopped in strict mode on {len(warnings)} warning(s) of its own or of "
        f"another plugin, none of them from sms-handbook: {listed}{more}. Fix them, or build "
        "with --no-strict: the handbook's checks and the verification of the site still run"
    )


class Engine:
    name = ""
    module = ""  # the Python module that must be importable
    extra = ""  # the pip extra that installs it

    def missing(self) -> str | None:
        """Why this engine cannot run here, or None."""
        if importlib.util.find_spec(self.module) is None:
            return (
                f"the {self.name} engine is not installed; "
                f"pip install 'sms-handbook[{self.extra or self.name}]'"
            )
        return None

    def hooks(self) -> list[str]:
        """MkDocs hook files the stage's configuration should list for this engine."""
        return []

    def build(
        self, stage: Stage, site_dir: Path, strict: bool, marks: PageMarks | None = None
    ) -> EngineResult:
        """Build `stage` into `site_dir`. An engine that can put the audience's `marks` on
        the pages as it writes them says which in `EngineResult.marked`; the finish step
        marks the rest."""
        raise NotImplementedError

    def serve(self, config_file: Path, dev_addr: str, *, full: bool = False) -> str | None:
        """Serve with live reload until interrupted (`full`: every change rebuilds every
        page); returns a problem in words, or None."""
        return (
            f"the {self.name} engine cannot serve a live preview; use --engine mkdocs or "
            "--engine zensical"
        )
