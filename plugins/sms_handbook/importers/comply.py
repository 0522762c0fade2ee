"""Read a strongdm/comply project (policies, procedures, narratives) as handbook documents.

Comply keeps each document as YAML metadata, a `---` line, then Pandoc Markdown. This module
turns one such file into the body of a controlled draft: Pandoc's grid and simple tables
become pipe tables, its `a.` / `i.` lists ordered lists, `\\pagebreak` goes (the print edition
breaks pages itself), `<placeholders>` stay visible text, and Comply's `{{.Name}}` becomes the
organization's name. Whatever it cannot convert is kept as text and reported with its line.
Pure functions: the command (`commands/importing.py`) decides where files go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.loading import load_yaml

# Comply's folders, and the handbook's document type of what each holds.
KINDS = {"policies": "policy", "procedures": "procedure", "narratives": "other"}
# Tags an author of policies writes as HTML; anything else in angle brackets is a placeholder.
HTML_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "br",
        "code",
        "del",
        "div",
        "em",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_ANGLED = re.compile(r"<(/?)([^<>\n]*)>")
_FANCY_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)][ \t]+")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_SIMPLE_RULE = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")
_LATEX = re.compile(r"^\s*\\(pagebreak|newpage|clearpage)\s*$")
_OTHER_LATEX = re.compile(r"\\[a-zA-Z]+(\{[^}]*\})?")
_NAME = re.compile(r"\{\{\s*\.Name\s*\}\}")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@dataclass
class Note:
    """Something the conversion could not do, or changed in a way the author should check."""

    line: int  # in the Comply file, 1-based
    message: str


@dataclass
class Converted:
    title: str
    acronym: str | None
    doc_type: str
    body: str
    satisfies: dict[str, list[str]] = field(default_factory=dict)
    revisions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


class ComplyError(Exception):
    """A file Comply itself could not read (no metadata, metadata that is not a mapping)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def split_document(text: str) -> tuple[str, str, int]:
    """(metadata, body, line of the body's first line), the way Comply splits: at the first
    `---` anywhere (a leading one is skipped)."""
    start = 0
    if text.startswith("---"):
        start = 3
    cut = text.find("---", start)
    if cut < 0:
        raise ComplyError(1, "no `---` after the metadata; Comply needs YAML, `---`, Markdown")
    meta, body = text[start:cut], text[cut + 3 :]
    body_line = text.count("\n", 0, cut + 3) + 1
    if body.startswith("\n"):
        body, body_line = body[1:], body_line + 1
    return meta, body, body_line


def convert(text: str, folder: str, organization: str) -> Converted:
    doc_type = KINDS[folder]
    meta_text, body, first = split_document(text)
    # The handbook's one YAML loader, with its limits: a Comply file is input like any other.
    document, problems = load_yaml(meta_text, path="metadata")
    if problems:
        raise ComplyError(problems[0].line, f"metadata: {problems[0].message}")
    meta = document.data if document is not None else {}
    if not isinstance(meta, dict):
        raise ComplyError(1, "the metadata is not a mapping of names to values")
    title = " ".join(str(meta.get("name") or "").split())
    notes: list[Note] = []
    if not title:
        notes.append(Note(1, "no `name` in the metadata; the title is taken from the file name"))
    satisfies = {
        str(k): [str(c) for c in (v or [])]
        for k, v in (meta.get("satisfies") or {}).items()
        if isinstance(v, list)
    }
    revisions = [r for r in (meta.get("majorRevisions") or []) if isinstance(r, dict)]
    if meta.get("cron"):
        notes.append(
            Note(
                1,
                f"Comply scheduled this procedure (`cron: {meta['cron']}`); a handbook "
                "states a cadence with `cadences:` on the document that sets it",
            )
        )
    lines = body.split("\n")
    converted = _convert_lines(lines, first, organization, notes)
    return Converted(
        title=title,
        acronym=str(meta["acronym"]) if meta.get("acronym") else None,
        doc_type=doc_type,
        body=converted,
        satisfies=satisfies,
        revisions=revisions,
        notes=notes,
    )


