"""JSON Schema 2020-12 engines: jsonschema-rs for speed, Python `jsonschema` for words."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@functools.cache
def _fast_engine() -> Any:
    """jsonschema-rs, imported when first needed (it maps some 9 MB), or None if absent."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - an optional speed-up
        return None
    return jsonschema_rs


class Validator:
    """JSON Schema 2020-12 validation: a fast yes/no, then the errors in detail.

    jsonschema-rs answers "is this valid?" about a hundred times faster than the Python
    `jsonschema`, which stays the source of every error message; only invalid instances are
    validated twice, and Python `jsonschema` is not even imported while everything is valid.
    Where jsonschema-rs is not installed or cannot take a schema or a value, the Python
    validator answers alone. A pickled validator carries only its schema and makes its engines
    when first asked: a process that receives a validated model never loads them.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        _ = self.fast  # compiled now, as the validator is made to be used

    def __getstate__(self) -> dict[str, Any]:
        return {"schema": self.schema}

    @functools.cached_property
    def fast(self) -> Any:
        engine = _fast_engine()
        if engine is None:
            return None
        try:
            return engine.validator_for(self.schema, validate_formats=True)
        except Exception:  # a schema jsonschema-rs does not support
            return None

    @functools.cached_property
    def python(self) -> Draft202012Validator:
        from jsonschema import FormatChecker

        return _bounded_validator_class()(
            self.schema, format_checker=FormatChecker(formats=("date",))
        )

    def is_valid(self, instance: Any) -> bool:
        if self.fast is not None:
            try:
                return bool(self.fast.is_valid(instance))
            except Exception:  # a value jsonschema-rs cannot convert
                pass
        return bool(self.python.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        return self.python.iter_errors(instance)


PATTERN_SECONDS = 0.5  # a schema pattern that takes longer on one value is refused


def _bounded_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The `pattern` keyword, with a time limit: a pattern such as `^(a+)+$` can make a
    backtracking engine take years on a 40-character value."""
    import regex
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "string"):
        return
    try:
        found = regex.search(pattern, instance, timeout=PATTERN_SECONDS)
    except TimeoutError:
        yield ValidationError(
            f"{instance!r} could not be checked against the pattern {pattern!r} within "
            f"{PATTERN_SECONDS} s: the pattern backtracks without bound; simplify it (no "
            "nested repetition such as (a+)+)"
        )
        return
    except regex.error:
        return  # the fast validator and the schema check report bad patterns
    if found is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _bounded_validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _bounded_pattern})


def check_schema(schema: dict[str, Any]) -> None:
    """Raise ValueError, saying where and what, unless `schema` is valid JSON Schema 2020-12."""
    engine = _fast_engine()
    if engine is not None:
        try:
            if engine.meta.is_valid(schema):
                return
        except Exception:  # let the Python validator decide
            pass
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(p) for p in error.path) or "the top level"
        raise ValueError(
            f"not a valid JSON Schema (draft 2020-12) at {where}: {error.message}; fix the schema"
        ) from None
