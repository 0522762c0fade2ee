"""Words the findings are written in: lists, articles and counts, said the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable

VOWEL_SOUNDS = ("a", "e", "i", "o", "u")


def listed(words: Iterable[str], conjunction: str = "and") -> str:
    """Words as a sentence lists them: "a", "a and b", "a, b and c"."""
    items = list(words)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def article(noun: str) -> str:
    """The noun with its indefinite article: "a plan", "an agreement"."""
    return f"{'an' if noun.lower().startswith(VOWEL_SOUNDS) else 'a'} {noun}"


def plural(noun: str) -> str:
    """A noun in the plural: "plans", "policies", "processes"."""
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy", "uy")):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


def counted(count: int, noun: str) -> str:
    """A count and its noun: "1 month", "3 months"."""
    return f"{count} {noun if count == 1 else plural(noun)}"


def code_names(names: Iterable[str], conjunction: str = "and") -> str:
    """Field names as code, listed: "`owner` and `due`"."""
    return listed((f"`{name}`" for name in names), conjunction)
