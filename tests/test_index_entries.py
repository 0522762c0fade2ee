"""Material's search index in the preview is checked by the entries that changed since the
last check (index_entries.py): it finds what reading the whole file finds."""

from __future__ import annotations

import json
import random

from sms_handbook.index_entries import IndexEntries
from sms_handbook.preview_files import hidden_in
from sms_handbook.verify import Secret, SecretFinder

HIDDEN = "Datacentre flood recovery runbook"
FINDER = SecretFinder([Secret(HIDDEN, "title of a hidden page", is_name=True)])


def _index(entries: list[dict[str, str]]) -> bytes:
    config = {"lang": ["en"], "separator": "[\\s\\-]+"}
    return json.dumps({"config": config, "docs": entries}).encode()


def _entries(count: int) -> list[dict[str, str]]:
    return [
        {"location": f"page-{n}/", "title": f"Page {n}", "text": f"<p>Ordinary text {n}.</p>"}
        for n in range(count)
    ]


def test_a_hidden_title_in_one_entry_of_an_unchanged_index_is_found() -> None:
    entries = _entries(300)
    checked = IndexEntries()
    assert checked.hidden_in(_index(entries), FINDER) == []
    assert checked.read == 302  # the first check reads every segment
    entries[150] = {**entries[150], "text": f"<p>See the {HIDDEN}.</p>"}
    found = checked.hidden_in(_index(entries), FINDER)
    assert [secret.text for secret in found] == [HIDDEN]
    assert checked.read < 10  # the changed entry and its neighbours only
    # refused: the next check reads every segment again, and finds it still
    assert checked.hidden_in(_index(entries), FINDER) != []
    assert checked.read == 302


def test_a_hidden_title_across_two_entries_that_became_neighbours_is_found() -> None:
    """The whole file's text joins the last string of one entry and the first of the next
    (keys are strings too): an entry removed between them makes a new junction, which is
    read."""
    entries = _entries(50)
    entries[10] = {**entries[10], "text": "Datacentre flood"}
    entries[12] = {"recovery runbook": "x"}
    checked = IndexEntries()
    assert checked.hidden_in(_index(entries), FINDER) == []
    del entries[11]
    assert hidden_in("search/search_index.json", _index(entries), FINDER) != []
    assert [secret.text for secret in checked.hidden_in(_index(entries), FINDER)] == [HIDDEN]


def test_it_finds_what_reading_the_whole_index_finds() -> None:
    """Random edits (entries changed, moved, removed, added, hidden words spread over
    entries): each check answers as reading the whole file does."""
    draw = random.Random(7)
    words = ["Datacentre", "flood", "recovery", "runbook", "tapes", "", "&amp;", "  "]
    entries = _entries(40)
    checked = IndexEntries()
    answers = set()
    for _round in range(400):
        at = draw.randrange(len(entries))
        move = draw.randrange(4)
        if move == 0:
            entries[at] = {**entries[at], "text": " ".join(draw.choices(words, k=2))}
        elif move == 1:
            entries.insert(draw.randrange(len(entries)), entries.pop(at))
        elif move == 2 and len(entries) > 5:
            del entries[at]
        else:
            key = draw.choice(words) + f" {_round}" * draw.randrange(2)
            entries.insert(at, {key: draw.choice(words)})
        data = _index(entries)
        whole = hidden_in("search/search_index.json", data, FINDER)
        assert bool(checked.hidden_in(data, FINDER)) == bool(whole)
        answers.add(bool(whole))
    assert answers == {True, False}  # both answers were met
