"""What a stage is asked to hold (`StageRequest`) and what writing it gives back (`Stage`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.conformity import Assessment
from ..core.model import Handbook
from ..core.options import Options
from ..core.scope import Hidden
from ..history import History
from .layout import StageLayout

if TYPE_CHECKING:
    from ..core.changes import Changes


@dataclass
class StageRequest:
    root: Path
    config: dict[str, Any]  # the repository's site configuration, as read
    options: Options
    view: Handbook
    hidden: Hidden
    today: datetime.date
    history: History | None = None
    changes: tuple[Changes, str] | None = None
    hooks: list[str] = field(default_factory=list)  # engine hooks to add
    refused_dirs: list[Path] = field(default_factory=list)  # never read by snippets
    assessment: Assessment | None = None  # the view's conformity (assessed when not given)

    # Write the generated pages in a worker beside the engine (see background.py); the
    # caller then calls Stage.complete() before the engine reads them.
    beside_engine: bool = False
    # A live preview: keep what this process's last stage of the audience made from the same
    # facts (stage/reuse.py).
    reuse: bool = False
    # The guard's proof for this stage; empty: a new one (a long-running engine, Zensical's
    # server, keeps one proof for every stage it reads; it stays in memory all the same).
    proof: str = field(default="", repr=False)

    @property
    def docs_dir(self) -> Path:
        """The repository's docs folder, resolved."""
        return (self.root / self.view.settings.docs_dir).resolve()


@dataclass
class Pending:
    finish: Callable[[], None]
    cancel: Callable[[], None]


@dataclass
class Stage:
    audience: str
    root: Path
    token: str
    config: dict[str, Any]
    print_page: str | None  # src_uri of the print edition, when there is one
    urls: dict[str, str]  # src_uri -> URL of every staged page
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generated: set[str] = field(default_factory=set)  # src_uris of generated pages and files
    # a preview's: (generated pages rendered, documents staged) again; the rest was kept
    made_again: tuple[int, int] | None = None
    pending: Pending | None = field(default=None, repr=False)
    # This build's proof for the guard: in memory only, handed to the engine (see guard.py)
    proof: str = field(default="", repr=False)

    def complete(self) -> None:
        """Finish what a worker writes beside the engine (the generated pages, the search
        entries): waits for it, once. A stage written whole has nothing left to do. The
        engine must not read a generated page before this."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.finish()

    def ready(self, src_uri: str) -> None:
        """Wait, if need be, until the page `src_uri` can be read: the documents are written
        before the engine starts; any other page waits for the worker."""
        if self.pending is not None and (src_uri not in self.urls or src_uri in self.generated):
            self.complete()

    def cancel(self) -> None:
        """Stop the worker of a build that failed (the next build writes the stage again)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.cancel()

    @property
    def layout(self) -> StageLayout:
        return StageLayout(self.root)

    @property
    def docs_dir(self) -> Path:
        return self.layout.docs_dir

    @property
    def config_file(self) -> Path:
        return self.layout.config_file

    @property
    def data_file(self) -> Path:
        return self.layout.data_file

    def summary(self) -> str:
        said = (
            f"stage {self.audience}: {self.written} files written, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.1f} s"
        )
        if self.made_again is not None:
            pages, documents = self.made_again
            said += f" ({pages} generated pages rendered and {documents} documents staged again)"
        return said
