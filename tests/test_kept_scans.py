"""What verification found clean in a content is kept between builds in the git directory, and
never hides a leak: another set of secrets, another content, other code or a damaged file
each make the content read again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sms_handbook import kept_scans
from sms_handbook.kept_scans import KeptScans, code_version
from sms_handbook.verify import ContentScans, Secret, scan

from tests.conftest import Handbook, commit_all, mkdocs_build
from tests.samples import png

HERON = "Heron wing relocation plan for the east office"
KESTREL = "Kestrel ledger archive moved offsite"
SECRETS = [Secret("RSK-901", "id", is_id=True), Secret(HERON, "text")]


def _site(root: Path) -> Path:
    site = root / "site"
    (site / "img").mkdir(parents=True)
    # (an entity, as real pages have: `verify.as_written` does not judge it by its bytes)
    (site / "index.html").write_text(f"<p>About the {KESTREL} &amp; more.</p>")
    (site / "img" / "plan.png").write_bytes(png((b"tEXt", b"Comment\x00" + KESTREL.encode())))
    (site / "img" / "other.jpg").write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 50)
    return site


def _scan(site: Path, folder: Path, secrets: list[Secret]) -> tuple[set[tuple[str, str]], int]:
    """(file, secret) of each leak, and how many contents were read (not known before)."""
    contents = ContentScans(KeptScans(folder))
    leaks = {(leak.file, leak.secret.text) for leak in scan(site, secrets, contents=contents)}
    return leaks, contents.read


def test_contents_found_clean_are_not_read_again_by_the_next_build(tmp_path: Path) -> None:
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    assert _scan(site, folder, SECRETS) == (set(), 3)
    assert (folder / kept_scans.NAME).is_file()
    assert _scan(site, folder, SECRETS) == (set(), 0)
    assert _scan(site, tmp_path / "absent", SECRETS) == (set(), 3)  # no folder: nothing kept


def test_a_content_clean_for_other_secrets_is_read_again(tmp_path: Path) -> None:
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    assert _scan(site, folder, SECRETS) == (set(), 3)
    now_hidden = [*SECRETS, Secret(KESTREL, "title of a hidden document")]
    found = {("index.html", KESTREL), ("img/plan.png", KESTREL)}
    assert _scan(site, folder, now_hidden) == (found, 3)
    assert _scan(site, folder, now_hidden) == (found, 2)  # only the clean JPEG was kept
    as_an_id = [*SECRETS[:1], Secret(HERON, "text", is_id=True)]  # how it is matched counts
    assert _scan(site, folder, as_an_id)[1] == 3


def test_a_changed_content_is_read_again(tmp_path: Path) -> None:
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    assert _scan(site, folder, SECRETS) == (set(), 3)
    picture = site / "img" / "plan.png"
    picture.write_bytes(png((b"tEXt", b"Comment\x00" + HERON.upper().encode())))
    assert _scan(site, folder, SECRETS) == ({("img/plan.png", HERON)}, 1)
    assert _scan(site, folder, SECRETS) == ({("img/plan.png", HERON)}, 1)  # a leak: not kept


def test_a_placeholder_left_in_a_page_is_found_by_every_build(tmp_path: Path) -> None:
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    (site / "index.html").write_text("<p>SMSHTML0001</p>")
    for _build in range(2):
        leaks, read = _scan(site, folder, SECRETS)
        assert leaks == {("index.html", "SMSHTML")} and read >= 1


@pytest.mark.parametrize(
    "damaged",
    [
        b"{not json",
        b"",
        b"[]",
        json.dumps({"format": kept_scans.FORMAT + 1, "clean": {}}).encode(),
        json.dumps({"format": kept_scans.FORMAT, "clean": ["x"]}).encode(),
        json.dumps({"format": kept_scans.FORMAT, "clean": {"k": 1, "j": ["x"]}}).encode(),
        b"\xff\xfe\x00garbage",
    ],
)
def test_a_damaged_file_of_kept_scans_is_read_as_empty(tmp_path: Path, damaged: bytes) -> None:
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    (folder / kept_scans.NAME).write_bytes(damaged)
    hidden = [*SECRETS, Secret(KESTREL, "title")]
    assert _scan(site, folder, hidden) == ({("index.html", KESTREL), ("img/plan.png", KESTREL)}, 3)
    assert _scan(site, folder, SECRETS) == (set(), 3)  # and it is written anew
    assert _scan(site, folder, SECRETS) == (set(), 0)


def test_entries_of_another_key_are_not_taken_for_a_content(tmp_path: Path) -> None:
    """An entry kept for the same bytes under other secrets or other code names no other
    content: a file holding every other key's entry still has the leak read."""
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    _scan(site, folder, SECRETS)
    kept = json.loads((folder / kept_scans.NAME).read_text())
    assert len(kept["clean"]) == 3 and all(v is None for v in kept["clean"].values())
    hidden = [*SECRETS, Secret(KESTREL, "title")]
    assert ("img/plan.png", KESTREL) in _scan(site, folder, hidden)[0]


