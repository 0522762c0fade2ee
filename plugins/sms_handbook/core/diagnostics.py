"""One diagnostic type and the registry of every diagnostic code.

A diagnostic always has a location (path relative to the handbook root, 1-based line and
column) and a stable code. Codes are grouped by hundreds: 0xx reading files, 1xx schema,
2xx identifiers and references, 3xx lifecycle and classification, 4xx reviews,
5xx configuration, 6xx approval and versions, 7xx repository housekeeping.
"""

from __future__ import annotations

import enum
import json
import unicodedata
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # advice about how the handbook may be used: never fails a strict build


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str
    remedy: str


def _codes(*codes: Code) -> dict[str, Code]:
    return {c.code: c for c in codes}


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

CODES: dict[str, Code] = _codes(
    Code("SMS001", E, "file is not valid UTF-8 text", "save the file as UTF-8"),
    Code("SMS002", E, "file is binary, not text", "remove it or replace it with a text file"),
    Code("SMS003", E, "register file is empty", "add the register header and `records:`"),
    Code("SMS004", E, "YAML syntax error", "fix the YAML at the position shown"),
    Code("SMS005", E, "tab character in YAML indentation", "indent with spaces only"),
    Code("SMS006", E, "duplicate key in a mapping", "keep one of the keys"),
    Code("SMS007", E, "YAML tag not allowed", "write plain values without `!!` or `!` tags"),
    Code("SMS008", E, "YAML aliases expand too far", "write the values out instead of aliases"),
    Code("SMS009", E, "top level is not a mapping", "start the file with `key: value` lines"),
    Code("SMS010", E, "front matter is not closed", "end the front matter with a `---` line"),
    Code("SMS011", E, "YAML nested too deeply", "flatten the structure"),
    Code("SMS012", E, "mapping key is not text", 'quote the key, for example `"on":`'),
    Code("SMS013", W, "front matter is empty", "add fields, or remove the block"),
    Code(
        "SMS014",
        E,
        "YAML alias copies values from a more restricted record or field",
        "write the values out where they are used",
    ),
    Code(
        "SMS015",
        E,
        "file name holds a control, invisible or wildcard character",
        "rename the file: letters, digits, spaces and punctuation",
    ),
    Code("SMS101", E, "required field missing", "add the field"),
    Code("SMS102", E, "value has the wrong type", "write the value in the type the schema asks"),
    Code("SMS103", E, "value is not one of the allowed values", "use one of the listed values"),
    Code("SMS104", E, "value does not match the required pattern", "write it in the form shown"),
    Code("SMS105", E, "invalid date", "write a real calendar date as YYYY-MM-DD"),
    Code("SMS106", E, "unknown field", "remove the field or fix its spelling"),
    Code("SMS107", E, "value out of bounds", "change the value to satisfy the limit shown"),
    Code("SMS108", E, "unknown register kind", "name a shipped kind or add its schema"),
    Code("SMS109", E, "invalid register schema", "fix the schema file under registers/schemas/"),
    Code("SMS110", E, "register declared twice", "keep one file per register"),
    Code("SMS201", E, "duplicate identifier", "give each document and record its own id"),
    Code("SMS202", E, "reference to an unknown identifier", "fix the id or add the target"),
    Code(
        "SMS203", E, "reference to an item of the wrong kind", "refer to an item of the kind asked"
    ),
    Code("SMS204", E, "unknown clause", "use a clause id from the standard's catalogue"),
    Code("SMS205", W, "document lists a parent clause", "list the leaf clauses it addresses"),
    Code("SMS206", E, "link to a page or file that does not exist", "fix the link's path"),
    Code("SMS207", E, "link to an anchor its page does not have", "link to a heading's anchor"),
    Code(
        "SMS208",
        N,
        "link to a page or file the site leaves out (`exclude_docs`, `draft_docs`)",
        "link to a page of the site, or take the target out of those patterns",
    ),
    Code("SMS301", E, "approved document without approval date", "add `approved_on`"),
    Code("SMS302", E, "owner and approver are the same role", "choose a different approver"),
    Code("SMS303", E, "unknown audience in classification", "use one of the configured audiences"),
    Code("SMS304", E, "item less restricted than its container", "classify it at least as high"),
    Code("SMS305", E, "`restricted_fields` names an unknown field", "name a field of the record"),
    Code("SMS306", W, "next review is before the approval date", "check both dates"),
    Code("SMS307", E, "plain page carries controlled-document fields", "add an `id` or drop them"),
    Code("SMS308", E, "approved by a role without authority", "have an authorised role approve"),
    Code("SMS309", E, "page names an item its readers may not see", "classify or reword"),
    Code(
        "SMS310",
        W,
        "page links to a page its readers may not see",
        "link elsewhere, or set `hidden_links: accepted`",
    ),
    Code(
        "SMS315",
        W,
        "page template uses an undefined variable (printed as written)",
        "define it under `extra:`, or write it as text",
    ),
    Code(
        "SMS316",
        E,
        "page template uses an undefined variable (`on_undefined: strict`)",
        "define it under `extra:`, or write it as text",
    ),
    Code(
        "SMS317",
        W,
        "page template cannot be rendered (a strict build stops)",
        "fix the Jinja syntax, or set `render_macros: false` on the page",
    ),
    Code(
        "SMS318",
        W,
        "navigation file in `docs/` cannot be read (a strict build stops)",
        "fix its YAML, or delete it",
    ),
    Code(
        "SMS319",
        W,
        "`nav` in mkdocs.yml names a page that does not exist (a strict build stops)",
        "correct the path, or take the entry out",
    ),
    Code(
        "SMS322",
        W,
        "snippet names a file that cannot be found (`check_paths`: a strict build stops)",
        "correct the path, or add the file under a snippet base path",
    ),
    Code(
        "SMS323",
        N,
        "snippet names a file that cannot be found (included as nothing)",
        "correct the path, or take the `--8<--` line out",
    ),
    Code(
        "SMS324",
        W,
        "mkdocs.yml has a setting MkDocs does not know (a strict build stops)",
        "correct its name, or take it out",
    ),
    Code(
        "SMS325",
        W,
        "mkdocs.yml has a setting MkDocs warns about (a strict build stops)",
        "replace or take out the setting as the message says",
    ),
    Code(
        "SMS326",
        E,
        "mkdocs.yml has a setting MkDocs refuses (the build stops)",
        "correct the setting as the message says",
    ),
    Code(
        "SMS327",
        W,
        "page left out: another page of its folder has the same address (a strict build stops)",
        "keep one of `index.md` and `README.md` in each folder",
    ),
    Code(
        "SMS328",
        W,
        "`extra_templates` names a file that is not in `docs/` (a strict build stops)",
        "correct the name, or add the template to `docs/`",
    ),
    Code(
        "SMS329",
        E,
        "blog post names an author its authors file does not list (the build stops)",
        "add the author to `.authors.yml`, or correct the name",
    ),
    Code(
        "SMS330",
        W,
        "an audience's site has no home page (its address answers 404; a strict build stops)",
        "classify the home page for every audience, or add one for it",
    ),
    Code("SMS401", W, "document or register is overdue for review", "review it and update dates"),
    Code("SMS402", W, "register record is past its due date", "act on it or move the date"),
    Code("SMS501", E, "invalid sms-handbook configuration", "fix the option in mkdocs.yml"),
    Code("SMS502", E, "handbook root has no mkdocs.yml", "run in the folder holding mkdocs.yml"),
    Code("SMS503", E, "base revision cannot be read", "fetch the base branch or pass `--base`"),
    Code(
        "SMS504",
        E,
        "Python tag in mkdocs.yml not accepted",
        "use a documented function, or list it in `allow_python_names`",
    ),
    Code("SMS601", E, "content changed without a version increase", "raise `version`"),
    Code("SMS602", E, "approved document changed without re-approval", "re-approve or set draft"),
    Code("SMS603", E, "version went backwards", "versions only increase"),
    Code("SMS604", E, "approval date went backwards", "give the date of this approval"),
    Code("SMS701", E, "CODEOWNERS is out of date", "run `sms-handbook codeowners --write`"),
    Code("SMS702", E, "file tracked under `.cache/`", "remove it: `git rm -r --cached .cache`"),
    Code("SMS703", E, "symbolic link leaves its tree", "replace it with the file itself"),
    Code("SMS704", E, "hard link in `docs/`", "replace it with a copy of its own"),
    Code("SMS705", E, "built site or tool output in `docs/`", "write outputs outside `docs/`"),
    Code(
        "SMS706",
        E,
        "engine configuration without the guard extension",
        "list `sms_handbook.guard` in its markdown_extensions, or delete it",
    ),
    Code(
        "SMS707",
        E,
        "theme `custom_dir` inside `docs/`",
        "move the theme overrides out of `docs/` (for example to `overrides/`)",
    ),
    Code(
        "SMS708",
        N,
        "attachment above public in `docs/` (a direct Zensical run copies it)",
        "build with sms-handbook only; keep such files out of what a direct run can reach",
    ),
    Code(
        "SMS710",
        E,
        "the preview cannot use mkdocs.yml",
        "fix mkdocs.yml; the preview serves its last good build until then",
    ),
    Code(
        "SMS711",
        E,
        "preview page shows an item hidden from its audience",
        "reword the page; the preview does not serve it until then",
    ),
    Code(
        "SMS715",
        E,
        "preview file besides the pages names an item hidden from its audience",
        "reword the text; the preview serves a notice in the file's place until then",
    ),
    Code("SMS801", E, "rule names an unknown clause", "name a leaf clause of the standard"),
    Code("SMS802", E, "rule names an undefined checklist", "define it under `checklists`"),
    Code("SMS901", E, "document could not be imported", "fix the source file, then import again"),
    Code("SMS902", W, "part of an imported document needs a look", "check the converted text"),
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in the handbook, at a place in a file."""

    path: str
    line: int
    column: int
    code: str
    message: str
    # the severity the site sets for this problem (link levels: core/link_levels.py); by
    # default, its code's
    level: Severity | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered diagnostic code {self.code}")

    @property
    def severity(self) -> Severity:
        return self.level or CODES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        message = one_line(self.message)
        return f"{shown_path(self.path)}:{self.line}:{self.column}: {self.code}: {message}"


def _breaks_lines(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def shown_path(path: str) -> str:
    """A path as a report shows it: one holding `:`, a quote or a control character (a line
    break would forge a second diagnostic) is written as a quoted, escaped string."""
    if any(c in path for c in ':"') or _breaks_lines(path):
        return json.dumps(path)
    return path


def one_line(text: str) -> str:
    """`text` for one line of a line-based report: line breaks and other control characters
    written as escapes (`\\n`), so that a value can never start a line of its own."""
    if not _breaks_lines(text):
        return text
    return "".join(
        json.dumps(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text
    )


def shortened(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut between words and ended with "…" when cut
    (a single word longer than that is cut where it must)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if not text[limit - 1].isspace() and space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "\u2026"


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
