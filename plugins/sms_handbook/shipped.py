"""Files the installed theme and this package ship, recognised by their bytes.

Verification need not search the theme's scripts and stylesheets (megabytes of minified code,
the same in every build), but a path proves nothing: a page, a link or any attachment can be
written under `assets/javascripts/`. A file counts as shipped only when its bytes are those of
the installed file of the same path, in a theme (MkDocs' themes, Material, Zensical's) or in
this package's own assets.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import metadata, resources, util
from pathlib import Path
from typing import BinaryIO

from .stage.configuration import ASSETS_DIR


@cache
def theme_folders() -> tuple[Path, ...]:
    """The folders of the installed themes, whose files a build copies as they are."""
    modules = [entry.value for entry in metadata.entry_points(group="mkdocs.themes")]
    folders = []
    for module in (*modules, "zensical"):
        try:
            spec = util.find_spec(module)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            folder = Path(next(iter(spec.submodule_search_locations)))
            folders.append(folder / "templates" if module == "zensical" else folder)
    return tuple(folders)


@cache
def _own_assets() -> Path:
    """The folder of this package's own assets (asked of importlib once, not per file)."""
    return Path(str(resources.files("sms_handbook").joinpath("data", "assets")))


def _installed(name: str) -> list[Path]:
    """The installed files that the site file `name` may be a copy of."""
    candidates = [folder / name for folder in theme_folders()]
    if name.startswith(ASSETS_DIR + "/"):
        own = _own_assets()
        rest = name.removeprefix(ASSETS_DIR + "/")
        candidates += [own / rest, own / "vendor" / rest]
    return candidates


PART = 1 << 16  # installed files are compared a part at a time, never read whole


def is_shipped(name: str, data: bytes | memoryview) -> bool:
    """Whether the site file `name` (relative, with `/`) holds exactly the bytes of the
    installed file of the same path (compared as they are: hashing both took longer)."""
    return any(_holds(path, data) for path in _installed(name))


def is_shipped_file(name: str, site_file: Path) -> bool:
    """`is_shipped` of the site file `name` at `site_file`, both files compared a part at a
    time: a shipped file (Mermaid's 3.6 MB script, the theme's bundles) is never read whole."""
    try:
        size = site_file.stat().st_size
    except OSError:
        return False
    candidates = [p for p in _installed(name) if _size(p) == size]
    if not candidates:
        return False
    try:
        with open(site_file, "rb") as handle:
            return any(_same_parts(handle, path) for path in candidates)
    except OSError:
        return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # not there
        return -1


def _same_parts(handle: BinaryIO, path: Path) -> bool:
    """Whether the file open at `handle` (read from its start) and the file `path` hold the
    same bytes to the end of both."""
    handle.seek(0)
    try:
        with open(path, "rb") as installed:
            while True:
                part = installed.read(PART)
                if handle.read(PART) != part:
                    return False
                if not part:
                    return True
    except OSError:  # a folder
        return False


def _holds(path: Path, data: bytes | memoryview) -> bool:
    """Whether `path` is a file whose bytes are `data` (read only when the sizes agree, a
    part at a time)."""
    return _size(path) == memoryview(data).nbytes and _same_parts(io.BytesIO(data), path)
