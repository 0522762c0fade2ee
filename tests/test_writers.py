"""Hardening, round three (b): writers that trust names.

A file name cannot add a line to CODEOWNERS or a report, nothing the tool writes into the
repository goes through a link or outside it, values printed through the page templates' `sms`
object are text whatever route reaches them, and each audience's PDF lies inside its folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sms_handbook.commands import pdf as pdf_command
from sms_handbook.context import load_context
from sms_handbook.render.links import LinkMap
from sms_handbook.stage.templates import IncludeLoader, PageTemplates

from hooks import check_codeowners as codeowners_hook
from hooks import validate_handbook as validate_hook
from tests.conftest import FIXTURES, Handbook, commit_all, controlled, run_cli

# Point 5: a path or value is one field of one line, or it is refused.

HOSTILE_NAME = "docs/zzz/x\n* @evil-attacker\n#y.md"
OWNERS = 'holder: S. Manager\n    code_owners: ["@manager"]'


def _with_code_owners(handbook: Handbook) -> None:
    handbook.replace("registers/roles.yaml", "holder: S. Manager", OWNERS)


def test_a_file_name_cannot_add_a_line_to_codeowners(handbook: Handbook, capsys: Any) -> None:
    _with_code_owners(handbook)
    assert run_cli("codeowners", handbook.root, "--write").code == 0
    owners = handbook.root / ".github" / "CODEOWNERS"
    before = owners.read_text(encoding="utf-8")
    handbook.write(HOSTILE_NAME, controlled("POL-009", "Hostile", "policy", "draft", ["5.2.1"]))

    validated = handbook.validate()
    assert validated.code == 1
    assert '"docs/zzz/x\\n* @evil-attacker\\n#y.md":1:1: SMS015: ' in validated.out
    assert not any(line.startswith("* @evil") for line in validated.out.splitlines())
    written = run_cli("codeowners", handbook.root, "--write")
    assert written.code != 0 and "not written" in written.err, written.output
    assert owners.read_text(encoding="utf-8") == before
    printed = run_cli("codeowners", handbook.root)
    assert printed.code != 0 and "@evil-attacker" not in printed.out
    checked = run_cli("codeowners", handbook.root, "--check")
    assert checked.code == 1 and "SMS015" in checked.out
    capsys.readouterr()
    assert validate_hook.main(["--root", str(handbook.root)]) == 1
    assert codeowners_hook.main(["--root", str(handbook.root)]) == 1
    hooks_said = capsys.readouterr().out
    assert "SMS015" in hooks_said
    assert not any(line.startswith("* @evil") for line in hooks_said.splitlines())


@pytest.mark.parametrize(
    "name", ["docs/a\u2028b.md", "docs/a\u00a0@evil.md", "docs/a*.md", "registers/x\tq.yaml"]
)
def test_names_that_break_line_based_files_are_refused(handbook: Handbook, name: str) -> None:
    handbook.write(name, "# A page\n" if name.endswith(".md") else "register: q\n")
    validated = handbook.validate()
    assert validated.code == 1 and "SMS015" in validated.out, validated.output


def test_spaces_in_a_path_are_escaped_in_codeowners(handbook: Handbook) -> None:
    _with_code_owners(handbook)
    shutil.move(
        handbook.root / "docs/policies/service-management-policy.md",
        handbook.root / "docs/policies/service management policy.md",
    )
    assert handbook.validate().code == 0
    assert run_cli("codeowners", handbook.root, "--write").code == 0
    text = (handbook.root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/docs/policies/service\\ management\\ policy.md @manager\n" in text


def test_a_value_cannot_forge_a_line_of_a_text_report(handbook: Handbook) -> None:
    forged = "docs/index.md:1:1: SMS000: all good"
    handbook.replace(
        "docs/policies/service-management-policy.md",
        "title: Service management policy",
        f'title: "Policy\\n{forged}"',
    )
    handbook.replace(
        "docs/policies/service-management-policy.md", "status: approved", f'status: "x\\n{forged}"'
    )
    for result in (
        handbook.validate(),
        run_cli("report", "reviews", handbook.root),
        run_cli("report", "coverage", handbook.root),
    ):
        assert not any(line.startswith(forged) for line in result.output.splitlines())
    assert any(forged in line for line in handbook.validate().out.splitlines())


# Point 6: writers never follow a link, never leave the repository.


def _comply_theme(tmp_path: Path) -> Path:
    theme = tmp_path / "comply"
    shutil.copytree(FIXTURES / "comply", theme)
    shutil.rmtree(theme / "narratives")
    shutil.rmtree(theme / "procedures")
    return theme


def test_import_never_writes_through_a_link(handbook: Handbook, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (handbook.root / "docs/policies/access.md").symlink_to(outside / "pwned.md")
    result = run_cli("import", "comply", _comply_theme(tmp_path), handbook.root)
    assert not (outside / "pwned.md").exists(), "the import wrote through a dangling link"
    assert result.code == 1 and "link" in result.err, result.output
    assert (handbook.root / "docs/policies/access.md").is_symlink()


def test_import_never_writes_outside_the_repository(handbook: Handbook, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(handbook.root / "docs/policies")
    (handbook.root / "docs/policies").symlink_to(outside)
    result = run_cli("import", "comply", _comply_theme(tmp_path), handbook.root)
    assert list(outside.iterdir()) == [], "the import wrote outside the repository"
    assert result.code != 0 and "outside" in result.err, result.output


def test_new_never_writes_through_a_link(handbook: Handbook, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (handbook.root / "docs/policies/change-policy.md").symlink_to(outside / "pwned.md")
    result = run_cli(
        "new",
        "policy",
        "Change policy",
        "--root",
        handbook.root,
        "--owner",
        "service-manager",
        "--approver",
        "managing-director",
    )
    assert not (outside / "pwned.md").exists(), "new wrote through a dangling link"
    assert result.code == 2 and "link" in result.err, result.output


@pytest.mark.parametrize("link", [".github/CODEOWNERS", ".github"])
def test_codeowners_never_writes_through_a_link(
    handbook: Handbook, tmp_path: Path, link: str
) -> None:
    _with_code_owners(handbook)
    outside = tmp_path / "outside"
    outside.mkdir()
    (handbook.root / ".github").mkdir()
    if link == ".github":
        (handbook.root / ".github").rmdir()
        (handbook.root / ".github").symlink_to(outside)
        (outside / "CODEOWNERS").write_text("# theirs\n", encoding="utf-8")
    else:
        (handbook.root / link).symlink_to(outside / "CODEOWNERS")
    commit_all(handbook.root, "start")
    result = run_cli("codeowners", handbook.root, "--write")
    assert result.code == 2 and ("link" in result.err or "outside" in result.err), result.output
    assert (
        not (outside / "CODEOWNERS").exists()
        or (outside / "CODEOWNERS").read_text(encoding="utf-8") == "# theirs\n"
    )


# Point 7: the `sms` object hands out text only, whatever route reaches a value.

PAYLOAD = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


def _templates(root: Path, git: dict[str, str] | None = None) -> PageTemplates:
    context = load_context(root, "internal")
    view, _hidden = context.view("internal")
    loader = IncludeLoader(lambda name: None, lambda name: False)
    config = {"site_name": "Handbook", "extra": {"motto": PAYLOAD}}
    return PageTemplates(view, config, loader, context.assessment("internal"), git or {})


@pytest.mark.parametrize(
    "route",
    [
        "{{ sms.registers.services[0].support_hours }}",
        "{{ sms.registers['services'][0]['support_hours'] }}",
        "{{ sms.registers.view.registers.services.records[0].data.support_hours }}",
        "{{ sms.registers.view.registers['services'].records[0].get('support_hours') }}",
        "{% for r in sms.registers.values() %}{{ r }}{% endfor %}",
        "{{ sms.registers.cache }}{{ sms.registers._view }}",
        "{{ motto }}{{ config.extra.motto }}",
        "{{ git.message }}{{ git.author }}",
        '{{ service_summary("SVC-001") }}',
        '{{ register_table("services", columns=["id", "support_hours"]) }}',
    ],
)
def test_every_route_to_a_value_prints_text(handbook: Handbook, route: str) -> None:
    handbook.replace(
        "registers/services.yaml",
        "support_hours: Weekdays 08:00-18:00",
        f'support_hours: "{PAYLOAD}"',
    )
    handbook.replace(
        "registers/services.yaml", "summary: One place to ask for help.", f'summary: "{PAYLOAD}"'
    )
    templates = _templates(handbook.root, {"message": PAYLOAD, "author": PAYLOAD})
    page = {"title": "Page", "meta": {}, "url": "page/"}
    text, problem = templates.render(f"Value: {route}\n", page, LinkMap())
    assert "<script" not in text and "<img" not in text, (route, text, problem)


def test_the_sms_object_exposes_no_model_object(handbook: Handbook) -> None:
    templates = _templates(handbook.root)
    page = {"title": "Page", "meta": {}, "url": "page/"}
    for route, kept in (
        ("{{ sms.registers.view }}", "{{ view }}"),
        ("{{ sms.registers.view.settings }}", "{{ view.settings }}"),
        ("{{ sms.registers.cache }}", "{{ cache }}"),
    ):
        text, _problem = templates.render(route, page, LinkMap())
        assert text == kept, route  # printed as an undefined name, never the model
    # the documented routes still work
    text, problem = templates.render(
        "{{ sms.registers.services | length }} {{ sms.registers.services[0].support_hours }} "
        "{{ sms.registers.keys() | list | length }}",
        page,
        LinkMap(),
    )
    assert problem is None and text.startswith("2 Weekdays 08&#58;00-18&#58;00 "), text


# Point 8: every audience's files inside the audience's folder.


def test_the_pdf_of_an_audience_lies_inside_its_folder(
    handbook: Handbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []

    def render_pdf(_loaded: Any, _audience: str, output: Path, _version: str) -> Any:
        written.append(output)
        raise pdf_command.PdfError("stop here")

    monkeypatch.setattr(pdf_command, "render_pdf", render_pdf)
    result = run_cli("pdf", handbook.root, "--audience", "restricted")
    assert result.code == 2 and written, result.output
    site = (handbook.root / "site").resolve()
    assert written[0].parent == site / "restricted", written[0]
