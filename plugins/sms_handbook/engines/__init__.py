"""Engines: the site generators that build a stage. Only these modules import one.

Every engine gets the same stage (finished Markdown, derived configuration) and writes a site
into a folder; the pipeline then finishes, verifies and publishes it the same way.
"""

from __future__ import annotations

from .base import Engine, EngineResult
from .mkdocs import MkDocsEngine
from .subprocess_engines import ProperDocsEngine, ZensicalEngine

ENGINES: dict[str, type[Engine]] = {
    "mkdocs": MkDocsEngine,
    "properdocs": ProperDocsEngine,
    "zensical": ZensicalEngine,
}
DEFAULT_ENGINE = "mkdocs"


def engine(name: str) -> Engine:
    return ENGINES[name]()


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "EngineResult", "engine"]
