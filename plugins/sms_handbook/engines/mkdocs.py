"""MkDocs (with Material): the default engine, run in this process."""

from __future__ import annotations

import contextlib
import io
import logging
import time
from importlib import resources
from pathlib import Path
from typing import Any

from ..finish import PageMarks
from ..stage.configuration import GUARD
from ..stage.request import Stage
from .base import Engine, EngineResult, strict_failure


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname:<8}-  {record.getMessage()}")


def stage_hooks() -> str:
    """Our MkDocs hooks for staged builds (navigation grouping), as a file path."""
    return str(resources.files("sms_handbook").joinpath("mkdocs_plugin", "stage_hooks.py"))


class MkDocsEngine(Engine):
    name = "mkdocs"
    module = "mkdocs"

    def hooks(self) -> list[str]:
        return [stage_hooks()]

    def build(
        self, stage: Stage, site_dir: Path, strict: bool, marks: PageMarks | None = None
    ) -> EngineResult:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, ConfigurationError, PluginError

        started = time.monotonic()
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        level = logger.level
        logger.setLevel(logging.INFO)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                config = load_config(str(stage.config_file), site_dir=str(site_dir), strict=strict)
                prove_stage(config, stage)
                hooks = config["hooks"].get(stage_hooks())  # name: module, once loaded
                if hooks is not None:  # one module for every build of this process
                    hooks.mark_pages(marks or None)
                build(config)
            marked = set(hooks.marked_pages()) if hooks is not None else set()
            return EngineResult(True, time.monotonic() - started, handler.records, marked=marked)
        except Abort as error:
            aborted = strict and "strict" in str(error)
            reason = (aborted and strict_failure("MkDocs", handler.records)) or str(error)
            return EngineResult(False, time.monotonic() - started, handler.records, reason)
        except (ConfigurationError, PluginError) as error:
            return EngineResult(False, time.monotonic() - started, handler.records, str(error))
        except Exception as error:  # a failing theme, plugin or extension: report it
            message = f"{type(error).__name__}: {error}"
            return EngineResult(False, time.monotonic() - started, handler.records, message)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)

    def serve(self, config_file: Path, dev_addr: str, *, full: bool = False) -> str | None:
        """MkDocs' own server on the repository's configuration: the plugin stages each
        rebuild and shows the handbook's problems on every page instead of stopping. Its
        dirty builds render only what a change touches (mkdocs_plugin/preview.py)."""
        from mkdocs.commands.serve import serve
        from mkdocs.exceptions import Abort, ConfigurationError, PluginError

        logging.getLogger("mkdocs.commands.build").addFilter(_without_dirty_warning)
        try:
            serve(
                config_file=str(config_file),
                dev_addr=dev_addr,
                livereload=True,
                strict=False,
                build_type=None if full else "dirty",
            )
        except (Abort, ConfigurationError, PluginError) as error:
            return str(error)
        return None


def _without_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that its navigation may be wrong; the preview puts
    the navigation right (mkdocs_plugin/preview.py), and the README says how."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def prove_stage(config: Any, stage: Stage) -> None:
    """Hand the guard this build's proof, in memory (the stage's files never hold it)."""
    options = config.mdx_configs.setdefault(GUARD, {})
    options["proof"] = stage.proof
