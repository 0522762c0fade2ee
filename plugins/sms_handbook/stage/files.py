"""The files of docs/ beside its pages, as one audience's stage sees them: which attachments
it may copy, the navigation files it rewrites, every way a link can name what is hidden, and
our own assets."""

from __future__ import annotations

import fnmatch
import os
import posixpath
import stat
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.diagnostics import Diagnostic
from ..core.loading import dump_yaml, load_yaml
from ..core.page_refs import NamesHidden, without_hidden_pages
from ..core.tool_output import MANIFEST, is_tool_output
from ..site_config import named_entries
from . import layout
from .configuration import ASSETS_DIR, MERMAID, VENDOR_SCRIPTS, prune_nav
from .rawhtml import text_names_hidden
from .writer import TreeWriter

if TYPE_CHECKING:
    from .links import HiddenTargets
    from .request import Stage, StageRequest


def attachments_of(request: StageRequest, docs_dir: Path, warnings: list[str]) -> dict[str, bool]:
    """Every non-page file of docs/ (never through a link) -> whether this audience sees it.
    A file with other names (a hard link) is seen by nobody: its classification would depend
    on which of its names was read."""
    view, settings = request.view, request.view.settings
    chrome = layout.site_chrome(request.config)
    patterns = dict(request.options.attachments)
    found: dict[str, bool] = {}
    if not docs_dir.is_dir():
        return found
    site: str | None = None  # a site sms-handbook built, lying in docs/: never staged
    for folder, directories, files in os.walk(docs_dir, followlinks=False):
        here = Path(folder)
        directories[:] = sorted(
            d for d in directories if not d.startswith(".") and not (here / d).is_symlink()
        )
        if site is None or not here.is_relative_to(site):
            site = folder if MANIFEST in files else None
        for name in files:
            path = here / name
            src_uri = path.relative_to(docs_dir).as_posix()
            info = path.lstat()
            if layout.is_page(src_uri) or stat.S_ISLNK(info.st_mode):
                continue
            if layout.never_staged(src_uri) or site is not None or is_tool_output(path):
                found[src_uri] = False
                continue
            if info.st_nlink > 1:
                found[src_uri] = False
                warnings.append(
                    f"{settings.docs_dir}/{src_uri} has {info.st_nlink} names (hard links): "
                    "left out of every audience; copy the file instead of linking it"
                )
                continue
            found[src_uri] = view.access.attachment_visible(src_uri, patterns, chrome)
    return found


def readable_left_out(request: StageRequest, left_out: list[str]) -> set[str]:
    """The pages the site leaves out (`left_out`) that this audience's snippets and includes
    may read, as they read an attachment: a plain file the `attachments` patterns or the
    default classification let it see. They are never staged themselves."""
    view, chrome = request.view, layout.site_chrome(request.config)
    patterns = dict(request.options.attachments)
    return {
        name
        for name in left_out
        if _single_plain_file(request.docs_dir / name)
        and view.access.attachment_visible(name, patterns, chrome)
    }


NAVIGATION_FILES = (".nav.yml", ".nav.yaml", ".pages")  # awesome-nav's, awesome-pages'
# Dot files other plugins read from docs/: Material's blog authors and meta plugin, and the
# navigation files (the plugin's `staged_dot_files` option adds names).
META_FILES = (".meta.yml",)  # Material's meta plugin: a folder's front matter
PLUGIN_FILES = (".authors.yml", *META_FILES, *NAVIGATION_FILES)


