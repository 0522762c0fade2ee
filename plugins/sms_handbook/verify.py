"""Verify a finished build against the model: nothing hidden from its audience is in it.

This check does not trust the build: it reads every output file by its content (every archive
and compressed layer unpacked, PDFs as text, images by their metadata, JSON and HTML entities
decoded; see `content`) and looks for the identifiers, titles and distinctive field values of
every item the audience may not see. Only files whose bytes are the installed theme's own are
not searched (`shipped`). A build that skipped the plugin (a generator that ignores
unknown plugins) fails here, as does one whose manifest names another audience.

All the strings are searched for at once (an Aho-Corasick automaton), so a check stays linear
in the size of the site however many items are hidden.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import html
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content import BOMS, UnreadableError, plain_bytes, sniff, texts_of, utf8_parts
from .core.audience import Audience
from .core.model import Handbook
from .core.page_refs import as_browser_reads
from .core.scope import Hidden, scope_to_audience
from .core.tool_output import MANIFEST
from .file_buffer import FileBuffer
from .kept_scans import Clean, KeptScans
from .matching import Matcher
from .shipped import is_shipped_file
from .stage.layout import output_paths
from .text_runs import BINARY_KINDS, Needles, Runs, byte_runs, run_pattern
from .windows import lines, search_all, source, unescaped
from .windows import strings as _strings

PROSE_WORD = re.compile(r"[^\W\d_]{2,}")  # words of letters: dates and codes are not prose
ID_LIKE = re.compile(r"[0-9-]")
URL_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")  # what a URL decoder decodes
URL_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")  # a run of them: one UTF-8 text


def url_decoded(text: str) -> str:
    """`text` with its URL escapes decoded as `urllib.parse.unquote` decodes them (each run
    of escapes one UTF-8 text, bytes it cannot read as U+FFFD), in one pass of a compiled
    expression: `unquote` splits a text at every `%` and at every change between ASCII and
    other characters, which takes seconds on the bytes of a large picture."""
    return URL_ESCAPES.sub(_decoded_run, text)


def _decoded_run(match: re.Match[str]) -> str:
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8", errors="replace")


MIN_TEXT = 24
MIN_WORDS = 3


@dataclass(frozen=True)
class Secret:
    text: str
    what: str  # for the report, e.g. "id of risk RSK-004 (registers/risks.yaml:40)"
    is_name: bool = False  # an id or a title (not a field's text)
    is_id: bool = False
    is_path: bool = False  # a hidden page's source path or URL


# Placeholders the pipeline puts in pages and takes out again; one left in a page means a
# block of the page (a control block, a generated table, the print edition) is missing.
PLACEHOLDERS = ("SMSHTML", "SMSPRINTDOCUMENTS", "<!-- sms-page ")
SHORTEST_PLACEHOLDER = min(len(p) for p in PLACEHOLDERS)
# `as_written` relies on these: ASCII, and no line break (what `_read` joins texts with)
assert all(p.isascii() and "\n" not in p for p in PLACEHOLDERS)
_PLACEHOLDER_BYTES = tuple(p.encode("ascii") for p in PLACEHOLDERS)
UNREADABLE = Secret(
    "unreadable",
    "verification cannot search it for hidden items: once you have checked it, list its file "
    "name in the sms-handbook plugin's options in mkdocs.yml (`verify_allow: [NAME]`), or "
    "leave it out of this audience",
)
UNRESTORED = Secret(
    "SMSHTML",
    "placeholder of a block that was never put back: the page lacks part of its content "
    "(report it, with the page's Markdown)",
)


def allow_hint(secret: Secret) -> str:
    """How `verify_allow` could accept a text hidden items hold too (never an id)."""
    if secret.is_id:
        return " (an id is never allowed: `verify_allow` does not take ids)"
    return (
        "; if the text is generic, list it in the sms-handbook plugin's options in mkdocs.yml: "
        f"`verify_allow: [{json.dumps(secret.text)}]`"
    )


@dataclass(frozen=True)
class Leak:
    file: str
    secret: Secret
    reason: str = ""  # why an UNREADABLE file cannot be read
    in_name: bool = False  # found in the file's path, not in its content

    def __str__(self) -> str:
        if self.secret is UNRESTORED:
            return f"{self.file}: contains a {self.secret.what}"
        if self.secret is UNREADABLE:
            return f"{self.file}: {self.reason}; {self.secret.what}"
        where = "its path contains" if self.in_name else "contains"
        return f"{self.file}: {where} '{self.secret.text}', the {self.secret.what}"


def secrets_for(view: Handbook, hidden: Hidden, allow: Iterable[str] = ()) -> list[Secret]:
    """Distinctive strings of everything hidden from `view`'s audience.

    Identifiers are always distinctive. Other text counts when it has at least three words of
    letters or 24 characters and is not also part of something the audience may see, so that
    a generic title ("Risks") or a value a visible record shares does not fail a build.
    """
    visible = [d.title for d in view.documents]
    for register in view.registers.values():
        visible.append(register.title)
        for record in register.records:
            visible.extend(_strings(record.data))
    for document in view.documents:
        visible.extend(_strings(document.meta))
    visible.extend(allow)

    found: dict[str, Secret] = {}
    texts: dict[str, Secret] = {}  # distinctive unless some visible value contains them

    def add(text: Any, what: str, is_id: bool = False, name: bool = False) -> None:
        if not isinstance(text, str):
            return
        text = " ".join(text.split())
        if text in found or text in texts:
            return
        if is_id:
            if len(text) >= 5 and bool(ID_LIKE.search(text)):
                found[text] = Secret(text, what, True, True)
        elif len(PROSE_WORD.findall(text)) >= MIN_WORDS or len(text) >= MIN_TEXT:
            texts[text] = Secret(text, what, name)

    for document in hidden.documents:
        where = f"{document.path}, classified {document.classification}"
        add(document.id, f"id of a hidden document ({where})", is_id=True)
        add(document.meta.get("title"), f"title of a hidden document ({where})", name=True)
        add(document.heading, f"heading of a hidden document ({where})", name=True)
    for register in hidden.registers:
        add(
            register.header.get("title"), f"title of a hidden register ({register.path})", name=True
        )
    for register, record in hidden.records:
        where = f"{register.path}:{record.line}"
        add(record.id, f"id of a hidden {register.name} record ({where})", is_id=True)
        for value in _strings({k: v for k, v in record.data.items() if k != "classification"}):
            add(value, f"text of hidden record {record.id} ({where})")
    for register, record, field in hidden.fields:
        for value in _strings(record.data.get(field)):
            add(value, f"hidden field `{field}` of {record.id} ({register.path}:{record.line})")
    for path, what in hidden_paths(view, hidden, allow):
        found.setdefault(path, Secret(path, what, is_path=True))
    visible_text = normalised("\n".join(visible))
    lowered = {spaced(text): text for text in texts}
    shown = {lowered[t] for t in Matcher(list(lowered)).occurring(visible_text, anywhere=True)}
    found.update((text, secret) for text, secret in texts.items() if text not in shown)
    return list(found.values())


def _page_paths(src_uri: str) -> list[str]:
    """The names of a page in a site: its source path, its directory URL, its `.html` URL."""
    directory, html_file = output_paths(src_uri)
    return [p for p in (src_uri, directory.removesuffix("index.html"), html_file) if p]


# The paths of a hidden home page name no page: every folder's page is an `index.html`.
GENERIC_PAGE_NAMES = frozenset({"index.md", "index.html", "README.md"})


def hidden_paths(
    view: Handbook, hidden: Hidden, allow: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(path, what) of the source path and URLs of every hidden document, except those a
    visible page's own path ends with (`team/` of a hidden `team/index.md` is in the URL of
    a visible `about/team/index.md`), the names every folder's page has, and those `allow`
    names."""
    visible = {path for d in view.documents for path in _page_paths(d.src_uri)}
    shared = set(allow) | GENERIC_PAGE_NAMES
    for path in visible:
        parts = path.split("/")
        shared.update("/".join(parts[i:]) for i in range(len(parts)))
    found = []
    for document in hidden.documents:
        where = f"{document.path}, classified {document.classification}"
        for path in _page_paths(document.src_uri):
            if path not in shared:
                found.append((path, f"path of a hidden document ({where})"))
    return found


