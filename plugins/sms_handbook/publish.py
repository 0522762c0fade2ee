"""Build one site per audience, verify each against the model, then put it in place.

Each audience builds into a staging folder beside its final place, in its own process (so
that audiences build in parallel and one MkDocs run cannot affect another). Only a build that
succeeded and passed verification replaces the previous site; otherwise the previous site
stays exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import pipeline
from .context import ContextError, HandbookContext, load_context
from .core.model import Handbook
from .engines import DEFAULT_ENGINE, engine
from .kept_scans import KeptScans
from .leak_origins import origins
from .stage.sealing import StageError
from .verify import ContentScans, Problem, site_problems

if TYPE_CHECKING:
    import multiprocessing.context


@dataclass
class AudienceBuild:
    audience: str
    ok: bool
    seconds: float
    log: list[str] = field(default_factory=list)
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    site: Path | None = None
    stage_seconds: float = 0.0


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


def verify_build(
    context: HandbookContext,
    audience: str,
    site_dir: Path,
    allow: Iterable[str] = (),
    contents: ContentScans | None = None,
) -> list[Problem]:
    """The problems of a site built for `audience` from `context`, judged by the facts the
    context made once (the audience's view, what it hides, the hidden attachments of
    docs/): what `sms-handbook build` and the plugin's own `mkdocs build` both run.
    `contents`: what earlier verifications of this build found in each content (by default
    only what earlier builds found, `content_scans`)."""
    chosen = context.audience_view(audience)
    return site_problems(
        site_dir,
        context.handbook,
        audience,
        allow,
        origins(context.root, context.handbook, context.site_config),
        hidden_files=chosen.hidden_files,
        scoped=(chosen.handbook, chosen.hidden),
        contents=contents if contents is not None else content_scans(context),
    )


def content_scans(context: HandbookContext) -> ContentScans:
    """The scans of one build's contents, with those earlier builds found clean, kept in
    the git directory of the handbook's repository (`kept_scans`; outside one, none)."""
    facts = context.repository
    return ContentScans(KeptScans(facts.git_dir if facts is not None else None))


# The context of the build in progress: worker processes inherit it when forked.
_INHERITED: dict[str, HandbookContext] = {}


def build_audience(
    root: str,
    audience: str,
    site_dir: str,
    strict: bool,
    engine_name: str = DEFAULT_ENGINE,
    environment: dict[str, str] | None = None,
    site_dirs: tuple[str, ...] = (),
) -> AudienceBuild:
    """Stage and build one audience into `site_dir` (a worker process calls this)."""
    started = time.monotonic()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        with _environment({**(environment or {}), "SMS_AUDIENCE": audience}):
            context = _INHERITED.get(root) or load_context(Path(root))
            outcome = pipeline.build_audience(
                context,
                audience,
                engine(engine_name),
                Path(site_dir),
                strict,
                [Path(p) for p in site_dirs],
            )
    except (ContextError, StageError) as error:
        return AudienceBuild(audience, False, time.monotonic() - started, [], str(error))
    except OSError as error:  # the disk is full, a folder cannot be written, …
        return AudienceBuild(audience, False, time.monotonic() - started, [], system_error(error))
    return AudienceBuild(
        audience,
        outcome.ok,
        outcome.seconds,
        outcome.log,
        outcome.error,
        stage_seconds=outcome.stage_seconds,
    )


def system_error(error: OSError) -> str:
    """What went wrong with the machine (not the handbook), in one line naming the path."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing  # (here: a single build never starts a pool)

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
    """What to build: the handbook of `context`, for `audiences`, with `engine`."""

    context: HandbookContext
    audiences: list[str]
    strict: bool = True
    jobs: int | None = None
    allow: list[str] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    engine: str = DEFAULT_ENGINE

    @property
    def handbook(self) -> Handbook:
        return self.context.handbook


def build_verified(
    request: BuildRequest, staging: dict[str, Path], report: Callable[[str], None]
) -> dict[str, AudienceBuild]:
    """Build every audience into its staging folder, in parallel, and verify each build."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # (a single build: none)

    audiences = request.audiences
    workers = max(1, min(len(audiences), request.jobs or os.cpu_count() or 1))
    total = len(audiences)
    report(
        f"building {total} audience{'s' * (total != 1)} with {workers} "
        f"worker{'s' * (workers != 1)} (engine {request.engine})"
    )
    _INHERITED[str(request.context.root)] = request.context
    if workers > 1:
        request.context.history  # noqa: B018 (read git once, before the workers fork)
    site_dirs = tuple(sorted({str(p.parent.parent) for p in staging.values()}))
    arguments = {
        a: (
            str(request.context.root),
            a,
            str(staging[a]),
            request.strict,
            request.engine,
            request.environment,
            site_dirs,
        )
        for a in audiences
    }
    results: dict[str, AudienceBuild] = {}
    scans = content_scans(request.context)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context()) if workers > 1 else None
    try:
        if pool is None:
            finished: Iterator[AudienceBuild] = (build_audience(*arguments[a]) for a in audiences)
        else:
            futures = [pool.submit(build_audience, *arguments[a]) for a in audiences]
            finished = (future.result() for future in as_completed(futures))
        for count, outcome in enumerate(finished, 1):
            results[outcome.audience] = outcome
            _verify_outcome(request, staging, outcome, f"[{count}/{total}]", scans, report)
    finally:
        _INHERITED.clear()
        if pool is not None:
            pool.shutdown()
    return results


