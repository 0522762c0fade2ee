"""The live preview keeps the last conformity assessment while what it reads is unchanged:
a record's section names are part of what it reads (a `covers` claim is backed by a section
whose heading names the item)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sms_handbook.context import load_context
from sms_handbook.core.build import LoadCache
from sms_handbook.core.conformity import assess
from sms_handbook.core.conformity.sections import _names_in, section_names
from sms_handbook.core.model import Document

from tests.conftest import example_copy

REVIEW = "docs/records/management-review-2026-q3.md"
HEADING = "## Inputs reviewed\n"


def _findings(root: Path, cache: LoadCache | None) -> tuple[list[str], list[str]]:
    """The top audience's findings as the context gives them (kept or not), and as a fresh
    assessment of the same view gives them."""
    context = load_context(root, cache=cache)
    view = context.audience_view("restricted")
    fresh = assess(view.handbook, view.today, context.integrity)
    return [f.problem for f in view.assessment.findings], [f.problem for f in fresh.findings]


def test_a_section_heading_edit_is_assessed_again(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "handbook")
    review = root / REVIEW
    text = review.read_text(encoding="utf-8")
    assert HEADING in text
    cache = LoadCache()
    kept, fresh = _findings(root, cache)
    assert kept == fresh
    assert any("REC-008 lists under `covers`" in message for message in kept)
    backed = text.replace(HEADING, '## Inputs reviewed {data-covers="previous-actions"}\n')
    review.write_text(backed, encoding="utf-8")
    kept, fresh = _findings(root, cache)
    assert kept == fresh  # the kept assessment of the unchanged text is not reused


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="#=-*`~>|:\\ \nabcH1234<>/\"'_", max_size=80))
def test_a_body_without_attribute_lists_or_heading_tags_names_no_section(body: str) -> None:
    """`section_names` skips converting such a body: converting it names nothing either."""
    assume("{" not in body and "<h" not in body.lower())
    document = Document("docs/x.md", "x.md", {}, "internal", source=f"---\nid: X\n---\n{body}")
    assert section_names(document) == frozenset()
    assert _names_in(body) == frozenset()