def json_strings(value: Any) -> list[str]:
    """Every string of a JSON value, its keys too (an id can be a key), in the order written."""
    return _strings(value, keys=True)


def _readable(text: str) -> str:
    """One text of a file as a reader meets it: JSON's strings unescaped, HTML's entities."""
    return html.unescape("\n".join(source(text)))


LAYERS = "\n\x00\n"  # between the texts of a file: no secret spans two of them


def file_text(texts: Iterable[str]) -> str:
    """The texts of one file's layers (`content.texts_of`), each as a reader meets it."""
    return LAYERS.join(_readable(text) for text in texts)


def normalised(text: str, fold: bool = True) -> str:
    """Text as a reader meets it: entities and URL escapes decoded (done by `_readable` and
    here), backslashes also read as the slashes browsers make of them in addresses, runs of
    white space (line breaks too) made one space, and with `fold` case made alike. A decoded
    copy follows the text after a separator that no secret holds, so that the end of one and
    the start of the other never join into a secret."""
    if URL_ESCAPE.search(text):  # "99.9 %" is no escape: no second copy to search
        text = text + LAYERS + url_decoded(text)
    if "\\" in text:
        text = text + LAYERS + as_browser_reads(text)
    return spaced(text, fold)


def spaced(text: str, fold: bool = True) -> str:
    """A secret as it is searched for: runs of white space one space, with `fold` in lower
    case (its escapes and backslashes are searched as written: a text holds them as written,
    and `normalised` adds the decoded copy)."""
    text = " ".join(text.split())
    return text.lower() if fold else text


