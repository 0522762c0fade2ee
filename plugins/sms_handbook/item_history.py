"""The history checks' reading of git: one pass over the default branch's log, then every
changed file's content in one `git cat-file --batch`; the checks themselves are in the core
(`core/integrity`)."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gitrepo
from .core.integrity import (
    Addressing,
    Commit,
    HistoryReport,
    ItemHistory,
    Limits,
    RecordRules,
    Version,
    addressed,
    check_items,
)
from .core.model import Handbook
from .core.settings import Settings
from .history_baseline import baseline_moves, commit_of, moved_finding
from .history_cache import HistoryCache, load_result, result_key, save_result

NOT_POSSIBLE = "History checks were not possible: "


@dataclass
class _File:
    """One tracked file's items while the log is replayed, oldest commit first."""

    kind: str  # "document" or "register"
    first_status: str
    items: dict[str, ItemHistory] = field(default_factory=dict)
    versions: int = 0


@dataclass(frozen=True)
class _Change:
    commit: Commit
    status: str  # A, M, D, R, C (git's)
    path: str
    old: str | None
    kind: str
    blob: str


def record_rules(handbook: Handbook) -> dict[str, RecordRules]:
    """What each register kind's schema marks for the history checks."""
    rules = {}
    for register in handbook.registers.values():
        schema = register.kind.record_schema
        dates = schema.get("x-record-date")
        rules[register.name] = RecordRules(
            tuple([dates] if isinstance(dates, str) else dates or ()),
            {k: tuple(v) for k, v in (schema.get("x-approved-when") or {}).items()},
            frozenset(schema.get("x-lifecycle-fields") or ()),
        )
    return rules


def _changes(
    output: str, line: dict[str, Commit], prefix: str, settings: Settings
) -> list[_Change]:
    """The changed documents and register files of `git log --raw`, oldest commit first."""
    docs, registers = settings.docs_dir.strip("/") + "/", settings.registers_dir.strip("/") + "/"
    changes = []
    for chunk in reversed(output.split("\x1e")[1:]):
        lines = chunk.strip("\n").split("\n")
        commit = line.get(lines[0].strip())
        if commit is None:
            continue
        for entry in lines[1:]:
            meta, _, names = entry.partition("\t")
            fields, paths = meta.split(), names.split("\t")
            if not entry.startswith(":") or len(fields) < 5 or not paths[0]:
                continue
            status, blob = fields[4][0], fields[3]
            path = paths[-1].removeprefix(prefix)
            old = paths[0].removeprefix(prefix) if len(paths) == 2 else None
            if path.startswith(docs) and path.endswith(".md"):
                changes.append(_Change(commit, status, path, old, "document", blob))
            elif (
                path.startswith(registers)
                and path.count("/") == registers.count("/")
                and path.endswith((".yaml", ".yml"))
            ):
                changes.append(_Change(commit, status, path, old, "register", blob))
    return changes


def _replay(
    root: Path,
    facts: gitrepo.Facts,
    settings: Settings,
    oldest: str | None,
    line: dict[str, Commit],
    rules: dict[str, RecordRules],
) -> list[ItemHistory]:
    paths = [settings.docs_dir.strip("/") + "/", settings.registers_dir.strip("/") + "/"]
    output = gitrepo.changes_on_line(root, oldest, paths)
    changes = _changes(output, line, facts.prefix, settings)
    cache = HistoryCache.load(facts.git_dir)
    present = [c for c in changes if c.status != "D"]
    cache.fill(
        root,
        [c.blob for c in present if c.kind == "document"],
        [c.blob for c in present if c.kind == "register"],
    )
    cache.save()
    files: dict[str, _File] = {}
    done: list[ItemHistory] = []
    for change in changes:
        path, old = change.path, change.old
        if old is not None and change.status == "R" and old in files:
            files[path] = files.pop(old)
            for item in files[path].items.values():
                item.path = path + item.path[len(old) :]
        if change.status == "D":
            gone = files.pop(path, None)
            done += gone.items.values() if gone else []
            continue
        entry = files.setdefault(path, _File(change.kind, change.status))
        if change.kind == "document":
            _add_document(entry, path, change.commit, cache.documents.get(change.blob))
        else:
            _add_records(entry, path, change.commit, cache, change.blob, rules)
        entry.versions += 1
    for entry in files.values():
        done += entry.items.values()
    return [item for item in done if item.versions]


def _add_document(
    entry: _File, path: str, commit: Commit, parsed: tuple[dict[str, Any], str] | None
) -> None:
    if parsed is None:
        return
    item = entry.items.setdefault(
        path, ItemHistory(path, "document", [], complete=entry.first_status in ("A", "C"))
    )
    item.versions.append(Version(commit, parsed[0], parsed[1]))


