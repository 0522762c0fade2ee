"""After the engine: the print edition, the audience's marks on every page, the manifest.

engine -> finish -> verify. These steps work on the engine's output files, so they are the
same for every engine: the print edition is assembled from each controlled document's
finished content (between the guard's markers), streamed so it never holds every document
in memory at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from markupsafe import escape

from . import __version__
from .background import Background, Channel
from .core.model import Document, Handbook
from .core.tool_output import MANIFEST
from .guard import print_markers
from .render.print_edition import print_section
from .stage.generated import PRINT_MARKER
from .stage.layout import output_paths
from .stage.request import Stage


class _FoundError(Exception):
    """Stops the parser at the tag it looked for."""


class _BodyTag(HTMLParser):
    """Where the `<body>` start tag ends, found by parsing the page up to it."""

    def __init__(self) -> None:
        super().__init__()
        self.position: tuple[int, int, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            line, column = self.getpos()
            self.position = (line, column, len(self.get_starttag_text() or ""))
            raise _FoundError


def _after_body_tag(text: str) -> int | None:
    """The offset just after the page's `<body ...>` tag, or None without one.

    The parser starts where the head ends (the `</head>` that `PageMarks` puts its meta
    before) when there is one: a theme's head is most of what it would read otherwise."""
    begin = max(text.find("</head>"), 0)
    finder = _BodyTag()
    with contextlib.suppress(_FoundError):
        finder.feed(text[begin:] if begin else text)
    if finder.position is None:
        return None
    line, column, length = finder.position
    start = begin
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column + length


@dataclass
class Finished:
    pages_marked: int
    printed: int


@dataclass
class PageMarks:
    """What every page of an audience's site carries: `noindex` for robots and a banner
    naming the audience below the public one; in a live preview with problems, their list."""

    meta: str
    banner: str

    def apply(self, text: str) -> str:
        if self.meta:
            text = text.replace("</head>", f"{self.meta}\n</head>", 1)
        cut = _after_body_tag(text)
        return text if cut is None else text[:cut] + self.banner + text[cut:]

    def __bool__(self) -> bool:
        return bool(self.meta or self.banner)


Sectioner = Callable[[str, str | None], str | None]


def print_sectioner(stage: Stage, view: Handbook) -> Sectioner:
    """How a printed document's content (its src_uri, its HTML between the print markers)
    becomes its section of the print edition; None for content missing or not printed."""
    documents = {d.src_uri: d for d in printed_documents(view)}
    print_url = stage.urls.get(stage.print_page or "", "")

    def section(src_uri: str, content: str | None) -> str | None:
        document = documents.get(src_uri)
        if content is None or document is None or document.id is None:
            return None
        url = stage.urls.get(src_uri, "")
        return print_section(document.id, document.title, content, url, print_url)

    return section


def _rebase(raw: int, out: int, section: Sectioner, channel: Channel) -> dict[str, tuple[int, int]]:
    """Each announced document's section, from the raw spool to the sections' file."""
    written: dict[str, tuple[int, int]] = {}
    for src_uri, offset, length in channel.messages:
        text = section(src_uri, os.pread(raw, length, offset).decode("utf-8"))
        if text is None:
            continue
        data = text.encode("utf-8")
        position = os.lseek(out, 0, os.SEEK_END)
        done = 0
        while done < len(data):
            done += os.pwrite(out, data[done:], position + done)
        written[src_uri] = (position, len(data))
    return written


class PrintSpool:
    """Documents' print content, kept as their pages are written, in a temporary file: the
    print edition never holds every document in memory at once. Given how to make sections
    and `beside`, a worker (background.py) re-bases each document's section while the
    engine writes the next pages; otherwise that is done when the print page is assembled."""

    def __init__(self, section: Sectioner | None = None, *, beside: bool = False) -> None:
        self._file: IO[bytes] | None = None
        self._where: dict[str, tuple[int, int]] = {}
        self._section = section if beside else None
        self._worker: Background[dict[str, tuple[int, int]]] | None = None
        self._sections: IO[bytes] | None = None  # what the worker wrote
        self._done: dict[str, tuple[int, int]] | None = None

    def add(self, src_uri: str, content: str) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (open across events; close())
            self._start()
        data = content.encode("utf-8")
        self._file.seek(0, os.SEEK_END)
        self._where[src_uri] = (self._file.tell(), len(data))
        self._file.write(data)
        if self._worker is not None:
            self._file.flush()  # the worker reads the file itself
            self._worker.send((src_uri, *self._where[src_uri]))

    def _start(self) -> None:
        section = self._section
        if section is None or self._file is None:
            return
        sections = tempfile.TemporaryFile()  # noqa: SIM115 (open across events; close())
        raw, out = self._file.fileno(), sections.fileno()
        worker = Background(
            lambda channel: _rebase(raw, out, section, channel),
            beside=True,
        )
        if worker.forked:
            self._worker, self._sections = worker, sections
        else:
            sections.close()

    @property
    def beside(self) -> bool:
        """Whether a worker makes the sections."""
        return self._worker is not None

    def get(self, src_uri: str) -> str | None:
        where = self._where.get(src_uri)
        if where is None or self._file is None:
            return None
        self._file.seek(where[0])
        return self._file.read(where[1]).decode("utf-8")

    def section(self, src_uri: str) -> str | None:
        """The document's print section as the worker made it; None without a worker."""
        if self._worker is None or self._sections is None:
            return None
        if self._done is None:
            self._done = self._worker.result()
        where = self._done.get(src_uri)
        if where is None:
            return None
        return os.pread(self._sections.fileno(), where[1], where[0]).decode("utf-8")

    def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        for spool in (self._file, self._sections):
            if spool is not None:
                spool.close()
        self._file = self._sections = self._worker = self._done = None
        self._where = {}