CASE_FOLDED_WORDS = 4  # shorter titles ("Service management policy") are common prose


def _folds(secret: Secret) -> bool:
    """Whether a secret is found in any case: ids, and texts long enough to be distinctive
    in lower case too; a short title in lower case is ordinary prose."""
    return (
        secret.is_id or secret.is_path or len(PROSE_WORD.findall(secret.text)) >= CASE_FOLDED_WORDS
    )


def _texts(texts: Iterable[str], runs: Callable[[str], str] | None) -> Iterable[str]:
    return texts if runs is None else (runs(text) for text in texts)


@dataclass(frozen=True)
class Reading:
    """What one content holds, whatever its file's name: the secrets in it, why it cannot be
    read (None when it can: then only what can be searched was), and whether a placeholder
    of the stage is left in it."""

    secrets: list[Secret]
    unreadable: str | None
    unrestored: bool


@dataclass
class ContentScans:
    """What scanning found in each content, by its digest, for one set of secrets: a site
    verified again (mkdocs-static-i18n's, after each language) does not read again the
    contents an earlier scan of the same build read, nor, with a folder to keep them in
    (`kept_scans`), the contents an earlier build found clean. Except a picture or a font
    when nothing is hidden: its bytes are searched for the stage's placeholders in one pass
    (`Needles`), which costs less than the digest that would find it among those (84 MB of
    pictures: 0.03 s against 0.05 s), so it is read each time and never kept; likewise a
    text that can hold a placeholder only as written (`as_written`: a search index, a JSON
    attachment), judged by a search of its bytes instead of being parsed."""

    kept: KeptScans = dataclasses.field(default_factory=lambda: KeptScans(None))
    key: str | None = None  # `SecretFinder.digest` of what `found` was looked for with
    found: dict[bytes, Reading] = dataclasses.field(default_factory=dict)
    read: int = 0  # contents read (not known from this build or an earlier one)

    def reading(self, data: bytes | memoryview, finder: SecretFinder) -> Reading:
        if finder.digest != self.key:
            self.key, self.found = finder.digest, {}
            self.kept.forget_read()
        if finder.hides_nothing:
            whole = data if isinstance(data, bytes) else bytes(data)
            if sniff(whole) in BINARY_KINDS:
                self.read += 1  # its placeholders are found faster than its bytes are hashed
                return _read(whole, finder)
            if as_written(whole) and not any(p in whole for p in _PLACEHOLDER_BYTES):
                return Reading([], None, unrestored=False)  # what reading it finds
        digest = hashlib.sha256(data).digest()
        if digest not in self.found:
            self.found[digest] = self._reading(digest, data, finder)
        return self.found[digest]

    def _reading(self, digest: bytes, data: bytes | memoryview, finder: SecretFinder) -> Reading:
        key = KeptScans.key(digest, finder.digest) if self.kept.folder is not None else ""
        clean = self.kept.found(key) if key else None
        if clean is not None:
            return Reading([], clean.unreadable, unrestored=False)
        found = _read(data if isinstance(data, bytes) else bytes(data), finder)
        self.read += 1
        if key and not (found.secrets or found.unrestored):
            self.kept.remember(key, Clean(found.unreadable))
        return found


