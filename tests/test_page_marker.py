"""The guard's marker in a staged page leaves the page's opening title where MkDocs reads it
before rendering: Material's blog makes a post's address of that title (a real post moved from
`…/sunsetting-gitter-towards-efficient-community-engagement/` to `…/sunsetting-gitter/`,
tests/corpus/material-docs)."""

from __future__ import annotations

import pytest
from mkdocs.utils import get_markdown_title
from sms_handbook.stage.pages import marked_page

MARKER = "<!-- sms-page 0f0f blog/posts/sunsetting-gitter.md  -->"


@pytest.mark.parametrize(
    "body",
    [
        "# Sunsetting Gitter\n\nWe archive the channel.\n",
        "\n# Sunsetting Gitter\n\nWe archive the channel.\n",
        "# Sunsetting Gitter\r\n\r\nWe archive the channel.\r\n",
    ],
    ids=["first-line", "after-a-blank-line", "crlf"],
)
def test_the_opening_title_stays_first_and_the_marker_follows(body: str) -> None:
    text = marked_page("date: 2023-10-02\n", body, MARKER)
    head, markdown = text.removeprefix("---\n").split("---\n", 1)
    assert head == "date: 2023-10-02\n"
    assert get_markdown_title(markdown) == "Sunsetting Gitter"
    lines = markdown.split("\n")
    assert MARKER in lines[:3]  # where the guard looks
    assert "\n".join(line for line in lines if line != MARKER) == body  # nothing else changed


@pytest.mark.parametrize(
    "body", ["Text first.\n\n# Later title\n", "\n\n# Title after two blank lines\n", ""]
)
def test_a_page_without_an_opening_title_has_the_marker_on_top(body: str) -> None:
    assert marked_page(None, body, MARKER) == f"{MARKER}\n{body}"
    assert marked_page("", body, MARKER) == f"---\n---\n{MARKER}\n{body}"
