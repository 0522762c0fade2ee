"""Hardening, round two: each route a hostile or careless author reached, closed and tested.

Titles are text (Chromium runs no script from them), page templates run sandboxed, CSV cells
cannot start formulas, anchors never collide, schemas cannot reach the network or lower a
classification, audience names cannot leave the site folder, killed builds are recovered,
and user mistakes get messages, not internal errors.
"""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sms_handbook.publish import recover
from sms_handbook.render.links import anchor

from tests.conftest import FIXTURES, TODAY, Handbook, run_cli

POLICY = "docs/policies/service-management-policy.md"


def test_page_templates_run_in_the_sandbox(handbook: Handbook, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    handbook.replace(
        POLICY,
        "We deliver what we agree.",
        "We deliver. {{ cycler.__init__.__globals__.os.popen('touch "
        + str(marker)
        + "').read() }}",
    )
    result = run_cli("build", handbook.root, "--audience", "internal")
    assert not marker.exists(), "the template ran a shell command"
    assert result.code == 1
    assert "page template not rendered: SecurityError" in result.out


def test_csv_cells_never_start_a_formula(handbook: Handbook) -> None:
    handbook.write(
        "registers/rules/ours.yaml",
        "requirements:\n  - clause: '9.4'\n    id: formula\n"
        '    text: \'=HYPERLINK("http://evil.example","click")\'\n'
        "    evidence: [{current: {register: risks}}]\n",
    )
    out = run_cli("report", "coverage", handbook.root, "--format", "csv").out
    row = next(line for line in out.splitlines() if "HYPERLINK" in line)
    assert "\"'=HYPERLINK(" in row
    reviews = run_cli("report", "reviews", handbook.root, "--format", "csv").out
    assert "\n=" not in reviews and ",=" not in reviews


def test_ids_that_differ_get_different_anchors() -> None:
    assert anchor("W 1") != anchor("w-1")
    assert anchor("RSK-001") == "rsk-001" and anchor("service-manager") == "service-manager"


def test_register_fields_with_underscores_work_in_page_templates(handbook: Handbook) -> None:
    handbook.replace(
        POLICY,
        "We deliver what we agree.",
        "Hours: {{ sms.registers.services[0].support_hours }}.",
    )
    result = run_cli("build", handbook.root, "--audience", "internal")
    assert result.code == 0, result.output
    page = handbook.root / "site/internal/policies/service-management-policy/index.html"
    assert "Hours: Weekdays 08:00-18:00." in html.unescape(page.read_text(encoding="utf-8"))


def test_a_schema_reference_to_the_network_is_refused_at_its_line(handbook: Handbook) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # accepts connections and never answers
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(30)
        try:
            while True:
                connection, _address = listener.accept()
                accepted.append(connection)
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    handbook.write(
        "registers/schemas/contracts.schema.json",
        '{\n  "$defs": {\n    "record": {\n      "type": "object",\n'
        f'      "properties": {{"x": {{"$ref": "http://127.0.0.1:{port}/x.json"}}}}\n'
        "    }\n  }\n}\n",
    )
    started = time.monotonic()
    result = handbook.validate()
    listener.close()
    assert time.monotonic() - started < 20
    assert result.code == 1
    assert (
        f"registers/schemas/contracts.schema.json:5:36: SMS109: `$ref` to 'http://127.0.0.1:{port}/x.json'"
        in result.out
    )
    assert not accepted, "validation opened a network connection"


def test_replacing_a_shipped_schema_cannot_lower_a_classification(handbook: Handbook) -> None:
    shipped = (
        Path(__file__).parents[1] / "plugins/sms_handbook/data/schemas/services.schema.json"
    ).read_text(encoding="utf-8")
    handbook.write(
        "registers/schemas/services.schema.json",
        shipped.replace('"x-classification": "internal"', '"x-note": "none"'),
    )
    result = handbook.validate()
    assert result.code == 1
    assert (
        "registers/schemas/services.schema.json:1:1: SMS109: this schema replaces the "
        in result.out
    )
    assert "keep `x-classification: internal`" in result.out


def test_an_audience_name_cannot_leave_the_site_folder(handbook: Handbook) -> None:
    handbook.replace(
        "mkdocs.yml",
        "  - sms-handbook\n",
        "  - sms-handbook:\n      audiences: [public, ../docs]\n      audience: public\n"
        "      default_classification: public\n",
    )
    before = sorted(p.relative_to(handbook.root) for p in (handbook.root / "docs").rglob("*"))
    result = run_cli("build", handbook.root)
    assert result.code == 2
    assert "audience '../docs' is not a plain name" in result.err
    after = sorted(p.relative_to(handbook.root) for p in (handbook.root / "docs").rglob("*"))
    assert before == after


def test_a_killed_swap_is_recovered_and_stale_folders_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / ".public.old-0123abcd").mkdir(parents=True)
    (site / ".public.old-0123abcd" / "index.html").write_text("previous")
    (site / ".internal.staging-89abcdef" / "secret").mkdir(parents=True)
    (site / "internal").mkdir()
    (site / ".internal.old-00000000").mkdir()
    said: list[str] = []
    recover(site, said.append)
    assert (site / "public" / "index.html").read_text() == "previous"
    assert sorted(p.name for p in site.iterdir()) == ["internal", "public"]
    assert said == [f"recovered {site / 'public'} from an interrupted build"]