def as_written(data: bytes) -> bool:
    """Whether every text `_read` makes of `data` is pieces of it as written, joined by line
    breaks: it is text in UTF-8 that `texts_of` decodes as it is (no byte order mark, no NUL,
    not the `x` that may start a zlib stream), and holds no `&` (no character reference for
    `html.unescape` to decode) and no backslash (no escape in a JSON string: a JSON text's
    strings are then pieces of it). A placeholder, which holds no line break, is then in what
    `_read` reads only if its bytes are in `data`: with nothing hidden, a text like a search
    index or a JSON attachment is judged by a byte search instead of being parsed (a test
    holds `_read` to this on every text of the corpus's sites and on texts made to defeat
    it)."""
    if sniff(data) != "text" or data.startswith((b"x", *(bom for bom, _codec in BOMS))):
        return False
    if b"\x00" in data or b"&" in data or b"\\" in data:
        return False
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


STREAMED = 1 << 18  # a text file from this size is searched in windows (`windows`), not whole


def _read(data: bytes, finder: SecretFinder) -> Reading:
    unreadable = None
    binary = sniff(data) in BINARY_KINDS
    if not binary and len(data) >= STREAMED and finder.windows:
        with contextlib.suppress(UnreadableError, UnicodeDecodeError):
            return finder.in_large_file(data)
    runs = finder.text_runs if binary else None
    byte_runs = finder.byte_runs if binary else None
    try:
        original = file_text(_texts(texts_of(data, runs=byte_runs), runs))
    except UnreadableError as error:
        unreadable = str(error)
        original = file_text(_texts(plain_bytes(data, byte_runs), runs))  # what can be read
    unrestored = any(placeholder in original for placeholder in PLACEHOLDERS)
    return Reading(finder(original), unreadable, unrestored)


def _content(path: Path, reader: FileBuffer) -> bytes | memoryview:
    """A file's content: a large one read on its own (read once, not copied again), the
    others in the reusable buffer."""
    return path.read_bytes() if path.stat().st_size >= STREAMED else reader.read(path)


def scan(
    site_dir: Path,
    secrets: list[Secret],
    refuse_unreadable: bool = False,
    allow: Iterable[str] = (),
    contents: ContentScans | None = None,
) -> list[Leak]:
    """Every (file, secret) where a secret occurs in a file of the built site, whatever the
    case, line breaks, escapes, encoding or compression, or in its path (a directory listing
    shows it; nothing needs to link to it); with `refuse_unreadable`, every file whose content
    cannot be read (`content.UnreadableError`) and that `allow` does not name. `contents`:
    what earlier scans of this build found in each content."""
    finder = SecretFinder(secrets)
    contents = contents or ContentScans()
    allowed = set(allow)
    leaks = []
    reader = FileBuffer()
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        name = path.relative_to(site_dir).as_posix()
        if is_shipped_file(name, path):  # compared a part at a time, not read whole
            continue
        data = _content(path, reader)
        leaks += [Leak(name, secret, in_name=True) for secret in finder(name)]
        found = contents.reading(data, finder)
        if found.unreadable is not None and refuse_unreadable and path.name not in allowed:
            leaks.append(Leak(name, UNREADABLE, found.unreadable))
            continue
        leaks += [Leak(name, secret) for secret in found.secrets]
        if found.unrestored:
            leaks.append(Leak(name, UNRESTORED))
    contents.kept.save()
    return leaks


