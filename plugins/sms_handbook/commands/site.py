"""`sms-handbook build` and `sms-handbook serve`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import Any

from ..engines import DEFAULT_ENGINE, ENGINES, engine
from ..pipeline import stage_audience
from ..publish import BuildRequest, publish
from ..stage.layout import StageLock
from ..stage.sealing import StageError
from ..zensical_preview import ZensicalPreview
from .common import CommandError, add_root, load, one_audience, print_diagnostics


def add_parsers(commands: Any) -> None:
    _add_build(commands)
    _add_stage(commands)
    _add_serve(commands)


def _add_build(commands: Any) -> None:
    build = commands.add_parser(
        "build",
        help="build, verify and publish the handbook for one audience or all of them",
        description=(
            "Stage the handbook for each audience (a source tree holding only what the "
            "audience may see) and build each stage with an engine into "
            "SITE_DIR/<audience>/, audiences in parallel. Each finished build is verified "
            "against the model (no identifier, title or text of a hidden item anywhere in "
            "it) and only then replaces the previous site; a failed or unverified build "
            "leaves the previous site in place."
        ),
    )
    add_root(build)
    build.add_argument("--audience", default="all", help="an audience, or 'all' (default)")
    build.add_argument("--site-dir", type=Path, help="output folder (default: ROOT/site)")
    build.add_argument(
        "--no-strict",
        dest="strict",
        action="store_false",
        help="do not fail on MkDocs warnings (strict is on by default)",
    )
    build.add_argument("--jobs", type=int, help="parallel builds (default: one per CPU core)")
    build.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default=DEFAULT_ENGINE,
        help=f"site generator that builds each stage (default: {DEFAULT_ENGINE})",
    )
    build.set_defaults(run=run_build)


def _add_stage(commands: Any) -> None:
    stage = commands.add_parser(
        "stage",
        help="write one audience's stage (what an engine builds from) and print where it is",
        description=(
            "Write the stage of one audience: the visible pages with everything the handbook "
            "adds, the generated pages, the visible attachments and the derived configuration, "
            "in ROOT/.cache/sms-handbook/stage/<audience>/. Unchanged files are not rewritten. "
            "Useful to see exactly what an engine reads."
        ),
    )
    add_root(stage)
    stage.add_argument("--audience", help="audience to stage (default: the plugin's `audience`)")
    stage.add_argument(
        "--engine", choices=sorted(ENGINES), default=DEFAULT_ENGINE, help="engine to stage for"
    )
    stage.set_defaults(run=run_stage)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="preview the handbook for one audience, rebuilding on every change",
        description=(
            "Serve the handbook with live reload: pages and registers are watched, and each "
            "change is staged and built again. Problems are printed as path:line:column lines "
            "and shown on every page of the preview until they are fixed."
        ),
    )
    add_root(serve)
    serve.add_argument("--audience", help="audience to preview (default: the plugin's `audience`)")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="IP:PORT to serve on")
    serve.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default=DEFAULT_ENGINE,
        help="site generator of the preview (default: mkdocs; zensical: its own server)",
    )
    serve.add_argument(
        "--full",
        action="store_true",
        help="render every page on every change (default: only the pages a change touches)",
    )
    serve.set_defaults(run=run_serve)


def run_build(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    # The model lives until the command ends: the collector of reference cycles need not
    # walk its millions of objects again at every full collection of the build.
    gc.freeze()
    settings = loaded.settings
    if args.audience == "all":
        audiences = list(settings.audiences)
    elif args.audience in settings.audiences:
        audiences = [args.audience]
    else:
        raise CommandError(
            f"unknown audience '{args.audience}'; audiences: {', '.join(settings.audiences)}"
        )
    if not loaded.result.ok:
        print_diagnostics(loaded.result.diagnostics)
        raise CommandError("the handbook has errors (listed above); nothing was built")
    errors = [d for d in loaded.foreseen if d.is_error]
    if errors:  # what `validate` refuses (the engine would stop on broken links too)
        print_diagnostics(errors)
        if args.strict:
            raise CommandError(
                f"the handbook has {len(errors)} error(s) that `validate` reports (listed "
                "above); nothing was built (--no-strict builds anyway, and still verifies "
                "each site)"
            )
    missing = engine(args.engine).missing()
    if missing:
        raise CommandError(missing)
    site_root = (args.site_dir or args.root / "site").resolve()
    request = BuildRequest(
        context=loaded,
        audiences=audiences,
        strict=args.strict,
        jobs=args.jobs,
        allow=list(loaded.options.verify_allow),
        engine=args.engine,
    )
    if site_root.exists() and not site_root.is_dir():
        raise CommandError(f"--site-dir {site_root} is a file, not a folder; name a folder")
    try:
        outcomes = publish(request, site_root, report=say)
    except StageError as error:
        raise CommandError(str(error)) from None
    return 0 if len(outcomes) == len(audiences) and all(o.ok for o in outcomes) else 1


def say(line: str) -> None:
    """Progress on standard output; a reader that went away (`| head`) does not stop the
    build, it just stops hearing about it."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def run_stage(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    audience = one_audience(loaded, args.audience)
    if not loaded.result.ok:
        print_diagnostics(loaded.result.diagnostics)
        raise CommandError("the handbook has errors (listed above); nothing was staged")
    try:
        with StageLock(loaded.root.resolve(), audience):
            stage = stage_audience(loaded, audience, engine(args.engine).hooks(), [])
    except StageError as error:
        raise CommandError(str(error)) from None
    for warning in stage.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    print(stage.summary())
    print(stage.root)
    return 1 if stage.warnings else 0


def run_serve(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    audience = one_audience(loaded, args.audience)
    chosen = engine(args.engine)
    missing = chosen.missing()
    if missing:
        raise CommandError(missing)
    count = len(loaded.result.diagnostics)
    if count:  # listed once, by the build the preview runs (and on every page)
        sys.stderr.write(
            f"{count} problem{'s' * (count != 1)} to fix: listed below as the preview builds, "
            "and on every page of the preview until they are fixed\n"
        )
    os.environ["SMS_AUDIENCE"] = audience
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.chdir(args.root)
    sys.stderr.write(f"serving the {audience} handbook on http://{args.dev_addr}/\n")
    if args.engine == "zensical":  # Zensical's own server, around which we check
        problem = ZensicalPreview(loaded.config_file.resolve(), args.dev_addr).run()
    else:
        problem = chosen.serve(loaded.config_file.resolve(), args.dev_addr, full=args.full)
    if problem:
        raise CommandError(problem)
    return 0
