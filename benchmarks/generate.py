"""Generate a synthetic handbook in the sms-handbook format, deterministically.

    python benchmarks/generate.py OUT --documents 1000 --records 2000

N documents of about 600 words spread over sections, each a controlled document with front
matter; registers (services, risks, suppliers, improvements, roles) with realistic cross
references and a mix of classifications; and two MkDocs configurations on the same Markdown:
`mkdocs.yml` (the handbook: material, search and the sms-handbook plugin) and
`mkdocs-material.yml` (plain mkdocs-material with its default configuration).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

WORDS = [
    "service",
    "customer",
    "change",
    "incident",
    "request",
    "problem",
    "supplier",
    "capacity",
    "availability",
    "continuity",
    "security",
    "risk",
    "review",
    "approval",
    "record",
    "policy",
    "procedure",
    "plan",
    "target",
    "report",
    "measure",
    "improve",
    "agree",
    "deliver",
    "monitor",
    "restore",
    "escalate",
    "classify",
    "document",
    "control",
    "audit",
    "objective",
    "resource",
    "budget",
    "demand",
    "release",
    "deploy",
    "configure",
    "asset",
    "knowledge",
    "communicate",
    "competence",
    "awareness",
    "management",
    "system",
    "process",
    "owner",
    "approver",
    "version",
    "status",
    "clause",
    "evidence",
    "register",
    "catalogue",
]
SECTIONS = ("policies", "plans", "procedures", "agreements", "records", "guides", "operations")
TYPES = {
    "policies": "policy",
    "plans": "plan",
    "procedures": "procedure",
    "agreements": "agreement",
    "records": "record",
    "guides": "other",
    "operations": "procedure",
}
PREFIX = {
    "policy": "POL",
    "plan": "PLN",
    "procedure": "PRO",
    "agreement": "AGR",
    "record": "REC",
    "other": "DOC",
}
ROLES = [
    "managing-director",
    "service-manager",
    "quality-manager",
    "risk-manager",
    "security-manager",
    "operations-manager",
    "supplier-manager",
    "relationship-manager",
]
LEAVES = [
    "4.1",
    "4.2",
    "4.3",
    "5.2.1",
    "6.1.2",
    "6.2.1",
    "6.3",
    "7.2",
    "7.5.2",
    "8.2.4",
    "8.3.3",
    "8.5.1.1",
    "8.5.1.3",
    "8.6.1",
    "8.6.3",
    "8.7.2",
    "9.1",
    "9.2.2",
    "9.3",
    "10.2",
]

MATERIAL_CONFIG = """site_name: Benchmark handbook
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
plugins:
  - search
