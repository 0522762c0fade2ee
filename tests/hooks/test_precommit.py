"""This repository's pre-commit hooks, run by real pre-commit in real git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO

pytestmark = [pytest.mark.xdist_group("pre-commit"), pytest.mark.slow]
BIN = Path(sys.executable).parent


def git(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PATH=f"{BIN}{os.pathsep}{env['PATH']}",
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.org",
        GIT_COMMITTER_NAME="Test Author",
        GIT_COMMITTER_EMAIL="author@example.org",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        SMS_TODAY="2026-11-27",
    )
    env.pop("SMS_AUDIENCE", None)
    return env


@pytest.fixture(scope="session")
def hook_source(
    tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]
) -> tuple[str, str]:
    """This working tree as a git repository with one commit, as `pre-commit try-repo` makes."""
    listed = git("ls-files", "-co", "--exclude-standard", "-z", cwd=REPO).stdout.split("\0")
    source = tmp_path_factory.mktemp("sms-handbook-source")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "snapshot")):
        assert git(*args, cwd=source, env=environment).returncode == 0
    sha = git("rev-parse", "HEAD", cwd=source).stdout.strip()
    return str(source), sha


def handbook_repository(path: Path, env: dict[str, str]) -> Path:
    shutil.copytree(FIXTURES / "minimal", path)
    assert git("init", "-q", "-b", "main", cwd=path, env=env).returncode == 0
    return path


def commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    git("add", "-A", cwd=repo, env=env)
    return git("commit", "-m", message, cwd=repo, env=env)


def test_commits_are_checked_by_the_hooks(
    tmp_path: Path, environment: dict[str, str], hook_source: tuple[str, str]
) -> None:
    source, sha = hook_source
    repo = handbook_repository(tmp_path / "handbook", environment)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {sha}\n    hooks:\n"
        "      - id: sms-handbook-validate\n      - id: sms-handbook-reviews\n"
        "      - id: sms-handbook-approvals\n",
        encoding="utf-8",
    )
    installed = subprocess.run(
        ["pre-commit", "install"],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr

    first = commit(repo, environment, "A valid handbook")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "validate the SMS handbook" in first.stdout + first.stderr

    services = repo / "registers" / "services.yaml"
    valid = services.read_text()
    services.write_text(valid.replace("dependencies: [SVC-001]", "dependencies: [SVC-404]"))
    second = commit(repo, environment, "Break a reference")
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert "registers/services.yaml:34:20: SMS202: `dependencies` names 'SVC-404'" in output
    assert "Traceback" not in output
    assert git("rev-list", "--count", "HEAD", cwd=repo).stdout.strip() == "1", "nothing committed"

    services.write_text(valid)
    policy = repo / "docs" / "policies" / "service-management-policy.md"
    approved = policy.read_text()
    policy.write_text(approved.replace("approved_on: 2026-03-02", "approved_on: 2025-01-01"))
    third = commit(repo, environment, "An overdue policy")
    assert third.returncode != 0
    assert "docs/policies/service-management-policy.md:9:1: SMS401" in third.stdout + third.stderr

    changed = approved.replace("We deliver what we agree.", "We deliver what we agree, on time.")
    policy.write_text(changed)
    fourth = commit(repo, environment, "Change an approved policy quietly")
    output = fourth.stdout + fourth.stderr
    assert fourth.returncode != 0
    assert "docs/policies/service-management-policy.md:7:1: SMS601" in output
    assert "docs/policies/service-management-policy.md:9:1: SMS602" in output

    reapproved = changed.replace('version: "1.0"', 'version: "1.1"')
    policy.write_text(reapproved.replace("approved_on: 2026-03-02", "approved_on: 2026-11-20"))
    fifth = commit(repo, environment, "Policy 1.1, approved again")
    assert fifth.returncode == 0, fifth.stdout + fifth.stderr
    assert git("rev-list", "--count", "HEAD", cwd=repo).stdout.strip() == "2"


def test_the_validate_hook_names_what_a_commit_plants_for_the_build(
    tmp_path: Path, environment: dict[str, str], hook_source: tuple[str, str]
) -> None:
    """A commit of nothing but a file force-added into the build's stage and a link from docs/
    to a register: the hook runs, names both, and nothing is committed."""
    source, sha = hook_source
    repo = handbook_repository(tmp_path / "handbook", environment)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {sha}\n    hooks:\n"
        "      - id: sms-handbook-validate\n",
        encoding="utf-8",
    )
    (repo / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    installed = subprocess.run(
        ["pre-commit", "install"], cwd=repo, env=environment, capture_output=True, check=False
    )
    assert installed.returncode == 0
    first = commit(repo, environment, "A valid handbook")
    assert first.returncode == 0, first.stdout + first.stderr

    planted = repo / ".cache" / "sms-handbook" / "stage" / "public" / "docs" / "planted.md"
    planted.parent.mkdir(parents=True)
    planted.write_text("# Planted\n", encoding="utf-8")
    assert git("add", "-f", str(planted), cwd=repo, env=environment).returncode == 0
    (repo / "docs" / "files").mkdir()
    os.symlink("../../registers/risks.yaml", repo / "docs" / "files" / "risks.txt")
    second = commit(repo, environment, "Plant a page and a link")
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert ".cache/sms-handbook/stage/public/docs/planted.md:1:1: SMS702: " in output
    assert (
        "docs/files/risks.txt:1:1: SMS703: docs/files/risks.txt is a symbolic link to "
        "../../registers/risks.yaml, outside docs/" in output
    )
    assert "Traceback" not in output
    assert git("rev-list", "--count", "HEAD", cwd=repo).stdout.strip() == "1", "nothing committed"


def test_try_repo_runs_the_hooks_from_a_local_path(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    repo = handbook_repository(tmp_path / "handbook", environment)
    services = repo / "registers" / "services.yaml"
    services.write_text(
        services.read_text().replace("suppliers: [SUP-001]", "suppliers: [SUP-404]")
    )
    git("add", "-A", cwd=repo, env=environment)
    result = subprocess.run(
        ["pre-commit", "try-repo", str(REPO), "sms-handbook-validate", "--all-files"],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "registers/services.yaml:35:17: SMS202: `suppliers` names 'SUP-404'" in result.stdout


def test_a_fresh_repository_commits_through_its_own_hooks(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    """init, git init, pre-commit install, commit; then `new` and commit again: both pass."""
    import sys

    repo = tmp_path / "fresh"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo, env=environment)  # a clone of an empty repository
    cli = [sys.executable, "-m", "sms_handbook.cli"]
    made = subprocess.run(
        [*cli, "init", str(repo), "--name", "Fresh Services"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert (repo / ".github" / "CODEOWNERS").is_file()
    installed = subprocess.run(
        ["pre-commit", "install"], cwd=repo, env=environment, capture_output=True, check=False
    )
    assert installed.returncode == 0
    first = commit(repo, environment, "A new handbook")
    assert first.returncode == 0, first.stdout + first.stderr
    created = subprocess.run(
        [
            *cli,
            "new",
            "procedure",
            "Major incident handling",
            "--root",
            str(repo),
            "--owner",
            "service-manager",
            "--approver",
            "managing-director",
            "--clause",
            "8.6.1",
        ],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    second = commit(repo, environment, "A new procedure")
    assert second.returncode == 0, second.stdout + second.stderr
