"""Material's search index, checked by the entries that changed since it was last checked.

The live preview rewrites the whole index on every save, although a save changes the entries
of a page or two. Verification reads a JSON file as one text: every string of it (keys too),
in order, one line each (verify.py). Here that text is cut into segments (the strings before
the entries, each entry, the strings after them) and a segment is read again only when it is
new, or when a neighbour changed: a hidden title written across two entries meets the reader
of the whole text too, so every junction that is new is read, and as far on each side as the
longest searched text can reach. Whatever the text names, the answer is the one reading the
whole file would give. When what is hidden changes, the whole index is read again.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass, field

from .verify import Secret, SecretFinder, json_strings, spaced

INDEX_NAME = "search/search_index.json"
Segment = list[str]


@dataclass
class IndexEntries:
    """The segments of the index last checked and found clean, each with its neighbours."""

    key: str = ""  # what they were checked against (`SecretFinder.digest`)
    neighbours: dict[str, tuple[str, str]] = field(default_factory=dict)
    read: int = 0  # how many segments the last check read

    def hidden_in(self, data: bytes, finder: SecretFinder) -> list[Secret] | None:
        """The hidden items the index `data` names; None when it is not an index of entries
        (the caller reads it whole)."""
        segments = _segments(data)
        if segments is None:
            return None
        if finder.digest != self.key:
            self.key, self.neighbours = finder.digest, {}
        keys = [_digest(segment) for segment in segments]
        before, after = ["", *keys], [*keys, ""]
        around = [(before[i], after[i + 1]) for i in range(len(keys))]
        unique = _once(keys)  # a segment met twice is always read
        kept = self.neighbours
        changed = [i for i, k in enumerate(keys) if k not in unique or kept.get(k) != around[i]]
        found = self._read(segments, changed, finder)
        self.neighbours = {} if found else {k: around[i] for i, k in enumerate(keys) if k in unique}
        return found

    def _read(
        self, segments: list[Segment], changed: list[int], finder: SecretFinder
    ) -> list[Secret]:
        """The changed segments read, each with as much of its neighbours as a searched text
        can span; runs that overlap are read as one text."""
        reach = max((len(text) for text in (*finder.folded, *finder.exact)), default=0)
        runs: list[tuple[int, int]] = []
        for i in changed:
            start, end = _widened(segments, i, reach)
            if runs and start <= runs[-1][1]:
                runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
            else:
                runs.append((start, end))
        self.read = sum(end - start + 1 for start, end in runs)
        found: dict[int, Secret] = {}
        for start, end in runs:
            text = "\n".join(s for segment in segments[start : end + 1] for s in segment)
            found.update((id(secret), secret) for secret in finder(html.unescape(text)))
        return list(found.values())


def _widened(segments: list[Segment], at: int, reach: int) -> tuple[int, int]:
    """The first and last segment a text searched for can span from segment `at`: its
    neighbours, one by one, until they hold `reach` characters as searched."""
    start, held = at, 0
    while start > 0 and held < reach:
        start -= 1
        held += _searched_length(segments[start]) + 1
    end, held = at, 0
    while end + 1 < len(segments) and held < reach:
        end += 1
        held += _searched_length(segments[end]) + 1
    return start, end


def _searched_length(segment: Segment) -> int:
    """How long the segment is as searched: entities decoded, white space runs one space
    (never longer than that; decoded copies of escapes are shorter still)."""
    return len(spaced(html.unescape("\n".join(segment)), fold=False))


def _segments(data: bytes) -> list[Segment] | None:
    """The index's strings in the order verification reads them, cut into segments; None
    when `data` is not a JSON object with a list of entries under `docs`."""
    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(index, dict) or not isinstance(index.get("docs"), list):
        return None
    segments: list[Segment] = [[]]
    for key, value in index.items():
        segments[-1].append(str(key))
        if key != "docs":
            segments[-1].extend(json_strings(value))
            continue
        segments.extend(list(json_strings(entry)) for entry in value)
        segments.append([])
    return segments


def _digest(segment: Segment) -> str:
    text = "\x00".join(segment).encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()


def _once(keys: list[str]) -> set[str]:
    seen: dict[str, int] = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count == 1}
