"""Hostile and large inputs: each works or ends with a clear error, in bounded time and memory.

The bounds are generous on purpose (a shared two-core machine); the benchmark records the real
figures. Each command runs in its own process, measured by the benchmark's own `run`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.measure import BIN, Sample, run
from tests.conftest import Handbook

pytestmark = pytest.mark.slow


def measure(*command: str | Path, timeout: float = 600) -> Sample:
    """The command in its own process, as the benchmark measures it; never longer than `timeout`."""
    result = run([str(c) for c in command], Path.cwd(), check=False)
    assert result.seconds < timeout
    return result


def risk_register(count: int) -> str:
    lines = [
        "register: risks",
        "title: Risks",
        "owner: service-manager",
        "reviewed_on: 2026-09-01",
        "records:",
    ]
    for i in range(1, count + 1):
        lines += [
            f"  - id: RSK-{i:06d}",
            f"    title: Risk number {i}",
            "    kind: risk",
            "    category: other",
            "    services: [SVC-001]",
            "    owner: service-manager",
            f"    likelihood: {i % 5 + 1}",
            f"    impact: {i // 5 % 5 + 1}",
            "    treatment: reduce",
            # one value with markup: a '*' in the text once made every position lookup
            # parse the whole file again (quadratic in the number of records)
            "    actions: [Act.]" if i > 1 else '    actions: ["**Act** now."]',
            "    status: open",
            "    next_review: 2027-01-01",
        ]
    return "\n".join(lines) + "\n"


def test_a_register_of_100000_records_validates(handbook: Handbook) -> None:
    handbook.write("registers/risks.yaml", risk_register(100_000))
    result = measure(BIN / "sms-handbook", "validate", handbook.root)
    assert result.code == 0, result.output
    assert "100006 records: no problems found" in result.output
    assert result.seconds < 240 and result.peak_mb < 4096, result


def test_a_large_register_builds_with_a_bounded_page(handbook: Handbook) -> None:
    handbook.write("registers/risks.yaml", risk_register(20_000))
    result = measure(BIN / "sms-handbook", "build", handbook.root, "--audience", "internal")
    assert result.code == 0, result.output
    page = (handbook.root / "site/internal/handbook/registers/risks/index.html").read_text()
    assert "This page shows the first 1,000 of 20,000 records" in page
    assert page.count('class="sms-facts sms-record"') == 1000
    assert result.seconds < 300 and result.peak_mb < 4096, result


def test_a_five_megabyte_page_and_a_very_long_line_build(handbook: Handbook) -> None:
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20
    handbook.write("docs/huge.md", "# Huge\n\n" + (paragraph + "\n\n") * 4400)
    handbook.write("docs/long-line.md", "# Long line\n\n" + "x" * 2_000_000 + "\n")
    handbook.write("registers/long.yaml", "register: services\nrecords: [" + "a" * 1_000_000 + "\n")
    size = (handbook.root / "docs/huge.md").stat().st_size
    assert size > 5_000_000
    invalid = measure(BIN / "sms-handbook", "validate", handbook.root)
    # reported where the unclosed list's line ends, where the `]` is missing
    expected = "registers/long.yaml:2:1000011: SMS004"
    assert invalid.code == 1 and expected in invalid.output, invalid.output
    (handbook.root / "registers/long.yaml").unlink()
    result = measure(BIN / "sms-handbook", "build", handbook.root, "--audience", "internal")
    assert result.code == 0, result.output
    assert (handbook.root / "site/internal/huge/index.html").stat().st_size > 5_000_000
    assert result.seconds < 300 and result.peak_mb < 4096, result


def test_deeply_nested_yaml_is_refused_quickly(handbook: Handbook) -> None:
    handbook.write(
        "registers/deep.yaml", "register: risks\nx: " + "[" * 20_000 + "]" * 20_000 + "\n"
    )
    handbook.write(
        "registers/deep2.yaml",
        "register: risks\n" + "".join("  " * i + f"k{i}:\n" for i in range(200)),
    )
    result = measure(BIN / "sms-handbook", "validate", handbook.root)
    assert result.code == 1
    assert "registers/deep.yaml:2:" in result.output and "SMS004" in result.output
    assert "registers/deep2.yaml:" in result.output and "SMS011" in result.output
    assert "Traceback" not in result.output
    assert result.seconds < 60, result


def test_thousands_of_documents_validate(handbook: Handbook) -> None:
    for i in range(5000):
        handbook.write(
            f"docs/many/procedure-{i}.md",
            f"---\nid: PRO-{i + 100:04d}\ntitle: Procedure {i}\ntype: procedure\n"
            'owner: service-manager\napprover: managing-director\nversion: "1.0"\nstatus: draft\n'
            f"---\n# Procedure {i}\n",
        )
    result = measure(BIN / "sms-handbook", "validate", handbook.root)
    assert result.code == 0 and "5002 pages" in result.output, result.output
    assert result.seconds < 120 and result.peak_mb < 2048, result
