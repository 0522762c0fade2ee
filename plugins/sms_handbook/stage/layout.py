"""Where things go: stage folders, page URLs as engines compute them, files never staged."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows: builds of one stage are not serialised)
    fcntl = None  # type: ignore[assignment]  # tested before use
from urllib.parse import quote, unquote, urlsplit

from ..core.page_refs import as_browser_reads, case_folded
from .sealing import LOCK, StageError, open_stage

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
# Editors' and merge tools' leftovers: never published, whatever they hold.
BACKUP_SUFFIXES = ("~", ".orig", ".bak", ".swp", ".swo", ".rej", ".tmp")
STAGE_FOLDER = ".cache/sms-handbook/stage"
# search entries of generated pages, by src_uri (see render/search.py), beside docs/
SEARCH_ENTRIES = ".sms/search.json"


def stage_root(root: Path, audience: str) -> Path:
    return root / STAGE_FOLDER / audience


@dataclass(frozen=True)
class StageLayout:
    """Every path of one stage: names relative to its root (what the tree writer takes) and
    the absolute paths that engines and hooks read."""

    root: Path
    DOCS: ClassVar[str] = "docs"
    CONFIG: ClassVar[str] = "mkdocs.yml"
    DATA: ClassVar[str] = ".sms/stage.json"  # token, audience, digests of hidden targets
    THEME: ClassVar[str] = "theme"  # the copy of the theme's custom_dir
    SEARCH: ClassVar[str] = SEARCH_ENTRIES

    @classmethod
    def page(cls, src_uri: str) -> str:
        """Where a file of docs/ is staged, relative to the stage's root."""
        return f"{cls.DOCS}/{src_uri}"

    @property
    def docs_dir(self) -> Path:
        return self.root / self.DOCS

    @property
    def config_file(self) -> Path:
        return self.root / self.CONFIG

    @property
    def data_file(self) -> Path:
        return self.root / self.DATA


def in_author_terms(text: str, stage_root: Path, docs_dir: str) -> str:
    """An engine's message with the stage's docs folder, however written (absolute,
    resolved, relative to here), named as the author's (`docs`): an error raised by another
    plugin then names the file the author can open."""
    stage_docs = StageLayout(stage_root).docs_dir
    forms = {str(stage_docs), str(stage_docs.resolve())}
    with contextlib.suppress(ValueError):  # another drive (Windows)
        forms.add(os.path.relpath(stage_docs))
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, docs_dir)
    return text


_HELD: dict[str, StageLock] = {}


class StageLock:
    """One build at a time per stage: a second build of the same audience (another process,
    another test, a preview beside a build) waits until the first is done with the stage,
    so that no build reads a stage another is rewriting."""

    def __init__(self, root: Path, audience: str) -> None:
        self.path = open_stage(root, audience) / LOCK
        self.handle: Any = None

    def acquire(self) -> StageLock:
        if self.handle is None:
            # A lock this process still holds (a build that stopped before releasing it)
            # would make it wait for itself: builds in one process already run one by one.
            stale = _HELD.get(str(self.path))
            if stale is not None and stale is not self:
                stale.release()
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
            try:
                self.handle = os.fdopen(os.open(self.path, flags, 0o600), "a")
            except OSError as error:  # a link (ELOOP) or a folder where the lock belongs
                raise StageError(
                    f"{self.path} is not the stage's lock file ({error.strerror}); remove it, "
                    "then build again"
                ) from None
            if fcntl is not None:
                fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX)
            _HELD[str(self.path)] = self
        return self

    def release(self) -> None:
        if _HELD.get(str(self.path)) is self:
            del _HELD[str(self.path)]
        if self.handle is not None:
            if fcntl is not None:
                fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    def __enter__(self) -> StageLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_page(src_uri: str) -> bool:
    return src_uri.lower().endswith(MARKDOWN_SUFFIXES)


def never_staged(src_uri: str) -> bool:
    """Backups, dot files and folders: left out of every audience's stage."""
    parts = src_uri.split("/")
    return any(part.startswith(".") for part in parts) or src_uri.endswith(BACKUP_SUFFIXES)


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL of a page relative to the site root, as MkDocs computes it."""
    parent, filename = posixpath.split(src_uri)
    name = filename.rsplit(".", 1)[0]
    index = name.lower() in ("index", "readme")
    if not use_directory_urls or index:
        dest = posixpath.join(parent, ("index" if index else name) + ".html")
    else:
        dest = posixpath.join(parent, name, "index.html")
    if use_directory_urls and posixpath.basename(dest) == "index.html":
        dest = (posixpath.dirname(dest) or ".") + "/"
    return quote(dest)


def output_paths(src_uri: str) -> tuple[str, str]:
    """Where an engine writes a page, with and without `use_directory_urls`."""
    stem = src_uri.rsplit(".", 1)[0]
    if stem.rsplit("/", 1)[-1].lower() in ("index", "readme"):
        folder = stem.rsplit("/", 1)[0] if "/" in stem else ""
        page = f"{folder}/index.html".lstrip("/")
        return page, page
    return f"{stem}/index.html", f"{stem}.html"


def site_chrome(config: dict[str, Any]) -> set[str]:
    """Files of docs/ that the site's own chrome needs (extra CSS and JS, logo, favicon): public
    whatever the attachment patterns say."""
    theme: dict[str, Any] = config["theme"] if isinstance(config.get("theme"), dict) else {}
    values = [
        *(config.get("extra_css") or []),
        *(config.get("extra_javascript") or []),
        theme.get("logo"),
        theme.get("favicon"),
    ]
    found = set()
    for value in values:
        path = value.get("path") if isinstance(value, dict) else value
        if isinstance(path, str) and "://" not in path:
            found.add(posixpath.normpath(path.lstrip("/")))
    return found


def target_digest(token: str, target: str) -> str:
    """A salted digest of a hidden link target, in any letter case (`case_folded`): the
    stage holds digests, never names."""
    return hashlib.sha256(f"{token}\0{case_folded(target)}".encode()).hexdigest()[:32]


def link_targets(
    href: str | None, page_src_uri: str, use_directory_urls: bool = True
) -> tuple[set[str], set[str]]:
    """What a link on a page may name in the site: (source paths, URLs without `index.html`
    and slashes). A relative link is read against the page's source folder (as Markdown links
    are) and against its URL (as raw HTML is); links to other hosts name nothing here."""
    if not href:
        return set(), set()
    parts = urlsplit(as_browser_reads(href).strip())
    if parts.scheme in ("http", "https") and not parts.netloc:
        parts = parts._replace(scheme="")  # `http:a/b` is relative to a page served by http
    if parts.scheme or parts.netloc or not parts.path:
        return set(), set()
    path = unquote(parts.path)
    if path.startswith("/"):
        src_target = url_target = posixpath.normpath(path.lstrip("/"))
    else:
        src_target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src_uri), path))
        url = page_url(page_src_uri, use_directory_urls)
        base = url if url.endswith("/") else posixpath.dirname(url)
        url_target = posixpath.normpath(posixpath.join(base, path))
    sources = {src_target, f"{src_target}/index.md", f"{src_target}/README.md"}
    urls = {target.removesuffix("index.html").strip("/") for target in (url_target, src_target)}
    return sources, urls
