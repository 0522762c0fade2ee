"""What in the handbook's file tree would plant content in a build, named before one runs.

A pull request can carry any file: files force-added under `.cache/` (the build's stage),
links that reach out of the tree they sit in, hard links that give a restricted file's bytes
a second name, and a built site or an export copied into `docs/`. The stage itself never
reads any of them; these diagnostics tell the author why, at the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .settings import Settings
from .tool_output import MANIFEST, is_tool_output

CACHE = ".cache"


@dataclass(frozen=True)
class TreeFacts:
    """What the front end knows about the tree that the core may not ask for itself: the
    files git tracks under `.cache/` (None outside a repository) and the theme's
    `custom_dir` as mkdocs.yml names it."""

    tracked_cache: tuple[str, ...] | None = None
    theme_dirs: tuple[str, ...] = ()
    # engine configurations a direct run could build without the guard: (path, why)
    unguarded_configs: tuple[tuple[str, str], ...] = ()
    # attachments in docs/ that the public may not see (a direct Zensical run copies them)
    unpublic_attachments: tuple[str, ...] = ()


def tree_diagnostics(root: Path, settings: Settings, facts: TreeFacts) -> list[Diagnostic]:
    """Every problem of the file tree under `root` (the folder of mkdocs.yml)."""
    diagnostics = [_tracked_cache(path) for path in facts.tracked_cache or ()]
    trees = [settings.docs_dir, settings.registers_dir, *facts.theme_dirs]
    for tree in dict.fromkeys(trees):
        diagnostics += _links(root, tree)
    diagnostics += _docs_contents(root, settings.docs_dir)
    diagnostics += [_unguarded(path, why) for path, why in facts.unguarded_configs]
    diagnostics += _theme_in_docs(root, settings.docs_dir, facts.theme_dirs)
    diagnostics += [_copied_by_direct_runs(path) for path in facts.unpublic_attachments]
    return diagnostics


def _unguarded(path: str, why: str) -> Diagnostic:
    message = (
        f"{path}: {why}, so a site generator run on it directly (`zensical build`, "
        "`properdocs build`, `mkdocs build -f`) would publish every page, whatever its "
        "classification; list sms_handbook.guard first in its markdown_extensions, or delete it"
    )
    return Diagnostic(path, 1, 1, "SMS706", message)


def _theme_in_docs(root: Path, docs_dir: str, theme_dirs: tuple[str, ...]) -> list[Diagnostic]:
    docs = (root / docs_dir).resolve()
    return [
        Diagnostic(
            "mkdocs.yml",
            1,
            1,
            "SMS707",
            f"theme custom_dir '{folder}' is inside {docs_dir}/: its files would be published "
            f"as theme files to every audience, whatever their classification; move it out of "
            f"{docs_dir}/",
        )
        for folder in theme_dirs
        if (root / folder).resolve().is_relative_to(docs)
    ]


def _copied_by_direct_runs(path: str) -> Diagnostic:
    message = (
        f"{path} is not public, and a direct `zensical build` on the repository copies the "
        "files of docs/ into its output before the guard stops it (MkDocs and ProperDocs stop "
        "first); build with sms-handbook or the plugin only, and never publish the output of a "
        "failed direct run"
    )
    return Diagnostic(path, 1, 1, "SMS708", message)


def _tracked_cache(path: str) -> Diagnostic:
    message = (
        f"{path} is tracked by git, but {CACHE}/ is the build's own (its stage is written "
        f"there); remove it from the repository: git rm -r --cached {CACHE}"
    )
    return Diagnostic(path, 1, 1, "SMS702", message)


def _walk(root: Path, tree: str) -> Iterator[tuple[Path, list[str], list[str]]]:
    top = root / tree
    if top.is_symlink() or not top.is_dir():
        return
    for folder, directories, files in os.walk(top, followlinks=False):
        directories.sort()
        yield Path(folder), directories, sorted(files)


def _links(root: Path, tree: str) -> list[Diagnostic]:
    top = (root / tree).resolve()
    diagnostics = []
    for folder, directories, files in _walk(root, tree):
        for name in [*directories, *files]:
            path = folder / name
            if not path.is_symlink():
                continue
            target = os.readlink(path)
            relative = Path(os.path.relpath(path, root)).as_posix()
            resolved = (folder / target).resolve()
            if os.path.isabs(target):
                why = f"is a symbolic link to the absolute path {target}"
            elif not resolved.exists():
                why = f"is a symbolic link to {target}, which does not exist"
            elif not resolved.is_relative_to(top):
                why = f"is a symbolic link to {target}, outside {tree}/"
            else:
                continue
            message = (
                f"{relative} {why}; a build never follows links, so replace it with the file "
                f"itself inside {tree}/"
            )
            diagnostics.append(Diagnostic(relative, 1, 1, "SMS703", message))
    return diagnostics


def _docs_contents(root: Path, docs_dir: str) -> list[Diagnostic]:
    diagnostics = []
    for folder, directories, files in _walk(root, docs_dir):
        if MANIFEST in files:
            directories.clear()
            site = folder.relative_to(root).as_posix()
            message = (
                f"{site}/ holds a site sms-handbook built ({MANIFEST}); a built site in "
                f"{docs_dir}/ would be published again as attachments: build outside "
                f"{docs_dir}/ (--site-dir) and delete {site}/"
            )
            diagnostics.append(Diagnostic(f"{site}/{MANIFEST}", 1, 1, "SMS705", message))
            continue
        for name in files:
            path = folder / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                continue
            if path.stat().st_nlink > 1:
                message = (
                    f"{relative} is a hard link (the same bytes as another file, which may be "
                    "classified higher); replace it with a copy of its own"
                )
                diagnostics.append(Diagnostic(relative, 1, 1, "SMS704", message))
            if is_tool_output(path):
                message = (
                    f"{relative} is a file sms-handbook wrote (an export, pack, report, diff "
                    f"or PDF); it would be published to every audience that sees {docs_dir}/ "
                    f"files: write outputs outside {docs_dir}/ and delete it"
                )
                diagnostics.append(Diagnostic(relative, 1, 1, "SMS705", message))
    return diagnostics
