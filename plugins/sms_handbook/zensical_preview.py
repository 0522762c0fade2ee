"""`sms-handbook serve --engine zensical`: Zensical's own incremental server, on a checked copy
of the audience's stage.

Zensical runs none of our plugin's events, so everything the MkDocs preview does inside the
build happens around Zensical here, in this process:

* the sources are watched; each save loads the handbook again (keeping what it parsed of
  unchanged files) and writes the audience's stage (only files whose content changed);
* every staged file that changed is checked before Zensical can read it: the stage is copied
  into the preview's own folder (`.cache/sms-handbook/preview/<audience>/`, which Zensical
  serves), file by file, and a file that names an item hidden from the audience is copied as
  a notice instead; Zensical's watcher sees only the files that changed and rebuilds those;
* Zensical's output is checked as soon as it is written (`preview_files.SiteFiles`), and a
  file naming a hidden item is replaced by a notice;
* the banner of problems is a script every page loads: when the problems change, that one
  file changes (no page is built again) and Zensical reloads the browser;
* the guard's proof is made once for the whole session, handed to Zensical in its environment
  and written nowhere (every stage of the session is written with it).
"""

from __future__ import annotations

import copy
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .context import ContextError, HandbookContext, chosen_audience, load_context
from .core.build import LoadCache
from .core.model import Handbook
from .finish import assemble_print_edition, page_marks
from .guard import PROOF_VARIABLE
from .pipeline import stage_audience
from .preview_files import Signature, SiteFiles, Where, hidden_in, notice, refusal, signature
from .site_config import dump_config
from .stage.configuration import GUARD
from .stage.generated import PRINT_MARKER
from .stage.htmlstash import read_blocks
from .stage.layout import StageLayout, StageLock, in_author_terms, output_paths
from .stage.request import Stage
from .stage.sealing import StageError, open_preview
from .verify import SecretFinder, secrets_for

BANNER = "assets/sms-handbook/preview-problems.js"
POLL_SECONDS = 0.2
RELOAD_SECONDS = 10.0  # Zensical silent this long after a reload, no output: ask again
SKIPPED = (".lock", "site", ".cache", ".sms/entries", StageLayout.CONFIG)


def _stage_files(root: Path) -> Iterator[str]:
    """The files of a stage that Zensical reads (not the engine's folders or the journal;
    the configuration is derived separately), as paths relative to the stage."""
    top = len(str(root)) + 1
    for here, directories, names in os.walk(root, followlinks=False):
        directories.sort()
        folder = here[top:].replace(os.sep, "/")
        for name in sorted(names):
            relative = f"{folder}/{name}" if folder else name
            if not relative.startswith(SKIPPED) and not os.path.islink(os.path.join(here, name)):
                yield relative


def _blocks_of(relative: str, data: bytes, token: str) -> bytes:
    """The HTML blocks a staged page carries on its last line, as text of their own."""
    if not relative.endswith(".md"):
        return b""
    lines = data.decode("utf-8", errors="replace").rstrip().rsplit("\n", 1)
    blocks = read_blocks(lines[-1].strip(), token) or []
    return ("\n\n" + "\n\n".join(blocks)).encode() if blocks else b""


def _write(path: Path, data: bytes, *, force: bool = False) -> None:
    """`path` holds `data` at once (never half written while Zensical reads it); unchanged
    files are not written (unless `force`), so that Zensical's watcher sees only what
    changed."""
    try:
        if path.read_bytes() == data and not force:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


