"""What a save of the live preview stages again: only the pages whose facts changed.

Two stages of one audience in one process, as `sms-handbook serve` writes them, with a real
edit in between. A page the preview keeps is the file the last stage wrote: a mark put into
it stays, and its inode and modification time do not change. A page made again loses the mark
and shows the edit.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from sms_handbook.context import load_context
from sms_handbook.core.build import LoadCache
from sms_handbook.pipeline import stage_audience
from sms_handbook.stage.layout import StageLayout, StageLock
from sms_handbook.stage.request import Stage
from sms_handbook.stage.writer import TreeWriter

from tests.conftest import Handbook, copy_fixture

MARK = "\n<!-- MARKKEPT -->\n"
POLICY = "policies/service-management-policy.md"


class Preview:
    """Stages of the internal audience written by one long-lived process."""

    def __init__(self, handbook: Handbook) -> None:
        self.handbook = handbook
        self.cache = LoadCache()
        self.stage = self.save()

    def save(self, *, hold_back: bool = False) -> Stage:
        context = load_context(self.handbook.root, cache=self.cache)
        with StageLock(self.handbook.root.resolve(), "internal"):
            self.stage = stage_audience(
                context, "internal", [], [], preview=True, hold_back=hold_back
            )
        return self.stage

    def mark(self, names: list[str]) -> dict[str, tuple[int, int]]:
        """Each staged file marked (written as a build writes the stage, which a stage's
        seal accepts); its inode and modification time after that."""
        writer = TreeWriter(self.stage.root)
        found = {}
        for name in names:
            writer.write(StageLayout.page(name), self.text(name) + MARK)
            found[name] = _identity(self.stage.docs_dir / name)
        return found

    def text(self, name: str) -> str:
        return (self.stage.docs_dir / name).read_text(encoding="utf-8")

    def save_after(self, edit: Callable[[], None], kept: list[str], made: list[str]) -> Stage:
        """Mark the `kept` and `made` pages, `edit`, save: the `kept` pages are the files
        the last stage wrote, untouched; the `made` ones were made again (mark gone)."""
        before = self.mark(kept + made)
        edit()
        stage = self.save()
        for name in kept:
            assert self.text(name).endswith(MARK), name
            assert _identity(stage.docs_dir / name) == before[name], name
        for name in made:
            assert MARK not in self.text(name), name
        return stage


def _identity(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    return Preview(copy_fixture("minimal", tmp_path / "handbook"))


def test_a_register_edit_makes_again_only_the_pages_that_read_the_register(
    preview: Preview,
) -> None:
    kept = [
        "handbook/registers/services.md",
        "handbook/registers/suppliers.md",
        "handbook/catalogue/index.md",
        "handbook/catalogue/svc-001.md",  # the risk names the other service
        "handbook/print.md",
        POLICY,
        "index.md",
    ]
    made = [
        "handbook/registers/risks.md",
        "handbook/catalogue/svc-002.md",  # the service the risk names lists it
        "handbook/reviews.md",
        "handbook/packs/management-review.md",
        "handbook/export.json",
    ]
    stage = preview.save_after(
        lambda: preview.handbook.replace(
            "registers/risks.yaml", "title: Backup storage fails", "title: Backup MARKRISK fails"
        ),
        kept,
        made,
    )
    for name in made:
        assert "Backup MARKRISK fails" in preview.text(name), name
    assert stage.made_again is not None
    assert stage.made_again[1] == 0  # no document names the risk
    assert "documents staged again" in stage.summary()


def test_a_title_edit_makes_again_the_pages_that_show_the_title(preview: Preview) -> None:
    kept = [
        "handbook/registers/risks.md",
        "handbook/registers/suppliers.md",
        "handbook/catalogue/index.md",
        "handbook/catalogue/svc-002.md",  # the policy names the other service
        "index.md",
    ]
    made = ["handbook/catalogue/svc-001.md", "handbook/reviews.md", POLICY]
    old = "title: Service management policy"
    edit = partial(preview.handbook.replace, f"docs/{POLICY}", old, "title: MARKTITLE")
    preview.save_after(edit, kept, made)
    for name in made:
        assert "MARKTITLE" in preview.text(name), name


def test_a_role_renamed_stages_again_the_documents_it_owns(preview: Preview) -> None:
    assert "name: Service manager" in preview.handbook.read("registers/roles.yaml")
    roles = "registers/roles.yaml"
    edit = partial(preview.handbook.replace, roles, "name: Service manager", "name: MARKROLE")
    preview.save_after(edit, ["index.md"], [POLICY])
    assert "MARKROLE" in preview.text(POLICY)  # its control block names its owner
    assert "MARKROLE" in preview.text("handbook/registers/risks.md")  # its owners


def test_the_kept_checks_follow_the_items_a_page_names(preview: Preview) -> None:
    """The preview keeps each page's checks between saves; a page that did not change is
    checked again when what it names changes."""

    def named_hidden() -> list[str]:
        context = load_context(preview.handbook.root, cache=preview.cache)
        return [str(d) for d in context.foreseen if d.code == "SMS309"]

    preview.handbook.replace("docs/index.md", "Welcome.", "Welcome. Backup storage fails soon.")
    assert any(line.startswith("docs/index.md:") for line in named_hidden())
    assert any(line.startswith("docs/index.md:") for line in named_hidden())  # kept
    preview.handbook.replace(
        "registers/risks.yaml", "title: Backup storage fails", "title: Backup outage"
    )
    assert named_hidden() == []  # the page did not change; the risk's title did


def test_a_first_step_holds_back_the_handbook_wide_pages_for_the_next_stage(
    preview: Preview,
) -> None:
    """A save's first step (the MkDocs preview's) keeps the pages that read every fact as
    the last stage wrote them; the next stage, its second step, makes them again."""
    wide = ["handbook/reviews.md", "handbook/packs/management-review.md", "handbook/export.json"]
    narrow = ["handbook/registers/risks.md", "handbook/catalogue/svc-002.md"]
    before = preview.mark(wide + narrow)
    preview.handbook.replace(
        "registers/risks.yaml", "title: Backup storage fails", "title: Backup MARKRISK fails"
    )
    first = preview.save(hold_back=True)
    for name in wide:
        assert preview.text(name).endswith(MARK), name
        assert _identity(first.docs_dir / name) == before[name], name
    for name in narrow:
        assert "Backup MARKRISK fails" in preview.text(name), name
    assert first.held_back >= set(wide)
    assert "follow in a second step" in first.summary()
    second = preview.save()
    for name in wide:
        assert MARK not in preview.text(name), name
        assert "Backup MARKRISK fails" in preview.text(name), name
    assert second.held_back == set()
    assert preview.save().made_again == (0, 0)  # and nothing is left for a third
