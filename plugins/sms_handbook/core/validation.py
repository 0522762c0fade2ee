"""Turn JSON Schema errors into diagnostics a document owner can act on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic
from .json_schema import Validator
from .loading import YamlDocument

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

Path = tuple[str | int, ...]


def field_name(path: Sequence[str | int]) -> str:
    """`service_level_targets[1].metric` for a path inside a record or front matter."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def describe(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_quote(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _quote(value: Any) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "empty",
}


def _suggest(word: str, choices: Iterable[Any]) -> str:
    options = [str(c) for c in choices]
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def schema_diagnostics(
    validator: Validator,
    instance: Any,
    document: YamlDocument,
    base: Path,
    path: str,
) -> list[Diagnostic]:
    """Validate `instance` (found at `base` in `document`) and explain every error."""
    if validator.is_valid(instance):
        return []
    diagnostics = []
    missing: dict[Path, list[str]] = {}
    for error in validator.iter_errors(instance):
        at: Path = tuple(error.absolute_path)
        if error.validator == "required":
            name = _missing_name(error)
            missing.setdefault(at, []).append(name)
            continue
        diagnostics.extend(_translate(error, at, document, base, path))
    for at, names in missing.items():
        line, column = document.position((*base, *at))
        where = f" in `{field_name(at)}`" if at else ""
        fields = ", ".join(f"`{n}`" for n in names)
        noun = "field" if len(names) == 1 else "fields"
        pronoun = "it" if len(names) == 1 else "them"
        diagnostics.append(
            Diagnostic(
                path,
                line,
                column,
                "SMS101",
                f"missing required {noun}{where}: {fields}; add {pronoun}",
            )
        )
    return diagnostics


def _missing_name(error: ValidationError) -> str:
    required = error.validator_value if isinstance(error.validator_value, list) else []
    instance = error.instance if isinstance(error.instance, dict) else {}
    for name in required:
        if name not in instance and repr(name) in error.message:
            return str(name)
    return error.message.split(" is a required property")[0].strip("'\"")


def _translate(
    error: ValidationError, at: Path, document: YamlDocument, base: Path, path: str
) -> list[Diagnostic]:
    keyword = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    name = f"`{field_name(at)}`" if at else "the value"
    hint = schema.get("x-hint")
    value = error.instance

    def at_value(code: str, message: str) -> Diagnostic:
        line, column = document.position((*base, *at))
        return Diagnostic(path, line, column, code, message)

    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(value, dict):
        known = set(schema.get("properties") or {})
        patterns = schema.get("patternProperties") or {}
        result = []
        for key in value:
            if key in known or any(re.search(p, key) for p in patterns):
                continue
            line, column = document.key_position((*base, *at, key))
            suggestion = _suggest(key, known)
            message = f"unknown field `{key}`" + (suggestion or "; remove it or fix its spelling")
            result.append(Diagnostic(path, line, column, "SMS106", message))
        return result
    if keyword == "type":
        expected: Any = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        message = f"{name} must be {wanted}, not {describe(value)}"
        if "string" in names and isinstance(value, int | float) and not isinstance(value, bool):
            message += "; put the value in quotes"
        else:
            message += f"; write {wanted}"
        if hint:
            message += f" ({hint})"
        return [at_value("SMS102", message)]
    if keyword in ("enum", "const"):
        choices: Any = error.validator_value
        allowed: list[Any] = list(choices) if keyword == "enum" else [choices]
        listed = ", ".join(str(a) for a in allowed)
        message = f"{name} is {describe(value)}; allowed: {listed}"
        return [at_value("SMS103", message + _suggest(str(value), allowed))]
    if keyword == "pattern" and "could not be checked against the pattern" in error.message:
        message = (
            f"{name} could not be checked against the schema's pattern {error.validator_value} "
            "in time: the pattern backtracks without bound; simplify it in the schema (no "
            "nested repetition such as (a+)+)"
        )
        return [at_value("SMS109", message)]
    if keyword == "pattern":
        form = hint or f"text matching {error.validator_value}"
        return [at_value("SMS104", f"{name} is {describe(value)}; expected {form}")]
    if keyword == "format" and error.validator_value == "date":
        message = f"{name} is {describe(value)}, which is not a real date; write YYYY-MM-DD"
        return [at_value("SMS105", message)]
    return [at_value("SMS107", f"{name}: {error.message}; change the value")]
