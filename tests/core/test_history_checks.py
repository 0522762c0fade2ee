"""History checks as golden cases (tests/golden/history.yaml) on real git repositories.

Every case starts from tests/fixtures/minimal committed on 2026-01-01 (the adoption baseline
unless the case says `baseline: none`), then makes its commits with controlled author and
committer dates: `files` written (a document as a mapping of front matter plus `body`, a
register as its `records`), `remove` deleted, on `branch` when named; `squash: BRANCH` squash
merges that branch onto main. It expects exactly `findings` (each finding's line).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from sms_handbook.core.build import build_handbook
from sms_handbook.core.integrity import GRADES
from sms_handbook.core.settings import Settings
from sms_handbook.item_history import check_history

from tests.conftest import GIT_ENV, copy_fixture, run_cli

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "golden" / "history.yaml").read_text(encoding="utf-8")
)
SHA = re.compile(r"\b[0-9a-f]{7}\b")
DOCUMENT = {  # the fixture's POL-001, as it is at the baseline
    "title": "Service management policy",
    "type": "policy",
    "owner": "service-manager",
    "approver": "managing-director",
    "version": "1.0",
    "status": "approved",
    "approved_on": "2026-03-02",
    "clauses": ["5.2.1", "5.2.2"],
    "services": ["SVC-001"],
}
REGISTER = {
    "register": "improvements",
    "title": "Improvements",
    "owner": "service-manager",
    "reviewed_on": "2026-09-01",
    "clauses": ["10.2"],
}
RECORD = {
    "title": "A nonconformity",
    "kind": "nonconformity",
    "source": "internal-audit",
    "source_ref": "Audit 2026-01",
    "owner": "service-manager",
    "priority": "medium",
    "status": "approved",
    "target": "Fixed",
    "due": "2027-03-31",
}


def git(root: Path, date: str, *args: str) -> str:
    stamp = f"{date}T12:00:00+00:00"
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    result = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def render(path: str, content: Any) -> str:
    if isinstance(content, str):
        return content
    if path.startswith("registers/"):
        records = [{**RECORD, **r} for r in content["records"]]
        return yaml.safe_dump({**REGISTER, "records": records}, sort_keys=False)
    fields = {**DOCUMENT, **{k: v for k, v in content.items() if k != "body"}}
    fields = {k: v for k, v in fields.items() if v is not None}
    front = yaml.safe_dump(fields, sort_keys=False)
    body = content.get("body", "We deliver what we agree.")
    return f"---\n{front}---\n\n# {fields['title']}\n\n{body}\n"


def make_repository(root: Path, case: dict[str, Any]) -> list[str]:
    """The case's repository; returns the commits made on main, the fixture's first."""
    git(root, "2026-01-01", "init", "-q", "-b", "main")
    git(root, "2026-01-01", "add", "-A")
    git(root, "2026-01-01", "commit", "-q", "-m", "Adopt the handbook")
    commits = [git(root, "2026-01-01", "rev-parse", "HEAD")]
    for step in case["commits"]:
        date = str(step["date"])
        if "squash" in step:
            git(root, date, "checkout", "-q", "main")
            git(root, date, "merge", "-q", "--squash", step["squash"])
            git(root, date, "commit", "-q", "-m", f"Squash {step['squash']}")
            commits.append(git(root, date, "rev-parse", "HEAD"))
            continue
        branch = step.get("branch", "main")
        if branch != "main":
            exists = git(root, date, "branch", "--list", branch)
            git(root, date, "checkout", "-q", *([] if exists else ["-b"]), branch)
        for path, content in (step.get("files") or {}).items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(path, content), encoding="utf-8")
        for path in step.get("remove") or []:
            git(root, date, "rm", "-q", path)
        for old, new in (step.get("move") or {}).items():
            git(root, date, "mv", old, new)
        git(root, date, "add", "-A")
        git(root, date, "commit", "-q", "-m", step.get("message", "Change"))
        if branch == "main":
            commits.append(git(root, date, "rev-parse", "HEAD"))
        else:
            git(root, date, "checkout", "-q", "main")
    return commits


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_history_golden_case(case: dict[str, Any], tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    commits = make_repository(handbook.root, case)
    baseline = case.get("baseline", 0)
    settings = Settings(**(case.get("settings") or {})).replace(
        history_baseline="" if baseline == "none" else commits[baseline]
    )
    model = build_handbook(handbook.root, settings).handbook
    report = check_history(handbook.root, settings, model, handbook.root / "mkdocs.yml")
    assert report.available, report.note
    assert [SHA.sub("COMMIT", f.line) for f in report.findings] == case["findings"]
    if "migrated" in case:
        assert [m.item for m in report.migrated] == case["migrated"]
    if "note" in case:
        assert report.note == case["note"]


def test_golden_cases_cover_every_check_holding_and_failing() -> None:
    failing = {f.split(":")[0].split()[1] for c in CASES for f in c["findings"]}
    assert failing >= set(GRADES)
    holding = {c["check"] for c in CASES if not c["findings"]}
    assert holding >= set(GRADES) - {"metadata-changed"}


def test_a_shallow_clone_says_the_checks_were_not_possible(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "source")
    make_repository(
        handbook.root, {"commits": [{"date": "2026-02-01", "files": {"docs/a.md": "# A\n"}}]}
    )
    clone = tmp_path / "clone"
    git(tmp_path, "2026-02-02", "clone", "-q", "--depth", "1", handbook.root.as_uri(), str(clone))
    report = check_history(clone, Settings(), build_handbook(clone).handbook)
    assert not report.available
    assert report.findings == []
    assert report.note.startswith("History checks were not possible: this is a shallow clone")
    printed = run_cli("report", "coverage", clone)
    assert printed.code == 0, printed.output
    assert printed.out.count("History checks were not possible: this is a shallow clone") == 1
    assert "history checks over" not in printed.out
    assert (
        json.loads(run_cli("report", "coverage", clone, "--format", "json").out)["history"][
            "available"
        ]
        is False
    )


def test_outside_git_the_checks_were_not_possible(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    report = check_history(handbook.root, Settings(), build_handbook(handbook.root).handbook)
    assert not report.available
    assert "not in a git repository" in report.note


def test_validate_runs_the_checks_and_says_so_without_failing(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    late = {"id": "REC-001", "type": "record", "kind": "management-review"}
    late |= {"held_on": "2026-05-01", "approved_on": "2026-05-04"}
    make_repository(
        handbook.root, {"commits": [{"date": "2026-07-01", "files": {"docs/r.md": late}}]}
    )
    result = run_cli("validate", handbook.root)
    assert result.code == 0, result.output
    assert "history checks over 2 commits since 2026-01-01: 1 finding (0 major, 1 minor" in (
        result.err
    )


def test_a_moved_baseline_is_in_the_report(tmp_path: Path) -> None:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    plain = handbook.read("mkdocs.yml")
    first = make_repository(handbook.root, {"commits": []})[0]
    for date, baseline in (("2026-02-01", first), ("2026-03-01", "HEAD")):
        later = git(handbook.root, date, "rev-parse", baseline)
        declared = f"  - sms-handbook:\n      history_baseline: {later}\n"
        handbook.write("mkdocs.yml", plain.replace("  - sms-handbook\n", declared))
        git(handbook.root, date, "commit", "-qam", f"Baseline {later[:7]}")
    data = json.loads(run_cli("report", "coverage", handbook.root, "--format", "json").out)
    (moved,) = [f for f in data["history"]["findings"] if f["check"] == "baseline-moved"]
    assert moved["grade"] == "major" and moved["path"] == "mkdocs.yml"
    assert moved["problem"].startswith(f"`history_baseline` was {first[:12]} and was moved on")
    public = run_cli(
        "report", "coverage", handbook.root, "--format", "json", "--audience", "public"
    )
    assert json.loads(public.out)["history"]["findings"] == []