def _convert_lines(lines: list[str], first: int, organization: str, notes: list[Note]) -> str:
    out: list[str] = []
    index = 0
    fence: str | None = None
    while index < len(lines):
        line, number = lines[index], first + index
        stripped = line.strip()
        if fence is not None:  # code is copied as it is
            out.append(line)
            if stripped.startswith(fence):
                fence = None
            index += 1
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append(line)
            index += 1
            continue
        if _GRID_RULE.match(line):
            end = index
            while end < len(lines) and lines[end].strip().startswith(("+", "|")):
                end += 1
            table = _grid_table(lines[index:end], number, notes)
            out += [_text(row, number, organization, notes) for row in table]
            index = end
            continue
        if (
            index + 1 < len(lines)
            and stripped
            and _SIMPLE_RULE.match(lines[index + 1])
            and (not out or not out[-1].strip())
        ):
            end = index + 2
            while end < len(lines) and lines[end].strip():
                end += 1
            table = _simple_table(lines[index:end])
            out += [_text(row, number, organization, notes) for row in table]
            index = end
            continue
        if _LATEX.match(line):
            index += 1  # a page break: the print edition starts each document on a new page
            continue
        item = _FANCY_ITEM.match(line)
        if item and _is_list_item(lines, index, item):
            indent = item.group("indent").replace("\t", "    ")
            line = f"{indent}1. {line[item.end() :]}"
        out.append(_text(line, number, organization, notes))
        index += 1
    text = "\n".join(out).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def _is_list_item(lines: list[str], index: int, item: re.Match[str]) -> bool:
    """A Pandoc fancy list item (`a.`, `i.`), not a sentence that starts with an initial:
    a list item follows a blank line or another item."""
    if index == 0 or not lines[index - 1].strip():
        return True
    return bool(_FANCY_ITEM.match(lines[index - 1]) or re.match(r"^\s*\d+\.\s", lines[index - 1]))


def _text(line: str, number: int, organization: str, notes: list[Note]) -> str:
    """One line of text: the organization's name filled in, placeholders and template syntax
    made visible text, LaTeX commands reported."""
    line = _NAME.sub(organization, line)
    for match in _TEMPLATE.finditer(line):
        notes.append(
            Note(
                number, f"template syntax '{match.group(0)}' kept as text; write what it stood for"
            )
        )
    line = _TEMPLATE.sub(lambda m: m.group(0).replace("{", "&#123;").replace("}", "&#125;"), line)

    def angled(match: re.Match[str]) -> str:
        name = match.group(2).split(" ", 1)[0].rstrip("/").lower()
        if name in HTML_TAGS:
            return match.group(0)
        if match.group(2).startswith(("http://", "https://", "mailto:")):
            return match.group(0)  # an autolink
        return f"&lt;{match.group(1)}{match.group(2)}&gt;"

    line = _ANGLED.sub(angled, line)
    for match in _OTHER_LATEX.finditer(line):
        if not match.group(0).startswith(("\\*", "\\_")):
            notes.append(
                Note(number, f"LaTeX command '{match.group(0)}' kept as text; write it in Markdown")
            )
    return line


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _grid_table(rows: list[str], number: int, notes: list[Note]) -> list[str]:
    """A Pandoc grid table as a pipe table: the lines of a cell joined, empty rows dropped."""
    records: list[list[str]] = []
    header_rows = 0
    current: list[list[str]] | None = None
    for row in rows:
        stripped = row.strip()
        if stripped.startswith("+"):
            if current:
                records.append(_joined(current))
            current = None
            if "=" in stripped:
                header_rows = len(records)
            continue
        cells = _cells(stripped)
        if current is None:
            current = [[c] for c in cells]
        else:
            for position, cell in enumerate(cells):
                if position < len(current):
                    current[position].append(cell)
                elif cell:
                    notes.append(Note(number, "a grid table row has more cells than its first"))
    if current:
        records.append(_joined(current))
    records = [r for r in records if any(c for c in r)]
    if not records:
        return []
    width = max(len(r) for r in records)
    records = [r + [""] * (width - len(r)) for r in records]
    if header_rows == 0:  # no header: pipe tables need one, so an empty one
        records.insert(0, [""] * width)
    header, body = records[0], records[1:]
    if any("\\|" in row for row in rows):
        notes.append(Note(number, "a grid table cell holds a `|`; check the converted table"))
    return _pipe(header, body)


def _joined(cells: list[list[str]]) -> list[str]:
    """The lines of each cell of one grid table row, as one line of text per cell."""
    return [" ".join(part for part in parts if part) for parts in cells]


def _simple_table(rows: list[str]) -> list[str]:
    """A Pandoc simple table (header line, dashed rule, rows) as a pipe table; the columns
    are where the rule's dashes are."""
    starts = [m.start() for m in re.finditer(r"-+", rows[1])]
    bounds = [0, *starts[1:]]  # the first column takes what lies left of its dashes too

    def split(row: str) -> list[str]:
        ends = [*bounds[1:], len(row)]
        return [row[begin:end].strip() for begin, end in zip(bounds, ends, strict=True)]

    return _pipe(split(rows[0]), [split(r) for r in rows[2:] if not _SIMPLE_RULE.match(r)])


def _pipe(header: list[str], body: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return ["", row(header), "|" + "---|" * len(header), *(row(r) for r in body), ""]


def comply_files(theme: Path) -> list[tuple[str, Path]]:
    """(folder, file) of every document of a Comply project, in a stable order."""
    found = []
    for folder in KINDS:
        for path in sorted((theme / folder).glob("*.md")):
            if path.name.lower() != "readme.md":
                found.append((folder, path))
    return found