def _verify_outcome(
    request: BuildRequest,
    staging: dict[str, Path],
    outcome: AudienceBuild,
    counted: str,
    scans: ContentScans,
    report: Callable[[str], None],
) -> None:
    """Report one audience's finished build and verify it: its site is kept (`outcome.site`)
    only when it built and verification found nothing."""
    prefix = f"{counted} {outcome.audience}"
    for line in outcome.log:
        if line.startswith(("INFO    -  stage ", "INFO    -  note: ")):
            report(f"{prefix}: {line.removeprefix('INFO    -  ')}")
    if not outcome.ok:
        report(f"{prefix}: build failed after {outcome.seconds:.1f} s: {outcome.error}")
        for line in outcome.log:
            if line.startswith(("ERROR", "WARNING")):
                report(f"    {line}")
        return
    found = verify_build(
        request.context, outcome.audience, staging[outcome.audience], request.allow, scans
    )
    outcome.problems = [str(problem) for problem in found]
    if outcome.problems:
        outcome.ok = False
        report(f"{prefix}: built, but verification found {len(outcome.problems)} problem(s):")
        for problem in outcome.problems[:50]:
            report(f"    {problem}")
        return
    outcome.site = staging[outcome.audience]
    report(f"{prefix}: built and verified in {outcome.seconds:.1f} s")
    for line in outcome.log:  # not strict: the warnings are still said
        if line.startswith("WARNING"):
            report(f"    {line}")


_STALE = re.compile(r"^\.(?P<name>[a-z][a-z0-9-]*)\.(?P<what>staging|old)-[0-9a-f]{8}$")


def recover(site_root: Path, report: Callable[[str], None]) -> None:
    """Undo what a killed build left: a site moved aside but never replaced is put back;
    staging folders and old copies are removed (they may hold a restricted build)."""
    if not site_root.is_dir():
        return
    for path in sorted(site_root.iterdir()):
        match = _STALE.match(path.name)
        if match is None or not path.is_dir():
            continue
        final = site_root / match.group("name")
        if match.group("what") == "old" and not final.exists():
            path.rename(final)
            report(f"recovered {final} from an interrupted build")
        else:
            shutil.rmtree(path, ignore_errors=True)


def publish(
    request: BuildRequest, site_root: Path, report: Callable[[str], None] = print
) -> list[AudienceBuild]:
    """Build, verify and put in place every audience; returns what happened to each."""
    guard_site_root(site_root)
    recover(site_root, report)
    for audience in request.audiences:
        if not (site_root / audience).resolve().is_relative_to(site_root.resolve()):
            raise ValueError(f"audience '{audience}' would be written outside {site_root}")
    # Each audience is built inside a folder of the owner's alone: nobody else can change a
    # site between its verification and its publication.
    staging = {a: site_root / f".{a}.staging-{uuid.uuid4().hex[:8]}" for a in request.audiences}
    for folder in staging.values():
        folder.mkdir(mode=0o700)
        folder.chmod(0o700)
    sites = {audience: folder / "site" for audience, folder in staging.items()}
    try:
        results = build_verified(request, sites, report)
        for audience, outcome in results.items():
            if outcome.ok:
                final = site_root / audience
                try:
                    replace_tree(sites[audience], final)
                except OSError as error:
                    outcome.ok, outcome.error = False, system_error(error)
                    report(f"{audience}: could not put the site in place: {outcome.error}")
                    continue
                outcome.site = final
                report(f"    {audience} -> {final}")
    finally:
        for path in staging.values():
            shutil.rmtree(path, ignore_errors=True)
    failed = [a for a in request.audiences if a not in results or not results[a].ok]
    kept = [a for a in failed if (site_root / a).is_dir()]
    if kept:
        report(f"kept the previous site for: {', '.join(kept)}")
    if len(kept) < len(failed):
        report(f"no site was published for: {', '.join(a for a in failed if a not in kept)}")
    return [results[a] for a in request.audiences if a in results]


def guard_site_root(site_root: Path) -> None:
    """The folder that holds the audiences' sites: made readable by all and writable by its
    owner only (whatever the umask), so that no other user can swap a verified site."""
    site_root.mkdir(parents=True, exist_ok=True)
    info = site_root.stat()
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid == os.geteuid():
        if mode & 0o022:
            site_root.chmod(mode & ~0o022)
    elif mode & 0o022 and not mode & stat.S_ISVTX:
        raise StageError(
            f"{site_root} belongs to another user and others can write to it: a site "
            "published there could be changed after its verification; choose another --site-dir"
        )