def _add_records(
    entry: _File,
    path: str,
    commit: Commit,
    cache: HistoryCache,
    blob: str,
    rules: dict[str, RecordRules],
) -> None:
    parsed = cache.registers.get(blob)
    if parsed is None:
        return
    kind, records = parsed
    kind_rules = rules.get(kind, RecordRules())
    seen = set()
    for record_id, key in records:
        record = cache.records.get(key)
        if record is None:
            continue
        item_key = f"{path}#{record_id}"
        seen.add(item_key)
        item = entry.items.get(item_key)
        if item is None:
            complete = entry.versions > 0 or entry.first_status in ("A", "C")
            item = entry.items[item_key] = ItemHistory(item_key, "record", [], complete, kind_rules)
        if not item.versions or item.versions[-1].fields != record:
            item.versions.append(Version(commit, record))
    for item_key in [k for k in entry.items if k not in seen]:
        del entry.items[item_key]  # a record taken out of the register; back later, it is new


def _addressing(handbook: Handbook) -> list[Addressing]:
    found = []
    for register, record in handbook.records():
        named = record.get("addresses_findings")
        if not isinstance(named, list):
            continue
        closed = all(record.get(k) in v for k, v in register.kind.closed_when.items()) and all(
            record.get(k) for k in ("cause", "correction", "effectiveness")
        )
        for entry in named:
            if isinstance(entry, dict):
                items = frozenset(str(i) for i in entry.get("items") or [])
                found.append(Addressing(record.id, str(entry.get("check")), items, closed))
    return found


def check_history(
    root: Path,
    settings: Settings,
    handbook: Handbook,
    config_file: Path | None = None,
    facts: gitrepo.Facts | None = None,
) -> HistoryReport:
    """The history checks on the handbook at `root`, or a report that says why not. The
    checks of one history (HEAD), settings and schemas are kept in the git directory, so a
    second run at the same commit reads them back; what addresses them is applied each time.
    `facts`: what `gitrepo.facts(root)` said, if the caller asked it."""
    facts = facts or gitrepo.facts(root)
    if facts is None:
        return HistoryReport(
            False, NOT_POSSIBLE + "the handbook is not in a git repository with commits."
        )
    if facts.shallow:
        return HistoryReport(
            False,
            NOT_POSSIBLE + "this is a shallow clone; fetch the whole history "
            "(`git fetch --unshallow`, or `fetch-depth: 0` in CI) to run them.",
        )
    rules = record_rules(handbook)
    key = result_key(facts.head, settings, rules, config_file, facts.prefix)
    report = load_result(facts.git_dir, key)
    if report is None:
        try:
            report = _run_checks(root, facts, settings, rules, config_file)
        except gitrepo.GitError as error:
            return HistoryReport(False, NOT_POSSIBLE + f"{error}.")
        save_result(facts.git_dir, key, report)
    return dataclasses.replace(report, findings=addressed(report.findings, _addressing(handbook)))


def _run_checks(
    root: Path,
    facts: gitrepo.Facts,
    settings: Settings,
    rules: dict[str, RecordRules],
    config_file: Path | None,
) -> HistoryReport:
    window = gitrepo.first_parent_line(root, settings.history_limit + 1)
    truncated = len(window) > settings.history_limit
    window = window[: settings.history_limit]
    line = {
        sha: Commit(sha, datetime.date.fromisoformat(date[:10]), len(window) - 1 - i)
        for i, (sha, date) in enumerate(window)
    }
    oldest = f"{window[-1][0]}^" if truncated else None
    items = _replay(root, facts, settings, oldest, line, rules)
    note, baseline = "", None
    if settings.history_baseline:
        baseline = line.get(commit_of(root, settings.history_baseline))
        if baseline is None:
            note = (
                f"The adoption baseline {settings.history_baseline} is not a commit of the "
                "default branch's history (or lies beyond `history_limit`); every item is "
                "judged in full."
            )
    moves = (
        baseline_moves(root, facts.prefix, config_file, oldest)
        if config_file is not None and settings.history_baseline
        else []
    )
    limits = Limits(settings.max_merge_lag, settings.late_entry_days)
    findings, migrated = check_items(items, limits, baseline)
    config = config_file.name if config_file is not None else "mkdocs.yml"
    findings += [moved_finding(commit, previous, line, config) for commit, previous in moves]
    if truncated:
        note = (
            f"{note} History checks cover the newest {len(window)} commits, back to "
            f"{window[-1][1][:10]} (`history_limit`); older history was not read."
        ).strip()
    return HistoryReport(
        True,
        note,
        findings,
        migrated,
        baseline.sha if baseline else "",
        settings.history_migrated_from,
        len(window),
        min(c.day for c in line.values()) if line else None,
    )