def test_the_code_version_changes_with_any_module_of_the_package(tmp_path: Path) -> None:
    copy = tmp_path / "sms_handbook"
    shutil.copytree(kept_scans.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert code_version(copy) == code_version(kept_scans.PACKAGE)
    code_version.cache_clear()
    module = copy / "text_runs.py"
    module.write_text(module.read_text() + "\n# changed\n")
    assert code_version(copy) != code_version(kept_scans.PACKAGE)
    code_version.cache_clear()


def test_a_package_without_its_sources_keeps_nothing_it_can_match(tmp_path: Path) -> None:
    """No module to read: a version of its own in each process, matching nothing kept."""
    first = code_version(tmp_path)
    code_version.cache_clear()  # as a new process starts
    assert code_version(tmp_path) != first
    code_version.cache_clear()


def test_the_plugin_reads_a_kept_picture_again_once_its_text_is_hidden(
    handbook: Handbook, tmp_path: Path
) -> None:
    """Built clean, the picture is kept as clean; once a hidden record's title is the text
    the picture holds, the next build reads it again and fails, naming it."""
    handbook.replace(
        "registers/risks.yaml",
        "    actions: [Test restores monthly.]\n",
        "    actions: [Test restores monthly.]\n    classification: restricted\n",
    )
    handbook.write("docs/plan.png", png((b"tEXt", b"Comment\x00" + KESTREL.encode())))
    commit_all(handbook.root, "handbook")
    site = tmp_path / "site"
    error, _log = mkdocs_build(handbook.root, site, "internal")
    assert error is None
    kept = json.loads((handbook.root / ".git" / kept_scans.NAME).read_text())
    assert kept["clean"]
    handbook.replace("registers/risks.yaml", "title: Backup storage fails", f"title: {KESTREL}")
    error, log = mkdocs_build(handbook.root, site, "internal")
    assert error is not None
    assert any("verification: plan.png: contains" in line and KESTREL in line for line in log)


def test_with_nothing_hidden_pictures_are_searched_each_build_and_never_kept(
    tmp_path: Path,
) -> None:
    """The top audience's pictures are searched for the stage's placeholders alone, in one
    pass that costs less than the digest that would find them among the kept contents: they
    are read by every build and never kept, the page still is kept, and what is found is
    what a scan with nothing kept finds (a placeholder in a picture, every time)."""
    site, folder = _site(tmp_path), tmp_path / "git"
    folder.mkdir()
    assert _scan(site, folder, []) == (set(), 3)
    kept = json.loads((folder / kept_scans.NAME).read_text())
    assert len(kept["clean"]) == 1  # the page's content only
    assert _scan(site, folder, []) == (set(), 2)  # the two pictures, again
    (site / "img" / "left.jpg").write_bytes(b"\xff\xd8\xff" + "SMSHTML".encode("utf-16-le"))
    for _build in range(2):
        assert _scan(site, folder, []) == ({("img/left.jpg", "SMSHTML")}, 3)
    assert _scan(site, folder, [])[0] == _scan(site, tmp_path / "absent", [])[0]
