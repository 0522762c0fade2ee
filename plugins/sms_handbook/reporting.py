"""Report diagnostics as text, GitHub workflow commands or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .core.diagnostics import CODES, Diagnostic, Severity

E, W = Severity.ERROR, Severity.WARNING

FORMATS = ("text", "github", "json")


def _count(diagnostics: Sequence[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in diagnostics if d.severity is severity)


def summary(diagnostics: Sequence[Diagnostic], checked: str) -> str:
    if not diagnostics:
        return f"{checked}: no problems found"
    errors, warnings = _count(diagnostics, E), _count(diagnostics, W)
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    notes = _count(diagnostics, Severity.NOTE)
    if notes:
        parts.append(f"{notes} note{'s' * (notes != 1)}")
    return f"{checked}: {', '.join(parts)}"


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(diagnostics: Sequence[Diagnostic], output_format: str, checked: str) -> str:
    """The report as one string (with a trailing newline unless empty)."""
    if output_format == "json":
        payload = {
            "summary": summary(diagnostics, checked),
            "errors": _count(diagnostics, E),
            "warnings": _count(diagnostics, W),
            "notes": _count(diagnostics, Severity.NOTE),
            "diagnostics": [
                {
                    "path": d.path,
                    "line": d.line,
                    "column": d.column,
                    "code": d.code,
                    "severity": d.severity.value,
                    "message": d.message,
                    "summary": CODES[d.code].summary,
                }
                for d in diagnostics
            ],
        }
        return json.dumps(payload, indent=2) + "\n"
    lines = []
    for d in diagnostics:
        if output_format == "github":
            level = {E: "error", W: "warning"}.get(d.severity, "notice")
            lines.append(
                f"::{level} file={_github_escape(d.path, True)},line={d.line},col={d.column},"
                f"title={d.code}::{_github_escape(d.message)}"
            )
        else:
            lines.append(str(d))
    lines.append(summary(diagnostics, checked))
    return "\n".join(lines) + "\n"
