"""The files of docs/ beside its pages, as one audience's stage sees them: which attachments
it may copy, the navigation files it rewrites, every way a link can name what is hidden, and
our own assets."""

from __future__ import annotations

import os
import posixpath
import stat
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.loading import dump_yaml, load_yaml
from ..core.tool_output import MANIFEST, is_tool_output
from . import layout
from .configuration import ASSETS_DIR, MERMAID, VENDOR_SCRIPTS, prune_nav
from .writer import TreeWriter

if TYPE_CHECKING:
    from .request import StageRequest


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


NAVIGATION_FILES = (".nav.yml", ".nav.yaml", ".pages")  # awesome-nav's, awesome-pages'


def navigation_files(
    docs_dir: Path, attachments: dict[str, bool], hidden: set[str], warnings: list[str]
) -> list[tuple[str, str]]:
    """Navigation files of awesome-nav and awesome-pages (dot files, so never copied as
    attachments; `attachments` lists them from its walk of docs/), rewritten without their
    entries for hidden pages. Read with the handbook's loader and its limits; a file that
    cannot be read is left out with a warning, never copied as it is."""
    found = []
    for relative in sorted(attachments):
        if posixpath.basename(relative) not in NAVIGATION_FILES:
            continue
        try:
            text = (docs_dir / relative).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        document, problems = load_yaml(text, path=relative) if text is not None else (None, [])
        if document is None or problems or not isinstance(document.data, dict):
            warnings.append(f"{relative}: navigation file left out (it could not be read)")
            continue
        data = dict(document.data)
        if isinstance(data.get("nav"), list):
            data["nav"] = prune_nav(data["nav"], hidden, posixpath.dirname(relative))
        found.append((relative, dump_yaml(data)))
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
    base = resources.files("sms_handbook").joinpath("data", "assets")
    for name in (*VENDOR_SCRIPTS, MERMAID, "LICENSE.mermaid"):
        writer.write(
            layout.StageLayout.page(f"{ASSETS_DIR}/{name}"),
            base.joinpath("vendor", name).read_bytes(),
        )
    for name in ("sms-handbook.css", "sms-handbook.js"):
        writer.write(
            layout.StageLayout.page(f"{ASSETS_DIR}/{name}"), base.joinpath(name).read_bytes()
        )
