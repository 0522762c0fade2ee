"""Document control in real git repositories: history, approvals bound to content, releases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.history import load_history

from tests.conftest import GIT_ENV, Handbook, build_site, commit_all, copy_fixture, git, run_cli

POLICY = "docs/policies/service-management-policy.md"


def repository(tmp_path: Path) -> Handbook:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    commit_all(handbook.root, "Service management policy 1.0")
    return handbook


def commit(handbook: Handbook, message: str) -> None:
    git(handbook.root, "commit", "-q", "-am", message)


def test_history_and_approval_evidence_in_the_control_block(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    handbook.replace(
        POLICY, "We deliver what we agree.", "We deliver what we agree, and measure it."
    )
    handbook.replace(POLICY, 'version: "1.0"', 'version: "1.1"')
    handbook.replace(POLICY, "status: approved", "status: in-review")
    commit(handbook, "Draft: measure what we promise")
    handbook.replace(POLICY, "status: in-review", "status: approved")
    handbook.replace(POLICY, "approved_on: 2026-03-02", "approved_on: 2026-11-02")
    commit(handbook, "Approve the policy 1.1")

    site = build_site(handbook.root, tmp_path / "site", "restricted")
    rows = site.article("policies/service-management-policy").select(".sms-history tbody tr")
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert [c[1] for c in cells] == ["1.1", "1.1", "1.0"]
    assert cells[0][2] == "approved by Managing director on 2026-11-02"
    assert cells[1][2] == ""
    assert cells[2][2] == "approved by Managing director on 2026-03-02"
    assert [c[3] for c in cells] == ["Tomas Finch"] * 3
    assert [c[4] for c in cells] == [
        "Approve the policy 1.1",
        "Draft: measure what we promise",
        "Service management policy 1.0",
    ]

    public = build_site(handbook.root, tmp_path / "public", "internal")
    header = [
        th.get_text()
        for th in public.article("policies/service-management-policy").select(".sms-history th")
    ]
    assert "Change" not in header, (
        "commit subjects can name anything: only the highest audience sees them"
    )


def test_history_falls_back_clearly_without_git(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    history = load_history(handbook.root, "docs")
    assert not history.available
    assert (
        history.note
        == "Revision history is not available: the handbook is not in a git repository."
    )
    site = build_site(handbook.root, tmp_path / "site", "internal")
    assert history.note in site.article("policies/service-management-policy").get_text()


def test_history_before_the_first_commit_says_so(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    git(handbook.root, "init", "-q")
    history = load_history(handbook.root, "docs")
    assert not history.available
    assert history.note == "Revision history is not available: the repository has no commits yet."


def test_history_is_read_only_for_the_pages_that_show_it(tmp_path: Path) -> None:
    """Only a controlled document's control block shows its revisions: plain pages' versions
    are not read from git, and a handbook without controlled documents asks git for none."""
    handbook = repository(tmp_path)
    history = load_history(handbook.root, "docs", {POLICY})
    assert list(history.revisions) == [POLICY] and history.available
    assert "docs/index.md" in load_history(handbook.root, "docs").revisions
    nothing = load_history(handbook.root, "docs", set())
    assert nothing.available and nothing.revisions == {}


def test_history_of_a_shallow_clone_says_so(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    handbook.replace(POLICY, "We deliver", "We always deliver")
    handbook.replace(POLICY, 'version: "1.0"', 'version: "1.1"')
    commit(handbook, "Second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{handbook.root}", str(clone))
    history = load_history(clone, "docs")
    assert history.available and len(history.revisions[POLICY]) == 1
    assert history.note.startswith("This is a shallow clone: history before")


def test_content_change_needs_a_version_and_a_new_approval(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    handbook.replace(POLICY, "We deliver what we agree.", "We deliver what we agree, on time.")
    result = handbook.validate("--base", "HEAD")
    assert result.code == 1
    assert (
        f"{POLICY}:7:1: SMS601: the content changed since HEAD but the version is still"
        in result.out
    )
    assert (
        f"{POLICY}:9:1: SMS602: the content changed since its approval on 2026-03-02" in result.out
    )

    handbook.replace(POLICY, 'version: "1.0"', 'version: "1.1"')
    result = handbook.validate("--base", "HEAD")
    assert "SMS601" not in result.out and "SMS602" in result.out

    handbook.replace(POLICY, "approved_on: 2026-03-02", "approved_on: 2026-11-20")
    assert handbook.validate("--base", "HEAD").code == 0

    handbook.replace(POLICY, 'version: "1.1"', 'version: "0.9"')
    result = handbook.validate("--base", "HEAD")
    assert f'{POLICY}:7:1: SMS603: version "0.9" is lower than "1.0" at HEAD' in result.out


def test_back_to_draft_is_an_honest_state_for_changed_content(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    handbook.replace(POLICY, "We deliver what we agree.", "We deliver what we agree, on time.")
    handbook.replace(POLICY, 'version: "1.0"', 'version: "1.1"')
    handbook.replace(POLICY, "status: approved", "status: draft")
    assert handbook.validate("--base", "HEAD").code == 0


def test_unknown_base_revision_is_a_clear_error(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    result = handbook.validate("--base", "no-such-branch")
    assert result.code == 2
    assert "SMS503: cannot read the base revision (no-such-branch)" in result.err


def test_diff_prints_a_pull_request_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Commits on the day of the approval: the history checks find nothing major, whatever
    # the clock says (the diff compares two trees; the report adds what the history shows).
    for variable in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(variable, "2026-11-20T12:00:00+00:00")
    handbook = repository(tmp_path)
    git(handbook.root, "checkout", "-q", "-b", "feature")
    handbook.replace(POLICY, "We deliver what we agree.", "We deliver what we agree, on time.")
    handbook.replace(POLICY, 'version: "1.0"', 'version: "1.1"')
    handbook.replace(POLICY, "approved_on: 2026-03-02", "approved_on: 2026-11-20")
    handbook.write(
        "docs/change-policy.md",
        "---\nid: POL-002\ntitle: Change management policy\ntype: policy\nowner: service-manager\n"
        'approver: managing-director\nversion: "0.1"\nstatus: draft\nclauses: ["8.5.1.1"]\n---\n'
        "# Change management policy\n",
    )
    handbook.replace("registers/risks.yaml", "impact: 5", "impact: 4")
    git(handbook.root, "add", "-A")
    commit(handbook, "Policy 1.1 and a draft change policy")
    result = run_cli("diff", "main", handbook.root)
    assert result.code == 0, result.err
    golden = Path(__file__).parent / "golden" / "diff.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")
    # The figures are the matrix's (requirements evidenced and documented), not clause tags.
    figures = json.loads(run_cli("diff", "main", handbook.root, "--format", "json").out)
    now = json.loads(run_cli("report", "coverage", handbook.root, "--format", "json").out)
    git(handbook.root, "checkout", "-q", "main")
    before = json.loads(run_cli("report", "coverage", handbook.root, "--format", "json").out)
    assert figures["coverage"] == {
        "before": before["figures"]["evidenced_percent"],
        "after": now["figures"]["evidenced_percent"],
        "documented_before": before["figures"]["documented_percent"],
        "documented_after": now["figures"]["documented_percent"],
    }
    assert figures["coverage"]["documented_before"] > 0


def fake_properdocs(folder: Path) -> dict[str, str]:
    """Make mike believe ProperDocs is the builder: it would then run `properdocs build`."""
    info = folder / "properdocs-1.6.7.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: properdocs\nVersion: 1.6.7\n")
    return {"PYTHONPATH": str(folder)}


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["mkdocs", "properdocs"])
def test_release_two_versions_with_mike(tmp_path: Path, builder: str) -> None:
    handbook = copy_fixture("leaks", tmp_path / "handbook")
    commit_all(handbook.root, "Release one")
    env = {**os.environ, **GIT_ENV}
    if builder == "properdocs":
        env.update(fake_properdocs(tmp_path / "fake"))
        probe = "from mike import mkdocs_utils; print(mkdocs_utils._program_name)"
        found = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
        )
        assert found.stdout.strip() == "properdocs"

    def release(version: str) -> None:
        command = [
            sys.executable,
            "-m",
            "sms_handbook.cli",
            "release",
            version,
            str(handbook.root),
            "--alias",
            "latest",
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    release("1.0")
    handbook.replace(
        "registers/services.yaml",
        "summary: The public service.",
        "summary: The revised public service.",
    )
    git(handbook.root, "commit", "-q", "-am", "Revise the public service")
    release("2.0")

    versions = json.loads(git(handbook.root, "show", "gh-pages:versions.json"))
    assert [v["version"] for v in versions] == ["2.0", "1.0"]
    assert versions[0]["aliases"] == ["latest"] and versions[1]["aliases"] == []
    for branch in ("gh-pages", "gh-pages-internal", "gh-pages-restricted"):
        files = git(handbook.root, "ls-tree", "-r", "--name-only", branch).splitlines()
        assert "1.0/index.html" in files and "2.0/index.html" in files, branch
        assert "latest/index.html" in files, "the alias is a redirect page, not a link"
        assert "../2.0/" in git(handbook.root, "show", f"{branch}:latest/index.html")
        page = git(handbook.root, "show", f"{branch}:2.0/index.html")
        assert '"version": {"provider": "mike"' in page or '"provider": "mike"' in page
    public_files = git(handbook.root, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    for name in public_files:
        if name.endswith((".html", ".json", ".xml")):
            text = git(handbook.root, "show", f"gh-pages:{name}")
            for marker in ("MARKTITLEI", "MARKBODYR", "MARKRECORDI", "INT-901", "RSK-902"):
                assert marker not in text, f"{marker} in gh-pages:{name}"
    changes = git(handbook.root, "show", "gh-pages:2.0/handbook/changes/index.html")
    assert "Changes since release 1.0." in changes  # the release, not its commit
    row = '<span class="sms-nowrap">SVC-001</span> Public desk</a></td><td>changed</td>'
    assert f'<a href="../catalogue/svc-001/">{row}' in changes
    assert "SVC-902" not in changes
    internal = git(handbook.root, "show", "gh-pages-internal:2.0/index.html")
    assert "sms-audience-banner" in internal
    for branch in ("gh-pages", "gh-pages-internal", "gh-pages-restricted"):
        root_page = git(handbook.root, "show", f"{branch}:index.html")
        assert 'href="latest/"' in root_page or "latest/" in root_page, branch
    assert not any(v.get("dirty") for v in versions)
    handbook.write("docs/draft-note.md", "# Not committed\n")
    command = [sys.executable, "-m", "sms_handbook.cli", "release", "3.0", str(handbook.root)]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert refused.returncode == 2
    assert "differs from commit" in refused.stderr and "docs/draft-note.md" in refused.stderr
    assert "3.0" not in git(handbook.root, "show", "gh-pages:versions.json")


def test_changing_the_id_does_not_escape_re_approval(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    handbook.replace(POLICY, "We deliver what we agree.", "We deliver what we agree, on time.")
    handbook.replace(POLICY, "id: POL-001", "id: POL-077")
    result = handbook.validate("--base", "HEAD")
    assert result.code == 1
    assert f"{POLICY}:7:1: SMS601: the content changed since HEAD" in result.out
    assert f"{POLICY}:9:1: SMS602: the content changed since its approval" in result.out


def test_renamed_or_moved_with_a_new_id_is_still_caught(tmp_path: Path) -> None:
    handbook = repository(tmp_path)
    git(handbook.root, "mv", POLICY, "docs/policy.md")
    moved = "docs/policy.md"
    handbook.replace(moved, "id: POL-001", "id: POL-077")
    result = handbook.validate("--base", "HEAD")
    assert result.code == 1
    assert f"{moved}:7:1: SMS601: the content changed since HEAD" in result.out
    assert f"{moved}:9:1: SMS602: the content changed since its approval" in result.out
    git(handbook.root, "mv", moved, "docs/policies/renamed.md")
    result = handbook.validate("--base", "HEAD")
    assert "docs/policies/renamed.md:9:1: SMS602" in result.out
