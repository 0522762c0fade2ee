"""What the history checks parsed from each git blob, kept between runs in the git directory.

A blob's id is the hash of its content, so what was parsed from it never changes: documents
as (front matter, hash of the body), register files as their records by id, each record stored
once however many versions of the file hold it. The cache lives in the repository's git
directory, which no commit or pull request can write, and is rebuilt when it cannot be read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gitrepo
from .core.documents import split_front_matter
from .core.integrity import HistoryFinding, HistoryReport, Migrated, RecordRules
from .core.loading import load_yaml
from .core.settings import Settings

FORMAT = 1
NAME = "sms-handbook-history.json"
RESULTS = "sms-handbook-history-results.json"
KEPT_RESULTS = 8

Document = tuple[dict[str, Any], str]  # front matter, hash of the body
Register = tuple[str, list[tuple[str, str]]]  # register kind, [(record id, record key)]


def read_json(path: Path) -> Any:
    """A cache file's data; None when it cannot be read (a cache is rebuilt then)."""
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    return None


def write_json(path: Path, payload: Any) -> None:
    """Write a cache file whole (a reader never sees half of it); failing is harmless."""
    with contextlib.suppress(OSError, TypeError, ValueError):
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".sms-history-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, default=str)
        os.replace(name, path)


def result_key(
    head: str,
    settings: Settings,
    rules: dict[str, RecordRules],
    config_file: Path | None,
    prefix: str,
) -> str:
    """What the checks' result depends on besides the history up to `head`."""
    parts = [
        FORMAT,
        head,
        prefix,
        settings.docs_dir,
        settings.registers_dir,
        settings.history_limit,
        settings.max_merge_lag,
        settings.late_entry_days,
        settings.history_baseline,
        settings.history_migrated_from,
        str(config_file or ""),
        sorted(
            (k, list(v.date_fields), sorted(v.approved_when.items()), sorted(v.lifecycle))
            for k, v in rules.items()
        ),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


def load_result(folder: Path, key: str) -> HistoryReport | None:
    """The checks' result kept for `key` in the git directory `folder`, if any (addressing is
    applied by the caller)."""
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
        data = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
        kept = data.get(key) if data.get("format") == FORMAT else None
        if kept is None:
            return None
        since = kept["since"]
        return HistoryReport(
            True,
            kept["note"],
            [HistoryFinding(**f) for f in kept["findings"]],
            [Migrated(**m) for m in kept["migrated"]],
            kept["baseline"],
            kept["migrated_from"],
            kept["commits"],
            datetime.date.fromisoformat(since) if since else None,
        )
    return None


def save_result(folder: Path, key: str, report: HistoryReport) -> None:
    data: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        data = {}
    data.pop("format", None)
    entry = {
        "note": report.note,
        "findings": [dataclasses.asdict(f) for f in report.findings],
        "migrated": [dataclasses.asdict(m) for m in report.migrated],
        "baseline": report.baseline,
        "migrated_from": report.migrated_from,
        "commits": report.commits,
        "since": report.since.isoformat() if report.since else None,
    }
    kept = [(k, v) for k, v in data.items() if k != key][-(KEPT_RESULTS - 1) :]
    write_json(folder / RESULTS, {"format": FORMAT, **dict(kept), key: entry})


def body_hash(body: str) -> str:
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def _parse(text: str | None) -> Any:
    if text is None:
        return None
    parsed, problems = load_yaml(text, path="history")
    if parsed is None or problems:
        return None
    data = parsed.data
    parsed.release()
    return data


def parse_document(text: str | None) -> Document | None:
    """A controlled document's front matter and body hash; None for anything else."""
    if text is None:
        return None
    front_matter, body = split_front_matter(text.replace("\r\n", "\n"))
    meta = _parse(front_matter) if front_matter is not None else None
    if not isinstance(meta, dict) or not meta.get("id"):
        return None  # a plain page, or front matter that does not parse: nothing approved
    return meta, body_hash(body)


@dataclass
class HistoryCache:
    path: Path
    documents: dict[str, Document | None] = field(default_factory=dict)
    registers: dict[str, Register | None] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, folder: Path) -> HistoryCache:
        cache = cls(folder / NAME)
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
            data = json.loads(cache.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT:
                cache.documents = {
                    k: (tuple(v) if v else None) for k, v in data["documents"].items()
                }
                cache.registers = {
                    k: ((v[0], [tuple(r) for r in v[1]]) if v else None)
                    for k, v in data["registers"].items()
                }
                cache.records = dict(data["records"])
        return cache

    def fill(self, root: Path, documents: list[str], registers: list[str]) -> None:
        """Parse the blobs not read before, all in one `git cat-file --batch`."""
        new_documents = sorted({b for b in documents if b not in self.documents})
        new_registers = sorted({b for b in registers if b not in self.registers})
        if not new_documents and not new_registers:
            return
        texts = iter(gitrepo.blobs(root, [*new_documents, *new_registers]))
        for blob in new_documents:
            self.documents[blob] = parse_document(next(texts))
        for blob in new_registers:
            self.registers[blob] = self._register(next(texts))
        self.changed = True

    def _register(self, text: str | None) -> Register | None:
        data = _parse(text)
        if not isinstance(data, dict) or not isinstance(data.get("records"), list):
            return None
        records = []
        for record in data["records"]:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                key = hashlib.sha256(
                    json.dumps(record, sort_keys=True, default=str).encode("utf-8")
                ).hexdigest()[:32]
                self.records.setdefault(key, record)
                records.append((record["id"], key))
        return str(data.get("register")), records

    def save(self) -> None:
        if self.changed:
            payload = {
                "format": FORMAT,
                "documents": self.documents,
                "registers": self.registers,
                "records": self.records,
            }
            write_json(self.path, payload)
