"""The audience's view of the handbook as JSON."""

from __future__ import annotations

import json
import math
from typing import Any

from .. import __version__
from ..core.coverage import compute_coverage
from ..core.model import RESTRICTED, Handbook

FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    if value is RESTRICTED:
        return {"restricted": True}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def export_model(view: Handbook) -> dict[str, Any]:
    coverage = compute_coverage(view)
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
        "coverage": {
            "approved": coverage.approved,
            "clauses": len(coverage.clauses),
            "percent": round(coverage.percent, 1),
            "by_clause": {c.clause.id: c.status.value for c in coverage.clauses},
        },
    }


def export_json(view: Handbook) -> str:
    return json.dumps(export_model(view), indent=2, ensure_ascii=False) + "\n"
