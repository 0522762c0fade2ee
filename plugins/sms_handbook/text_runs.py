"""Where in a binary's text a hidden item can be written: runs of the characters it can be
written in, long enough to hold one. Verification reads pictures and fonts only there (their
bytes read whole as text cost seconds a build); every occurrence lies within one run."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Contents whose bytes are read as text whole (pictures, fonts): most of their characters are
# no part of any text a reader could meet there.
BINARY_KINDS = frozenset({"png", "media", "ico", "woff"})


# What `str.split()` takes for white space (tests/test_verify.py holds it to Python's).
WHITE_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(
    chr(c) for c in (*range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
)
PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


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


def run_characters(keys: Iterable[str], longest_least: int) -> tuple[set[str], int]:
    """Where in a binary's text a secret (its searched forms `keys`) can occur: runs of
    printable ASCII (escapes and entities are written in it), white space, the characters of
    the secrets in any case and those whose lower case is one of these; at least as long as
    half the shortest secret (a lower case can be longer than its character), and at most
    `longest_least` (a placeholder of the stage is looked for in the same text; with no
    secrets, as the top audience's site has, exactly that: runs of one byte made a picture
    millions of runs). Every occurrence of a secret lies within one such run."""
    keys = list(keys)
    characters = set(PRINTABLE_ASCII + WHITE_SPACE)
    for key in keys:
        for character in key:
            characters.update(character, character.upper(), character.lower())
    forms = _upper_forms()
    characters.update(*(forms.get(c, "") for c in list(characters)))
    shortest = min((len(key) for key in keys), default=2 * longest_least)
    return characters, min(max(1, shortest // 2), longest_least)


def run_pattern(keys: Iterable[str], longest_least: int) -> re.Pattern[str]:
    """The runs of a binary's text a secret can occur in (`run_characters`)."""
    characters, least = run_characters(keys, longest_least)
    allowed = "".join(re.escape(c) for c in sorted(characters))
    return re.compile(f"[{allowed}]{{{least},}}")


def byte_run_pattern(keys: Iterable[str], longest_least: int) -> re.Pattern[bytes]:
    """The same runs in a binary's bytes, for reading them byte by byte and as UTF-8: each
    character's byte and the bytes of its UTF-8 form (a character is at least one byte)."""
    characters, least = run_characters(keys, longest_least)
    values = {ord(c) for c in characters if ord(c) < 0x100}
    values.update(b for c in characters if not c.isascii() for b in c.encode("utf-8"))
    allowed = b"".join(re.escape(bytes([v])) for v in sorted(values))
    return re.compile(b"[" + allowed + b"]{" + str(least).encode() + b",}")
