"""Large and hostile inputs: what each costs, and how it ends (works, or a clear error).

The test suite checks that each case ends well within generous bounds; the real figures of
this machine are recorded here.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from generate import generate_apart
from measure import BIN, Series, run


@dataclass
class Figure:
    label: str
    command: str
    series: Series

    def outcome(self) -> str:
        sample = self.series.samples[-1]
        if "Traceback" in sample.output:
            return f"exit {sample.code}, **traceback**"
        if sample.code == 0:
            return "works (exit 0)"
        first: dict[str, str] = {}
        for where, code in _DIAGNOSTIC.findall(sample.output):
            first.setdefault(code, where)
        found = ", ".join(f"{code} at {where}" for code, where in sorted(first.items()))
        return f"clear error (exit {sample.code}: {found})" if found else f"exit {sample.code}"

    def row(self) -> str:
        return (
            f"| {self.label} | `{self.command}` | {self.series.spread()} "
            f"| {self.series.peak:.0f} MB | {self.outcome()} |"
        )


_DIAGNOSTIC = re.compile(r"^(\S+:\d+:\d+): (SMS\d{3})\b", re.MULTILINE)
HEADER = [
    "| input | command | time | peak memory | outcome |",
    "|---|---|---|---|---|",
]


def _measure(label: str, args: list[str], root: Path, repeats: int) -> Figure:
    series = Series(label)
    for round_number in range(repeats):
        if (root / "site").exists():
            shutil.rmtree(root / "site")
        sample = run([str(BIN / "sms-handbook"), *args, str(root)], root, check=False)
        series.samples.append(sample)
        print(
            f"  round {round_number + 1}: {label}: {sample.seconds:.2f} s, "
            f"{sample.peak_mb:.0f} MB, exit {sample.code}",
            flush=True,
        )
    return Figure(label, f"sms-handbook {' '.join(args)}", series)


def hostile_inputs(
    work: Path, records: int, documents: int, page_bytes: int, repeats: int
) -> list[Figure]:
    print("large and hostile inputs", flush=True)
    build = ["build", "--audience", "internal", "--site-dir", "site"]
    figures = []

    root = generate_apart(work / f"hostile-records-{records}", 20, records)
    figures.append(_measure(f"{records:,} register records", ["validate"], root, repeats))
    figures.append(_measure(f"{records:,} register records", build, root, repeats))

    root = generate_apart(work / f"hostile-documents-{documents}", documents, 100, words=60)
    figures.append(_measure(f"{documents:,} documents", ["validate"], root, repeats))

    root = generate_apart(work / "hostile-pages", 20, 100)
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20
    size = page_bytes
    with open(root / "docs" / "huge.md", "w", encoding="utf-8") as huge:
        huge.write("# Huge\n\n")
        for _ in range(size // len(paragraph) + 1):
            huge.write(paragraph + "\n\n")
    with open(root / "docs" / "long-line.md", "w", encoding="utf-8") as long_line:
        long_line.write("# Long line\n\n")
        for _ in range(size // 2 // 10_000):
            long_line.write("x" * 10_000)
        long_line.write("\n")
    label = f"a {size / 1e6:g} MB page and a {size / 2e6:g} MB line"
    figures.append(_measure(label, build, root, repeats))

    root = generate_apart(work / "hostile-nesting", 20, 100)
    (root / "registers" / "deep.yaml").write_text(
        "register: risks\nx: " + "[" * 20_000 + "]" * 20_000 + "\n"
    )
    (root / "registers" / "deep2.yaml").write_text(
        "register: risks\n" + "".join("  " * i + f"k{i}:\n" for i in range(200))
    )
    figures.append(_measure("YAML nested 20,000 and 200 deep", ["validate"], root, repeats))
    return figures