def dot_files(
    request: StageRequest,
    attachments: dict[str, bool],
    targets: HiddenTargets,
    stage: Stage,
) -> list[tuple[str, bytes | str]]:
    """The dot files other plugins read, for this audience: those of `PLUGIN_FILES` and the
    `staged_dot_files` option whose folder it may see (`attachments` lists them from its
    walk of docs/), each without its values naming what `targets` hides. Every dot file
    left out is named in the stage's notes."""
    names = {*PLUGIN_FILES, *request.options.staged_dot_files, *meta_files(request.config)}
    folders = _folders_seen(request)
    found: list[tuple[str, bytes | str]] = []
    other: list[str] = []
    for relative in sorted(attachments):
        name = posixpath.basename(relative)
        if not name.startswith(".") or not _single_plain_file(request.docs_dir / relative):
            continue
        if name not in names:
            other.append(relative)
        elif not _dot_file_visible(request, relative, folders):
            stage.notes.append(
                f"{request.view.settings.docs_dir}/{relative} left out: its folder holds "
                f"nothing for the {request.view.audience} audience"
            )
        else:
            test = _value_test(relative, request, targets)
            content = _staged_dot_file(request, relative, test, stage.warnings)
            if content is not None:
                found.append((relative, content))
    if other:
        shown = ", ".join(other[:5]) + (", ..." if len(other) > 5 else "")
        stage.notes.append(
            f"{len(other)} dot file(s) of {request.view.settings.docs_dir}/ left out ({shown}); "
            "list a name in `staged_dot_files` if a plugin reads it"
        )
    return found


def meta_files(config: dict[str, Any]) -> set[str]:
    """The names of meta files: `.meta.yml`, and the one Material's meta plugin is told to
    read instead (its `meta_file` option)."""
    names = set(META_FILES)
    for name, options in named_entries(config.get("plugins")):
        pattern = options.get("meta_file") if isinstance(options, dict) else None
        if name in ("meta", "material/meta") and isinstance(pattern, str):
            names.add(posixpath.basename(pattern))
    return names


def _value_test(relative: str, request: StageRequest, targets: HiddenTargets) -> NamesHidden:
    """Whether a value of the dot file names a hidden target, read from the top of docs/
    (as Material reads an author's avatar), from the file's folder, and from a page of
    each kind (index or not) in every folder below that holds one (a meta file's values
    are every such page's)."""
    folder = posixpath.dirname(relative)
    kinds: dict[tuple[str, bool], str] = {}
    for document in request.view.documents:
        src_uri = document.src_uri
        if not folder or src_uri.startswith(folder + "/"):
            index = posixpath.basename(src_uri) in ("index.md", "README.md")
            kinds.setdefault((posixpath.dirname(src_uri), index), src_uri)
    pages = {"index.md", posixpath.join(folder, "index.md"), *kinds.values()}
    return lambda value: any(targets.names_hidden(value, page) for page in pages)


def _single_plain_file(path: Path) -> bool:
    """Neither a link nor a file with other names (see `attachments_of`), nor tool output."""
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and not is_tool_output(path)


def _folders_seen(request: StageRequest) -> dict[str, bool]:
    """Each folder of docs/ holding pages (below it too) -> whether the audience sees one."""
    seen: dict[str, bool] = {}
    pages = [(d.src_uri, True) for d in request.view.documents]
    pages += [(d.src_uri, False) for d in request.hidden.documents]
    for src_uri, visible in pages:
        folder = posixpath.dirname(src_uri)
        while True:
            seen[folder] = seen.get(folder, False) or visible
            if not folder:
                break
            folder = posixpath.dirname(folder)
    return seen


def _dot_file_visible(request: StageRequest, relative: str, folders: dict[str, bool]) -> bool:
    """An `attachments` pattern decides; otherwise the folder's pages do (a folder without
    pages: the default classification)."""
    patterns = dict(request.options.attachments)
    if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
        return request.view.access.attachment_visible(relative, patterns, ())
    folder = posixpath.dirname(relative)
    if folder in folders:
        return folders[folder]
    return request.view.access.attachment_visible(relative, {}, ())


