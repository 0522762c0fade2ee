"""The document owner's workflow: init, new, CODEOWNERS, editor schemas, CI templates, print."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from sms_handbook.core.build import build_handbook
from sms_handbook.core.coverage import ClauseStatus, compute_coverage

from tests.conftest import REPO, Handbook, build_site, run_cli

BIN = Path(sys.executable).parent


@pytest.mark.slow
def test_init_creates_a_handbook_that_validates_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    result = run_cli("init", target, "--name", "Acme Services")
    assert result.code == 0, result.output
    for name in (
        "mkdocs.yml",
        ".pre-commit-config.yaml",
        ".github/workflows/handbook.yml",
        ".gitlab-ci.yml",
        ".gitignore",
        "requirements.txt",
        "registers/risks.yaml",
        ".schemas/draft-07/risks.schema.json",
    ):
        assert (target / name).is_file(), name
    assert run_cli("validate", target, "--strict").code == 0
    coverage = compute_coverage(build_handbook(target).handbook)
    assert coverage.count(ClauseStatus.GAP) == 0, "every clause has at least a draft"
    assert all(
        d.get("status") == "draft" for d in build_handbook(target).handbook.controlled_documents
    )
    first = (target / "registers" / "risks.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../.schemas/draft-07/risks.schema.json"
    built = run_cli("build", target, "--audience", "all")
    assert built.code == 0, built.output
    assert (target / "site" / "public" / "index.html").is_file()


def test_init_roles_say_what_they_approve_so_a_first_approval_keeps_5_3(
    tmp_path: Path,
) -> None:
    from sms_handbook.core.conformity import assess
    from sms_handbook.core.scope import scope_to_audience

    target = tmp_path / "acme"
    assert run_cli("init", target).code == 0
    policy = next((target / "docs" / "policies").glob("*.md"))
    text = policy.read_text(encoding="utf-8")
    approved = text.replace("status: draft\n", "status: approved\napproved_on: 2026-10-01\n")
    policy.write_text(approved.replace('version: "0.1"', 'version: "1.0"'), encoding="utf-8")
    result = build_handbook(target)
    assert result.ok, result.diagnostics
    view, _hidden = scope_to_audience(result.handbook, "restricted")
    findings = [f for f in assess(view, datetime.date(2026, 10, 2)).findings if f.clause == "5.3"]
    assert not [f for f in findings if "approves" in f.problem], findings


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    result = run_cli("init", tmp_path)
    assert result.code == 2 and "is not empty" in result.err
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_new_document_gets_the_next_id_and_valid_front_matter(handbook: Handbook) -> None:
    result = run_cli(
        "new",
        "policy",
        "Change management policy",
        "--root",
        handbook.root,
        "--owner",
        "service-manager",
        "--approver",
        "managing-director",
        "--clause",
        "8.5.1.1",
    )
    assert result.code == 0, result.output
    path = handbook.root / "docs" / "policies" / "change-management-policy.md"
    assert result.out == f"created {path} as POL-002 (draft 0.1)\n"
    assert "next: write it, then `sms-handbook validate`" in result.err
    assert handbook.validate("--strict").code == 0
    document = build_handbook(handbook.root).handbook.item("POL-002")
    assert (
        document is not None
        and document.get("status") == "draft"
        and document.clauses == ["8.5.1.1"]
    )
    again = run_cli(
        "new",
        "policy",
        "Another",
        "--root",
        handbook.root,
        "--owner",
        "service-manager",
        "--approver",
        "managing-director",
    )
    assert "as POL-003" in again.out


def test_new_document_refuses_bad_roles_and_existing_files(handbook: Handbook) -> None:
    args = ["new", "policy", "Service management policy", "--root", str(handbook.root)]
    assert (
        "is not a role"
        in run_cli(*args, "--owner", "nobody", "--approver", "managing-director").err
    )
    same = run_cli(*args, "--owner", "service-manager", "--approver", "service-manager")
    assert same.code == 2 and "different roles" in same.err
    # every problem at once, not one per attempt (no terminal to ask on in a test)
    both = run_cli(*args, "--clause", "99.9", "--classification", "secret")
    assert both.code == 2
    assert "--owner is required; --approver is required; roles: " in both.err, both.err
    assert "unknown clause 99.9" in both.err and "'secret' is not an audience" in both.err
    before = (handbook.root / "docs/policies/service-management-policy.md").read_text()
    exists = run_cli(*args, "--owner", "service-manager", "--approver", "managing-director")
    assert exists.code == 2 and "exists" in exists.err
    assert (handbook.root / "docs/policies/service-management-policy.md").read_text() == before


def test_codeowners_hook_fails_when_an_owner_changes(handbook: Handbook) -> None:
    handbook.replace(
        "registers/roles.yaml",
        "holder: A. Director",
        'holder: A. Director\n    code_owners: ["@director"]',
    )
    handbook.replace(
        "registers/roles.yaml",
        "holder: S. Manager",
        'holder: S. Manager\n    code_owners: ["@manager", "@org/sms"]',
    )
    hook = [str(BIN / "sms-handbook-check-codeowners"), "--root", str(handbook.root)]
    env = {**os.environ}

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(hook, env=env, capture_output=True, text=True, check=False)

    missing = check()
    assert (
        missing.returncode == 1
        and ".github/CODEOWNERS:1:1: SMS701: CODEOWNERS is missing" in missing.stdout
    )
    assert run_cli("codeowners", handbook.root, "--write").code == 0
    text = (handbook.root / ".github" / "CODEOWNERS").read_text()
    assert "/docs/policies/service-management-policy.md @manager @org/sms" in text
    assert "/registers/risks.yaml @manager @org/sms" in text
    assert check().returncode == 0

    handbook.replace(
        "docs/policies/service-management-policy.md",
        "owner: service-manager",
        "owner: managing-director",
    )
    handbook.replace(
        "docs/policies/service-management-policy.md",
        "approver: managing-director",
        "approver: service-manager",
    )
    stale = check()
    assert stale.returncode == 1 and "CODEOWNERS is out of date" in stale.stdout
    assert run_cli("codeowners", handbook.root, "--write").code == 0
    assert (
        "/docs/policies/service-management-policy.md @director"
        in (handbook.root / ".github" / "CODEOWNERS").read_text()
    )
    assert check().returncode == 0


def test_exported_schemas_are_committed_and_current(tmp_path: Path) -> None:
    assert run_cli("schema", REPO, "--out", tmp_path).code == 0
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.json"))
    committed = sorted(
        p.relative_to(REPO / ".schemas") for p in (REPO / ".schemas").rglob("*.json")
    )
    assert fresh == committed
    for name in fresh:
        assert (tmp_path / name).read_text() == (REPO / ".schemas" / name).read_text(), name


def test_editor_schemas_accept_the_example_registers_and_reject_mistakes() -> None:
    for path in (REPO / "registers").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        data = json.loads(json.dumps(data, default=str))
        for folder, validator in (
            (REPO / ".schemas", Draft202012Validator),
            (REPO / ".schemas" / "draft-07", Draft7Validator),
        ):
            schema = json.loads((folder / f"{path.stem}.schema.json").read_text())
            validator.check_schema(schema)
            errors = list(validator(schema).iter_errors(data))
            assert errors == [], f"{path.name}: {errors[0].message if errors else ''}"
            broken = {**data, "records": [{**data["records"][0], "unknown_field": 1}]}
            assert list(validator(schema).iter_errors(broken)), (
                f"{folder.name}/{path.stem} accepts anything"
            )
    draft07 = json.loads((REPO / ".schemas" / "draft-07" / "risks.schema.json").read_text())
    assert draft07["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert draft07["$id"] == "https://sms-handbook.example/schemas/v1/draft-07/risks.schema.json"


def test_ci_templates_keep_internal_sites_off_public_hosts() -> None:
    folder = REPO / "plugins" / "sms_handbook" / "data" / "init"
    github = yaml.safe_load((folder / "github-workflow.yml").read_text())
    steps = " ".join(str(step) for step in github["jobs"]["check"]["steps"])
    assert "sms-handbook build --audience all" in steps and "pre-commit run --all-files" in steps
    assert "sms-handbook diff" in steps
    pages = [
        s
        for s in github["jobs"]["check"]["steps"]
        if s.get("uses", "").startswith("actions/upload-pages-artifact")
    ]
    assert [s["with"]["path"] for s in pages] == ["site/public"]
    internal = str(github["jobs"]["deploy-internal"])
    assert "deploy-pages" not in internal and "internal-site" in internal
    gitlab = yaml.safe_load((folder / "gitlab-ci.yml").read_text())
    assert gitlab["pages"]["script"] == ["rm -rf public && cp -r site/public public"]
    assert "site/internal/" in " ".join(gitlab["deploy-internal"]["script"])
    assert "public" not in " ".join(gitlab["deploy-internal"]["script"]).replace(
        "site/internal", ""
    )
    # Each audience has its own target: the restricted site never goes where another goes.
    restricted = str(github["jobs"]["deploy-restricted"])
    assert "deploy-pages" not in restricted and "restricted-site" in restricted
    assert "RESTRICTED_TARGET" in restricted and "INTRANET" not in restricted
    script = " ".join(gitlab["deploy-restricted"]["script"])
    assert "site/restricted/" in script and "$RESTRICTED_TARGET" in script
    assert "INTRANET" not in script and "public" not in script.replace("site/restricted", "")


def test_print_edition_holds_only_what_the_audience_may_see(
    handbook: Handbook, tmp_path: Path
) -> None:
    handbook.write(
        "docs/customer-policy.md",
        "---\nid: POL-009\ntitle: Customer charter\ntype: policy\nowner: service-manager\n"
        'approver: managing-director\nversion: "1.0"\nstatus: approved\napproved_on: 2026-01-01\n'
        "classification: public\n---\n\n# Customer charter\n\n"
        "We answer within a day. See the [home](index.md).\n",
    )
    public = build_site(handbook.root, tmp_path / "public", "public")
    sections = public.article("handbook/print").select("section.sms-print-document")
    assert [s["id"] for s in sections] == ["pol-009"]
    assert "Uncontrolled when printed" in sections[0].get_text()
    assert sections[0].select_one('a[href="../../"]') is not None, (
        "links re-based onto the print page"
    )
    internal = build_site(handbook.root, tmp_path / "internal", "internal")
    ids = [s["id"] for s in internal.article("handbook/print").select("section.sms-print-document")]
    assert ids == ["pol-001", "pol-009"]


def test_own_codeowners_file_is_current() -> None:
    result = run_cli("codeowners", REPO, "--check")
    assert result.code == 0, result.out


def test_print_section_rebases_with_an_html_parser() -> None:
    """Attributes in any quoting are re-based; text, scripts and entities are copied as they
    are (the regular expressions this replaced missed single quotes and `>` in values)."""
    from sms_handbook.render.print_edition import print_section

    html = (
        "<h2 id='scope' title=\"a > b\">Scope</h2>"
        "<p>See <a href='../other/#x'>other</a> &amp; <a href=\"#scope\">here</a>.</p>"
        '<input type="radio" name="__tabbed_1" id="__tabbed_1_1" checked>'
        '<label for="__tabbed_1_1">Tab</label>'
        "<script>if (a < b && c > d) { x = \"<a href='y'>\"; }</script>"
        '<a href="https://example.org/">out</a><img src="img/a.png" alt="">'
    )
    out = print_section("POL-001", "Policy", html, "policies/scope/", "handbook/print/")
    assert '<h2 id="pol-001-scope" title="a &gt; b">Scope</h2>' in out
    assert '<a href="../../policies/other/#x">other</a> &amp; <a href="#pol-001-scope">' in out
    assert 'name="pol-001-__tabbed_1" id="pol-001-__tabbed_1_1" checked>' in out
    assert '<label for="pol-001-__tabbed_1_1">' in out
    assert "<script>if (a < b && c > d) { x = \"<a href='y'>\"; }</script>" in out
    assert '<a href="https://example.org/">out</a>' in out
    assert '<img src="../../policies/scope/img/a.png" alt="">' in out
    assert "<h1>Policy</h1>" in out  # no h1 of its own: the title is added


def test_the_generated_readme_says_the_hooks_need_the_virtual_environment(
    tmp_path: Path,
) -> None:
    """The hooks run the sms-handbook on PATH (offline): outside the environment, pre-commit
    says only "Executable 'sms-handbook-check-reviews' not found"."""
    target = tmp_path / "acme"
    assert run_cli("init", target).code == 0
    readme = (target / "README.md").read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in readme and "python -m venv .venv" in readme
    assert "Executable 'sms-handbook-validate' not found" in readme
    config = (target / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "activate" in config and "not found" in config


def test_init_next_steps_fit_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a cloned empty repository (only `.git`) there is nothing to `git init`, and no
    `cd .` to do when the folder is the current one."""
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    monkeypatch.chdir(clone)
    result = run_cli("init", ".")
    assert result.code == 0, result.output
    steps = next(line for line in result.out.splitlines() if line.startswith("next: "))
    assert steps == "next: pre-commit install && sms-handbook serve", steps
    fresh = run_cli("init", tmp_path / "fresh")
    assert f"next: cd {tmp_path / 'fresh'} && git init && pre-commit install" in fresh.out


def test_new_names_the_codeowners_it_updated_as_it_names_the_document(
    handbook: Handbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import commit_all, git

    git(handbook.root, "init", "-q")
    assert run_cli("codeowners", handbook.root, "--write").code == 0
    commit_all(handbook.root, "Start")
    monkeypatch.chdir(handbook.root)
    arguments = ["--owner", "service-manager", "--approver", "managing-director"]
    result = run_cli("new", "procedure", "Incident management", *arguments)
    assert result.code == 0, result.output
    assert result.out.splitlines() == [
        f"created {Path('docs/procedures/incident-management.md')} as PRO-001 (draft 0.1)",
        "updated .github/CODEOWNERS for the new document",
    ], result.out