# Where a text is cut into pieces that are searched one by one: before each list item.
# Navigation items repeat from page to page (5,000 service pages share most of theirs), and a
# piece met before is not searched again. A cut is made only at a `<`, and only when no
# secret holds a `<`, so that no secret can straddle two pieces; what borders a piece (`<`,
# or nothing) is a word boundary either way, so a piece finds what the whole text finds.
PIECE_START = "<li"
KNOWN_PIECES = 100_000  # pieces met once, remembered by their hash (then forgotten)
KEPT_CHARACTERS = 8_000_000  # of the pieces met twice, kept with what they hold
LONGEST_PIECE = 4096  # a longer piece is rarely met twice: searched, not remembered
Hits = tuple[tuple[str, ...], tuple[str, ...]]  # the folded and the exact keys found
NO_HITS: Hits = ((), ())


class SecretFinder:
    """The secrets found in texts (a PDF's, a preview's page), matched as `scan` matches
    them; the matchers are made once for every text."""

    def __init__(self, secrets: list[Secret]) -> None:
        self.folded = {spaced(s.text): s for s in secrets if _folds(s)}
        self.exact = {spaced(s.text, fold=False): s for s in secrets if not _folds(s)}
        self.ids = frozenset(k for k, v in self.folded.items() if v.is_id)
        self.paths = frozenset(k for k, v in self.folded.items() if v.is_path)
        self.folded_matcher = Matcher(list(self.folded))
        self.exact_matcher = Matcher(list(self.exact))
        self.cuts = not any("<" in k for k in (*self.folded, *self.exact))
        self.longest = max(map(len, (*self.folded, *self.exact)), default=0)
        self.windows = all(k and "\x00" not in k for k in (*self.folded, *self.exact))
        # nothing hidden (the top audience): only the stage's placeholders are looked for
        self.hides_nothing = not (self.folded or self.exact)
        self.known: dict[str, Hits] = {}  # piece: the keys found in it
        self.seen: set[int] = set()  # hashes of pieces met once
        self.room = KEPT_CHARACTERS

    @functools.cached_property
    def digest(self) -> str:
        """What it looks for and how, as one digest: each searched form, whether in any
        case, and whether as an id or a path."""
        looked_for = [
            sorted((k, s.is_id, s.is_path) for k, s in self.folded.items()),
            sorted(self.exact),
        ]
        return hashlib.sha256(json.dumps(looked_for).encode("utf-8", "surrogatepass")).hexdigest()

    @functools.cached_property
    def _runs(self) -> re.Pattern[str]:
        return run_pattern([*self.folded, *self.exact], SHORTEST_PLACEHOLDER)

    @functools.cached_property
    def byte_runs(self) -> Runs:
        """Where in a binary's bytes a secret can be written (`text_runs.byte_runs`); with
        no secrets, only the placeholders of the stage are looked for (`Needles`)."""
        if self.hides_nothing:
            return Needles(PLACEHOLDERS)
        return byte_runs([*self.folded, *self.exact], SHORTEST_PLACEHOLDER)

    def text_runs(self, text: str) -> str:
        """The runs of a binary's text in which a secret can occur (`run_pattern`), apart."""
        return LAYERS.join(self._runs.findall(text))

    def __call__(self, text: str) -> list[Secret]:
        if self.hides_nothing:
            return []
        folded: dict[str, None] = {}
        exact: dict[str, None] = {}
        for piece in self._pieces(text):
            hits = self.known.get(piece)
            if hits is None:
                hits = self._search(piece)
                self._remember(piece, hits)
            if hits is not NO_HITS:
                folded.update(dict.fromkeys(hits[0]))
                exact.update(dict.fromkeys(hits[1]))
        return [self.folded[k] for k in folded] + [self.exact[k] for k in exact]

    def _pieces(self, text: str) -> list[str]:
        if not self.cuts:
            return [text]
        first, *rest = text.split(PIECE_START)
        return [first, *(PIECE_START + piece for piece in rest)]

    def _search(self, text: str) -> Hits:
        return self._search_spaced(normalised(text, fold=False))

    def _search_spaced(self, spaced: str) -> Hits:
        """Search a normalised text (once: the folded form is its lower case)."""
        found = self.folded_matcher.occurring(spaced.lower(), ids=self.ids, paths=self.paths)
        exact = self.exact_matcher.occurring(spaced)
        return (tuple(found), tuple(exact)) if found or exact else NO_HITS

    def in_large_file(self, data: bytes) -> Reading:
        """What `_read` finds in a text file, read a part at a time (`in_parts`): a page in
        UTF-8 decoded a part at a time too (`content.utf8_parts`; UnicodeDecodeError if it
        is not UTF-8), any other text as `texts_of` reads it, a JSON text's strings taken
        from its objects as they are parsed."""
        page = utf8_parts(data)
        if page is not None:
            return self.in_parts(lambda: unescaped(page()))
        return self.in_texts(texts_of(data))

    def in_texts(self, texts: list[str]) -> Reading:
        """What `_read` finds in a file of these texts (`texts_of`), read a part at a time;
        `texts` is emptied (a JSON text's strings stand for it)."""
        sources = [source(text) for text in texts]
        texts.clear()

        def parts() -> Iterator[str]:
            for index, strings in enumerate(sources):
                yield from [LAYERS] if index else []
                yield from unescaped(lines(strings))

        return self.in_parts(parts)

    def in_parts(self, parts: Callable[[], Iterable[str]]) -> Reading:
        """What `_read` finds in the text `parts()` gives (in parts, each cut before a white
        space, a `<` or a NUL), searched in windows: each form `normalised` searches (as
        written, URL-decoded, backslashes as slashes) apart, in windows. It finds what
        `__call__` finds in the whole text: a piece's hits are those of each of its forms,
        as no secret holds the NUL between them (else `windows` is False); those of the
        whole text are those of its pieces, as a cut is before a `<` that no secret holds
        when cuts are made; and a window finds what the text finds in its span (see
        `windows.WindowSearch`)."""
        forms = _Forms(parts)
        folded: dict[str, None] = {}
        exact: dict[str, None] = {}

        def search(window: str) -> None:
            hits = self._search_spaced(window)
            folded.update(dict.fromkeys(hits[0]))
            exact.update(dict.fromkeys(hits[1]))

        if not self.hides_nothing:
            search_all(forms, search, self.longest)
        else:  # nothing to search for: only whether a placeholder is left
            deque(forms.written(), maxlen=0)
        found = [self.folded[k] for k in folded] + [self.exact[k] for k in exact]
        return Reading(found, None, forms.unrestored)

    def _remember(self, piece: str, hits: Hits) -> None:
        """Keep what a piece holds once it is met a second time (most pieces are met once)."""
        if len(piece) > min(LONGEST_PIECE, self.room):
            return
        if hash(piece) in self.seen:
            self.known[piece] = hits
            self.room -= len(piece)
            return
        if len(self.seen) >= KNOWN_PIECES:
            self.seen.clear()  # the pieces of the pages read lately are the likely ones
        self.seen.add(hash(piece))


