"""The runs of a binary's bytes that verification reads are those the patterns they stand for
find: found by other means (a picture's bytes tried one by one took seconds), never fewer."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from sms_handbook import content, text_runs
from sms_handbook.text_runs import ByteRuns, Needles, byte_runs, run_characters

# Bytes few and alike, so that runs, gaps and their edges are common in small examples.
FEW_BYTES = st.lists(st.sampled_from(b"ab \x00\xe2\x80\xff"), max_size=120).map(bytes)


@settings(max_examples=600)
@given(
    FEW_BYTES | st.binary(max_size=200),
    st.sets(st.sampled_from(b"ab \x00\xe2\x80\xff"), max_size=6),
    st.integers(1, 6),
)
def test_marked_runs_are_what_a_character_class_finds(
    data: bytes, values: set[int], least: int
) -> None:
    """A class of bytes at least `least` in a row, found in a copy of the bytes marked by
    class: the same runs, in the same order, as `re.findall` of the class."""
    expected = []
    if values:
        allowed = b"".join(re.escape(bytes([v])) for v in sorted(values))
        expected = re.compile(b"[%s]{%d,}" % (allowed, least)).findall(data)
    assert ByteRuns(values, least).findall(data) == expected


def test_the_runs_of_a_secrets_bytes_hold_each_of_its_characters() -> None:
    """The byte runs of a set of secrets take every byte their characters are written with,
    and are at least as long as the shortest run a secret needs."""
    keys = ["ærø café budget", "rsk-901"]
    runs = byte_runs(keys, 7)
    least = run_characters(keys, 7)[1]
    for key in keys:
        for encoding in ("latin-1", "utf-8"):
            written = f"\x01{key}\x01".encode(encoding)
            assert runs.findall(written) == [key.encode(encoding)]
    assert runs.findall(b"\x01" + b"a" * (least - 1) + b"\x01") == []


@settings(max_examples=400)
@given(st.lists(FEW_BYTES | st.binary(max_size=8), max_size=12))
def test_runs_decoded_together_read_as_runs_decoded_apart(pieces: list[bytes]) -> None:
    """A binary's runs are joined, then decoded at once: the same text as each decoded on
    its own (a broken UTF-8 sequence at a run's end does not take the separator in)."""
    apart = content.RUNS_APART
    for codec in ("latin-1", "utf-8"):
        together = apart.encode().join(pieces).decode(codec, errors="replace")
        assert together == apart.join(p.decode(codec, errors="replace") for p in pieces)


PLACEHOLDER_WRITINGS = st.tuples(
    st.sampled_from(["SMSHTML", "SMSPRINTDOCUMENTS", "<!-- sms-page ", "SMSHTM"]),
    st.sampled_from(["latin-1", "utf-8", "utf-16-le", "utf-16-be"]),
    st.integers(0, 130),
)


@settings(max_examples=500)
@given(FEW_BYTES | st.binary(max_size=200), st.lists(PLACEHOLDER_WRITINGS, max_size=3))
def test_needles_find_a_placeholder_exactly_where_the_runs_do(
    data: bytes, writings: list[tuple[str, str, int]]
) -> None:
    """With nothing hidden, a binary is searched for the stage's placeholders only, by a byte
    search for each in every encoding: a placeholder is in the texts read that way exactly
    when it is in the texts read from every run of printable bytes (and UTF-16 run)."""
    for text, codec, at in writings:
        data = data[:at] + text.encode(codec) + data[at:]
    placeholders = ("SMSHTML", "SMSPRINTDOCUMENTS", "<!-- sms-page ")
    runs = "\n".join(content.plain_bytes(data, byte_runs([], 7)))
    needles = "\n".join(content.plain_bytes(data, Needles(placeholders)))
    for placeholder in placeholders:
        assert (placeholder in needles) == (placeholder in runs)


NEEDLE_TEXTS = ("SMSHTML", "SMSPRINTDOCUMENTS", "<!-- sms-page ")


def _searched_one_by_one(data: bytes) -> tuple[list[bytes], list[bytes], list[bytes]]:
    """Where each form of each placeholder is, by a byte search for each (the way before)."""
    return tuple(  # type: ignore[return-value]
        [t.encode(codec) for t in NEEDLE_TEXTS if t.encode(codec) in data]
        for codec in ("ascii", "utf-16-le", "utf-16-be")
    )


@settings(max_examples=800)
@given(
    FEW_BYTES | st.binary(max_size=200),
    st.lists(PLACEHOLDER_WRITINGS, max_size=3),
    st.integers(1, 40),
)
def test_one_pass_finds_the_placeholders_a_search_for_each_finds(
    data: bytes, writings: list[tuple[str, str, int]], window: int
) -> None:
    """The placeholders are looked for in a binary by one pass of an automaton, a window at a
    time: what is found is what a byte search for each form finds, wherever a placeholder
    lies against the windows' edges; asked twice of one binary, the answer is the same, and
    of another binary, that binary's own."""
    for text, codec, at in writings:
        data = data[:at] + text.encode(codec) + data[at:]
    needles = Needles(NEEDLE_TEXTS, window=window)
    ascii_found, little, big = _searched_one_by_one(data)
    assert needles.findall(data) == ascii_found
    assert needles.utf16(data) == (little, big)
    assert needles.holds_any(data) == any((ascii_found, little, big))
    assert Needles(NEEDLE_TEXTS).utf16(data) == (little, big)  # the first question this time
    for other in (data[::-1], data[1:], b"SMSHTML" + data):  # the same needles, other binaries
        ascii_found, little, big = _searched_one_by_one(other)
        assert (needles.findall(other), needles.utf16(other)) == (ascii_found, (little, big))


def test_a_binary_full_of_placeholders_is_answered_window_by_window() -> None:
    """A binary made of placeholders (millions of hits) is answered from its first window."""
    data = b"SMSHTML" * 2_000_000 + "<!-- sms-page ".encode("utf-16-be")
    needles = Needles(NEEDLE_TEXTS)
    assert needles.findall(data) == [b"SMSHTML"]
    assert needles.utf16(data) == ([], ["<!-- sms-page ".encode("utf-16-be")])


def test_the_upper_forms_of_the_basic_characters_are_those_of_the_whole_table() -> None:
    """Runs for ASCII secrets (or none) look up only printable ASCII and white space in the
    table of characters whose lower case holds another: the short table kept for them is the
    whole table's, as far as these go, so the runs are the same."""
    whole = text_runs._upper_forms()
    basic = {c: forms for c, forms in whole.items() if c in text_runs.BASIC_CHARACTERS}
    assert basic == text_runs.BASIC_UPPER_FORMS
    for keys in ([], ["rsk-901", "heron wing plan"], ["ærø café", "ångström"]):
        characters = run_characters(keys, 7)[0]
        table_made = set(text_runs.BASIC_CHARACTERS)
        table_made.update(*keys, *(k.upper() for k in keys), *(k.lower() for k in keys))
        table_made.update(*(whole.get(c, "") for c in list(table_made)))
        assert characters == table_made
