"""Conformity: the standard's requirements, the evidence each needs, and their states.

requirements.py (data) -> evidence.py (what counts) -> rules.py (the vocabulary) -> assess.py
"""

from __future__ import annotations

from .assess import (
    LIMITS,
    Assessment,
    ClauseResult,
    RequirementResult,
    assess,
    floor_percent,
    whole_percent,
)
from .evidence import Finding, State
from .grades import GRADE_MEANINGS, by_grade
from .requirements import Requirement, Requirements

__all__ = [
    "GRADE_MEANINGS",
    "LIMITS",
    "Assessment",
    "ClauseResult",
    "Finding",
    "Requirement",
    "RequirementResult",
    "Requirements",
    "State",
    "assess",
    "by_grade",
    "floor_percent",
    "whole_percent",
]
