"""The decision of a body-only save (body_saves.py) as a plain function: real files, a real
model, no server. A save is body-only only when the pages the audience sees changed their
bodies and nothing else changed."""

from __future__ import annotations

import datetime
import os
import shutil
import time

from sms_handbook.body_saves import BodyOnlyBase, BodyOnlySave, body_only_save, input_stamps
from sms_handbook.context import load_context

from tests.conftest import Handbook, commit_all, git

POLICY = "docs/policies/service-management-policy.md"


def written_long_ago(handbook: Handbook) -> None:
    """The fixture's files written an hour ago (a file written within a tick of its stamps
    counts as changed)."""
    an_hour_ago = time.time() - 3600
    for file in handbook.root.rglob("*"):
        os.utime(file, (an_hour_ago, an_hour_ago))


def decide(handbook: Handbook, audience: str, edit: dict[str, str | None]) -> BodyOnlySave | None:
    """Load the handbook, make `edit` (path -> new text, None: remove), decide."""
    written_long_ago(handbook)
    context = load_context(handbook.root)
    base = BodyOnlyBase(context, audience, input_stamps(context.project, context.repository))
    for path, text in edit.items():
        if text is None:
            (handbook.root / path).unlink()
        else:
            handbook.write(path, text)
    now = input_stamps(context.project, context.repository)
    return body_only_save(base, now, context.today, comparing=False)


def test_a_body_edit_is_body_only(handbook: Handbook) -> None:
    text = handbook.read(POLICY).replace("We deliver", "We now deliver")
    save = decide(handbook, "internal", {POLICY: text})
    assert save == BodyOnlySave({"policies/service-management-policy.md": text}, False)


def test_nothing_written_is_body_only_with_no_page(handbook: Handbook) -> None:
    assert decide(handbook, "internal", {}) == BodyOnlySave({}, False)


def test_an_id_named_in_the_body_changes_what_is_assessed(handbook: Handbook) -> None:
    text = handbook.read(POLICY).replace("We deliver", "See SVC-001. We deliver")
    save = decide(handbook, "internal", {POLICY: text})
    assert save is not None and save.assessed_changed


def test_front_matter_and_heading_edits_are_not_body_only(handbook: Handbook) -> None:
    policy = handbook.read(POLICY)
    for edited in (
        policy.replace('version: "1.0"', 'version: "1.1"'),
        policy.replace("version:", "version:  "),  # the same value, other bytes
        policy.replace("# Service management policy", "# Service policy"),
    ):
        assert decide(handbook, "internal", {POLICY: edited}) is None, edited
        handbook.write(POLICY, policy)


def test_other_files_are_not_body_only(handbook: Handbook) -> None:
    body = handbook.read(POLICY).replace("We deliver", "We now deliver")
    risks = handbook.read("registers/risks.yaml") + "\n"
    cases: list[dict[str, str | None]] = [
        {"docs/new.md": "---\ntitle: New\n---\n\nNew.\n"},  # a page added
        {"docs/index.md": None},  # a page removed
        {"registers/risks.yaml": risks},
        {"docs/leaflet.txt": "an attachment\n"},
        {"mkdocs.yml": handbook.read("mkdocs.yml") + "\n"},
        {POLICY: body, "registers/risks.yaml": risks},  # a body with another file
    ]
    for number, edit in enumerate(cases):
        copy = Handbook(handbook.root.parent / f"case{number}")
        shutil.copytree(handbook.root, copy.root)
        assert decide(copy, "internal", edit) is None, edit


def test_a_page_the_audience_does_not_see_is_not_body_only(handbook: Handbook) -> None:
    text = handbook.read(POLICY).replace("We deliver", "We now deliver")  # an internal page
    assert decide(handbook, "public", {POLICY: text}) is None


def test_a_file_written_within_a_tick_of_its_stamps_counts_as_changed(
    handbook: Handbook,
) -> None:
    """Written again to the same size within the file system's tick, its stamp would not
    move: such a file is read again at the next save, whatever its stamp says."""
    written_long_ago(handbook)
    context = load_context(handbook.root)
    handbook.write(POLICY, handbook.read(POLICY).replace("We deliver", "We DELIVER"))
    stamps = input_stamps(context.project, context.repository)
    assert POLICY in stamps.racy
    assert POLICY in stamps.changed(stamps)
    assert "docs/index.md" not in stamps.changed(stamps)


def test_a_commit_is_not_body_only(handbook: Handbook) -> None:
    """A commit changes the pages' revision history (their control blocks) and what the
    history checks find: the next save loads everything."""
    commit_all(handbook.root, "first")
    written_long_ago(handbook)  # (its git files too)
    text = handbook.read(POLICY).replace("We deliver", "We now deliver")
    context = load_context(handbook.root)
    base = BodyOnlyBase(context, "internal", input_stamps(context.project, context.repository))
    handbook.write(POLICY, text)
    now = input_stamps(context.project, context.repository)
    assert body_only_save(base, now, context.today, comparing=False) is not None
    git(handbook.root, "commit", "-q", "-am", "second")
    now = input_stamps(context.project, context.repository)
    assert body_only_save(base, now, context.today, comparing=False) is None


def test_another_day_or_a_comparison_is_not_body_only(handbook: Handbook) -> None:
    context = load_context(handbook.root)
    stamps = input_stamps(context.project, context.repository)
    base = BodyOnlyBase(context, "internal", stamps)
    assert body_only_save(base, stamps, context.today, comparing=False) is not None
    tomorrow = context.today + datetime.timedelta(days=1)
    assert body_only_save(base, stamps, tomorrow, comparing=False) is None
    assert body_only_save(base, stamps, context.today, comparing=True) is None
    assert body_only_save(None, stamps, context.today, comparing=False) is None
