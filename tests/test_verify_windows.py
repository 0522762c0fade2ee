"""A large file is read a part at a time (`windows`): it must find exactly what reading the
whole file finds. The whole-file reading is kept here as it was, as the oracle, and both read
random pages and JSON with the hidden strings across chunk and window borders, inside
character references, URL escapes and JSON's \\u escapes, split over adjacent JSON strings,
in comments and attributes. Chunks and windows are made a few characters long, so that every
text crosses many borders."""

from __future__ import annotations

import contextlib
import html
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sms_handbook import verify, windows
from sms_handbook.content import utf8_parts
from sms_handbook.verify import LAYERS, PLACEHOLDERS, Secret, SecretFinder, json_strings

from tests.test_verify_pieces import SECRETS as PIECE_SECRETS

SECRETS = [
    *PIECE_SECRETS,
    Secret("Σίσυφος στάση", "text"),  # a final sigma: lower case depends on what follows
    Secret("Gate/7 north/yard", "text"),  # a URL escape and a backslash in one secret
]
WITH_BRACKET = [*SECRETS, Secret("Latency <li 5 ms", "text")]  # no cuts at list items

# Pieces of the secrets and of their borders, in written and in escaped forms.
FRAGMENTS = [
    "<li",
    "<li>",
    "</li>",
    "<",
    ">",
    " ",
    "\n  ",
    "\t",
    "\f",
    "\u00a0",
    "RSK-042",
    "RSK-0420",
    "&#82;SK-042",
    "R&#x53;K-042",
    "%52SK-042",
    "RSK&#45;042",
    "x",
    "9",
    "/",
    "\\",
    "internal/plan/",
    "internal\\plan\\",
    "internal%2Fplan%2F",
    "../internal/plan/",
    "heron MIGRATION",
    " of the ",
    "Kestrel hall",
    "Kestrel&nbsp;hall",
    "Kestrel%20hall",
    "Otter",
    "Lane",
    "otter lane",
    "Otter&#10;Lane",
    "Crow yard",
    " is licensed",
    "Σίσυφος",
    "στάση",
    "ΣΊΣΥΦΟΣ ΣΤΆΣΗ",
    "Latency",
    "5 ms",
    "&amp;",
    "&lt;li",
    "&am",
    "p;",
    "&#",
    "%",
    "%2",
    "%20",
    "<!-- ",
    " -->",
    '<a title="',
    '">',
    "SMSHTML",
    "SMS",
    "HTML",
    "İ",
    "Gate%2F7",
    "Gate/7",
    " north\\yard",
    "<!--",
    " sms-page ",
    "<!-- sms-page ",
]
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
    max_leaves=20,
)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """A JSON text, written with \\u escapes or not, at times with a key twice or cut short."""
    value = draw(json_values)
    text = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()) and text.startswith("{") and len(text) > 2:  # a key written twice
        key, again = json.dumps(draw(texts)), json.dumps(draw(texts))
        text = "{" + f"{key}: {again}, {key}: 1, " + text[1:]
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # no longer JSON
    return text


def old_readable(text: str) -> str:
    """How a text was read before the windows (the oracle)."""
    if text.lstrip()[:1] in ("{", "["):
        with contextlib.suppress(ValueError, RecursionError):
            pairs = json.loads(text, object_pairs_hook=lambda p: [x for pair in p for x in pair])
            text = "\n".join(json_strings(pairs))
    return html.unescape(text)


def old_reading(texts: list[str], finder: SecretFinder) -> tuple[set[str], bool]:
    original = LAYERS.join(old_readable(text) for text in texts)
    unrestored = any(placeholder in original for placeholder in PLACEHOLDERS)
    return {s.text for s in finder(original)}, unrestored


@contextlib.contextmanager
def small_windows(chunk: int, window: int) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(windows, "CHUNK", chunk)
        patch.setattr(windows, "WINDOW", window)
        yield


