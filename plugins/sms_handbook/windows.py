"""A large text read and searched a bounded part at a time, finding what one search of the
whole text finds (`verify.SecretFinder.in_large_texts` says why that holds).

A text is unescaped in chunks cut before a character that no character reference holds
(`html.unescape` then gives, chunk by chunk, exactly what it gives for the whole), and each
form of it (as written, URL-decoded, backslashes read as slashes) is made one space between
words and searched in windows: each window starts and ends beside a space, and the next one
starts early enough that every occurrence of the longest string looked for lies wholly inside
one window. Only a chunk and a window are held at once besides the text itself: the whole
text's words, its lower case and its decoded copies never are.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

CHUNK = 1 << 16  # characters unescaped at a time
WINDOW = 1 << 16  # characters of spaced text searched at a time (more when it cannot be cut)
CUTS = "\t\n\f <"  # characters no match of `html.unescape` holds


def _last_cut(text: str) -> int:
    """Where the last character of `CUTS` in `text` is (-1: none)."""
    return max(text.rfind(character) for character in CUTS)


def _last_space(text: str) -> int:
    """Where the last white space of `text` is, as `str.split` sees it (-1: none)."""
    index = len(text) - 1
    while index >= 0 and not text[index].isspace():
        index -= 1
    return index


def strings(value: Any, keys: bool = False) -> list[str]:
    """Every string of a value of dicts and lists, with `keys` its dicts' keys too, in the
    order they are written. Walked with a list of what is left, not by recursion: a 54 MB
    export holds millions of strings, and each level of nested generators would pass every
    one of them on."""
    found: list[str] = []
    left = [value]  # what is still to walk, the next on top
    while left:
        item = left.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                left.append(child)
                if keys:
                    left.append(str(key))
        elif isinstance(item, list):
            left.extend(reversed(item))
    return found


def _object_strings(pairs: list[tuple[str, Any]]) -> list[str]:
    """A JSON object as the strings it holds, its keys too, in the order written, every pair
    of it: a key written twice keeps both values (a parser keeps the last, but the file
    holds both, and anyone can download it), without keeping the object. A small object's
    strings are joined as one line (fewer, larger strings to hold); a large one's are not
    copied again."""
    found = strings([item for pair in pairs for item in pair])
    if len(found) < 2 or sum(map(len, found)) >= CHUNK:
        return found
    return ["\n".join(found)]


def json_strings_of(text: str) -> list[str] | None:
    """The strings of a JSON text, keys too, in the order written, a whole object's as one
    line (None when it is not JSON). Each object becomes the line of its strings as soon as
    it is read, so the objects and their many small strings are never all held at once."""
    try:
        value = json.loads(text, object_pairs_hook=_object_strings)
    except (ValueError, RecursionError):
        return None
    return strings(value, keys=True)


def source(text: str) -> list[str]:
    """What of a file's text is read, in parts to join with new lines: a JSON text's strings,
    else the text as written (its character references still to be decoded)."""
    if text.lstrip()[:1] in ("{", "["):
        found = json_strings_of(text)
        if found is not None:
            return found
    return [text]


def lines(parts: list[str]) -> Iterator[str]:
    """The parts with a new line between each two."""
    for index, part in enumerate(parts):
        yield from ("\n", part) if index else (part,)


def unescaped(parts: Iterable[str]) -> Iterator[str]:
    """`html.unescape` of the parts joined, in consecutive pieces of about `CHUNK` characters
    (more where no cut can be made), each cut before a character no reference holds."""
    held: list[str] = []
    size = 0
    for part in parts:
        for start in range(0, len(part), CHUNK):
            piece = part[start : start + CHUNK]
            cut = _last_cut(piece) if size + len(piece) >= CHUNK else -1
            if cut < 0 or size + cut == 0:
                held.append(piece)
                size += len(piece)
                continue
            yield html.unescape("".join([*held, piece[:cut]]))
            held, size = [piece[cut:]], len(piece) - cut
    if size:
        yield html.unescape("".join(held))


class WindowSearch:
    """Spaced text searched in windows: `feed` the text in parts, then `close`. `search` is
    called with each window (a run of the text made one space between words, that begins
    and ends beside a space or at an end of the text); `longest` is the length of the
    longest string it looks for."""

    def __init__(self, search: Callable[[str], None], longest: int) -> None:
        self.search = search
        self.longest = longest
        self.raw: list[str] = []  # the text fed since its last white space
        self.window: list[str] = []  # spaced text not yet searched to its end
        self.size = 0
        self.due = WINDOW  # the size at which the window is searched
        self.started = False  # whether a word was taken: the next one follows a space

    def feed(self, text: str) -> None:
        last = _last_space(text)
        if last < 0:  # a word goes on: its end is not known yet
            self.raw.append(text)
            return
        head = "".join([*self.raw, text[:last]])
        self.raw = [text[last:]]
        self._take(" ".join(head.split()))

    def close(self) -> None:
        self._take(" ".join("".join(self.raw).split()))
        self.raw = []
        if self.window:
            self.search("".join(self.window))
        self.window, self.size, self.due = [], 0, WINDOW

    def _take(self, words: str) -> None:
        if not words:
            return
        if self.started:
            words = " " + words
        self.started = True
        self.window.append(words)
        self.size += len(words)
        if self.size >= self.due:
            self._search_window()

    def _search_window(self) -> None:
        """Search the window up to its last space, and keep from the last space that starts
        no shorter a run than `longest` before it: what the next window must search again.
        The next window is searched once it holds `WINDOW` characters more than that."""
        text = "".join(self.window)
        end = text.rfind(" ")
        start = text.rfind(" ", 0, max(end - self.longest, 0))
        if start < 0:  # no place to cut yet: the window grows
            self.window, self.due = [text], self.size + WINDOW
            return
        self.search(text[:end])
        self.window = [text[start + 1 :]]
        self.size = len(self.window[0])
        self.due = self.size + WINDOW


def search_all(forms: Iterable[Iterable[str]], search: Callable[[str], None], longest: int) -> None:
    """Search each form of a text (given in parts) in windows, each form apart."""
    for parts in forms:
        windows = WindowSearch(search, longest)
        for part in parts:
            windows.feed(part)
        windows.close()
