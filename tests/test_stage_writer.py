"""The stage's tree writer: unchanged files left alone, stale ones removed, files a worker
writes kept (and emptied first when asked), and nothing written outside the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sms_handbook.stage.writer import TreeWriter


def test_unchanged_files_stay_and_stale_ones_go(tmp_path: Path) -> None:
    first = TreeWriter(tmp_path)
    first.write("docs/a.md", "A")
    first.write("docs/old/b.md", "B")
    before = (tmp_path / "docs/a.md").stat().st_mtime_ns
    second = TreeWriter(tmp_path)
    second.write("docs/a.md", "A")
    assert second.remove_stale() == 1
    assert (second.changed, second.unchanged) == (0, 1)
    assert (tmp_path / "docs/a.md").stat().st_mtime_ns == before
    assert not (tmp_path / "docs/old").exists()


def test_a_reserved_file_is_kept_and_emptied_before_its_worker_writes_it(
    tmp_path: Path,
) -> None:
    TreeWriter(tmp_path).write("docs/registers/risks.md", "RSK-001 of an earlier build")
    writer = TreeWriter(tmp_path)
    writer.reserve("docs/registers/risks.md", placeholder=True)
    writer.reserve("docs/new/services.md", placeholder=True)
    writer.reserve("docs/kept.md", placeholder=False)
    (tmp_path / "docs/kept.md").write_text("as it was")
    (tmp_path / "docs/new/.services.md.partial").write_text("on its way")  # a worker's
    assert writer.remove_stale() == 0
    assert (tmp_path / "docs/registers/risks.md").read_bytes() == b""
    assert (tmp_path / "docs/new/services.md").read_bytes() == b""
    assert (tmp_path / "docs/kept.md").read_text() == "as it was"
    assert (tmp_path / "docs/new/.services.md.partial").exists()


def test_nothing_is_written_outside_the_tree(tmp_path: Path) -> None:
    tree, outside = tmp_path / "stage", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("keep me")
    (tree / "docs").mkdir(parents=True)
    os.symlink(outside, tree / "docs" / "linked")
    os.symlink(outside / "secret.md", tree / "docs" / "page.md")
    writer = TreeWriter(tree)
    for name in ("docs/linked/secret.md", "../outside/secret.md", "docs/.."):
        with pytest.raises(ValueError, match="outside the stage"):
            writer.write(name, "overwritten")
    writer.reserve("docs/page.md", placeholder=True)  # the link is replaced, not followed
    writer.write("docs/page.md", "staged")
    assert (outside / "secret.md").read_text() == "keep me"
    assert not (tree / "docs/page.md").is_symlink()
    assert (tree / "docs/page.md").read_text() == "staged"


def test_a_copy_is_judged_by_its_size_and_modification_time(tmp_path: Path) -> None:
    """As make and rsync judge a copy: the staged copy takes its source's modification time;
    one with the source's size and time is left alone (neither file is read); an edit that
    keeps the size but moves the time is copied again. A source rewritten with its old size
    and time put back (`touch -r`) keeps the earlier copy: the rule README states."""
    source = tmp_path / "docs" / "plan.pdf"
    source.parent.mkdir()
    source.write_bytes(b"version one")
    os.utime(source, ns=(1_000_000_000_123, 1_000_000_000_123))
    tree = tmp_path / "stage"
    TreeWriter(tree).copy("docs/plan.pdf", source)
    staged = tree / "docs" / "plan.pdf"
    assert staged.read_bytes() == b"version one"
    assert staged.stat().st_mtime_ns == 1_000_000_000_123

    again = TreeWriter(tree)
    again.copy("docs/plan.pdf", source)
    assert (again.changed, again.unchanged) == (0, 1)

    source.write_bytes(b"version two")  # the same size, a new modification time
    edited = TreeWriter(tree)
    edited.copy("docs/plan.pdf", source)
    assert (edited.changed, edited.unchanged) == (1, 0)
    assert staged.read_bytes() == b"version two"
    assert staged.stat().st_mtime_ns == source.stat().st_mtime_ns

    before = source.stat()
    source.write_bytes(b"version 3!!")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    restored = TreeWriter(tree)
    restored.copy("docs/plan.pdf", source)
    assert (restored.changed, restored.unchanged) == (0, 1)
    assert staged.read_bytes() == b"version two"


def test_a_copy_of_another_size_or_not_a_plain_file_is_written_again(tmp_path: Path) -> None:
    source = tmp_path / "logo.svg"
    source.write_bytes(b"<svg/>")
    tree = tmp_path / "stage"
    TreeWriter(tree).copy("docs/logo.svg", source)
    staged = tree / "docs" / "logo.svg"
    staged.write_bytes(b"<svg></svg>")  # another size, whatever its time
    os.utime(staged, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))
    TreeWriter(tree).copy("docs/logo.svg", source)
    assert staged.read_bytes() == b"<svg/>"

    elsewhere = tmp_path / "elsewhere.svg"  # a link with the source's metadata
    elsewhere.write_bytes(b"<svg/>")
    os.utime(elsewhere, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))
    staged.unlink()
    os.symlink(elsewhere, staged)
    writer = TreeWriter(tree)
    writer.copy("docs/logo.svg", source)
    assert writer.changed == 1
    assert not staged.is_symlink()


def test_a_copy_holds_its_sources_bytes_by_the_kernel_or_read_here(tmp_path: Path) -> None:
    """A new or changed attachment is copied by the kernel (`sendfile`), whole whatever its
    size; where the kernel cannot copy into the file (here: one opened to append, which
    `sendfile` refuses), it is read and written here, with nothing the kernel wrote left."""
    tree = tmp_path / "stage"
    contents = {"empty.bin": b"", "one.bin": b"\x00", "picture.png": os.urandom(300_001)}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
        TreeWriter(tree).copy(f"docs/{name}", tmp_path / name)
        assert (tree / "docs" / name).read_bytes() == data
    appending = tmp_path / "appending.bin"
    appending.write_bytes(b"earlier bytes")
    with open(appending, "ab") as handle:
        TreeWriter(tree)._copy_into(handle, tmp_path / "picture.png")
    assert appending.read_bytes() == contents["picture.png"]