def test_user_mistakes_get_messages_not_internal_errors(handbook: Handbook) -> None:
    (handbook.root / "not-a-folder").write_text("x")
    result = run_cli("build", handbook.root, "--site-dir", handbook.root / "not-a-folder")
    assert result.code == 2 and "is a file, not a folder" in result.err
    handbook.write("mkdocs.yml", "site_name: [unclosed\n")
    broken = handbook.validate()
    assert broken.code == 2 and "internal error" not in broken.output
    assert "mkdocs.yml:2:1: SMS501" in broken.err


def test_a_closed_pipe_does_not_stop_the_build(handbook: Handbook) -> None:
    environment = {**os.environ, "SMS_TODAY": TODAY}
    finished = subprocess.run(
        f"{sys.executable} -m sms_handbook.cli build {handbook.root} | head -c 1 >/dev/null;"
        " exit ${PIPESTATUS[0]}",
        shell=True,
        executable="/bin/bash",
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "internal error" not in finished.stderr
    assert (handbook.root / "site" / "restricted" / "index.html").is_file()
    assert finished.returncode in (0, 1)


def test_options_and_the_root_in_any_order(handbook: Handbook) -> None:
    result = run_cli("report", "coverage", "--format", "json", handbook.root)
    assert result.code == 0 and result.out.startswith("{")
    result = run_cli("report", "coverage", "--format", "json", handbook.root, "extra")
    assert result.code == 2 and "unrecognized arguments" in result.err


@pytest.mark.parametrize(
    "body",
    [
        "No heading at all.\n",
        "# Title\nText right under the heading.\n",
        "Title\n=====\n\nText.\n",
        "````markdown\n```\n# not a heading\n````\n\n# Title\n\nText.\n",
    ],
    ids=["no heading", "text under heading", "setext", "longer fence"],
)
def test_the_control_block_is_always_shown_and_no_placeholder_is_left(
    body: str, handbook: Handbook
) -> None:
    text = handbook.read(POLICY)
    head = text[: text.index("---\n", 4) + 4]
    handbook.write(POLICY, head + "\n" + body)
    result = run_cli("build", handbook.root, "--audience", "internal")
    assert result.code == 0, result.output
    page = handbook.root / "site/internal/policies/service-management-policy/index.html"
    html = page.read_text(encoding="utf-8")
    assert 'class="sms-control"' in html and "SMSHTML" not in html
    printed = (handbook.root / "site/internal/handbook/print/index.html").read_text("utf-8")
    assert "SMSHTML" not in printed and 'class="sms-control"' in printed


def test_a_left_placeholder_fails_verification(tmp_path: Path) -> None:
    from sms_handbook.core.build import build_handbook
    from sms_handbook.verify import verify_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "sms-manifest.json").write_text('{"audience": "internal"}')
    (site / "page.html").write_text("<p>SMSHTML0123abcdN0</p>")
    handbook = build_handbook(FIXTURES / "minimal").handbook
    problems = verify_site(site, handbook, "internal")
    assert any("placeholder of a block that was never put back" in p for p in problems)