@dataclass
class FinishedInPlace:
    """What an engine's own events already did while writing pages (the MkDocs plugin's
    `on_post_page`): output files marked, and each document's print content kept."""

    marked: set[str] = field(default_factory=set)  # normalised paths of output files
    contents: PrintSpool = field(default_factory=PrintSpool)
    # a live preview's print sections of pages it did not render again, by src_uri: the
    # section and what it was made from (the document, its URL, its page's file as written)
    sections: dict[str, tuple[object, str]] | None = None
    settled: SettledSite | None = None  # a live preview's site as its last build settled it


def finish_site(
    site_dir: Path,
    stage: Stage,
    view: Handbook,
    problems: list[str] | None = None,
    in_place: FinishedInPlace | None = None,
) -> Finished:
    """Complete a site an engine built from `stage`; `problems` (a live preview's) are shown
    on top of every page."""
    in_place = in_place or FinishedInPlace()
    printed = sum(
        _assemble_print_edition(
            tree, stage, view, in_place.contents if tree == site_dir else None, in_place.sections
        )
        for tree in _trees(site_dir, stage)
    )
    marked = _mark_pages(site_dir, page_marks(view, problems or []), in_place.marked)
    write_manifest(site_dir, view)
    if in_place.settled is not None:
        in_place.settled.settle(site_dir)
    else:
        settle_permissions(site_dir)
    return Finished(marked, printed)


def assemble_print_edition(
    site_dir: Path, stage: Stage, view: Handbook, kept: dict[str, tuple[object, str]]
) -> int:
    """The print edition of a site whose print page holds its marker again (a live preview
    whose engine runs no finish step); `kept`: the sections of unchanged pages, kept
    between calls."""
    return _assemble_print_edition(site_dir, stage, view, None, kept)


def settle_permissions(site_dir: Path) -> None:
    """Folders 0755 and files 0644 whatever the umask: readable by the web server, writable
    by the owner alone (a verified site nobody else can change). A file already so is left
    alone: a live preview settles its site after every save, and a file's change time tells
    the preview's checks whether it was written since (preview_files.py)."""
    for folder, directories, files in os.walk(site_dir):
        _settle(folder, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                _settle(path, 0o644)
        directories[:] = [d for d in directories if not os.path.islink(os.path.join(folder, d))]


@dataclass
class SettledSite:
    """A live preview's site as its last build settled it: each folder's modification time
    and subfolders. A file that is created, replaced or renamed changes its folder's time; a
    file written in place keeps its inode and its mode. So a save settles only the folders
    whose time changed (and the new ones), not every file of the site again. A folder changed
    within the last second is looked into again next time (a folder's time is coarser than
    the clock: a file created just after it was read could leave it as it was)."""

    folders: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)

    def settle(self, site_dir: Path) -> None:
        """`settle_permissions` for what changed since the last call."""
        seen: dict[str, tuple[int, tuple[str, ...]]] = {}
        recent = time.time_ns() - 1_000_000_000
        waiting = [str(site_dir)]
        while waiting:
            folder = waiting.pop()
            try:
                changed = os.stat(folder).st_mtime_ns  # read before the folder is listed
            except OSError:
                continue
            before = self.folders.get(folder)
            if before is not None and before[0] == changed:
                seen[folder] = before
            else:
                seen[folder] = (changed if changed < recent else -1, _settle_folder(folder))
            waiting += seen[folder][1]
        self.folders = seen


def _settle_folder(folder: str) -> tuple[str, ...]:
    """One folder and its files settled; returns its subfolders (not links)."""
    _settle(folder, 0o755)
    subfolders = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                subfolders.append(entry.path)
            else:
                _settle(entry.path, 0o644)
    return tuple(subfolders)


def _settle(path: str, mode: int) -> None:
    if stat.S_IMODE(os.lstat(path).st_mode) != mode:
        os.chmod(path, mode)


def printed_documents(view: Handbook) -> list[Document]:
    """The documents of the print edition, in its order: every controlled one not retired."""
    return sorted(
        (d for d in view.controlled_documents if d.get("status") != "retired"),
        key=lambda d: d.id or "",
    )


