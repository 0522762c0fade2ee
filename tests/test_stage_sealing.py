"""The stage holds only what builds of this tool wrote (sealing.py), and the published site and
the stage's folders are private or read-only to other users whatever the umask.

The functions are tested on small trees; the routes an attacker used (links committed under
`.cache/`, a hard link, a stage swapped for a link, a full disk) through real builds.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.stage.sealing import (
    JOURNAL,
    StageError,
    clear_unrecorded,
    open_stage,
    seal_stage,
)
from sms_handbook.stage.writer import TreeWriter

from tests.conftest import build_site, copy_fixture, git, run_cli
from tests.plugin.test_leaks import leaks_repository

STAGE = ".cache/sms-handbook/stage"


def written_stage(root: Path) -> Path:
    """A stage as a build leaves it: two pages and a folder, journalled."""
    stage = open_stage(root, "public")
    writer = TreeWriter(stage)
    writer.write("docs/index.md", "# Home")
    writer.write("docs/guide/page.md", "# Page")
    writer.write("mkdocs.yml", "site_name: x\n")
    writer.remove_stale()
    assert clear_unrecorded(stage) == []
    return stage


def test_what_a_build_wrote_stays_and_nothing_else_does(tmp_path: Path) -> None:
    stage = written_stage(tmp_path)
    outside = tmp_path / "docs" / "private"
    outside.mkdir(parents=True)
    (outside / "secret.md").write_text("MARKSECRET")
    (stage / "docs/planted.md").write_text("a file a commit put here")
    os.symlink(outside, stage / "docs/mirror")
    os.symlink(outside / "secret.md", stage / "docs/guide/linked.md")
    os.link(outside / "secret.md", stage / "docs/hard.md")
    os.mkfifo(stage / "docs/pipe")
    (stage / "site").mkdir()  # an engine's output of an earlier build
    (stage / "site/index.html").write_text("old")
    os.symlink(outside, stage / "site/leak")

    removed = clear_unrecorded(stage)

    assert sorted(removed) == [
        "docs/guide/linked.md (a symbolic link)",
        "docs/hard.md (a hard link (the file has other names))",
        "docs/mirror (a symbolic link)",
        "docs/pipe (not a file or folder)",
        "docs/planted.md (not written by a build of this tool)",
        "site/leak (a symbolic link)",
    ]
    assert sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file()) == [
        ".sms/entries",
        "docs/guide/page.md",
        "docs/index.md",
        "mkdocs.yml",
    ]
    assert (outside / "secret.md").read_text() == "MARKSECRET"  # nothing followed
    assert clear_unrecorded(stage) == []  # clean now


def test_a_journal_written_by_hand_vouches_for_nothing(tmp_path: Path) -> None:
    stage = written_stage(tmp_path)
    planted = stage / "docs/planted.md"
    planted.write_text("planted")
    info = planted.stat()
    forged = f'[{info.st_ino + 1}, {info.st_ctime_ns - 1}, "docs/planted.md"]\n'
    with (stage / JOURNAL).open("a") as journal:
        journal.write(forged)
        journal.write("not json\n")
    assert clear_unrecorded(stage) == ["docs/planted.md (not written by a build of this tool)"]


def test_a_file_changed_after_the_build_wrote_it_goes(tmp_path: Path) -> None:
    stage = written_stage(tmp_path)
    (stage / "docs/index.md").write_text("# Home, changed by someone else")
    assert clear_unrecorded(stage) == ["docs/index.md (not written by a build of this tool)"]


def test_a_copy_changed_with_its_metadata_put_back_goes(tmp_path: Path) -> None:
    """The writer judges a copied attachment by its size and modification time: a staged
    copy rewritten with both put back is still not the file the build wrote (its change
    time and inode tell), so it is removed before any build reads it."""
    stage = written_stage(tmp_path)
    source = tmp_path / "plan.pdf"
    source.write_bytes(b"the plan, public")
    TreeWriter(stage).copy("docs/plan.pdf", source)
    staged = stage / "docs/plan.pdf"
    staged.write_bytes(b"MARKPLANTEDXXXXX")
    os.utime(staged, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns))
    assert clear_unrecorded(stage) == ["docs/plan.pdf (not written by a build of this tool)"]


def test_an_attachment_edited_in_place_reaches_the_next_build(tmp_path: Path) -> None:
    """Two real builds of one handbook: an attachment rewritten between them with the same
    size is published as it is now."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.write("docs/files/notes.txt", "MARKFIRSTNOTE")
    first = build_site(handbook.root, tmp_path / "first")
    assert (first.root / "files/notes.txt").read_text() == "MARKFIRSTNOTE"
    handbook.write("docs/files/notes.txt", "MARKOTHERNOTE")
    second = build_site(handbook.root, tmp_path / "second")
    assert (second.root / "files/notes.txt").read_text() == "MARKOTHERNOTE"