def _staged_dot_file(
    request: StageRequest, relative: str, names_hidden: NamesHidden, warnings: list[str]
) -> bytes | str | None:
    """The file's bytes; without its entries naming a hidden target (`names_hidden`), read
    with the handbook's loader and its limits: a navigation file's nav entries, a meta
    file's values as a page's front matter loses them, and any other file's list items and
    keys, its values emptied (the plugin reading it may require the key: an author's
    avatar). A meta or navigation file that cannot be read is left out with a warning,
    never copied as it is; another one, only if a word of it names a hidden target. Empty
    and comment-only files are staged as they are."""
    data = (request.docs_dir / relative).read_bytes()
    name = posixpath.basename(relative)
    kind = "navigation" if name in NAVIGATION_FILES else None
    kind = "meta" if name in meta_files(request.config) else kind
    read, problem = _navigation(data, relative)
    if problem is not None:
        text = data.decode("utf-8", errors="replace")
        if kind is not None:
            warnings.append(f"{relative}: {kind} file left out (it could not be read)")
            return None
        if text_names_hidden(text, lambda word: word is not None and names_hidden(word)):
            audience = request.view.audience
            warnings.append(f"{relative}: left out, it names what the {audience} may not see")
            return None
        return data  # not a YAML mapping: a plugin reads it as text, naming nothing hidden
    if read is None:
        return data  # nothing but comments
    if kind == "navigation":
        changed = dict(read)
        if isinstance(changed.get("nav"), list):
            hidden = {d.src_uri for d in request.hidden.documents}
            changed["nav"] = prune_nav(changed["nav"], hidden, posixpath.dirname(relative))
        return dump_yaml(changed)
    scoped, removed = without_hidden_pages(read, names_hidden, emptied=kind is None)
    return dump_yaml(scoped) if removed else data


def _navigation(data: bytes, relative: str) -> tuple[dict[str, Any] | None, Diagnostic | None]:
    """A navigation file's mapping (None when it holds nothing but comments), or why it
    cannot be read, at its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, Diagnostic(relative, 1, 1, "SMS001", "the file is not valid UTF-8")
    document, problems = load_yaml(text, path=relative)
    if problems:
        return None, problems[0]
    if document is None:
        return None, None
    if not isinstance(document.data, dict):
        return None, Diagnostic(relative, 1, 1, "SMS318", "it is not a mapping of settings")
    return dict(document.data), None


def navigation_diagnostics(docs_dir: Path, docs_name: str) -> list[Diagnostic]:
    """Navigation files of docs/ that the stage cannot read, at the line of the problem: it
    would leave them out with a warning, which stops a strict build (SMS318)."""
    found = []
    for folder, directories, files in os.walk(docs_dir, followlinks=False):
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        for name in sorted(set(files) & set(NAVIGATION_FILES)):
            path = Path(folder) / name
            relative = path.relative_to(docs_dir).as_posix()
            if not _single_plain_file(path):
                continue
            _read, problem = _navigation(path.read_bytes(), relative)
            if problem is not None:
                message = (
                    f"navigation file cannot be read ({problem.message}): the build leaves it "
                    "out, and a strict build stops"
                )
                where = f"{docs_name}/{relative}"
                found.append(Diagnostic(where, problem.line, problem.column, "SMS318", message))
    return found


def hidden_targets(
    request: StageRequest, attachments: dict[str, bool], directory_urls: bool
) -> set[str]:
    """Every way a link can name something hidden: source paths and both URL forms."""
    targets: set[str] = set()
    for document in request.hidden.documents:
        targets.add(document.src_uri)
        for output in layout.output_paths(document.src_uri):
            targets.add("url:" + output.removesuffix("index.html").removesuffix("/").strip("/"))
            targets.add("url:" + output.strip("/"))
    for name, visible in attachments.items():
        if not visible:
            targets.update((name, f"url:{name}"))
    return targets


def write_assets(writer: TreeWriter) -> None:
    """This package's scripts and stylesheets, copied as files (Mermaid's script alone is
    3.6 MB: read into memory, it and the stage's copy it was compared with took 7 MB of
    every build's peak); read and written only where the package is not a folder of files."""
    base = resources.files("sms_handbook").joinpath("data", "assets")
    names = [(f"vendor/{name}", name) for name in (*VENDOR_SCRIPTS, MERMAID, "LICENSE.mermaid")]
    names += [(name, name) for name in ("sms-handbook.css", "sms-handbook.js")]
    for source, name in names:
        relative = layout.StageLayout.page(f"{ASSETS_DIR}/{name}")
        asset = base.joinpath(*source.split("/"))
        if isinstance(asset, Path):
            writer.copy(relative, asset)
        else:  # pragma: no cover - a package installed as an archive
            writer.write(relative, asset.read_bytes())
