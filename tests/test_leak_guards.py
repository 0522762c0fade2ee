"""The stage's leak guards as plain functions on small inputs, without a build: links to
hidden targets (golden cases in tests/golden/leak_guards.yaml), which files snippets may
read, and the digests the stage keeps instead of hidden names."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor
from sms_handbook.stage import links
from sms_handbook.stage.layout import link_targets, target_digest
from sms_handbook.stage.links import HiddenTargets, scrub_page
from sms_handbook.stage.snippets import SnippetAccess

GOLDEN = yaml.safe_load(
    (Path(__file__).parent / "golden" / "leak_guards.yaml").read_text(encoding="utf-8")
)


def targets() -> HiddenTargets:
    found = HiddenTargets()
    for target in GOLDEN["hidden"]:
        if target.startswith("url:"):
            found.urls.add(target.removeprefix("url:"))
        else:
            found.src_uris.add(target)
    return found


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_links_to_hidden_targets_are_taken_out(case: dict[str, Any]) -> None:
    scrubbed = scrub_page(case["page"], case.get("src_uri", "index.md"), targets())
    assert (scrubbed.text, scrubbed.removed) == (case["staged"], case["removed"])
    assert scrubbed.dropped == case.get("dropped", 0)


def test_a_link_is_read_both_as_markdown_and_as_raw_html_reads_it() -> None:
    sources, urls = link_targets("../internal/secret/", "guide/page.md")
    assert "internal/secret" in urls  # relative to the page's URL (guide/page/)
    assert "internal/secret" in sources or "internal/secret/index.md" in sources


def test_links_are_bracketed_as_markdown_brackets_them() -> None:
    """The guard pairs a text's brackets once for all of Markdown's link processors: for
    every `[` of texts full of nesting, escapes, images and unclosed brackets, and from any
    other place, the link text read is the one Markdown's own processor reads."""
    own = LinkInlineProcessor(LINK_RE)
    shared = [links._parser().inlinePatterns[name] for name in links._LINK_PROCESSORS]
    draw = random.Random(20261207)
    for _ in range(400):
        text = "".join(draw.choice("[[]]]()!\\a \n") for _ in range(draw.randrange(1, 60)))
        for index in range(len(text) + 1):
            expected = own.getText(text, index)
            for processor in shared:
                assert processor.getText(text, index) == expected, (text, index)


def test_the_stage_keeps_salted_digests_never_names() -> None:
    first = target_digest("a" * 32, "internal/secret.md")
    assert first != target_digest("b" * 32, "internal/secret.md")
    assert "secret" not in first
    assert len(first) == 32
    # the guard behind the stage reads a link in any letter case, as the stage does
    assert target_digest("a" * 32, "Internal/SECRET.md") == first


@pytest.fixture
def tree(tmp_path: Path) -> tuple[SnippetAccess, Path]:
    root = tmp_path / "handbook"
    for name, text in {
        "docs/visible.md": "visible page",
        "docs/hidden.md": "MARKHIDDEN page",
        "docs/files/open.txt": "open attachment",
        "docs/files/closed.txt": "MARKCLOSED attachment",
        "registers/risks.yaml": "MARKREGISTER",
        "shared/note.md": "shared note",
        "site/internal/page.html": "MARKBUILT",
        "site/internal/sms-manifest.json": "{}",
        ".private/x.md": "MARKDOT",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    outside = tmp_path / "outside.md"
    outside.write_text("MARKOUTSIDE")
    os.symlink(tmp_path, root / "shared" / "up")
    pages = {"visible.md": "visible page (from the model)"}
    access = SnippetAccess(
        root,
        root / "docs",
        [root / "registers"],
        pages.get,
        lambda name: name in ("hidden.md", "files/closed.txt"),
        lambda name: name == "files/open.txt",
        base_paths=[root / "shared", root / "registers", root / "site"],  # as mkdocs.yml sets
    )
    (root / "elsewhere.md").write_text("outside every base path")
    return access, root


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("docs/visible.md", "visible page (from the model)"),  # never read from disk again
        ("docs/hidden.md", None),
        ("docs/files/open.txt", "open attachment"),
        ("docs/files/closed.txt", None),
        ("registers/risks.yaml", None),  # a refused folder
        ("shared/note.md", "shared note"),
        ("elsewhere.md", None),  # outside the configured base paths
        ("site/internal/page.html", None),  # inside a built site (it holds a manifest)
        (".private/x.md", None),  # dot folders
        ("shared/up/outside.md", None),  # through a link, and outside the root
        ("../outside.md", None),
    ],
)
def test_snippets_read_only_what_the_audience_may_see(
    tree: tuple[SnippetAccess, Path], path: str, expected: str | None
) -> None:
    access, root = tree
    assert access.text(str(root / path)) == expected
    if expected is None:
        assert access.left_out  # and the build says so


def test_front_matter_keys_and_prose_naming_a_hidden_page_go() -> None:
    from sms_handbook.core.page_refs import hidden_page_test, without_hidden_pages

    names_hidden = hidden_page_test("blog/post.md", {"restricted/zebra.md"})
    meta = {
        "see_also": {"restricted/zebra.md": "the plan", "policy.md": "policy"},
        "notes": "Moved to\n/restricted/zebra/ last week",
        "summary": "the plan (see ../restricted/zebra.md).",
        "links": ["policy.md", {"More": ["restricted\\zebra.md"]}],
        "keep": ["prose with a/b words", "tag"],
    }
    scoped, removed = without_hidden_pages(meta, names_hidden)
    assert scoped == {
        "see_also": {"policy.md": "policy"},
        "links": ["policy.md"],
        "keep": meta["keep"],
    }
    assert removed == 4


def test_front_matter_and_nav_naming_a_hidden_page_in_other_case_go() -> None:
    """A server that ignores letter case serves the hidden page at `Restricted/Zebra.md`:
    front matter and nav entries naming it so go; those naming visible pages stay."""
    from sms_handbook.core.page_refs import hidden_page_test, without_hidden_pages
    from sms_handbook.stage.configuration import prune_nav

    names_hidden = hidden_page_test("blog/post.md", {"restricted/zebra.md"})
    meta = {"links": ["Policy.md", "RESTRICTED/Zebra.md"], "note": "see /Restricted/ZEBRA/ now"}
    assert without_hidden_pages(meta, names_hidden) == ({"links": ["Policy.md"]}, 2)
    nav = [{"Plan": "Restricted/Zebra.md"}, "Policy.md", {"Sec": ["restricted/ZEBRA.md"]}]
    assert prune_nav(nav, {"restricted/zebra.md"}) == ["Policy.md"]