def new_reading(texts: list[str], finder: SecretFinder) -> tuple[set[str], bool]:
    """What the windows find in these texts; for one page, also from its bytes (decoded a
    part at a time), which must find the same."""
    found = finder.in_texts(list(texts))
    assert found.unreadable is None
    reading = {s.text for s in found.secrets}, found.unrestored
    if len(texts) == 1 and texts[0].lstrip(" \t\n\r\v\f")[:1] == "<":
        parts = utf8_parts(texts[0].encode("utf-8", "surrogatepass"), size=3)
        assert parts is not None
        page = finder.in_parts(lambda: windows.unescaped(parts()))
        assert ({s.text for s in page.secrets}, page.unrestored) == reading
    return reading


def assert_same(texts: list[str], secrets: list[Secret], chunk: int, window: int) -> None:
    finder = SecretFinder(secrets)
    assert finder.windows
    expected = old_reading(texts, finder)
    with small_windows(chunk, window):
        assert new_reading(texts, finder) == expected


sizes = st.tuples(st.integers(1, 40), st.integers(1, 80))


@given(st.lists(texts | json_texts(), min_size=1, max_size=3), sizes, st.booleans())
@example(["x Otter" + " " * 50 + "Lane y"], (3, 5), False)
@example(['["Heron migration of", "the Kestrel hall"]'], (2, 3), False)
@example(['{"a": "Otter", "b": 1, "a": "Lane"}'], (2, 3), False)
@example(["<p>&#82;SK-042 Kestrel%20hall</p>"], (1, 1), False)
@example(["ΣΊΣΥΦΟΣ ΣΤΆΣΗ x"], (1, 1), False)
@settings(max_examples=1500, deadline=None)
def test_windows_find_what_the_whole_file_finds(
    texts: list[str], size: tuple[int, int], bracket: bool
) -> None:
    assert_same(texts, WITH_BRACKET if bracket else SECRETS, *size)


@given(st.lists(json_texts(), min_size=1, max_size=2), sizes)
@settings(max_examples=500, deadline=None)
def test_json_read_a_part_at_a_time_as_whole(texts: list[str], size: tuple[int, int]) -> None:
    assert_same(texts, SECRETS, *size)


def test_a_secret_across_every_border_is_found() -> None:
    """A secret over adjacent JSON strings, behind escapes, or after a long run of white
    space is found whatever the chunk and window sizes."""
    page = (
        '<p title="R&#x53;K-042">Otter' + " \n" * 300 + "Lane</p><!-- Heron%20migration of the "
        "<li>Kestrel hall -->"
    )
    index = json.dumps({"docs": [{"text": ["Crow yard", "is licensed"]}]}, ensure_ascii=True)
    for chunk, window in [(1, 1), (3, 7), (64, 64), (1 << 16, 1 << 16)]:
        finder = SecretFinder(SECRETS)
        with small_windows(chunk, window):
            assert new_reading([page], finder) == ({"RSK-042", "Otter Lane"}, False)
            assert new_reading([index], finder) == ({"Crow yard is licensed"}, False)


def test_a_large_file_is_read_in_windows(tmp_path: Any) -> None:
    """`_read` takes the windows for a large text file and finds there what the oracle does."""
    finder = SecretFinder(SECRETS)
    page = ("<li>filler text " * 70_000) + "<p>Crow\nyard &#105;s licensed</p>" + "<li>x" * 10
    data = page.encode()
    assert len(data) >= verify.STREAMED
    calls: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        read = SecretFinder.in_parts
        patch.setattr(SecretFinder, "in_parts", lambda self, p: calls.append(1) or read(self, p))
        found = verify._read(data, finder)
    assert calls and [s.text for s in found.secrets] == ["Crow yard is licensed"]
    assert old_reading([page], SecretFinder(SECRETS)) == ({"Crow yard is licensed"}, False)


@pytest.mark.parametrize("window", range(1, 48))
def test_the_longest_secret_is_found_at_every_offset(window: int) -> None:
    """The windows overlap by no less than the longest secret: one with a single-character
    first and last word (the tightest fit), met at every offset against every window size,
    is always found."""
    secret = Secret("5 Wren Court is closed 6", "text")
    finder = SecretFinder([secret])
    for before in range(40):
        page = "y " * before + "5 Wren\n Court is closed 6" + " z" * 30
        with small_windows(1, window):
            assert new_reading([page], finder) == ({secret.text}, False), before