class _Forms:
    """The forms of a text that `normalised` searches, each in parts (cut where no escape is
    cut: before a space, a `<` or a new line): as written, then, where they differ from it,
    URL-decoded and with backslashes as slashes. Which others are needed, and whether the
    text holds a placeholder, is noted while the written form is read, so the text is read
    once for it and once for each other form, never once more to decide."""

    def __init__(self, parts: Callable[[], Iterable[str]]) -> None:
        self.parts = parts
        self.escaped = self.slashed = self.slashed_decoded = self.unrestored = False

    def written(self) -> Iterator[str]:
        tail = ""  # the end of the last part, where a placeholder may begin
        for part in self.parts():
            joined = tail + part
            self.unrestored = self.unrestored or any(p in joined for p in PLACEHOLDERS)
            tail = joined[-len(max(PLACEHOLDERS, key=len)) :]
            self.slashed = self.slashed or "\\" in part
            if URL_ESCAPE.search(part):
                self.escaped = True
                self.slashed_decoded = self.slashed_decoded or "\\" in url_decoded(part)
            yield part

    def __iter__(self) -> Iterator[Iterable[str]]:
        """The forms, each to be read whole before the next is asked for."""
        yield self.written()
        if self.escaped:
            yield (url_decoded(part) for part in self.parts())
        if self.slashed:
            yield (as_browser_reads(part) for part in self.parts())
        if self.escaped and (self.slashed or self.slashed_decoded):
            yield (as_browser_reads(url_decoded(part)) for part in self.parts())


