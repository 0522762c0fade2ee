"""What an engine is to the pipeline."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from ..stage.build import Stage


@dataclass
class EngineResult:
    ok: bool
    seconds: float
    log: list[str] = field(default_factory=list)
    error: str | None = None


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

    def build(self, stage: Stage, site_dir: Path, strict: bool) -> EngineResult:
        raise NotImplementedError

    def serve(self, config_file: Path, dev_addr: str) -> str | None:
        """Serve with live reload until interrupted; returns a problem in words, or None."""
        return f"the {self.name} engine cannot serve a live preview; use --engine mkdocs"
