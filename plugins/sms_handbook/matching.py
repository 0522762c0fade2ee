"""Which of many strings occur in a text, in one pass (an Aho-Corasick automaton), and where a
hit counts: as a whole word, as an id, or as a path. Verification and the exposure checks
share it."""

from __future__ import annotations

import re

from ahocorasick_rs import AhoCorasick

_WORD_CHARACTER = re.compile(r"\w")


class Matcher:
    """Which of many strings occur in a text: one pass over the text, however many."""

    def __init__(self, needles: list[str]) -> None:
        self.needles = needles
        self.automaton = AhoCorasick(needles) if needles else None

    def occurring(
        self,
        text: str,
        *,
        anywhere: bool = False,
        ids: set[str] | frozenset[str] = frozenset(),
        paths: set[str] | frozenset[str] = frozenset(),
    ) -> list[str]:
        """The needles found in `text`; unless `anywhere`, only as whole words (`RSK-1` is
        not found in `RSK-10`). A needle in `ids` only needs no letter or digit before it
        and no digit after it: `RSK-015_evidence.pdf` and `SEC-901a` name RSK-015 and
        SEC-901. A needle in `paths` is a path when no character of a path name is around
        it, but a `/` may come before (`../internal/plan/`)."""
        if self.automaton is None:
            return []
        hits: dict[int, None] = {}
        for index, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True):
            if index in hits:
                continue
            if anywhere:
                hits[index] = None
            elif self.needles[index] in ids:
                if _id_bounded(text, start, end):
                    hits[index] = None
            elif self.needles[index] in paths:
                if _path_bounded(text, start, end):
                    hits[index] = None
            elif _whole_words(text, start, end):
                hits[index] = None
        return [self.needles[index] for index in hits]

    def positions(self, text: str) -> list[tuple[str, int]]:
        """(needle, start) of every whole-word occurrence, in order."""
        if self.automaton is None:
            return []
        return [
            (self.needles[index], start)
            for index, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True)
            if _whole_words(text, start, end)
        ]


def _id_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before.isalnum() or after.isdigit())


_PATH_NAME = re.compile(r"[\w.%~-]")


def _path_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not _PATH_NAME.match(before) and not (after == "/" or _PATH_NAME.match(after))


def _whole_words(text: str, start: int, end: int) -> bool:
    def joined(inside: int, outside: int) -> bool:
        return 0 <= outside < len(text) and all(
            _WORD_CHARACTER.match(text[i]) for i in (inside, outside)
        )

    return not joined(start, start - 1) and not joined(end - 1, end)
