"""Benchmark sms-handbook against plain mkdocs-material and the YAML parse floor.

    python benchmarks/run.py                 # the full run (about an hour on two cores)
    python benchmarks/run.py --smoke         # a tiny run, to check that everything works

Every command runs as its own process (whole-process wall time and peak memory from
`os.wait4`); the commands of one comparison alternate, repeat, and report the median with
min-max. Results print as a Markdown table of ratios with the targets, followed by the
figures for large and hostile inputs, and are saved to benchmarks/results/.

    python benchmarks/run.py --only hostile  # one section: builds, engines, registers, growth,
                                             # audiences, validate, previous, hook, history,
                                             # preview, hostile or corpus
                                             # (comma-separated for several)

Peak memory is each command's `ru_maxrss` from `os.wait4`: on Linux, the largest peak of any
one process of the command's tree (the build or one of its workers), never a sum.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import PLAIN, corpus_copy, corpus_names
from generate import generate_apart
from history import with_history, without_history
from hostile import HEADER as HOSTILE_HEADER
from hostile import Figure, hostile_inputs
from measure import BIN, ENV, Series, alternate, compiled
from preview import preview_series

ROOT = Path(__file__).resolve().parents[1]
BUILD_RECORDS = 500  # register records beside the documents in build comparisons
SECTIONS = (
    "builds",
    "engines",
    "registers",
    "growth",
    "audiences",
    "validate",
    "previous",
    "hook",
    "history",
    "preview",
    "hostile",
    "corpus",
)
# the commit before the conformity model (the first commit of core/conformity is its child)
PREVIOUS = "11638f4"
ENGINES = ("mkdocs", "properdocs", "zensical")


@dataclass
class Comparison:
    label: str
    ours: Series
    baseline: Series
    target: float | None  # ours / baseline must be at most this (None: report only)
    faster: bool = False  # the target is "baseline / ours at least target"

    @property
    def ratio(self) -> float:
        if self.faster:
            return self.baseline.median / self.ours.median
        return self.ours.median / self.baseline.median

    @property
    def met(self) -> str:
        if self.target is None:
            return ""
        ok = self.ratio >= self.target if self.faster else self.ratio <= self.target
        return "yes" if ok else "**no**"

    def row(self) -> str:
        sign = "\u2265" if self.faster else "\u2264"
        target = f"{sign} {self.target:g}\u00d7" if self.target is not None else "-"
        word = " faster" if self.faster else ""
        return (
            f"| {self.label} | {self.ours.spread()} "
            f"| {self.baseline.name}: {self.baseline.spread()} "
            f"| {self.ratio:.2f}\u00d7{word} | {target} | {self.met} |"
        )


def mkdocs(config: str, site: Path) -> list[str]:
    return [str(BIN / "mkdocs"), "build", "-q", "-f", config, "-d", str(site)]


def builds(work: Path, sizes: list[int], records: int, repeats: int) -> list[Comparison]:
    results = []
    for size in sizes:
        print(f"build, {size} documents", flush=True)
        root = generate_apart(work / f"handbook-{size}", size, records)
        series = alternate(
            {
                "material": mkdocs("mkdocs-material.yml", work / "site-a"),
                "material+prune": mkdocs("mkdocs-material-prune.yml", work / "site-b"),
                "handbook": mkdocs("mkdocs.yml", work / "site-c"),
            },
            root,
            repeats,
        )
        results.append(
            Comparison(
                f"build, {size} docs, vs material defaults",
                series["handbook"],
                series["material"],
                0.5 if size == 1000 else None,
            )
        )
        results.append(
            Comparison(
                f"build, {size} docs, vs material + prune",
                series["handbook"],
                series["material+prune"],
                1.0 if size == 1000 else None,
            )
        )
        print(
            f"  peak memory: handbook {series['handbook'].peak:.0f} MB, "
            f"material {series['material'].peak:.0f} MB",
            flush=True,
        )
        results.append(
            MemoryComparison(
                f"peak memory, {size} docs",
                series["handbook"],
                series["material"],
                1.3,
            )
        )
        results.append(
            MemoryComparison(
                f"peak memory, {size} docs, vs material + prune",
                series["handbook"],
                series["material+prune"],
                1.3,
            )
        )
    return results


def cli_build(root: Path, site: Path, engine: str, audience: str = "internal") -> list[str]:
    command = [str(BIN / "sms-handbook"), "build", str(root), "--audience", audience]
    return [*command, "--site-dir", str(site), "--engine", engine]


def engines(work: Path, size: int, records: int, repeats: int) -> list[Comparison]:
    """`sms-handbook build` (stage, engine, finish, verify) with each engine, one audience."""
    print(f"engines, {size} documents", flush=True)
    root = generate_apart(work / f"engines-{size}", size, records)
    commands = {"material+prune": mkdocs("mkdocs-material-prune.yml", work / "site-e0")}
    for engine in ENGINES:
        commands[engine] = cli_build(root, work / f"site-e-{engine}", engine)
    stage = [str(BIN / "sms-handbook"), "stage", str(root), "--audience", "internal"]
    clean = ["bash", "-c", f"rm -rf {root / '.cache'} && {' '.join(stage)}"]
    commands["stage (cold)"] = clean
    commands["stage (unchanged)"] = stage
    series = alternate(commands, root, repeats)
    results = [
        Comparison(
            f"sms-handbook build --engine {engine}, {size} docs, vs material + prune",
            series[engine],
            series["material+prune"],
            None,
        )
        for engine in ENGINES
    ]
    for kind in ("stage (cold)", "stage (unchanged)"):
        results.append(
            Comparison(
                f"{kind} write alone, {size} docs, vs material + prune build",
                series[kind],
                series["material+prune"],
                None,
            )
        )
    return results


def register_heavy(work: Path, documents: int, records: int, repeats: int) -> list[Comparison]:
    """A handbook of fewer documents and many register records (60 services among them)."""
    print(f"register-heavy, {documents} documents and {records} records", flush=True)
    root = generate_apart(work / f"registers-{documents}", documents, records)
    series = alternate(
        {
            "material+prune": mkdocs("mkdocs-material-prune.yml", work / "site-r0"),
            "handbook": mkdocs("mkdocs.yml", work / "site-r1"),
            # the same build without worker processes: what it costs on one core
            "one process": ["env", "SMS_WORKERS=0", *mkdocs("mkdocs.yml", work / "site-r2")],
        },
        root,
        repeats,
    )
    return [
        Comparison(
            f"build, {documents} docs + {records} records, vs material + prune",
            series["handbook"],
            series["material+prune"],
            1.15,
        ),
        Comparison(
            "the same build in one process (SMS_WORKERS=0), vs material + prune",
            series["one process"],
            series["material+prune"],
            None,
        ),
    ]


def growth(work: Path, small: int, large: int, records: int, repeats: int) -> list[Comparison]:
    """Builds of both sizes in alternation, so that drift over the run hits both alike."""
    print(f"growth, {small} and {large} documents", flush=True)
    roots = {size: generate_apart(work / f"grow-{size}", size, records) for size in (small, large)}
    series = alternate(
        {
            f"{size} docs": mkdocs(str(roots[size] / "mkdocs.yml"), work / f"site-growth-{size}")
            for size in (small, large)
        },
        work,
        repeats,
    )
    return [
        Comparison(
            f"build growth, {small} \u2192 {large} docs",
            series[f"{large} docs"],
            series[f"{small} docs"],
            3.3,
        )
    ]


class MemoryComparison(Comparison):
    @property
    def ratio(self) -> float:
        return self.ours.peak / self.baseline.peak

    def row(self) -> str:
        target = f"\u2264 {self.target:g}\u00d7" if self.target is not None else "-"
        return (
            f"| {self.label} | {self.ours.peak:.0f} MB "
            f"| {self.baseline.name}: {self.baseline.peak:.0f} MB "
            f"| {self.ratio:.2f}\u00d7 | {target} | {self.met} |"
        )


class CpuComparison(Comparison):
    """CPU seconds (user and system, the command's workers included): what a loaded machine
    changes least, beside the wall time that the targets are set in."""

    @property
    def ratio(self) -> float:
        return self.ours.cpu_median / self.baseline.cpu_median

    def row(self) -> str:
        return (
            f"| {self.label} | {self.ours.cpu_spread()} "
            f"| {self.baseline.name}: {self.baseline.cpu_spread()} "
            f"| {self.ratio:.2f}\u00d7 | - |  |"
        )


def audiences(work: Path, size: int, records: int, repeats: int) -> list[Comparison]:
    print(f"audiences, {size} documents", flush=True)
    root = generate_apart(work / f"audiences-{size}", size, records)
    cli = str(BIN / "sms-handbook")
    series = alternate(
        {
            "one audience": [
                cli,
                "build",
                str(root),
                "--audience",
                "internal",
                "--site-dir",
                str(work / "aud-1"),
            ],
            "three audiences": [
                cli,
                "build",
                str(root),
                "--audience",
                "all",
                "--site-dir",
                str(work / "aud-3"),
            ],
        },
        root,
        repeats,
    )
    return [
        Comparison(
            f"build --audience all (3), {size} docs",
            series["three audiences"],
            series["one audience"],
            1.8,
        )
    ]


FLOOR = """
import gc, sys, yaml
gc.disable()
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)
"""


def validation(work: Path, records: int, repeats: int, compare: bool) -> list[Comparison]:
    """`validate` against the bare YAML parse; with `compare`, against check-jsonschema too
    (a minute per 50,000 records and round: measured at one size only)."""
    print(f"validate, {records} records", flush=True)
    root = generate_apart(work / f"validate-{records}", 20, records)
    registers = sorted(str(p) for p in (root / "registers").glob("*.yaml"))
    cli = str(BIN / "sms-handbook")
    subprocess.run(
        [cli, "schema", str(root), "--out", str(root / ".schemas")],
        env=ENV,
        check=True,
        capture_output=True,
    )
    checks = " && ".join(
        f"{BIN / 'check-jsonschema'} --schemafile "
        f"{root / '.schemas' / (Path(p).stem + '.schema.json')} {p}"
        for p in registers
    )
    commands = {
        "validate": [cli, "validate", str(root)],
        "C-loader parse, GC paused": [sys.executable, "-c", FLOOR, *registers],
    }
    if compare:
        commands["check-jsonschema"] = ["bash", "-c", checks]
    series = alternate(commands, root, repeats)
    results = [
        Comparison(
            f"validate, {records} records, vs parse floor",
            series["validate"],
            series["C-loader parse, GC paused"],
            2.0,
        )
    ]
    if compare:
        results.append(
            Comparison(
                f"validate, {records} records, vs check-jsonschema",
                series["validate"],
                series["check-jsonschema"],
                3.0,
                faster=True,
            )
        )
    return [
        *results,
        MemoryComparison(
            f"peak memory, validate {records} records",
            series["validate"],
            series["C-loader parse, GC paused"],
            None,
        ),
    ]


def previous_commit(work: Path, records: int, repeats: int, revision: str) -> list[Comparison]:
    """`sms-handbook build` of many records, against an older commit of this repository in
    the same run: its package is unpacked from git and put first on PYTHONPATH (same
    virtual environment, same generated data, each in its own folder and stage)."""
    print(f"{records} records, against {revision}", flush=True)
    old = work / f"previous-{revision}"
    if not old.exists():
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision, "plugins"],
            capture_output=True,
            check=True,
        ).stdout
        old.mkdir(parents=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        compiled(old / "plugins")
    cli = str(BIN / "sms-handbook")
    commands = {}
    for name, prefix in (("now", []), (revision, ["env", f"PYTHONPATH={old / 'plugins'}"])):
        root = generate_apart(work / f"previous-{name}-{records}", 20, records)
        site = root / "site"
        commands[name] = [*prefix, cli, "build", str(root), "--audience", "internal"]
        commands[name] += ["--site-dir", str(site)]
    series = alternate(commands, work, repeats)
    return [
        Comparison(
            f"build, {records} records, vs the commit before the conformity model",
            series["now"],
            series[revision],
            1.0,
        ),
        CpuComparison(
            f"CPU, build {records} records, vs that commit", series["now"], series[revision], None
        ),
        MemoryComparison(
            f"peak memory, build {records} records, vs that commit",
            series["now"],
            series[revision],
            None,
        ),
    ]


def hook_latency(work: Path, repeats: int) -> list[Comparison]:
    print("pre-commit hook on the example handbook", flush=True)
    repo = work / "hook-repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir()
    for name in ("docs", "registers"):
        shutil.copytree(ROOT / name, repo / name)
    shutil.copy2(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: sms-handbook-validate\n"
        f"        name: validate\n        entry: {BIN / 'sms-handbook-validate'}\n"
        "        language: unsupported\n        pass_filenames: false\n"
    )
    git_env = {
        **ENV,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@x",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@x",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "bench"]):
        subprocess.run(["git", *args], cwd=repo, env=git_env, check=True)
    series = alternate(
        {
            "hook": [str(BIN / "pre-commit"), "run", "sms-handbook-validate", "--all-files"],
            "python startup": [sys.executable, "-c", "pass"],
        },
        repo,
        repeats,
    )
    return [
        Comparison(
            "pre-commit hook, example handbook", series["hook"], series["python startup"], None
        )
    ]


def history_checks(work: Path, documents: int, commits: int, repeats: int) -> list[Comparison]:
    """`validate` of a handbook with its git history (the history checks read every commit;
    what they parsed is cached in the git directory, so the row without a cache is the first
    run of a fresh clone) against the same handbook without a repository (no checks)."""
    print(f"history checks, {commits} commits, {documents} documents", flush=True)
    root = with_history(generate_apart(work / f"history-{documents}", documents, 200), commits)
    bare = without_history(root, work / f"history-{documents}-no-git")
    cli = str(BIN / "sms-handbook")
    cache = root / ".git" / "sms-handbook-history"
    # "first run" goes first in each round: it leaves the cache that "with history" reads, so
    # no round of "with history" pays for filling it (the first one did in earlier runs).
    series = alternate(
        {
            "first run": ["bash", "-c", f"rm -f '{cache}'*.json && '{cli}' validate '{root}'"],
            "with history": [cli, "validate", str(root)],
            "no history": [cli, "validate", str(bare)],
        },
        root,
        repeats,
    )
    size = f"{commits} commits, {documents} documents"
    return [
        Comparison(
            f"validate with history checks, {size}",
            series["with history"],
            series["no history"],
            1.2,
        ),
        Comparison(
            f"validate with history checks, first run (no cache), {size}",
            series["first run"],
            series["no history"],
            None,
        ),
    ]


def preview_latency(work: Path, size: int, records: int, edits: int) -> list[Comparison]:
    """Edit-to-refresh latency of `sms-handbook serve` (body, title and register edits)
    against the body edit of `mkdocs serve --dirty` on the same pages (benchmarks/preview.py)."""
    print(f"preview latency, {size} documents", flush=True)
    root = generate_apart(work / f"preview-{size}", size, records)
    found = preview_series(root, edits)
    dirty = found["mkdocs --dirty body"]
    cpu = f"server CPU: ours {{}}, mkdocs --dirty {dirty.cpu_spread()}"
    results = [
        Comparison(f"serve, body edit, {size} docs", found["sms-handbook body"], dirty, 1.5),
        Comparison(
            f"serve, title edit: the edited page, {size} docs",
            found["sms-handbook title"],
            dirty,
            3.0,
        ),
        Comparison(
            f"serve, title edit: every dependent page (its section's navigation, matrix, "
            f"reviews, pack), {size} docs",
            found["sms-handbook title dependents"],
            dirty,
            None,
        ),
        Comparison(
            f"serve, register edit: the register's page, {size} docs",
            found["sms-handbook register"],
            dirty,
            3.0,
        ),
        Comparison(
            f"serve, register edit: every dependent page (reviews, pack), {size} docs",
            found["sms-handbook register dependents"],
            dirty,
            None,
        ),
    ]
    for comparison in results:  # until the last page showed the edit
        comparison.label += f" ({cpu.format(comparison.ours.cpu_spread())})"
    if "zensical body" in found:
        results.append(
            Comparison(
                f"serve, body edit, {size} docs, vs zensical serve",
                found["sms-handbook body"],
                found["zensical body"],
                None,
            )
        )
        plain = found["zensical body"]
        for kind in ("body", "title", "register"):
            ours = found[f"sms-handbook zensical {kind}"]
            label = f"serve --engine zensical, {kind} edit, {size} docs, vs zensical serve"
            results.append(Comparison(label, ours, plain, None))
    return results


def corpus(work: Path, names: list[str], repeats: int) -> list[Comparison]:
    """The real sites of tests/corpus/: `mkdocs build` with the plugin for the highest audience
    against plain `mkdocs build` of the same copy (the plugin and the guard taken out)."""
    results = []
    for name in names:
        print(f"corpus, {name}", flush=True)
        root = corpus_copy(name, work / f"corpus-{name}")
        commands = {
            "plain": mkdocs(PLAIN, work / f"site-{name}-plain"),
            "handbook": [
                "env",
                "SMS_AUDIENCE=restricted",
                *mkdocs("mkdocs.yml", work / f"site-{name}"),
            ],
        }
        try:
            series = alternate(commands, root, repeats)
        except RuntimeError as error:  # a build that fails has no time to compare
            print(f"  no ratio for {name}: {str(error).splitlines()[0]}", flush=True)
            continue
        rounds = [
            ours.seconds / plain.seconds
            for ours, plain in zip(series["handbook"].samples, series["plain"].samples, strict=True)
        ]
        label = (
            f"corpus {name}: mkdocs build, highest audience, vs plain mkdocs build "
            f"(ratio per round {min(rounds):.2f}-{max(rounds):.2f})"
        )
        results.append(Comparison(label, series["handbook"], series["plain"], None))
    return results


def machine() -> str:
    cpus = os.cpu_count()
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            memory = f", {int(info.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {cpus} cores{memory}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="200,1000,3000", help="document counts for builds")
    parser.add_argument(
        "--records", default="50000,100000", help="record counts for validate (comma-separated)"
    )
    parser.add_argument(
        "--previous",
        default=PREVIOUS,
        help=f"git revision that `previous` builds against (default: {PREVIOUS})",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {', '.join(SECTIONS)})",
    )
    parser.add_argument(
        "--work", type=Path, help="folder for generated handbooks (default: a temp folder)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.md")
    args = parser.parse_args()
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    sizes = [10] if args.smoke else [int(s) for s in args.sizes.split(",")]
    repeats = 1 if args.smoke else args.repeats
    counts = [300] if args.smoke else [int(r) for r in args.records.split(",")]
    build_records = 100 if args.smoke else BUILD_RECORDS
    compiled(ROOT / "plugins")
    gc.collect()
    comparisons: list[Comparison] = []
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="sms-bench-") as folder:
        work = args.work or Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        if "builds" in only:
            comparisons += builds(work, sizes, build_records, repeats)
        if "engines" in only:
            comparisons += engines(work, 10 if args.smoke else 1000, build_records, repeats)
        if "registers" in only:
            documents, many = (10, 200) if args.smoke else (600, 1200)
            comparisons += register_heavy(work, documents, many, repeats)
        if "growth" in only:
            small, large = (10, 30) if args.smoke else (1000, 3000)
            comparisons += growth(work, small, large, build_records, repeats)
        if "audiences" in only:
            comparisons += audiences(work, 10 if args.smoke else 1000, build_records, repeats)
        if "validate" in only:
            for number, count in enumerate(counts):
                comparisons += validation(work, count, repeats, compare=number == 0)
        if "previous" in only:
            many = 300 if args.smoke else 100_000
            comparisons += previous_commit(work, many, repeats, args.previous)
        if "hook" in only:
            comparisons += hook_latency(work, repeats)
        if "history" in only:
            documents, commits = (20, 50) if args.smoke else (1000, 2000)
            comparisons += history_checks(work, documents, commits, repeats)
        if "preview" in only:
            size, records = (20, 100) if args.smoke else (1000, 1500)
            comparisons += preview_latency(work, size, records, 2 if args.smoke else 5)
        if "corpus" in only:
            comparisons += corpus(
                work, ["security-policies"] if args.smoke else corpus_names(), repeats
            )
        if "hostile" in only:
            figures = hostile_inputs(
                work,
                records=300 if args.smoke else 100_000,
                documents=20 if args.smoke else 5_000,
                page_bytes=20_000 if args.smoke else 5_000_000,
                repeats=repeats,
            )
    lines = [
        f"Benchmark of {datetime.date.today()} on {machine()}; medians of {repeats} "
        "whole-process runs (min-max), the commands of each comparison alternating"
        + (
            f"; `serve` rows: medians of {2 if args.smoke else 5} edits after a warm-up edit, "
            "from the write until a GET shows it."
            if "preview" in only
            else "."
        ),
    ]
    if comparisons:
        lines += [
            "",
            "| measurement | sms-handbook | baseline | ratio | target | met |",
            "|---|---|---|---|---|---|",
            *(c.row() for c in comparisons),
        ]
    if figures:
        lines += ["", "Large and hostile inputs:", "", *HOSTILE_HEADER, *(f.row() for f in figures)]
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    print(f"saved to {args.out}")


if __name__ == "__main__":
    main()