def test_plain_pages_keep_the_keys_of_themes_and_plugins(handbook: Handbook) -> None:
    handbook.write(
        "docs/news.md",
        "---\ntitle: News\nstatus: new\ndate: 2026-11-01\nauthors: [tf]\ncover: c.png\n"
        "hero: Big\nslug: news\nclassification: public\n---\n\n# News\n\nHello.\n",
    )
    result = handbook.validate("--strict")
    assert result.code == 0, result.out
    run = run_cli("stage", handbook.root, "--audience", "public")
    assert run.code == 0, run.output
    staged = (Path(run.out.splitlines()[-1]) / "docs" / "news.md").read_text(encoding="utf-8")
    # a date stays a date for the blog (it reads `date` as one)
    for key in ("status: new", "date: 2026-11-01\n", "cover: c.png", "hero: Big", "slug: news"):
        assert key in staged, key
    handbook.write("docs/stray.md", "---\ntitle: Stray\nowner: service-manager\n---\n\n# S\n")
    assert "docs/stray.md:3:1: SMS307" in handbook.validate().out


def test_search_previews_and_public_register_columns(handbook: Handbook) -> None:
    import json

    result = run_cli("build", handbook.root)
    assert result.code == 0, result.output
    public = handbook.root / "site" / "public"
    page = (public / "handbook/registers/services/index.html").read_text(encoding="utf-8")
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert "Criticality" not in head and "Service owner" not in head
    assert "<th>Name</th>" in head
    assert ">Owner<" not in page.split('<table class="sms-facts">', 1)[1].split("</table>")[0]
    index = json.loads((handbook.root / "site/internal/search/search_index.json").read_text())
    texts = " ".join(doc["text"] for doc in index["docs"])
    assert "Kind: risk" in texts and "Kindrisk" not in texts


def test_public_register_page_reads_its_own_introduction(handbook: Handbook) -> None:
    handbook.replace(
        "registers/services.yaml",
        "owner: service-manager\n",
        "description: Live and planned services, for staff.\n"
        "public_description: The services we deliver to you.\n"
        "owner: service-manager\n",
    )
    assert handbook.validate("--strict").code == 0
    result = run_cli("build", handbook.root)
    assert result.code == 0, result.output
    site = handbook.root / "site"
    public = (site / "public/handbook/registers/services/index.html").read_text(encoding="utf-8")
    internal = (site / "internal/handbook/registers/services/index.html").read_text(
        encoding="utf-8"
    )
    assert "The services we deliver to you." in public and "for staff" not in public
    assert "Live and planned services, for staff." in internal


def test_small_frictions_of_the_owner_workflow(handbook: Handbook, capsys: Any) -> None:
    from sms_handbook.hooks import check_approvals
    from sms_handbook.scaffold import slug

    from tests.conftest import commit_all

    title = "Agenda, inputs and minutes of the quarterly management review and its actions"
    assert slug(title) == "agenda-inputs-and-minutes-of-the-quarterly-management-review"
    commit_all(handbook.root, "one")
    diff = run_cli("diff", handbook.root)  # ROOT alone is the root, not a base revision
    assert diff.code == 0, diff.output
    handbook.replace("registers/risks.yaml", "likelihood: 2", "likelihood: high")
    code = check_approvals.main(["--root", str(handbook.root), "--base", "HEAD"])
    printed = capsys.readouterr().out
    assert "SMS102" not in printed, "the validate hook reports it; the approvals hook does not"
    assert code == 0


