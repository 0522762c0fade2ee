"""Where in a binary's text a hidden item can be written: runs of the characters it can be
written in, long enough to hold one. Verification reads pictures and fonts only there (their
bytes read whole as text cost seconds a build); every occurrence lies within one run."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Protocol

from ahocorasick_rs import BytesAhoCorasick

# Contents whose bytes are read as text whole (pictures, fonts): most of their characters are
# no part of any text a reader could meet there.
BINARY_KINDS = frozenset({"png", "media", "ico", "woff"})


# What `str.split()` takes for white space (tests/test_verify.py holds it to Python's).
WHITE_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(
    chr(c) for c in (*range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
)
PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


NEEDLE_CODECS = ("ascii", "utf-16-le", "utf-16-be")  # how `Needles` finds a text written
NEEDLE_WINDOW = 1 << 20  # bytes of a binary searched at a time for them


RUN, GAP = b"r", b" "  # a byte of a run and any other, in `ByteRuns`' copy of a binary
CASED_BELOW = 0x20000  # no character from here on has a lower case of its own (a test says so)


@functools.cache
def _upper_forms() -> dict[str, str]:
    """For each character, the non-ASCII characters whose lower case holds it (the Kelvin
    sign's is `k`): a text is searched in lower case, so these can make up a secret."""
    forms: dict[str, str] = {}
    for character in map(chr, range(0x80, CASED_BELOW)):
        lowered = character.lower()
        if lowered == character:  # most characters: uncased, or lower case already
            continue
        for lower in set(lowered) - {character}:
            forms[lower] = forms.get(lower, "") + character
    return forms


# What `_upper_forms` gives the characters every run takes (printable ASCII, white space): all
# that runs for ASCII secrets (or none, as the top audience has) need, without making the
# whole table (a hundredth of a second). A test holds it to the table.
BASIC_CHARACTERS = frozenset(PRINTABLE_ASCII + WHITE_SPACE)
BASIC_UPPER_FORMS = {"i": "\u0130", "k": "\u212a"}  # capital I with a dot, the Kelvin sign


def _forms_for(characters: set[str]) -> dict[str, str]:
    """`_upper_forms`, as far as looking up `characters` in it goes."""
    return BASIC_UPPER_FORMS if characters <= BASIC_CHARACTERS else _upper_forms()


def run_characters(keys: Iterable[str], longest_least: int) -> tuple[set[str], int]:
    """Where in a binary's text a secret (its searched forms `keys`) can occur: runs of
    printable ASCII (escapes and entities are written in it), white space, the characters of
    the secrets in any case and those whose lower case is one of these; at least as long as
    half the shortest secret (a lower case can be longer than its character), and at most
    `longest_least` (a placeholder of the stage is looked for in the same text; with no
    secrets, as the top audience's site has, exactly that: runs of one byte made a picture
    millions of runs). Every occurrence of a secret lies within one such run."""
    keys = list(keys)
    characters = set(BASIC_CHARACTERS)
    for key in keys:
        for character in key:
            characters.update(character, character.upper(), character.lower())
    forms = _forms_for(characters)
    characters.update(*(forms.get(c, "") for c in list(characters)))
    shortest = min((len(key) for key in keys), default=2 * longest_least)
    return characters, min(max(1, shortest // 2), longest_least)


def run_pattern(keys: Iterable[str], longest_least: int) -> re.Pattern[str]:
    """The runs of a binary's text a secret can occur in (`run_characters`)."""
    characters, least = run_characters(keys, longest_least)
    allowed = "".join(re.escape(c) for c in sorted(characters))
    return re.compile(f"[{allowed}]{{{least},}}")


class ByteRuns:
    """The runs of some byte values in a binary, at least `least` long: what `re.findall`
    of the class `[values]{least,}` finds, found in a copy of the bytes in which each value
    is one letter and every other byte a space (`bytes.translate`), by searching it for
    `least` letters in a row, then for the space that ends them (`bytes.find`): a class
    tried at each byte of 80 MB of pictures took a second, this a quarter of it."""

    def __init__(self, values: Iterable[int], least: int) -> None:
        kept = set(values)
        self.table = bytes(RUN[0] if v in kept else GAP[0] for v in range(256))
        self.least = least

    def spans(self, data: bytes) -> list[tuple[int, int]]:
        """(start, end) of each run, in order, each as long as it can be (a byte before
        and after it, if any, is no value of the class)."""
        marked = data.translate(self.table)
        first = RUN * self.least
        found = []
        at = marked.find(first)
        while at >= 0:
            end = marked.find(GAP, at + self.least)
            end = len(marked) if end < 0 else end
            found.append((at, end))
            at = marked.find(first, end)
        return found

    def findall(self, data: bytes) -> list[bytes]:
        """The bytes of each run (`spans`)."""
        return [data[start:end] for start, end in self.spans(data)]

    def utf16(self, data: bytes) -> tuple[list[bytes], list[bytes]]:
        """The runs of UTF-16 text of either order (`utf16_runs_of`)."""
        return utf16_runs_of(data)


class Runs(Protocol):
    """Where in a binary's bytes the texts looked for can be: read byte by byte and as UTF-8
    (`findall`), and as UTF-16 of either order (`utf16`)."""

    def findall(self, data: bytes) -> list[bytes]: ...

    def utf16(self, data: bytes) -> tuple[list[bytes], list[bytes]]: ...


class Needles:
    """The places of a few exact ASCII texts in a binary, when nothing else is looked for
    there (the top audience's site hides nothing: only the stage's placeholders are): each
    text found, written byte by byte (so as UTF-8 too) or in UTF-16 of either order. The runs
    `ByteRuns` and `utf16_runs_of` find hold such a text exactly when its bytes are in the
    binary (a run of its characters holds it whole, each decoded as written), so the texts
    read from them hold it exactly when these do; finding them costs one pass of an
    Aho-Corasick automaton over the binary for every form at once (a byte search for each
    of the nine forms took a sixth of a second on 84 MB of pictures), and only a binary that
    holds one is searched form by form for which."""

    def __init__(self, texts: Iterable[str], window: int = NEEDLE_WINDOW) -> None:
        self.texts = tuple(texts)
        if not all(text.isascii() for text in self.texts):
            raise ValueError("needles are ASCII texts")
        self.window = window
        self.forms = {codec: [t.encode(codec) for t in self.texts] for codec in NEEDLE_CODECS}
        written = [form for forms in self.forms.values() for form in forms]
        self._automaton = BytesAhoCorasick(written) if written and all(written) else None
        self._overlap = max(map(len, written), default=1) - 1
        self._last: tuple[bytes, bool] | None = None  # the last binary looked at, and whether

    def holds_any(self, data: bytes) -> bool:
        """Whether any form of any text is in `data`: one pass of the automaton, a window at
        a time (its list of hits stays short however many a binary holds), stopping at the
        first hit. Asked again for the same binary (its texts read, then its UTF-16), the
        answer is not searched for again."""
        if self._last is not None and self._last[0] is data:
            return self._last[1]
        if self._automaton is None:  # no texts (nothing is found) or an empty one (always)
            found = any(not form for forms in self.forms.values() for form in forms)
        else:
            view = memoryview(data)
            found = any(
                self._automaton.find_matches_as_indexes(view[at : at + self.window + self._overlap])
                for at in range(0, len(data), self.window)
            )
        if isinstance(data, bytes):  # (bytes cannot change between the two questions)
            self._last = (data, found)
        return found

    def _found(self, data: bytes, codec: str) -> list[bytes]:
        if not self.holds_any(data):
            return []
        return [form for form in self.forms[codec] if form in data]

    def findall(self, data: bytes) -> list[bytes]:
        return self._found(data, "ascii")

    def utf16(self, data: bytes) -> tuple[list[bytes], list[bytes]]:
        return self._found(data, "utf-16-le"), self._found(data, "utf-16-be")


def byte_runs(keys: Iterable[str], longest_least: int) -> ByteRuns:
    """The same runs in a binary's bytes, for reading them byte by byte and as UTF-8: each
    character's byte and the bytes of its UTF-8 form (a character is at least one byte)."""
    characters, least = run_characters(keys, longest_least)
    values = {ord(c) for c in characters if ord(c) < 0x100}
    values.update(b for c in characters if not c.isascii() for b in c.encode("utf-8"))
    return ByteRuns(values, least)


# Text of Latin-1's characters in UTF-16 (EXIF's Windows tags, font names): pairs of a byte of
# these and a NUL, at least four of them, the NUL second in little-endian text, first in big.
UTF16_CHARACTERS = rb"[\t\n\r\x20-\x7e\xa0-\xff]"
UTF16_LE = re.compile(rb"(?:" + UTF16_CHARACTERS + rb"\x00){4,}")
UTF16_BE = re.compile(rb"(?:\x00" + UTF16_CHARACTERS + rb"){4,}")
_CHARACTERS = re.compile(UTF16_CHARACTERS + b"{4,}")
FOUR_NULS = b"\x00" * 4
_NULS = re.compile(rb"\x00+")


def utf16_runs_of(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """What `UTF16_LE.findall(data)` and `UTF16_BE.findall(data)` find, without trying the
    patterns at each byte of a picture (that took a second on 80 MB). The bytes at even and
    at odd places are taken apart (two halves); a run is a chain of NULs in one half beside
    characters in the other, so each chain of four NULs or more in a half (a search for the
    bytes) is looked at, for characters beside it. A run starting at an even place and one
    starting at an odd place never share a byte (each would be a NUL and a character), so
    the runs of either order are those of both kinds of places, in order."""
    halves = (data[0::2], data[1::2])
    chains = [_nul_chains(half) for half in halves]
    little: list[tuple[int, int]] = []
    big: list[tuple[int, int]] = []
    for parity in (0, 1):  # of the place where a run starts
        for a, b in chains[1 - parity]:  # NULs second: the pair j has its NUL at j + parity
            for run in _CHARACTERS.finditer(halves[parity], max(a - parity, 0), b - parity):
                little.append((2 * run.start() + parity, 2 * run.end() + parity))
        for a, b in chains[parity]:  # NULs first: the pair j has its character at j + parity
            for run in _CHARACTERS.finditer(halves[1 - parity], a + parity, b + parity):
                big.append((2 * run.start() - parity, 2 * run.end() - parity))
    return [data[s:e] for s, e in sorted(little)], [data[s:e] for s, e in sorted(big)]


def _nul_chains(half: bytes) -> list[tuple[int, int]]:
    """(start, end) of each run of at least four NULs in `half`."""
    chains = []
    at = half.find(FOUR_NULS)
    while at >= 0:
        nuls = _NULS.match(half, at)  # four NULs are there: it matches
        end = nuls.end() if nuls else at + len(FOUR_NULS)
        chains.append((at, end))
        at = half.find(FOUR_NULS, end)
    return chains
