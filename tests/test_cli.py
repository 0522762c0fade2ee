"""The `sms-handbook` command line: formats, reports, exports, help and errors."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import Handbook, run_cli


def test_validate_is_silent_but_for_a_summary(handbook: Handbook) -> None:
    result = handbook.validate()
    assert result.code == 0
    assert result.out == "2 pages, 5 registers, 7 records: no problems found\n"


def test_validate_json_and_github_formats(handbook: Handbook) -> None:
    handbook.replace("registers/risks.yaml", "impact: 5", "impact: 9")
    data = json.loads(handbook.validate("--format", "json").out)
    assert data["errors"] == 1
    assert data["diagnostics"][0] | {"message": ""} == {
        "path": "registers/risks.yaml",
        "line": 14,
        "column": 13,
        "code": "SMS107",
        "severity": "error",
        "message": "",
        "summary": "value out of bounds",
    }
    github = handbook.validate("--format", "github").out.splitlines()
    assert github[0].startswith(
        "::error file=registers/risks.yaml,line=14,col=13,title=SMS107::`impact`: 9 is greater"
    )


def test_warnings_fail_only_with_strict(handbook: Handbook) -> None:
    handbook.replace(
        "docs/policies/service-management-policy.md",
        "clauses:",
        "next_review: 2026-01-01\nclauses:",
    )
    relaxed = handbook.validate()
    assert relaxed.code == 0 and "SMS306" in relaxed.out
    assert handbook.validate("--strict").code == 1


def test_configuration_errors_name_mkdocs_yml(handbook: Handbook) -> None:
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      audience: nobody\n"
    )
    result = handbook.validate()
    assert result.code == 2
    assert "mkdocs.yml:" in result.err and "SMS501" in result.err and "'nobody'" in result.err
    assert "Traceback" not in result.output


def test_a_strict_build_names_warnings_that_are_not_ours(
    handbook: Handbook, tmp_path: Path
) -> None:
    """A deprecation warning of MkDocs itself: the build says whose it is and offers the choice."""
    text = (handbook.root / "mkdocs.yml").read_text(encoding="utf-8")
    (handbook.root / "mkdocs.yml").write_text(
        text + "google_analytics: ['UA-1-1', 'example.org']\n", encoding="utf-8"
    )
    assert handbook.validate().code == 0  # the handbook itself is fine
    strict = run_cli("build", handbook.root, "--site-dir", tmp_path / "a", "--audience", "public")
    assert strict.code == 1, strict.output
    assert "none of them from sms-handbook" in strict.output
    assert "google_analytics" in strict.output and "--no-strict" in strict.output
    assert "Traceback" not in strict.output
    relaxed = run_cli(
        "build", handbook.root, "--site-dir", tmp_path / "b", "--audience", "public", "--no-strict"
    )
    assert relaxed.code == 0, relaxed.output
    assert "built and verified" in relaxed.output


def test_a_public_site_without_a_home_page_is_a_warning(handbook: Handbook, tmp_path: Path) -> None:
    index = handbook.root / "docs" / "index.md"
    text = index.read_text(encoding="utf-8")
    assert "classification: public" in text
    index.write_text(text.replace("classification: public", "classification: internal"))
    strict = run_cli("build", handbook.root, "--site-dir", tmp_path / "a", "--audience", "public")
    assert strict.code == 1
    assert "the public site has no home page" in strict.output
    relaxed = run_cli(
        "build", handbook.root, "--site-dir", tmp_path / "b", "--audience", "public", "--no-strict"
    )
    assert relaxed.code == 0 and "the public site has no home page" in relaxed.output
    assert not (tmp_path / "b" / "index.html").exists()
    internal = run_cli(
        "build", handbook.root, "--site-dir", tmp_path / "c", "--audience", "internal"
    )
    assert internal.code == 0 and "no home page" not in internal.output


@pytest.mark.parametrize(
    "options",
    [
        "",  # pymdownx's defaults: PNG images from a CDN
        ":\n      emoji_index: !!python/name:material.extensions.emoji.twemoji",
    ],
    ids=["defaults", "material-index"],
)
def test_emoji_are_not_loaded_from_a_cdn(handbook: Handbook, tmp_path: Path, options: str) -> None:
    handbook.replace(
        "mkdocs.yml",
        "markdown_extensions:\n",
        f"markdown_extensions:\n  - pymdownx.emoji{options}\n",
    )
    page = handbook.root / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nWe are glad :smile: to help.\n")
    result = run_cli("build", handbook.root, "--site-dir", tmp_path, "--audience", "public")
    assert result.code == 0, result.output
    html = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and "<img" not in html.split("<article")[1]
    assert "glad \U0001f604 to help" in html or 'glad <span class="twemoji">\U0001f604' in html
    # the same through `mkdocs build` with the plugin (MkDocs loaded the extension already)
    from tests.conftest import build_site

    built = build_site(handbook.root, tmp_path / "plugin", "public").root
    html = (built / "index.html").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in html and "<img" not in html.split("<article")[1]


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (BOMB, "mkdocs.yml:21:4: SMS501: aliases expand to more than 100,000 values"),
        ("deep: " + "[" * 20_000 + "]" * 20_000 + "\n", "nested"),
        (
            "long: &t " + "x" * 1_000_000 + "\nmany: [" + ", ".join(["*t"] * 50) + "]\n",
            "mkdocs.yml:18:7: SMS501: aliases repeat text to more than 20,000,000 characters",
        ),
    ],
    ids=["alias-bomb", "deep", "aliased-text"],
)
def test_a_hostile_mkdocs_yml_is_refused_in_bounded_time(
    handbook: Handbook, extra: str, expected: str
) -> None:
    """mkdocs.yml is read with the same limits as registers: an alias bomb (10^9 values),
    20,000-deep nesting and 50 MB of aliased text each end with a message, not memory."""
    config = handbook.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "extra:\n  x: 1\n" + extra)
    result = handbook.validate()
    assert result.code == 2, result.output
    assert "mkdocs.yml" in result.err and expected in result.err
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_missing_mkdocs_yml(tmp_path: Path) -> None:
    result = run_cli("validate", tmp_path)
    assert result.code == 2 and "SMS502" in result.err


def test_report_coverage_in_three_formats(handbook: Handbook) -> None:
    text = run_cli("report", "coverage", handbook.root)
    assert text.code == 0
    assert text.out.startswith("Conformity with ISO/IEC 20000-1:2018 on 2026-11-27")
    assert "5.2.1    evidenced   Establishing the service management policy" in text.out
    assert "Findings: 53 major, 16 minor, 6 observations" in text.out.splitlines()[2]
    assert "13 of 92 requirements evidenced (14%), 16 documented (17%)" in text.out
    assert text.out.rstrip().endswith("counts as neither documented nor evidenced.")
    data = json.loads(run_cli("report", "coverage", handbook.root, "--format", "json").out)
    assert data["figures"]["requirements"] == 92 and data["figures"]["evidenced"] == 13
    assert data["findings_by_grade"] == {"major": 53, "minor": 16, "observation": 6}
    assert data["clauses"]["5.2.1"] == "evidenced" and data["clauses"]["9.3"] == "gap"
    assert {"clause", "requirement", "grade", "why", "items", "problem", "remedy"} <= set(
        data["findings"][0]
    )
    csv = run_cli("report", "coverage", handbook.root, "--format", "csv").out.splitlines()
    assert csv[0] == "clause,title,requirement,state,evidence,findings" and len(csv) == 99


def test_report_summaries_give_the_figures_alone(handbook: Handbook) -> None:
    coverage = run_cli("report", "coverage", handbook.root, "--summary")
    assert coverage.code == 0, coverage.output
    lines = coverage.out.splitlines()
    assert lines[0] == "Conformity with ISO/IEC 20000-1:2018 on 2026-11-27"
    assert lines[2].startswith("findings: 53 major, 16 minor, 6 observations")
    counts = lines[3].removeprefix("requirements: ").removesuffix(" (92 in all)").split(", ")
    states = ["gap", "planned", "lapsed", "documented", "evidenced", "untested"]
    assert [c.split()[1] for c in counts] == states
    assert sum(int(c.split()[0]) for c in counts) == 92 and counts[-2:] == [
        "13 evidenced",
        "8 untested",
    ]
    assert "13 of 92 requirements evidenced (14%), 16 documented (17%)" in coverage.out
    assert "5.2.1" not in coverage.out and len(lines) < 12
    reviews = run_cli("report", "reviews", handbook.root, "--summary")
    assert reviews.out.startswith("review state on 2026-11-27: 0 overdue") and reviews.code == 0
    assert len(reviews.out.splitlines()) == 1
    wrong = run_cli("report", "coverage", handbook.root, "--summary", "--format", "json")
    assert wrong.code == 2 and "--summary goes with the text format" in wrong.err


def test_report_coverage_fails_under_a_threshold(handbook: Handbook) -> None:
    failing = run_cli("report", "coverage", handbook.root, "--fail-under", "evidenced=15")
    assert failing.code == 1 and "evidenced is 14%, below 15%" in failing.err
    passing = run_cli("report", "coverage", handbook.root, "--fail-under", "documented=17")
    assert passing.code == 0
    wrong = run_cli("report", "coverage", handbook.root, "--fail-under", "covered=1")
    assert wrong.code == 2 and "evidenced=PERCENT" in wrong.err


def test_report_reviews(handbook: Handbook) -> None:
    handbook.replace(
        "docs/policies/service-management-policy.md",
        "approved_on: 2026-03-02",
        "approved_on: 2025-01-02",
    )
    result = run_cli("report", "reviews", handbook.root)
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert first.startswith("overdue        2026-01-02  document      POL-001")
    data = json.loads(run_cli("report", "reviews", handbook.root, "--format", "json").out)
    assert data["counts"]["overdue"] == 1 and data["today"] == "2026-11-27"


def test_export_is_scoped_to_the_audience(handbook: Handbook, tmp_path: Path) -> None:
    out = tmp_path / "public.json"
    result = run_cli("export", handbook.root, "--audience", "public", "--output", out)
    assert result.code == 0
    text = out.read_text()
    data = json.loads(text)
    assert data["audience"] == "public"
    assert list(data["registers"]) == ["services"]
    assert "RSK-001" not in text and "POL-001" not in text and "service-manager" not in text
    internal = json.loads(run_cli("export", handbook.root, "--audience", "internal").out)
    assert "risks" in internal["registers"]


def test_unknown_audience_is_a_clear_error(handbook: Handbook) -> None:
    result = run_cli("export", handbook.root, "--audience", "everyone")
    assert result.code == 2
    assert (
        result.err
        == "sms-handbook: unknown audience 'everyone'; audiences: public, internal, restricted\n"
    )


def test_bad_sms_today_is_a_clear_error(
    handbook: Handbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMS_TODAY", "tomorrow")
    result = run_cli("report", "reviews", handbook.root)
    assert result.code == 2 and "SMS_TODAY is not a date" in result.err


@pytest.mark.parametrize("command", ["validate", "build", "serve", "report", "export"])
def test_every_command_has_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0
    assert "usage: sms-handbook " + command in result.out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


@pytest.mark.slow
def test_serve_rebuilds_when_a_register_changes(handbook: Handbook) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "sms_handbook.cli",
        "serve",
        str(handbook.root),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(
        command, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}/handbook/registers/risks/"
    try:
        deadline = time.monotonic() + 60
        page = None
        while page is None and time.monotonic() < deadline:
            time.sleep(0.3)
            page = fetch(url)
        assert page is not None and "Backup storage fails" in page
        handbook.replace(
            "registers/risks.yaml", "title: Backup storage fails", "title: Tape library jams"
        )
        while time.monotonic() < deadline:
            time.sleep(0.3)
            page = fetch(url) or ""
            if "Tape library jams" in page:
                break
        assert "Tape library jams" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
        assert server.stderr is not None
        server.stderr.close()


def test_a_strict_build_stops_on_a_broken_link_at_its_line(
    handbook: Handbook, tmp_path: Path
) -> None:
    handbook.write("docs/links.md", "---\ntitle: Links\n---\n\n# Links\n\nSee [it](gone.md).\n")
    strict = run_cli("build", handbook.root, "--site-dir", tmp_path / "a", "--audience", "public")
    assert strict.code != 0, strict.output
    assert "docs/links.md:7:5: SMS206" in strict.output
    assert "none of them from sms-handbook" not in strict.output
    assert not (tmp_path / "a").exists()


def test_a_strict_failure_ends_each_warning_once() -> None:
    from sms_handbook.engines.base import strict_failure

    message = strict_failure("MkDocs", ["WARNING -  Doc file 'a.md' has a problem."])
    assert message is not None and ".." not in message and ". Fix them" in message


def test_percentages_are_whole_and_rounded_down_in_json_as_in_text(handbook: Handbook) -> None:
    import json
    import re

    text = run_cli("report", "coverage", handbook.root).out
    shown = re.search(r"evidenced \((\d+)%\), \d+ documented \((\d+)%\)", text)
    assert shown is not None, text
    figures = json.loads(run_cli("report", "coverage", handbook.root, "--format", "json").out)
    assert figures["figures"]["evidenced_percent"] == int(shown.group(1))
    assert figures["figures"]["documented_percent"] == int(shown.group(2))
    assert isinstance(figures["figures"]["evidenced_percent"], int)