def test_what_a_killed_build_wrote_is_still_vouched_for(tmp_path: Path) -> None:
    stage = written_stage(tmp_path)
    writer = TreeWriter(stage)  # a build that wrote one page and was killed
    writer.write("docs/new.md", "# New")
    assert clear_unrecorded(stage) == []
    assert (stage / "docs/new.md").exists()


def test_the_stage_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        stage = open_stage(tmp_path, "public")
    finally:
        os.umask(old)
    for folder in (".cache/sms-handbook", STAGE, f"{STAGE}/public"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o700, folder
    assert not stat.S_IMODE((tmp_path / ".cache").stat().st_mode) & 0o022
    assert stage == tmp_path / STAGE / "public"


def test_loose_folders_of_an_earlier_version_are_tightened(tmp_path: Path) -> None:
    for folder in (".cache", ".cache/sms-handbook", STAGE, f"{STAGE}/public"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder).chmod(0o777)
    open_stage(tmp_path, "public")
    assert stat.S_IMODE((tmp_path / STAGE).stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / ".cache").stat().st_mode) == 0o755


def test_a_stage_swapped_for_a_link_is_refused_and_the_next_build_recovers(
    tmp_path: Path,
) -> None:
    written_stage(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("kept")
    stage = tmp_path / STAGE / "public"
    stage.rename(tmp_path / "away")
    os.symlink(docs, stage)
    with pytest.raises(StageError, match=r"public was a symbolic link.*removed"):
        seal_stage(tmp_path, "public")
    assert (docs / "page.md").read_text() == "kept"
    assert seal_stage(tmp_path, "public") == stage
    assert stage.is_dir()
    assert not stage.is_symlink()


def test_a_cache_folder_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / ".cache")
    with pytest.raises(StageError, match=r"\.cache is a symbolic link"):
        open_stage(tmp_path, "public")
    assert list((tmp_path / "elsewhere").iterdir()) == []


# Routes through real builds -------------------------------------------------------------


def planted_clone(tmp_path: Path, links: dict[str, str], *, tracked: bool = True) -> Path:
    """A fresh clone of a leak-suite handbook with `links` (path in the repository -> link
    target) under `.cache/`: force-added in its history, as a pull request can, or (not
    `tracked`) put there after the clone, as another tool or user could."""
    origin = leaks_repository(tmp_path / "origin").root
    if tracked:
        plant(origin, links)
        git(origin, "add", "-f", *links)
        git(origin, "commit", "-q", "-m", "planted links")
    git(tmp_path, "clone", "-q", str(origin), "clone")
    if not tracked:
        plant(tmp_path / "clone", links)
    return tmp_path / "clone"


def plant(root: Path, links: dict[str, str]) -> None:
    for path, target in links.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / path)


PLANTED = {
    f"{STAGE}/public/docs/assets/javascripts/lunr/r": "../../../../../../../../registers",
    f"{STAGE}/public/docs/mirror": "../../../../../docs/restricted",
}


def site_text(site: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*") if p.is_file()
    )