@dataclass
class Mirror:
    """The preview's copy of the stage: what Zensical reads, every file checked first."""

    root: Path
    synced: dict[str, Signature] = field(default_factory=dict)  # stage path -> as copied
    refused: dict[str, str] = field(default_factory=dict)  # stage path -> its problem
    key: str = ""  # what the copied files were checked against (`SecretFinder.digest`)

    def sync(self, stage: Stage, finder: SecretFinder, where: Where) -> bool:
        """Copy every staged file that changed since the last copy, checked; remove what
        left the stage. Returns whether Zensical must build every page again: what is hidden
        changed, or pages came or went (Zensical 0.0.73 keeps the output of a page that
        went, and the other pages' navigation as it was)."""
        hidden_changed = finder.digest != self.key and bool(self.key)
        if finder.digest != self.key:
            self.synced, self.key = {}, finder.digest  # what is hidden changed: check all
        present = set(_stage_files(stage.root))
        copied = {
            path for path in _stage_files(self.root) if path != f"{StageLayout.DOCS}/{BANNER}"
        }
        for relative in sorted(present):
            source = stage.root / relative
            if self.synced.get(relative) == signature(source):
                continue
            self.synced[relative] = signature(source) or (0, 0, 0, 0)
            data = self._checked(relative, source.read_bytes(), stage.token, finder, where)
            _write(self.root / relative, data)
        for relative in sorted(copied - present):
            self.synced.pop(relative, None)
            self.refused.pop(relative, None)
            (self.root / relative).unlink(missing_ok=True)
        pages_changed = {p for p in copied ^ present if p.endswith(".md")}
        return hidden_changed or (bool(copied) and bool(pages_changed))

    def rebuild_all(self) -> None:
        """Zensical builds every page again, from nothing it made before: its output and
        cache are removed and its configuration written again (it reloads)."""
        for folder in ("site", ".cache"):
            shutil.rmtree(self.root / folder, ignore_errors=True)
        config = self.root / StageLayout.CONFIG
        if config.is_file():
            _write(config, config.read_bytes(), force=True)

    def _checked(
        self, relative: str, data: bytes, token: str, finder: SecretFinder, where: Where
    ) -> bytes:
        """The file's bytes, or a notice when they name a hidden item (a page's HTML blocks
        are read as the guard puts them back, not as the JSON of its last line)."""
        self.refused.pop(relative, None)
        found = hidden_in(relative, data + _blocks_of(relative, data, token), finder)
        if not found:
            return data
        name = relative.removeprefix(f"{StageLayout.DOCS}/")
        docs = where.view.settings.docs_dir
        source = f"{docs}/{name}" if (where.root / docs / name).is_file() else None
        page = name.endswith(".md")
        problem = refusal(name, found, where, source, code="SMS711" if page else "SMS715")
        self.refused[relative] = problem
        if page:
            return f"# Not served\n\n`{problem}`\n".encode()
        return notice(name, problem)

    def configure(self, stage: Stage, finder: SecretFinder) -> str | None:
        """The stage's configuration for Zensical: the guard reads this copy's data file,
        and every page loads the banner's script. Returns a problem when it names a hidden
        item (the previous configuration stays)."""
        config = copy.deepcopy(stage.config)
        data_file = str(self.root / StageLayout.DATA)
        for entry in config.get("markdown_extensions") or []:
            if isinstance(entry, dict) and isinstance(entry.get(GUARD), dict):
                entry[GUARD] = {**entry[GUARD], "stage": data_file}
        config["extra_javascript"] = [*(config.get("extra_javascript") or []), BANNER]
        text = dump_config(config)
        if finder(text):
            return (
                "the stage's configuration names an item hidden from the audience (a nav "
                "title in mkdocs.yml?); the preview keeps the previous one until it is fixed"
            )
        _write(self.root / StageLayout.CONFIG, text.encode())
        return None

    def show(self, banner: str) -> None:
        """The banner's script, which every page loads (a change reloads the browser)."""
        _write(self.root / StageLayout.DOCS / BANNER, banner_script(banner).encode())


def banner_script(html: str) -> str:
    """A script that puts the banner (our own escaped HTML) at the top of the page."""
    text = json.dumps(html).replace("<", "\\u003c")
    return (
        "(function () {\n"
        f"  var banner = {text};\n"
        "  function show() { if (banner) document.body.insertAdjacentHTML('afterbegin', "
        "banner); }\n"
        "  if (document.readyState === 'loading') document.addEventListener("
        "'DOMContentLoaded', show); else show();\n"
        "})();\n"
    )


@dataclass
class PrintEdition:
    """The preview's print edition, assembled from the pages Zensical wrote (as `build` does
    once its engine is done), again whenever Zensical writes any file."""

    raw: str = ""  # the print page as Zensical wrote it, its marker in place
    kept: dict[str, tuple[object, str]] = field(default_factory=dict)  # unchanged sections

    def update(self, site: Path, stage: Stage, view: Handbook, changed: list[str]) -> None:
        if stage.print_page is None:
            return
        paths = [site / path for path in output_paths(stage.print_page)]
        output = next((path for path in paths if path.is_file()), None)
        if output is None or changed == [str(output)]:
            return  # nothing but the page assembled last time changed
        text = output.read_text(encoding="utf-8")
        if PRINT_MARKER in text:
            self.raw = text
        elif not self.raw:
            return
        _write(output, self.raw.encode())
        assemble_print_edition(site, stage, view, self.kept)


@dataclass
class Round:
    """What the last save gave: the view and its checks, and the problems to show."""

    stage: Stage
    view: Handbook
    finder: SecretFinder
    where: Where
    problems: list[str]


