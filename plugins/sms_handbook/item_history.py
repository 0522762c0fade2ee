"""The history checks' reading of git: one pass over the default branch's log, then every
changed file's content in one `git cat-file --batch`; the checks themselves are in the core
(`core/integrity`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import gitrepo
from .core.documents import split_front_matter
from .core.integrity import (
    Addressing,
    Commit,
    HistoryFinding,
    HistoryReport,
    ItemHistory,
    Limits,
    RecordRules,
    Version,
    addressed,
    check_items,
)
from .core.loading import load_yaml
from .core.model import Handbook
from .core.settings import Settings
from .history import _commits
from .project import plugin_options
from .site_config import ConfigError, _read

NOT_POSSIBLE = "History checks were not possible: "


@dataclass
class _File:
    """One tracked file's items while the log is replayed, oldest commit first."""

    kind: str  # "document" or "register"
    first_status: str
    items: dict[str, ItemHistory] = field(default_factory=dict)
    versions: int = 0


def _parse(text: str | None) -> Any:
    if text is None:
        return None
    parsed, problems = load_yaml(text, path="history")
    if parsed is None or problems:
        return None
    data = parsed.data
    parsed.release()
    return data


def _document(text: str | None) -> tuple[dict[str, Any], str] | None:
    if text is None:
        return None
    front_matter, body = split_front_matter(text.replace("\r\n", "\n"))
    meta = _parse(front_matter) if front_matter is not None else None
    if not isinstance(meta, dict) or not meta.get("id"):
        return None  # a plain page, or front matter that does not parse: nothing approved
    return meta, body


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


def _replay(
    root: Path,
    settings: Settings,
    oldest: str | None,
    line: dict[str, Commit],
    rules: dict[str, RecordRules],
) -> list[ItemHistory]:
    prefix = gitrepo.prefix(root)
    docs, registers = settings.docs_dir.strip("/") + "/", settings.registers_dir.strip("/") + "/"
    output = gitrepo.changes_on_line(root, oldest, [docs, registers])
    changes = []
    for header, touched in reversed(_commits(output)):
        commit = line.get(header[0])
        if commit is None:
            continue
        for status, path, old_path in touched:
            relative = path.removeprefix(prefix)
            old = old_path.removeprefix(prefix) if old_path else None
            if relative.startswith(docs) and relative.endswith(".md"):
                changes.append((commit, status, relative, old, "document"))
            elif (
                relative.startswith(registers)
                and relative.count("/") == registers.count("/")
                and relative.endswith((".yaml", ".yml"))
            ):
                changes.append((commit, status, relative, old, "register"))
    specs = [f"{c.sha}:{prefix}{p}" for c, s, p, _o, _k in changes if s != "D"]
    contents = iter(gitrepo.blobs(root, specs))
    files: dict[str, _File] = {}
    done: list[ItemHistory] = []
    for commit, status, path, old, kind in changes:
        if old is not None and status == "R" and old in files:
            files[path] = files.pop(old)
            for item in files[path].items.values():
                item.path = path + item.path[len(old) :]
        if status == "D":
            gone = files.pop(path, None)
            done += gone.items.values() if gone else []
            continue
        text = next(contents)
        entry = files.setdefault(path, _File(kind, status))
        if kind == "document":
            _add_document(entry, path, commit, text)
        else:
            _add_records(entry, path, commit, text, rules)
        entry.versions += 1
    for entry in files.values():
        done += entry.items.values()
    return [item for item in done if item.versions]


def _add_document(entry: _File, path: str, commit: Commit, text: str | None) -> None:
    parsed = _document(text)
    if parsed is None:
        return
    item = entry.items.setdefault(
        path, ItemHistory(path, "document", [], complete=entry.first_status in ("A", "C"))
    )
    item.versions.append(Version(commit, parsed[0], parsed[1]))


def _add_records(
    entry: _File, path: str, commit: Commit, text: str | None, rules: dict[str, RecordRules]
) -> None:
    data = _parse(text)
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        return
    kind_rules = rules.get(str(data.get("register")), RecordRules())
    seen = set()
    for record in data["records"]:
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            continue
        key = f"{path}#{record['id']}"
        seen.add(key)
        item = entry.items.get(key)
        if item is None:
            complete = entry.versions > 0 or entry.first_status in ("A", "C")
            item = entry.items[key] = ItemHistory(key, "record", [], complete, kind_rules)
        if not item.versions or item.versions[-1].fields != record:
            item.versions.append(Version(commit, record))
    for key in [k for k in entry.items if k not in seen]:
        del entry.items[key]  # a record taken out of the register; back later, it is new


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