def test_links_committed_into_the_stage_are_named_before_any_build(tmp_path: Path) -> None:
    clone = planted_clone(tmp_path, PLANTED)
    result = run_cli("build", clone, "--audience", "public", "--site-dir", tmp_path / "site")
    assert result.code != 0
    assert f"{STAGE}/public/docs/mirror:1:1: SMS702" in result.output
    assert not (tmp_path / "site/public").exists()


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_links_put_into_the_stage_are_removed_and_the_build_refused(
    tmp_path: Path, engine: str
) -> None:
    """Links `validate` cannot see (untracked): the stage itself removes them and refuses."""
    clone = planted_clone(tmp_path, PLANTED, tracked=False)
    site = tmp_path / "site"
    arguments = ("build", clone, "--audience", "public", "--site-dir", site, "--engine", engine)
    first = run_cli(*arguments)
    assert first.code == 1, first.output
    assert "no build of this tool wrote" in first.output
    assert "docs/mirror (a symbolic link)" in first.output
    assert "lunr/r (a symbolic link)" in first.output
    assert not (site / "public").exists()
    second = run_cli(*arguments)
    assert second.code == 0, second.output
    text = site_text(site / "public")
    assert "MARKRECORDR" not in text
    assert "MARKBODYR" not in text
    assert "RSK-901" not in text
    assert "Public page" in text  # the site is there


@pytest.mark.slow
@pytest.mark.parametrize("tracked", [True, False])
def test_links_in_the_stage_fail_the_plugins_mkdocs_build(tmp_path: Path, tracked: bool) -> None:
    """`mkdocs build` goes on after validation errors (it is not strict), so the stage's own
    refusal is what stops a committed link there too."""
    clone = planted_clone(tmp_path, PLANTED, tracked=tracked)
    command = [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")]
    environment = {**os.environ, "SMS_AUDIENCE": "public", "SMS_WORKERS": "0"}
    first = subprocess.run(
        command, cwd=clone, env=environment, capture_output=True, text=True, check=False
    )
    assert first.returncode == 1
    assert "docs/mirror (a symbolic link)" in first.stderr
    assert "Traceback" not in first.stderr
    second = subprocess.run(
        command, cwd=clone, env=environment, capture_output=True, text=True, check=False
    )
    assert second.returncode == 0, second.stderr[-2000:]
    text = site_text(tmp_path / "site")
    assert "MARKBODYR" not in text
    assert "MARKRECORDR" not in text


@pytest.mark.slow
def test_a_site_published_under_umask_000_is_not_writable_by_others(tmp_path: Path) -> None:
    root = leaks_repository(tmp_path / "handbook").root
    site = tmp_path / "site"
    old = os.umask(0)
    try:
        result = run_cli("build", root, "--audience", "public", "--site-dir", site)
    finally:
        os.umask(old)
    assert result.code == 0, result.output
    for path in [site, *(site / "public").rglob("*"), site / "public"]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not mode & 0o022, f"{path}: {oct(mode)}"
        if path != site:
            assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"
    assert stat.S_IMODE((root / STAGE / "public").stat().st_mode) == 0o700


@pytest.mark.slow
def test_a_hard_linked_attachment_is_refused_and_never_staged(tmp_path: Path) -> None:
    root = leaks_repository(tmp_path / "handbook").root
    secret = root / "docs/restricted/secret.txt"
    secret.write_text("MARKHARDLINKR")
    os.link(secret, root / "docs/public-copy.txt")
    result = run_cli("build", root, "--audience", "public", "--site-dir", tmp_path / "site")
    assert result.code != 0
    assert "docs/public-copy.txt:1:1: SMS704" in result.output  # named before any build
    assert not (tmp_path / "site/public").exists()
    # `mkdocs build` is not strict and goes on after validation errors: the stage leaves
    # the file out of every audience and says why
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "plugin")],
        cwd=root,
        env={**os.environ, "SMS_AUDIENCE": "restricted", "SMS_WORKERS": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    assert "docs/public-copy.txt has 2 names (hard links)" in built.stderr
    assert "MARKHARDLINKR" not in site_text(tmp_path / "plugin")


@pytest.mark.slow
def test_a_full_disk_fails_the_audience_with_a_message(tmp_path: Path) -> None:
    """A real write error (the file size limit stands in for a full disk: both are an OSError
    from the same write) ends as a failed audience naming the file, not an internal error."""
    root = leaks_repository(tmp_path / "handbook").root
    script = (
        "import resource, signal, sys\n"
        "from sms_handbook.cli import main\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({1 << 14}, {1 << 14}))\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    arguments = ["build", str(root), "--audience", "internal", "--site-dir", str(tmp_path / "site")]
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments, "--jobs", "1"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SMS_WORKERS": "0"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "internal error" not in result.stdout + result.stderr
    assert "build failed" in result.stdout
    assert "File too large" in result.stdout
