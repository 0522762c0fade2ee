"""Build one site per audience, verify each against the model, then put it in place.

Each audience builds into a staging folder beside its final place, in its own process (so
that audiences build in parallel and one MkDocs run cannot affect another). Only a build that
succeeded and passed verification replaces the previous site; otherwise the previous site
stays exactly as it was.
"""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .core.model import Handbook
from .verify import verify_site


@dataclass
class AudienceBuild:
    audience: str
    ok: bool
    seconds: float
    log: list[str] = field(default_factory=list)
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    site: Path | None = None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname:<8}-  {record.getMessage()}")


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    old = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_audience(
    root: str,
    config_file: str,
    audience: str,
    site_dir: str,
    strict: bool,
    environment: dict[str, str] | None = None,
) -> AudienceBuild:
    """Run MkDocs for one audience into `site_dir` (a worker process calls this)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    started = time.monotonic()
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    previous = os.getcwd()
    variables = {**(environment or {}), "SMS_AUDIENCE": audience}
    try:
        os.chdir(root)
        with _environment(variables), contextlib.redirect_stdout(io.StringIO()):
            config = load_config(config_file, site_dir=site_dir, strict=strict)
            build(config)
        return AudienceBuild(audience, True, time.monotonic() - started, handler.records)
    except (Abort, ConfigurationError, PluginError) as error:
        return AudienceBuild(
            audience, False, time.monotonic() - started, handler.records, str(error)
        )
    except Exception as error:  # a failing theme or plugin: report, never a traceback
        message = f"{type(error).__name__}: {error}"
        return AudienceBuild(audience, False, time.monotonic() - started, handler.records, message)
    finally:
        os.chdir(previous)
        logger.removeHandler(handler)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(
        "fork" if "fork" in methods and sys.platform == "linux" else "spawn"
    )


def replace_tree(staging: Path, final: Path) -> None:
    """Put `staging` where `final` is; the old tree is removed only once the new one is there."""
    final.parent.mkdir(parents=True, exist_ok=True)
    backup = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
    if final.exists():
        final.rename(backup)
    try:
        staging.rename(final)
    except OSError:
        if backup.exists():
            backup.rename(final)
        raise
    shutil.rmtree(backup, ignore_errors=True)


@dataclass
class BuildRequest:
    """What to build: the handbook at `root` with `config_file`, for `audiences`."""

    root: Path
    config_file: Path
    handbook: Handbook
    audiences: list[str]
    strict: bool = True
    jobs: int | None = None
    allow: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)


def build_verified(
    request: BuildRequest, staging: dict[str, Path], report: Callable[[str], None]
) -> dict[str, AudienceBuild]:
    """Build every audience into its staging folder, in parallel, and verify each build."""
    audiences = request.audiences
    workers = max(1, min(len(audiences), request.jobs or os.cpu_count() or 1))
    total = len(audiences)
    report(
        f"building {total} audience{'s' * (total != 1)} with {workers} worker{'s' * (workers != 1)}"
    )
    arguments = {
        a: (
            str(request.root),
            str(request.config_file),
            a,
            str(staging[a]),
            request.strict,
            request.environment,
        )
        for a in audiences
    }
    results: dict[str, AudienceBuild] = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context()) if workers > 1 else None
    try:
        if pool is None:
            finished: Iterator[AudienceBuild] = (build_audience(*arguments[a]) for a in audiences)
        else:
            futures = [pool.submit(build_audience, *arguments[a]) for a in audiences]
            finished = (future.result() for future in as_completed(futures))
        for count, outcome in enumerate(finished, 1):
            results[outcome.audience] = outcome
            prefix = f"[{count}/{total}] {outcome.audience}"
            if not outcome.ok:
                report(f"{prefix}: build failed after {outcome.seconds:.1f} s: {outcome.error}")
                for line in outcome.log:
                    if line.startswith(("ERROR", "WARNING")):
                        report(f"    {line}")
                continue
            outcome.problems = verify_site(
                staging[outcome.audience], request.handbook, outcome.audience, request.allow
            )
            if outcome.problems:
                outcome.ok = False
                report(
                    f"{prefix}: built, but verification found {len(outcome.problems)} problem(s):"
                )
                for problem in outcome.problems[:50]:
                    report(f"    {problem}")
                continue
            outcome.site = staging[outcome.audience]
            report(f"{prefix}: built and verified in {outcome.seconds:.1f} s")
    finally:
        if pool is not None:
            pool.shutdown()
    return results


def publish(
    request: BuildRequest, site_root: Path, report: Callable[[str], None] = print
) -> list[AudienceBuild]:
    """Build, verify and put in place every audience; returns what happened to each."""
    site_root.mkdir(parents=True, exist_ok=True)
    staging = {a: site_root / f".{a}.staging-{uuid.uuid4().hex[:8]}" for a in request.audiences}
    try:
        results = build_verified(request, staging, report)
        for audience, outcome in results.items():
            if outcome.ok:
                final = site_root / audience
                replace_tree(staging[audience], final)
                outcome.site = final
                report(f"    {audience} -> {final}")
    finally:
        for path in staging.values():
            shutil.rmtree(path, ignore_errors=True)
    failed = [a for a in request.audiences if a not in results or not results[a].ok]
    if failed:
        report(f"kept the previous site for: {', '.join(failed)}")
    return [results[a] for a in request.audiences if a in results]
