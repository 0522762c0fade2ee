"""`sms-handbook release`: publish a version of every audience with mike, each on its own branch.

The sites are built and verified by us (strict, through MkDocs' own API, with mike's plugin
injected for the version selector), so it does not matter which builder program mike would
have run; mike then commits each verified site to its audience's branch and updates that
branch's `versions.json`. Audiences never share a branch, so a branch can be published as a
whole.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .. import gitrepo
from ..core.audience import Audience
from ..core.settings import Settings
from ..publish import BuildRequest, build_verified
from .common import CommandError, Loaded, add_root, load, print_diagnostics


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "release",
        help="publish a handbook version for every audience with mike",
        description=(
            "Build and verify every audience, then deploy each with mike as VERSION to its own "
            "branch (the lowest audience to gh-pages, the others to gh-pages-<audience>). The "
            "generated 'What changed' page compares with the previous release on each branch."
        ),
    )
    parser.add_argument("version", metavar="VERSION", help="version name, for example 2026.2")
    add_root(parser)
    parser.add_argument(
        "--alias", action="append", default=[], help="alias such as latest (repeatable)"
    )
    parser.add_argument("--title", help="title shown in the version selector")
    parser.add_argument(
        "--branch",
        action="append",
        default=[],
        metavar="AUDIENCE=BRANCH",
        help="branch for an audience (repeatable)",
    )
    parser.add_argument(
        "--allow-dirty",
        action="store_true",
        help="release although files differ from the commit (recorded as `dirty` in "
        "versions.json); by default a release refuses, so that it is exactly its commit",
    )
    parser.add_argument("--push", action="store_true", help="push the branches afterwards")
    parser.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    parser.set_defaults(run=run)


def branches_for(settings: Settings, overrides: list[str]) -> dict[str, str]:
    branches = {
        audience: "gh-pages" if Audience(settings, audience).is_public else f"gh-pages-{audience}"
        for audience in settings.audiences
    }
    for item in overrides:
        audience, _, branch = item.partition("=")
        if audience not in branches or not branch:
            raise CommandError(f"--branch {item}: expected AUDIENCE=BRANCH with a known audience")
        branches[audience] = branch
    if len(set(branches.values())) != len(branches):
        raise CommandError("each audience needs its own branch; audiences never share a site")
    return branches


def previous_source(root: Path, branch: str) -> tuple[str, str] | None:
    """The source commit recorded by the latest release on `branch` and that release's
    version, if any."""
    from mike import commands as mike_commands

    try:
        versions = mike_commands.list_versions(branch)
    except Exception:  # no branch yet, or no versions.json on it
        return None
    for info in versions:
        source = getattr(info, "properties", None)
        if isinstance(source, dict) and isinstance(source.get("source"), str):
            try:
                return gitrepo.resolve(root, source["source"]), str(info.version)
            except gitrepo.GitError:
                return None
    return None


def run(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    if not loaded.result.ok:
        print_diagnostics(loaded.result.diagnostics)
        raise CommandError("the handbook has errors (listed above); nothing was released")
    root = args.root.resolve()
    source, dirty = released_commit(root, args.allow_dirty)
    os.chdir(root)  # mike works on the repository of the current folder
    branches = branches_for(loaded.settings, args.branch)
    audiences = list(loaded.settings.audiences)
    with tempfile.TemporaryDirectory(prefix="sms-release-") as folder:
        staging = {a: Path(folder) / a for a in audiences}
        build_every_audience(loaded, args.version, root, branches, staging)
        for audience in audiences:
            deploy(args, staging[audience], branches[audience], source, dirty)
            print(
                f"released {args.version} of the {audience} handbook to branch {branches[audience]}"
            )
            if args.push:
                from mike import git_utils

                git_utils.push_branch(args.remote, branches[audience])
                print(f"pushed {branches[audience]} to {args.remote}")
            shutil.rmtree(staging[audience], ignore_errors=True)
    return 0


def released_commit(root: Path, allow_dirty: bool) -> tuple[str, list[str]]:
    """The commit a release records, and the files that differ from it (refused unless allowed)."""
    if not gitrepo.is_repository(root):
        raise CommandError(
            "release needs the handbook in a git repository (mike commits to branches)"
        )
    source = gitrepo.resolve(root, "HEAD")
    dirty = gitrepo.uncommitted(root)
    if dirty and not allow_dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise CommandError(
            f"the working tree differs from commit {source[:12]} ({shown}); commit or stash "
            "the changes so that the release is exactly what versions.json records, or pass "
            "--allow-dirty (recorded as such)"
        )
    return source, dirty


def build_every_audience(
    loaded: Loaded, version: str, root: Path, branches: dict[str, str], staging: dict[str, Path]
) -> None:
    """Build and verify every audience into `staging`, strict; nothing is released unless all
    of them verify."""
    audiences = list(staging)
    public = next(a for a in audiences if Audience(loaded.settings, a).is_public)
    previous = previous_source(root, branches[public])
    environment = {"MIKE_DOCS_VERSION": version}
    if previous:
        # "What changed" names the release, not its commit
        environment["SMS_COMPARE_WITH"], environment["SMS_COMPARE_NAME"] = previous
    request = BuildRequest(
        context=loaded,
        audiences=audiences,
        strict=True,
        allow=list(loaded.options.verify_allow),
        environment=environment,
    )
    outcomes = build_verified(request, staging, report=lambda line: print(line, flush=True))
    failed = [a for a in audiences if a not in outcomes or not outcomes[a].ok]
    if failed:
        raise CommandError(f"not released: {', '.join(failed)} did not build and verify")


def deploy(
    args: argparse.Namespace, site_dir: Path, branch: str, source: str, dirty: list[str]
) -> None:
    """Commit one verified site to its branch with mike, and point the branch's root at it."""
    from mike import commands as mike_commands
    from mike import jsonpath
    from mike.commands import AliasType

    site = {"site_dir": str(site_dir), "use_directory_urls": True}
    with mike_commands.deploy(
        site,
        args.version,
        args.title,
        args.alias,
        update_aliases=True,
        # Redirect pages, not symbolic links: a web server that serves an audience's
        # folder follows no links (server-config turns them off), and a link could
        # lead out of the audience's folder.
        alias_type=AliasType.redirect,
        branch=branch,
        set_props=[
            (jsonpath.parse("source"), source),
            *([(jsonpath.parse("dirty"), True)] if dirty else []),
        ],
    ):
        pass
    # The branch's root page sends readers to the release (hosts without directory
    # listings would answer 404 there).
    mike_commands.set_default(
        args.alias[0] if args.alias else args.version,
        branch=branch,
        allow_empty=True,  # the second release finds the same redirect in place
    )