def _baseline_moves(root: Path, config_file: Path, oldest: str | None) -> list[tuple[str, str]]:
    """(commit, the earlier baseline) wherever a later version of the configuration set the
    baseline to another commit than the one it had."""
    try:
        name = str(config_file.relative_to(root))
    except ValueError:
        return []
    output = gitrepo.changes_on_line(root, oldest, [name])
    headers = [header for header, _files in reversed(_commits(output))]
    texts = gitrepo.blobs(root, [f"{h[0]}:{gitrepo.prefix(root)}{name}" for h in headers])
    moves, previous = [], ""
    for header, text in zip(headers, texts, strict=True):
        try:
            options = plugin_options(_read(text or "", name) or {}) or {}
        except (ConfigError, yaml.YAMLError):
            continue
        baseline = str(options.get("history_baseline") or "")
        if previous and baseline and baseline != previous:
            moves.append((header[0], previous))
        previous = baseline or previous
    return moves


def check_history(
    root: Path, settings: Settings, handbook: Handbook, config_file: Path | None = None
) -> HistoryReport:
    """The history checks on the handbook at `root`, or a report that says why not."""
    if not gitrepo.is_repository(root) or not gitrepo.has_commits(root):
        return HistoryReport(
            False, NOT_POSSIBLE + "the handbook is not in a git repository with commits."
        )
    try:
        if gitrepo.is_shallow(root):
            return HistoryReport(
                False,
                NOT_POSSIBLE + "this is a shallow clone; fetch the whole history "
                "(`git fetch --unshallow`, or `fetch-depth: 0` in CI) to run them.",
            )
        window = gitrepo.first_parent_line(root, settings.history_limit + 1)
        truncated = len(window) > settings.history_limit
        window = window[: settings.history_limit]
        line = {
            sha: Commit(sha, datetime.date.fromisoformat(date[:10]), len(window) - 1 - i)
            for i, (sha, date) in enumerate(window)
        }
        oldest = f"{window[-1][0]}^" if truncated else None
        rules = record_rules(handbook)
        items = _replay(root, settings, oldest, line, rules)
        note, baseline = "", None
        if settings.history_baseline:
            try:
                sha = gitrepo.resolve(root, settings.history_baseline)
            except gitrepo.GitError:
                sha = ""
            baseline = line.get(sha)
            if baseline is None:
                note = (
                    f"The adoption baseline {settings.history_baseline} is not a commit of the "
                    "default branch's history (or lies beyond `history_limit`); every item is "
                    "judged in full."
                )
        moves = (
            _baseline_moves(root, config_file, oldest)
            if config_file is not None and settings.history_baseline
            else []
        )
    except gitrepo.GitError as error:
        return HistoryReport(False, NOT_POSSIBLE + f"{error}.")
    limits = Limits(settings.max_merge_lag, settings.late_entry_days)
    findings, migrated = check_items(items, limits, baseline)
    findings += [_moved(commit, previous, line) for commit, previous in moves]
    if truncated:
        note = (
            f"{note} History checks cover the newest {len(window)} commits, back to "
            f"{window[-1][1][:10]} (`history_limit`); older history was not read."
        ).strip()
    return HistoryReport(
        True,
        note,
        addressed(findings, _addressing(handbook)),
        migrated,
        baseline.sha if baseline else "",
        settings.history_migrated_from,
        len(window),
        min(c.day for c in line.values()) if line else None,
    )


def _moved(commit: str, previous: str, line: dict[str, Commit]) -> HistoryFinding:
    at = line.get(commit)
    problem = (
        f"`history_baseline` was {previous[:12]} and was moved on "
        f"{at.day if at else 'a later date'} ({commit[:7]}); a baseline once set stays"
    )
    return HistoryFinding(
        "baseline-moved",
        "major",
        "history_baseline",
        "mkdocs.yml",
        commit[:7],
        problem,
        "set `history_baseline` back to the commit it named first",
    )
