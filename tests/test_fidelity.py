"""The stage keeps every byte of a page it does not mean to change (README: "What the stage
changes in a page, and why"): links to hidden targets and comments naming them go, and
nothing else moves. Property tests of `scrub_page` on pages made of real-world fragments."""

from __future__ import annotations

import datetime
import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from sms_handbook.core.model import Document
from sms_handbook.guard import RESTRICTED_TEXT
from sms_handbook.stage.front_matter import staged_front_matter
from sms_handbook.stage.links import HiddenTargets, scrub_page

RESTRICTED_HTML = f'<span class="sms-restricted">{RESTRICTED_TEXT}</span>'

# Fragments of real pages that name nothing hidden: the stage must leave each as written.
KEPT = [
    "A&E Forecasting",
    "[map](https://example.org/?id=1&route=shorturl)",
    "![badge](https://img.shields.io/badge/x-y-blue?logo=git&logoColor=white)",
    "`echo AT&T`",
    "\n\n```sh\necho AT&T && true\n```\n\n",
    "\n\n    indented AT&T <b>\n\n",
    "<!-- more -->",
    "<!-- material/tags -->",
    '<!-- md:version 9.0.0 --> <!-- md:option "a&b" -->',
    "`<!-- quoted comment -->`",
    "&amp; &copy; &#169; &#xA9; &nbsp",
    "<span title='R&D' data-x=\"a&b\">R&D</span>",
    "<P CLASS=x>Mixed case</P >",
    '<a href="policy.md?a=1&b=2">policy</a>',
    "[policy](policy.md)",
    "\\[escaped\\](policy.md)",
    "<!-- closed oddly --!>",
    "<!--> <!--->",
    "<?php echo 1 ?>",
    "<!bogus comment>",
    "<br/><img src=chart.png alt='a & b'>",
    "a < b && c > d",
    "| A&B | C |",
    "Q&A;",
    "- \ue000",  # an icon font's character typed in a list item
    "| \ue000 | \uf0e0 |",
    "icon \ue000 glyph",
]
# Fragments naming a hidden target, and what the stage makes of each.
HIDDEN = [
    ("[the plan](internal/secret.md)", RESTRICTED_TEXT),
    ("![chart](internal/secret.md)", RESTRICTED_TEXT),
    ("\\[not a link\\](internal/secret.md)", RESTRICTED_TEXT),
    ('<a href="internal/secret.md?x=1&y=2">the plan</a>', RESTRICTED_HTML),
    ("<A HREF=internal/secret/>plan</A>", RESTRICTED_HTML),
    ("<!-- ask Alex: internal/secret.md -->", ""),
    ("<!-- old link <a href=internal/secret.md>x</a> --!>", ""),
]
PROSE = st.text(alphabet="abc XYZ&;#.,:/?=-\n", max_size=12)


def hidden_targets() -> HiddenTargets:
    return HiddenTargets({"internal/secret.md"}, {"internal/secret"})


SEPARATORS = st.sampled_from([" ", "\n", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(KEPT), PROSE), max_size=12), SEPARATORS)
def test_a_page_naming_nothing_hidden_is_staged_byte_for_byte(
    parts: list[str], separator: str
) -> None:
    page = separator.join(parts)
    scrubbed = scrub_page(page, "index.md", hidden_targets())
    assert scrubbed.text == page
    assert scrubbed.removed == 0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(KEPT).map(lambda kept: (kept, kept)),
            st.sampled_from(HIDDEN),
        ),
        max_size=12,
    ),
    SEPARATORS,
)
def test_only_what_names_a_hidden_target_changes(
    parts: list[tuple[str, str]], separator: str
) -> None:
    page = separator.join(source for source, _ in parts)
    expected = separator.join(staged for _, staged in parts)
    scrubbed = scrub_page(page, "index.md", hidden_targets())
    assert scrubbed.text == expected
    assert scrubbed.removed == sum(source != staged for source, staged in parts)
    assert "secret" not in scrubbed.text


NON_ENTITY = re.compile(r"&(?!amp;|copy;|nbsp|#)[A-Za-z]+;")


def test_no_ampersand_gains_a_semicolon_on_a_page_with_raw_html() -> None:
    page = (
        "A&E Forecasting <!-- more -->\n\n"
        "[map](https://example.org/?id=1&route=shorturl) `echo AT&T`\n\n"
        "```\necho AT&T\n```\n\n<b>bold</b> &logo=git\n"
    )
    staged = scrub_page(page, "index.md", hidden_targets()).text
    assert NON_ENTITY.findall(staged) == []
    assert staged == page


def plain_page(head: str, src_uri: str = "blog/posts/hello.md") -> tuple[str, Document]:
    meta = yaml.safe_load(head.replace("2024-", "'2024-").replace("-02\n", "-02'\n"))
    return head, Document(f"docs/{src_uri}", src_uri, meta, "internal", source=f"---\n{head}---\n")


def test_front_matter_the_stage_does_not_change_keeps_its_bytes() -> None:
    head = "title: Hello\n# a note\ndate:\n  created: 2024-01-02\nlinks: [policy.md]\n"
    staged, removed = staged_front_matter(*plain_page(head), hidden_targets())
    assert (staged, removed) == (head, 0)


def test_nested_dates_stay_dates_when_front_matter_is_written_again() -> None:
    head = "id: POL-009\ntitle: Hello\nowner: someone\ndate:\n  created: 2024-01-02\n"
    staged, _ = staged_front_matter(*plain_page(head), hidden_targets())
    assert staged is not None and "owner" not in staged  # written again, without control
    assert yaml.safe_load(staged)["date"] == {"created": datetime.date(2024, 1, 2)}


def test_front_matter_naming_a_hidden_page_loses_it_as_a_link_would() -> None:
    head = (
        "title: Hello\n"
        "links:\n  - policy.md\n  - internal/secret.md#part\n"
        "  - Section:\n      - Plan: internal/secret.md\n"
        "redirect_from: ../../internal/secret/\n"
        "tags: [secret]\n"
    )
    staged, removed = staged_front_matter(*plain_page(head), hidden_targets())
    assert staged is not None
    assert removed == 3
    assert yaml.safe_load(staged) == {"title": "Hello", "links": ["policy.md"], "tags": ["secret"]}
