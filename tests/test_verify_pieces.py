"""Verification searches a page in pieces, cut before each list item, and does not search a
piece it has met before: it must find exactly what a search of the whole text finds, whatever
the text, and report the same the second time it meets a text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sms_handbook.verify import PIECE_START, Secret, SecretFinder, spaced

SECRETS = [
    Secret("RSK-042", "id", is_name=True, is_id=True),
    Secret("internal/plan/", "path", is_path=True),
    Secret("Heron migration of the Kestrel hall", "text"),  # four words: any case
    Secret("Otter Lane", "title", is_name=True),  # two words: this case only
    Secret("Crow yard is licensed", "text"),
]
# Fragments that put secrets, cuts and their borders in every order: a cut inside a secret,
# white space and letters on either side of a cut, a `<` that is not a cut, escapes.
FRAGMENTS = [
    PIECE_START,
    "<li>",
    '<li class="md-nav__item">',
    "<link ",
    "<",
    ">",
    "li",
    " ",
    "\n  ",
    "\t",
    "RSK-042",
    "RSK-0420",
    "x",
    "9",
    "/",
    "internal/plan/",
    "../internal/plan/",
    "heron MIGRATION",
    " of the ",
    "Kestrel hall",
    "Otter",
    "Lane",
    "otter lane",
    "Crow yard",
    " is licensed",
    "%20",
    "\\",
    "\u00a0",
]
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def whole(finder: SecretFinder, text: str) -> set[str]:
    """What one search of the whole text finds (the pieces' answer must be this)."""
    folded, exact = finder._search(text)
    return {finder.folded[k].text for k in folded} | {finder.exact[k].text for k in exact}


@given(st.lists(texts, min_size=1, max_size=6))
@example(["<liRSK-042 <li>RSK-042", "<lib x<li>Otter\n Lane", "Crow yard<li> is licensed"])
@settings(max_examples=400)
def test_pieces_find_what_the_whole_text_finds(pages: list[str]) -> None:
    finder = SecretFinder(SECRETS)
    assert finder.cuts
    for page in pages * 2:  # the second time, pieces are remembered
        assert {s.text for s in finder(page)} == whole(finder, page)


def test_a_secret_across_a_cut_is_found_whole_and_a_known_piece_again() -> None:
    finder = SecretFinder(SECRETS)
    page = "<ul><li>Heron migration</li><li>Otter\n   Lane</li><li>of the <b>Kestrel</b>"
    assert {s.text for s in finder(page)} == {"Otter Lane"}  # a tag cuts a text
    item = "<li>Heron migration of the\n  KESTREL hall</li>"
    for _ in range(3):  # met once, then remembered, then answered from memory
        assert [s.text for s in finder(f"<p>{item}{item}</p>")] == [SECRETS[2].text]
    assert spaced(item[4:-5]) in finder.folded
    assert [s.text for s in finder("<li>RSK-042</li>")] == ["RSK-042"]


def test_no_cut_when_a_secret_holds_a_bracket() -> None:
    finder = SecretFinder([*SECRETS, Secret("Latency <li 5 ms", "text")])
    assert not finder.cuts
    assert {s.text for s in finder("x Latency <li 5 ms y")} == {"Latency <li 5 ms"}
