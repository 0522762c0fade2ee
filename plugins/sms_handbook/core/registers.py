"""Load one register file: header, records, schema validation, classifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .aliases import alias_diagnostics
from .audience import most_restricted, stricter
from .diagnostics import Diagnostic
from .loading import YamlDocument, load_yaml
from .model import Record, Register
from .schemas import KindSchema, SchemaSet
from .settings import Settings
from .sources import SourceFile
from .validation import schema_diagnostics


@dataclass
class LoadedRegister:
    register: Register
    yaml: YamlDocument


def _classification(value: Any, fallback: str, settings: Settings) -> str:
    """A valid audience, else the most restricted one (fail closed)."""
    if value is None:
        return fallback
    if isinstance(value, str) and value in settings.audiences:
        return value
    return most_restricted(settings)


def _stricter(a: str, b: str, settings: Settings) -> str:
    return stricter(settings, a, b)


def load_register(
    source: SourceFile, schemas: SchemaSet, settings: Settings
) -> tuple[LoadedRegister | None, list[Diagnostic]]:
    parsed, diagnostics = load_yaml(source.text, path=source.path)
    if parsed is None:
        if not diagnostics:
            message = "register file is empty; it needs a header (`register:`, ...) and `records:`"
            diagnostics = [Diagnostic(source.path, 1, 1, "SMS003", message)]
        return None, diagnostics
    # A file with YAML problems still loads, but everything in it is treated as the most
    # restricted audience until it is fixed (fail closed).
    degraded = bool(diagnostics)
    data = parsed.data
    if not isinstance(data, dict):
        line, column = parsed.position(())
        message = (
            f"a register file is a mapping, not {_noun(data)}; start it with `register: <kind>`"
        )
        return None, [Diagnostic(source.path, line, column, "SMS009", message)]

    diagnostics += schema_diagnostics(schemas.header, data, parsed, (), source.path)
    name, kind = _register_kind(data, parsed, schemas, settings, diagnostics, source.path)
    if kind is None:
        return None, diagnostics
    header = {key: value for key, value in data.items() if key != "records"}
    classification = _classification(
        header.get("classification"), settings.default_classification, settings
    )
    if degraded:
        classification = most_restricted(settings)
    register = Register(name, source.path, header, classification, kind, lines=parsed.key_lines())
    raw_records = data.get("records")
    for index, raw in enumerate(raw_records if isinstance(raw_records, list) else []):
        at = ("records", index)
        diagnostics += schema_diagnostics(kind.validator, raw, parsed, at, source.path)
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            register.records.append(_record(raw, at, register, parsed, settings))
    diagnostics += alias_diagnostics(parsed, register, settings)
    parsed.release()
    return LoadedRegister(register, parsed), diagnostics


def _register_kind(
    data: dict[str, Any],
    parsed: YamlDocument,
    schemas: SchemaSet,
    settings: Settings,
    diagnostics: list[Diagnostic],
    path: str,
) -> tuple[str, KindSchema | None]:
    """The kind the header's `register:` names, or None (with SMS108 when no schema has it)."""
    name = data.get("register")
    kind = schemas.kinds.get(name) if isinstance(name, str) else None
    if isinstance(name, str) and kind is None:
        line, column = parsed.position(("register",))
        known = ", ".join(sorted(schemas.kinds))
        message = (
            f"no schema for register kind '{name}' (known: {known}); "
            f"add {settings.schemas_dir}/{name}.schema.json to define it"
        )
        diagnostics.append(Diagnostic(path, line, column, "SMS108", message))
    return (name if isinstance(name, str) else ""), kind


def _record(
    raw: dict[str, Any],
    at: tuple[str, int],
    register: Register,
    parsed: YamlDocument,
    settings: Settings,
) -> Record:
    """One record with its audience (never below its register's) and its fields' audiences."""
    classification = register.classification
    record_class = _stricter(
        _classification(raw.get("classification"), classification, settings),
        classification,
        settings,
    )
    fields: dict[str, str] = {}
    for field_name, field_class in register.kind.field_classification.items():
        declared = _classification(field_class, record_class, settings)
        effective = _stricter(declared, record_class, settings)
        if effective != record_class:
            fields[field_name] = effective
    restricted = raw.get("restricted_fields")
    for field_name in restricted if isinstance(restricted, list) else []:
        if isinstance(field_name, str):
            fields[field_name] = most_restricted(settings)
    line, _ = parsed.position(at)
    due = register.kind.due_field
    due_at = parsed.key_position((*at, due)) if due and due in raw else None
    return Record(raw["id"], register.name, raw, record_class, fields, line, at[1], due_at)


def _noun(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single text value"
    return "a single value"