def secrets_in_text(text: str, secrets: list[Secret]) -> list[Secret]:
    """The secrets found in one text (a PDF's, say), matched as `scan` matches them."""
    return SecretFinder(secrets)(text)


@dataclass(frozen=True)
class Problem:
    """What verification found, and the output file it is in (relative to the site)."""

    file: str
    text: str

    def __str__(self) -> str:
        return self.text


def check_manifest(site_dir: Path, audience: str) -> list[Problem]:
    path = site_dir / MANIFEST
    if not path.is_file():
        return [
            Problem(
                MANIFEST,
                f"{MANIFEST} is missing: sms-handbook did not finish this build, "
                "so nothing in it may be trusted to be scoped",
            )
        ]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return [Problem(MANIFEST, f"{MANIFEST} is not valid JSON")]
    if manifest.get("audience") != audience:
        said = manifest.get("audience")
        return [Problem(MANIFEST, f"{MANIFEST} says audience '{said}', expected '{audience}'")]
    return []


def hidden_pages(site_dir: Path, hidden: Hidden, audience: str) -> list[Problem]:
    """Pages built for documents the audience may not see (the plugin did not remove them)."""
    found = []
    for document in hidden.documents:
        for candidate in output_paths(document.src_uri):
            if (site_dir / candidate).is_file():
                found.append(
                    Problem(
                        candidate,
                        f"{candidate}: the page of {document.path}, classified "
                        f"{document.classification}, is in the {audience} site",
                    )
                )
                break
    return found


def site_problems(
    site_dir: Path,
    handbook: Handbook,
    audience: str,
    allow: Iterable[str] = (),
    origin: Callable[[str, str], str] | None = None,
    hidden_files: Iterable[str] = (),
    scoped: tuple[Handbook, Hidden] | None = None,
    contents: ContentScans | None = None,
) -> list[Problem]:
    """Problems with a built site, each with the file it is in; empty when it may be
    published. `origin` names the repository's file a text found came from (see
    leak_origins.py); `hidden_files`: the attachments of docs/ the audience may not see
    (their paths); `scoped`: `scope_to_audience(handbook, audience)` if the caller has it;
    `contents`: what earlier scans of this build found (see `scan`)."""
    view, hidden = scoped or scope_to_audience(handbook, audience)
    problems = check_manifest(site_dir, audience)
    problems += hidden_pages(site_dir, hidden, audience)
    refuse = not Audience(handbook.settings, audience).sees_everything
    secrets = secrets_for(view, hidden, allow)
    allowed = set(allow)
    secrets += [
        Secret(name, f"path of a hidden attachment ({name})", is_path=True)
        for name in hidden_files
        if name not in allowed
    ]
    for leak in scan(site_dir, secrets, refuse, allow, contents):
        found = str(leak)
        if leak.secret not in (UNREADABLE, UNRESTORED):
            where = origin(leak.file, leak.secret.text) if origin is not None else ""
            found += where + allow_hint(leak.secret)
        problems.append(Problem(leak.file, found))
    return problems


def verify_site(
    site_dir: Path,
    handbook: Handbook,
    audience: str,
    allow: Iterable[str] = (),
) -> list[str]:
    """`site_problems` as sentences, for a site built from `handbook` (the model alone)."""
    return [str(problem) for problem in site_problems(site_dir, handbook, audience, allow)]


def withdraw(site_dir: Path, problems: Iterable[Problem]) -> list[str]:
    """Remove from a site that failed verification every file a problem was found in, and
    its manifest (the folder is then no finished build of any audience); returns the files
    removed. The rest stays, for the author to look at: the folder must not be published."""
    removed = []
    for name in sorted({problem.file for problem in problems} | {MANIFEST}):
        path = site_dir / name
        if path.is_file() and path.resolve().is_relative_to(site_dir.resolve()):
            path.unlink()
            removed.append(name)
    return removed
