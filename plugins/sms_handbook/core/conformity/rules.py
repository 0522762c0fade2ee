"""The fixed vocabulary of evidence rules; each returns a state and its findings.

document   an approved, in-date controlled document (of given types / kind) lists the clause
register   a register of a kind lists the clause, holds records and is not overdue for review
records    records of a kind exist, the latest within the cadence the handbook declares
each       every record of a register subset has a linked approved document (an SLA per
           live service, a contract per external supplier, ...)
covers     the latest record (or document) of a kind covers a checklist (the inputs of a
           management review, every clause in an audit programme)
fields     records (or documents) in a state carry the fields that state needs
current    no open record of a register is past its due date
approvals  every approval was given by a role that holds the authority for it
dates      nothing cites an item dated after itself
accepts    every accepted risk was accepted by a role whose `accepts` ceiling covers its score
independence  no auditor owns or approves a document within the audit's criteria
programme  each audit the programme marks as held has its clauses in its report's criteria
consistent linked records agree (consistent_rule.py lists the checks)
"""

from __future__ import annotations

from collections.abc import Callable

from .check import Check, Outcome
from .consistent_rule import consistent_rule
from .document_rules import approvals_rule, document_rule, each_rule, register_rule
from .linked_rules import accepts_rule, dates_rule, independence_rule, programme_rule
from .record_rules import covers_rule, current_rule, fields_rule, records_rule

RULES: dict[str, Callable[[Check], Outcome]] = {
    "document": document_rule,
    "register": register_rule,
    "records": records_rule,
    "each": each_rule,
    "covers": covers_rule,
    "fields": fields_rule,
    "current": current_rule,
    "approvals": approvals_rule,
    "dates": dates_rule,
    "accepts": accepts_rule,
    "consistent": consistent_rule,
    "independence": independence_rule,
    "programme": programme_rule,
}
