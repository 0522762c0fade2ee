"""The audience's view of the handbook as JSON."""

from __future__ import annotations

import json
import math
from typing import Any

from .. import __version__
from ..core.conformity import LIMITS, Assessment, State
from ..core.integrity import GRADE_ORDER, HistoryReport
from ..core.model import RESTRICTED, Handbook
from ..core.tool_output import marked_json

FORMAT_VERSION = 1


def percent_figure(value: float) -> int:
    """A percentage in JSON as the text shows it: whole, rounded down (see floor_percent)."""
    return math.floor(value + 1e-9)


def _plain(value: Any) -> Any:
    if isinstance(value, str):  # most values are: asked first
        return value
    if value is RESTRICTED:
        return {"restricted": True}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def conformity_data(assessment: Assessment) -> dict[str, Any]:
    """The assessment in its stable, documented JSON shape (README: "Conformity")."""
    requirements = assessment.requirements
    return {
        "standard": assessment.standard_title,
        "date": assessment.today.isoformat(),
        "findings_by_grade": {grade: len(assessment.graded(grade)) for grade in GRADE_ORDER},
        "headline": assessment.headline(),
        "figures": {
            "requirements": len(requirements),
            "documented": assessment.documented,
            "evidenced": assessment.evidenced,
            "documented_percent": percent_figure(assessment.documented_percent),
            "evidenced_percent": percent_figure(assessment.evidenced_percent),
            "by_state": {state.value: assessment.count(state) for state in State},
        },
        "clauses": {c.clause.id: c.state.value if c.state else None for c in assessment.clauses},
        "requirements": [
            {
                "clause": r.requirement.clause,
                "id": r.requirement.id,
                "text": r.requirement.text,
                "state": r.state.value,
                "evidence": r.evidence,
                "findings": len(r.findings),
            }
            for r in requirements
        ],
        "findings": [
            {
                "clause": f.clause,
                "requirement": f.requirement,
                "text": f.text,
                "state": f.state.value,
                "grade": f.grade,
                "why": f.why,
                "item": f.item,
                "items": list(f.items),
                "problem": f.problem,
                "remedy": f.remedy,
            }
            for f in assessment.findings
        ],
        "history": history_data(assessment.history),
        "limits": LIMITS,
    }


def history_data(history: HistoryReport | None) -> dict[str, Any] | None:
    """The history checks in the conformity JSON: findings with their grades, or why not."""
    if history is None:
        return None
    return {
        "available": history.available,
        "note": history.note,
        "commits": history.commits,
        "since": history.since.isoformat() if history.since else None,
        "baseline": history.baseline or None,
        "migrated_from": history.migrated_from or None,
        "by_grade": {grade: history.count(grade) for grade in GRADE_ORDER},
        "findings": [
            {
                "check": f.check,
                "grade": f.grade,
                "item": f.item,
                "path": f.path,
                "commit": f.commit,
                "problem": f.problem,
                "remedy": f.remedy,
                "addressed_by": f.addressed_by,
            }
            for f in history.findings
        ],
        "migrated": [{"item": m.item, "path": m.path} for m in history.migrated],
    }


def export_model(view: Handbook, assessment: Assessment) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "generator": f"sms-handbook {__version__}",
        "audience": view.audience,
        "standard": view.standard.id,
        "documents": [
            {
                "path": d.path,
                "classification": d.classification,
                "title": d.title,
                "front_matter": _plain(d.meta),
            }
            for d in view.documents
        ],
        "registers": {
            name: {
                "path": register.path,
                "classification": register.classification,
                "header": _plain(register.header),
                "records": [
                    {**_plain(r.data), "classification": r.classification} for r in register.records
                ],
            }
            for name, register in view.registers.items()
        },
        "conformity": conformity_data(assessment),
    }


def export_json(view: Handbook, assessment: Assessment, marked: bool = False) -> str:
    """The export as JSON text; `marked`: a file for the user, carrying the tool's marker
    first (the site's own copy lies in the site, known by its manifest)."""
    data = export_model(view, assessment)
    if marked:
        data = marked_json("export", view.access.name, data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