class ZensicalPreview:
    """One `serve --engine zensical` session: watch, stage, check, copy; Zensical serves."""

    def __init__(self, config_file: Path, dev_addr: str) -> None:
        self.config_file = config_file
        self.root = config_file.parent
        self.dev_addr = dev_addr
        self.proof = secrets.token_hex(32)  # the session's, in memory and in Zensical's only
        self.cache = LoadCache()
        self.config_text = b""
        self.mirror: Mirror | None = None
        self.last: Round | None = None
        self.site_files = SiteFiles()
        self.folders = ("docs", "registers")
        self.said: set[str] = set()
        self.failed: list[str] = []  # why the last save could not be staged
        self.print_edition = PrintEdition()
        self.rebuilt = time.monotonic()  # when Zensical was last asked to build every page
        self.heard = 0.0  # when Zensical last said something

    def run(self) -> str | None:
        """Serve until interrupted; returns a problem in words, or None."""
        self.restage()
        if self.mirror is None or self.last is None:
            return "the preview could not stage the handbook (the problems are listed above)"
        process = self._start_zensical(self.mirror.root)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # Zensical stops with us
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
        sources = self._sources()
        try:
            while process.poll() is None:
                self._relay(lines)
                self._check_output()
                if self._sources() != sources:
                    sources = self._sources()
                    self.restage()
                time.sleep(POLL_SECONDS)
        except KeyboardInterrupt:
            return None
        finally:
            process.terminate()
            process.wait(timeout=30)
        self._relay(lines)
        return f"Zensical stopped (exit {process.returncode}); see its output above"

    def restage(self) -> None:
        """A save: load the handbook, stage the audience, check and copy what changed. A
        changed `mkdocs.yml` loads and stages everything again; one that cannot be read
        leaves the last good copy served, the problem in the banner."""
        config_text = _read(self.config_file)
        if config_text != self.config_text:
            self.cache, self.config_text = LoadCache(), config_text
        try:
            context = load_context(self.root, config_file=self.config_file, cache=self.cache)
            audience = chosen_audience(context.settings, None)
            if audience not in context.settings.audiences:
                raise ContextError(f"unknown audience '{audience}'")
            with StageLock(self.root, audience):
                stage = stage_audience(context, audience, [], [], preview=True, proof=self.proof)
        except (ContextError, StageError) as error:
            problems = getattr(error, "diagnostics", None) or [error]
            self.failed = [str(problem) for problem in problems]
            self._report()
            return
        self.failed = []
        self.folders = (context.settings.docs_dir, context.settings.registers_dir)
        self._copy(context, audience, stage)

    def _copy(self, context: HandbookContext, audience: str, stage: Stage) -> None:
        view, hidden = context.view(audience)
        finder = SecretFinder(secrets_for(view, hidden, context.options.verify_allow))
        where = Where(context.root, view)
        if self.mirror is None:
            self.mirror = Mirror(open_preview(self.root, audience))
        rebuild = self.mirror.sync(stage, finder, where)
        problems = [str(d) for d in context.result.diagnostics if d.is_error]
        problems += [str(d) for d in context.link_diagnostics]
        problems += stage.warnings + list(self.mirror.refused.values())
        unusable = self.mirror.configure(stage, finder)
        if unusable:
            problems.append(f"{self.config_file.name}:1:1: {unusable}")
        if rebuild:
            self.mirror.rebuild_all()
            self.rebuilt = time.monotonic()
        self.last = Round(stage, view, finder, where, problems)
        self.site_files.start(finder)
        self._report()

    def _report(self) -> None:
        """The problems in the terminal (each once) and in the banner of every page."""
        problems = [*self.failed, *(self.last.problems if self.last else [])]
        problems += self.site_files.problems
        for problem in problems:
            if problem not in self.said:
                sys.stderr.write(f"{problem}\n")
        if self.said and not problems:
            sys.stderr.write("the preview has no problems left\n")
        self.said = set(problems)
        if self.mirror is not None and self.last is not None:
            self.mirror.show(page_marks(self.last.view, problems).banner)

    def _check_output(self) -> None:
        """Zensical's output, checked as soon as it is written."""
        if self.mirror is None or self.last is None:
            return
        site = self.mirror.root / "site"
        if not site.is_dir():
            unheard = self.heard < self.rebuilt  # Zensical said nothing since it was asked
            if unheard and time.monotonic() - self.rebuilt > RELOAD_SECONDS:
                self.mirror.rebuild_all()
                self.rebuilt = time.monotonic()
            return
        before = self.site_files.problems
        self.site_files.check_site(site, set(), self.last.finder, self.last.where)
        if self.site_files.read:
            self.print_edition.update(site, self.last.stage, self.last.view, self.site_files.read)
        if self.site_files.problems != before:
            self._report()

    def _start_zensical(self, folder: Path) -> subprocess.Popen[str]:
        environment = {**os.environ, PROOF_VARIABLE: self.proof, "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "zensical", "serve", "-f", StageLayout.CONFIG]
        command += ["--dev-addr", self.dev_addr]
        return subprocess.Popen(
            command,
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def _relay(self, lines: queue.Queue[str]) -> None:
        """Zensical's words, in the author's terms (the preview's folder named as docs/)."""
        docs = self.folders[0]
        while not lines.empty():
            line = lines.get_nowait()
            self.heard = time.monotonic()
            if self.mirror is not None:
                line = in_author_terms(line, self.mirror.root, docs)
            sys.stderr.write(f"zensical: {line}")

    def _sources(self) -> tuple[tuple[str, int, int], ...]:
        """What the preview watches: the configuration, the pages and the registers."""
        found = [(str(self.config_file), *_stamp(self.config_file))]
        for folder in self.folders:
            for here, directories, names in os.walk(self.root / folder, followlinks=False):
                directories[:] = sorted(d for d in directories if not d.startswith("."))
                for name in sorted(names):
                    path = Path(here) / name
                    found.append((str(path), *_stamp(path)))
        return tuple(found)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = os.lstat(path)
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line)