def print_content(page_html: str, token: str) -> str | None:
    """A document's content as the print edition takes it: between the guard's markers."""
    start, end = print_markers(token)
    begin = page_html.find(start)
    finish = page_html.find(end, begin + len(start))
    if begin < 0 or finish < 0:
        return None
    return page_html[begin + len(start) : finish]


def write_manifest(site_dir: Path, view: Handbook) -> None:
    manifest = {
        "generator": f"sms-handbook {__version__}",
        "audience": view.audience,
        "audiences": list(view.settings.audiences),
        "documents": sorted(d.src_uri for d in view.documents),
        "items": sorted(
            [d.id for d in view.documents if d.id]
            + [r.id for register in view.registers.values() for r in register.records]
        ),
        "registers": sorted(view.registers),
    }
    path = site_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _output(site_dir: Path, src_uri: str) -> Path | None:
    for candidate in output_paths(src_uri):
        if (site_dir / candidate).is_file():
            return site_dir / candidate
    return None


def _trees(site_dir: Path, stage: Stage) -> list[Path]:
    """The site, and each copy of it a plugin built in a subfolder (mkdocs-static-i18n builds
    one per language, `de/...`): each holds its own print page to assemble."""
    trees = [site_dir]
    if stage.print_page is None:
        return trees
    for folder in sorted(p for p in site_dir.iterdir() if p.is_dir()):
        if _output(folder, stage.print_page) is not None:
            trees.append(folder)
    return trees


def _assemble_print_edition(
    site_dir: Path,
    stage: Stage,
    view: Handbook,
    contents: PrintSpool | None,
    kept: dict[str, tuple[object, str]] | None = None,
) -> int:
    if stage.print_page is None:
        return 0
    output = _output(site_dir, stage.print_page)
    if output is None:
        return 0
    text = output.read_text(encoding="utf-8")
    before, found, after = text.partition(PRINT_MARKER)
    if not found:
        return 0
    # The marker sits in a paragraph of its own; the documents replace the whole paragraph.
    before = before.removesuffix("<p>")
    after = after.removeprefix("</p>")
    sectioner = print_sectioner(stage, view)
    count = 0
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8") as stream:
        stream.write(before)
        for document in printed_documents(view):
            section = contents.section(document.src_uri) if contents is not None else None
            if section is None:
                content = contents.get(document.src_uri) if contents is not None else None
                if content is None:
                    section = _section_from_page(site_dir, stage, document, sectioner, kept)
                else:
                    section = sectioner(document.src_uri, content)
            if section is None:
                continue
            stream.write(section)
            stream.write("\n")
            count += 1
        stream.write(after)
    os.replace(partial, output)
    return count


def _section_from_page(
    site_dir: Path,
    stage: Stage,
    document: Document,
    sectioner: Sectioner,
    kept: dict[str, tuple[object, str]] | None,
) -> str | None:
    """A document's print section, from its page as the site holds it; a preview keeps the
    sections of pages it does not render again (`kept`), as long as nothing they were made
    from changed."""
    page = _output(site_dir, document.src_uri)
    made_from: object = None
    if page is not None and kept is not None:
        info = page.stat()
        made_from = (document.id, document.title, stage.urls.get(document.src_uri), info.st_ino)
        made_from = (made_from, info.st_mtime_ns, info.st_size)
        if document.src_uri in kept and kept[document.src_uri][0] == made_from:
            return kept[document.src_uri][1]
    page_html = page.read_text(encoding="utf-8") if page is not None else ""
    section = sectioner(document.src_uri, print_content(page_html, stage.token))
    if kept is not None and section is not None and made_from is not None:
        kept[document.src_uri] = (made_from, section)
    return section


def _problems_banner(problems: list[str]) -> str:
    items = "".join(f"<li><code>{escape(problem)}</code></li>" for problem in problems[:50])
    more = f"<li>and {len(problems) - 50} more</li>" if len(problems) > 50 else ""
    return (
        '<div class="sms-problems-banner" role="alert"><p>This preview has '
        f"{len(problems)} problem{'s' * (len(problems) != 1)} to fix (the terminal lists them "
        f"too):</p><ul>{items}{more}</ul></div>"
    )


def page_marks(view: Handbook, problems: list[str]) -> PageMarks:
    audience = str(view.audience)
    public = view.access.is_public
    meta = "" if public else '<meta name="robots" content="noindex, nofollow">'
    name = escape(audience)
    banner = (
        ""
        if public
        else (
            f'<div class="sms-audience-banner sms-audience-{name}">'
            f"{escape(audience.capitalize())} handbook: do not share outside its audience</div>"
        )
    )
    if problems:
        banner += _problems_banner(problems)
    return PageMarks(meta, banner)


def _mark_pages(site_dir: Path, marks: PageMarks, done: set[str]) -> int:
    """Mark every HTML file of the site that is not marked yet."""
    if not marks:
        return 0
    count = 0
    for path in site_dir.rglob("*.html"):
        if os.path.normpath(path) not in done:
            text = path.read_text(encoding="utf-8", errors="replace")
            path.write_text(marks.apply(text), encoding="utf-8")
        count += 1
    return count