"""
# The handbook differs from plain material by the plugin (and its guard extension) alone.
HANDBOOK_CONFIG = (
    MATERIAL_CONFIG.replace("  - attr_list\n", "  - sms_handbook.guard\n  - attr_list\n")
    + "  - sms-handbook:\n      audience: internal\n"
)


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: int) -> str:
    chunks, left = [], words
    while left > 0:
        size = min(left, rng.randint(8, 18))
        chunks.append(sentence(rng, size))
        left -= size
    return " ".join(chunks)


def document(rng: random.Random, index: int, section: str, words: int) -> tuple[str, str]:
    doc_type = TYPES[section]
    doc_id = f"{PREFIX[doc_type]}-{index:05d}"
    owner, approver = rng.sample(ROLES, 2)
    classification = rng.choices(["public", "internal", "restricted"], weights=[1, 8, 1])[0]
    status = rng.choices(["approved", "draft", "in-review"], weights=[8, 1, 1])[0]
    clauses = rng.sample(LEAVES, rng.randint(1, 3))
    title = f"{section[:-1].capitalize()} {index}: {sentence(rng, 4)[:-1]}"
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {json.dumps(title)}",
        f"type: {doc_type}",
        f"owner: {owner}",
        f"approver: {approver}",
        f'version: "{rng.randint(1, 5)}.{rng.randint(0, 9)}"',
        f"status: {status}",
    ]
    if status == "approved":
        lines.append(f"approved_on: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}")
    lines += [
        f"classification: {classification}",
        f"clauses: {clauses}",
        "---",
        "",
        f"# {title}",
        "",
    ]
    left = words
    heading = 0
    while left > 0:
        heading += 1
        lines += [f"## Part {heading}", ""]
        for _ in range(2):
            size = min(left, 60)
            lines += [paragraph(rng, size), ""]
            left -= size
            if left <= 0:
                break
    return f"{section}/{doc_id.lower()}.md", "\n".join(lines) + "\n"


def register_file(
    kind: str, title: str, owner: str, records: list[str], classification: str = ""
) -> str:
    """A register file: its header, then the lines of its records."""
    header = [f"register: {kind}", f"title: {title}", f"owner: {owner}"]
    if classification:
        header.append(f"classification: {classification}")
    return "\n".join([*header, "reviewed_on: 2026-06-01", "records:", *records]) + "\n"


def registers(rng: random.Random, records: int) -> dict[str, str]:
    services = max(5, records // 20)
    suppliers = max(3, records // 20)
    improvements = max(5, records // 4)
    risks = max(5, records - services - suppliers - improvements)
    out = {}
    role_lines = []
    for role in ROLES:
        role_lines += [
            f"  - id: {role}",
            f"    name: {role.replace('-', ' ').capitalize()}",
            f"    responsibilities: [{sentence(rng, 6)}]",
            "    holder: Someone",
        ]
    out["roles"] = register_file("roles", "Roles", "service-manager", role_lines)
    lines = []
    for i in range(1, services + 1):
        deps = rng.sample(range(1, services + 1), min(2, services - 1))
        lines += [
            f"  - id: SVC-{i:04d}",
            f"    name: Service {i}",
            f"    summary: {sentence(rng, 12)}",
            f"    status: {rng.choice(['live', 'live', 'pipeline'])}",
            "    criticality: high",
            f"    owner: {rng.choice(ROLES)}",
            "    customers: [Customers]",
            f"    intended_outcomes: [{sentence(rng, 8)}]",
            "    service_level_targets:",
            "      - metric: Availability",
            "        target: 99.9 %",
            "    support_hours: Weekdays",
            "    workload_limits: Agreed per customer",
            f"    dependencies: [{', '.join(f'SVC-{d:04d}' for d in deps if d != i)}]",
            f"    classification: {rng.choices(['public', 'internal'], weights=[3, 1])[0]}",
        ]
    out["services"] = register_file("services", "Services", "service-manager", lines, "public")
    lines = []
    for i in range(1, suppliers + 1):
        lines += [
            f"  - id: SUP-{i:04d}",
            f"    name: Supplier {i}",
            f"    kind: {rng.choice(['external', 'internal', 'customer'])}",
            "    manager: supplier-manager",
            f"    services: [SVC-{rng.randint(1, services):04d}]",
            f"    scope: {sentence(rng, 8)}",
            f"    contract_ref: C-{i}",
            "    service_level_targets:",
            "      - metric: Response",
            "        target: 4 hours",
            f"    next_contract_review: 2027-{rng.randint(1, 12):02d}-15",
        ]
    out["suppliers"] = register_file("suppliers", "Suppliers", "supplier-manager", lines)
    lines = []
    categories = [
        "organization",
        "service-requirements",
        "other-parties",
        "information-security",
        "availability",
        "continuity",
        "capacity",
        "financial",
        "other",
    ]
    for i in range(1, risks + 1):
        lines += [
            f"  - id: RSK-{i:05d}",
            f"    title: {sentence(rng, 6)[:-1]}",
            f"    kind: {rng.choice(['risk', 'opportunity'])}",
            f"    category: {rng.choice(categories)}",
            f"    services: [SVC-{rng.randint(1, services):04d}]",
            f"    owner: {rng.choice(ROLES)}",
            f"    likelihood: {rng.randint(1, 5)}",
            f"    impact: {rng.randint(1, 5)}",
            "    treatment: reduce",
            f"    actions: [{sentence(rng, 8)}]",
            f"    status: {rng.choice(['open', 'treating'])}",
            f"    next_review: 2027-{rng.randint(1, 12):02d}-01",
        ]
        if rng.random() < 0.1:
            lines.append("    classification: restricted")
    out["risks"] = register_file("risks", "Risks", "risk-manager", lines)
    lines = []
    for i in range(1, improvements + 1):
        lines += [
            f"  - id: IMP-{i:05d}",
            f"    title: {sentence(rng, 6)[:-1]}",
            f"    kind: {rng.choice(['improvement', 'nonconformity', 'corrective-action'])}",
            "    source: internal-audit",
            f"    source_ref: Audit {i}",
            f"    owner: {rng.choice(ROLES)}",
            "    priority: medium",
            f"    status: {rng.choice(['proposed', 'approved', 'in-progress'])}",
            f"    target: {sentence(rng, 6)}",
            f"    due: 2027-{rng.randint(1, 12):02d}-28",
        ]
    out["improvements"] = register_file("improvements", "Improvements", "quality-manager", lines)
    return out


def generate(out: Path, documents: int, records: int, words: int = 600, seed: int = 20000) -> Path:
    """Write the synthetic handbook to `out` (replacing it); returns `out`."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "docs").mkdir(parents=True)
    (out / "registers").mkdir()
    (out / "docs" / "index.md").write_text(
        "---\ntitle: Home\nclassification: public\n---\n\n# Home\n\nWelcome.\n"
    )
    for index in range(1, documents + 1):
        section = SECTIONS[index % len(SECTIONS)]
        path, text = document(rng, index, section, words)
        target = out / "docs" / path
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name, text in registers(rng, records).items():
        (out / "registers" / f"{name}.yaml").write_text(text, encoding="utf-8")
    (out / "mkdocs.yml").write_text(HANDBOOK_CONFIG, encoding="utf-8")
    (out / "mkdocs-material.yml").write_text(MATERIAL_CONFIG, encoding="utf-8")
    (out / "mkdocs-material-prune.yml").write_text(
        MATERIAL_CONFIG.replace(
            "  font: false\n", "  font: false\n  features: [navigation.prune]\n"
        ),
        encoding="utf-8",
    )
    return out


def generate_apart(out: Path, documents: int, records: int, words: int = 600) -> Path:
    """`generate` in a child process, which keeps the benchmark runner's own memory small.

    Linux counts the parent's peak memory into a child's `ru_maxrss` (the child starts in the
    parent's address space until it runs its program), so a runner that had built 100,000
    records in memory would inflate every figure after it.
    """
    command = [sys.executable, __file__, str(out), "--documents", str(documents)]
    command += ["--records", str(records), "--words", str(words)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    generate(args.out, args.documents, args.records, args.words)
    print(f"wrote {args.documents} documents and {args.records} records to {args.out}")


if __name__ == "__main__":
    main()