def test_an_item_reclassified_upward_is_never_named_to_the_lower_audience(
    tmp_path: Path,
) -> None:
    from tests.conftest import git
    from tests.plugin.test_leaks import leaks_repository

    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "registers/services.yaml",
        "    name: Public desk\n",
        "    name: Public desk MARKWITHDRAWNP\n",
    )
    git(handbook.root, "commit", "-q", "-am", "Name the desk")
    handbook.replace(
        "registers/services.yaml",
        "    name: Public desk MARKWITHDRAWNP\n",
        "    name: Public desk MARKWITHDRAWNP\n    classification: restricted\n",
    )
    diff = run_cli("diff", "HEAD", handbook.root, "--audience", "public")
    assert diff.code == 0, diff.output
    assert "MARKWITHDRAWNP" not in diff.out and "SVC-001" not in diff.out
    assert "withdrawn from this audience" in diff.out
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      compare_with: HEAD\n"
    )
    built = run_cli("build", handbook.root, "--audience", "public")
    assert built.code == 0, built.output  # verification passes: nothing hidden is named
    page = (handbook.root / "site/public/handbook/changes/index.html").read_text("utf-8")
    assert "withdrawn from this edition" in page and "MARKWITHDRAWNP" not in page


def test_a_schema_pattern_cannot_hang_validation(handbook: Handbook) -> None:
    handbook.write(
        "registers/schemas/contracts.schema.json",
        '{"$defs": {"record": {"type": "object", "properties": {"id": {"type": "string"},'
        ' "code": {"type": "string", "pattern": "^(a+)+$"}}}}}\n',
    )
    handbook.write(
        "registers/contracts.yaml",
        "register: contracts\ntitle: Contracts\nowner: service-manager\n"
        "reviewed_on: 2026-09-01\nrecords:\n  - id: CON-001\n    code: " + "a" * 40 + "!\n",
    )
    started = time.monotonic()
    result = handbook.validate()
    assert time.monotonic() - started < 30
    assert result.code == 1
    assert "registers/contracts.yaml:7:11: SMS104: `code` is the text 'aaaa" in result.out


def test_aliases_cannot_blow_up_one_string(handbook: Handbook) -> None:
    long = "x" * 5_000
    items = "\n".join("      - *big" for _ in range(20_000))
    handbook.write(
        "registers/objectives.yaml",
        "register: objectives\ntitle: Objectives\nowner: service-manager\n"
        f"reviewed_on: 2026-09-01\nnote: &big {long}\nrecords:\n  - id: OBJ-001\n"
        f"    notes:\n{items}\n",
    )
    assert len(handbook.read("registers/objectives.yaml")) < 400_000
    started = time.monotonic()
    result = handbook.validate()
    assert time.monotonic() - started < 30
    assert result.code == 1
    assert "SMS008: aliases repeat text to more than 20,000,000 characters" in result.out


def test_two_builds_of_one_fresh_handbook_at_once_both_succeed(handbook: Handbook) -> None:
    """Builds share the stage of an audience; one waits for the other instead of reading a
    stage the other is rewriting (seen in CI: a page carried the other build's token)."""
    environment = {**os.environ, "SMS_TODAY": TODAY}
    builds = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sms_handbook.cli",
                "build",
                str(handbook.root),
                "--site-dir",
                str(handbook.root / f"site-{n}"),
            ],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(3)
    ]
    outputs = [build.communicate(timeout=300)[0] for build in builds]
    assert [build.returncode for build in builds] == [0, 0, 0], outputs


def test_an_alias_bomb_in_an_old_revision_costs_no_more_than_in_the_tree(
    handbook: Handbook,
) -> None:
    """History reads old front matter with the same loader and limits as everything else."""
    from sms_handbook.history import load_history

    from tests.conftest import commit_all, git

    bomb = "\n".join([f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)])
    text = handbook.read(POLICY)
    deep = "deep: " + "[" * 20_000 + "]" * 20_000
    handbook.write(
        POLICY, text.replace("clauses:", "a0: &a0 [x]\n" + bomb + f"\n{deep}\nclauses:", 1)
    )
    commit_all(handbook.root, "a bomb and deep nesting in the front matter")
    handbook.write(POLICY, text)
    git(handbook.root, "commit", "-q", "-am", "defused")
    started = time.monotonic()
    history = load_history(handbook.root, "docs")
    assert time.monotonic() - started < 30
    assert history.available and POLICY in history.revisions
