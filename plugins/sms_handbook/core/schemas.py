"""JSON Schemas for front matter, register headers and register kinds.

Shipped schemas are package data; a repository adds a register kind (or extends a shipped
one) by dropping `<kind>.schema.json` into `registers/schemas/`. A kind schema describes one
record under `$defs/record`; every record also gets the common envelope (`notes`,
`classification`, `restricted_fields`, `clauses`), so a custom schema lists only its own
fields. Annotations drive everything downstream, generically:

* `x-ref: <kind>` on a value: it holds the id of a record of that kind (or of a document);
* `x-classification: <audience>` on a record field: the lowest audience that may see it;
* `x-title-field`, `x-columns`, `x-due-field`, `x-closed-when` on the record: presentation;
* `x-record-date`, `x-approved-when`, `x-lifecycle-fields` on the record: what the history
  checks read (the record's own date, when it counts as approved, what may change after);
* `x-hint` on a value: how to write it, shown in diagnostics.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .diagnostics import Diagnostic
from .json_schema import Validator, check_schema
from .sources import SourceFile

DOCUMENTS = "documents"
ANY_ITEM = "*"

ENVELOPE: dict[str, dict[str, Any]] = {
    "id": {"title": "Id", "type": "string", "minLength": 1},
    "notes": {"title": "Notes", "type": "string"},
    "classification": {"title": "Classification", "type": "string"},
    "restricted_fields": {
        "title": "Restricted fields",
        "type": "array",
        "items": {"type": "string"},
        "uniqueItems": True,
    },
    "clauses": {
        "title": "Clauses",
        "type": "array",
        "items": {"type": "string"},
        "uniqueItems": True,
    },
    "entered_late": {
        "title": "Entered late",
        "type": "object",
        "required": ["reason", "source"],
        "additionalProperties": False,
        "properties": {
            "reason": {"type": "string", "minLength": 1},
            "source": {"type": "string", "minLength": 1},
        },
    },
}
ENVELOPE_FIELDS = frozenset(ENVELOPE) - {"id"}


@dataclass(frozen=True)
class Reference:
    """A place in a record or front matter that holds the id of another item."""

    path: tuple[str, ...]  # field names, with ANY_ITEM for every item of a list
    target: str  # a register kind, or DOCUMENTS

    def values(self, data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Every (concrete path, id) this reference finds in `data`."""
        field, *rest = self.path
        if field != ANY_ITEM and rest in ([], [ANY_ITEM]):  # a field of ids: most references
            value = data.get(field) if isinstance(data, dict) else None
            if not rest and isinstance(value, str):
                yield (field,), value
            elif rest and isinstance(value, list):
                yield from (((field, i), v) for i, v in enumerate(value) if isinstance(v, str))
            return

        def walk(value: Any, rest: tuple[str, ...], at: tuple[str | int, ...]) -> Iterator[Any]:
            if not rest:
                if isinstance(value, str):
                    yield at, value
                return
            step, tail = rest[0], rest[1:]
            if step == ANY_ITEM:
                if isinstance(value, list):
                    for index, item in enumerate(value):
                        yield from walk(item, tail, (*at, index))
            elif isinstance(value, dict) and step in value:
                yield from walk(value[step], tail, (*at, step))

        yield from walk(data, self.path, ())


@dataclass
class KindSchema:
    """Everything the core needs to know about one register kind."""

    kind: str
    title: str
    description: str
    schema: dict[str, Any]
    record_schema: dict[str, Any]
    validator: Validator
    references: list[Reference]
    field_classification: dict[str, str]
    source: str  # the schema file, relative to the root, or "package"

    @property
    def fields(self) -> list[str]:
        return list(self.record_schema.get("properties", {}))

    def field_title(self, name: str) -> str:
        prop = self.record_schema.get("properties", {}).get(name, {})
        return str(prop.get("title") or name.replace("_", " ").capitalize())

    @functools.cached_property  # asked for every record's title
    def title_field(self) -> str | None:
        named = self.record_schema.get("x-title-field")
        if named:
            return str(named)
        for candidate in ("title", "name"):
            if candidate in self.record_schema.get("properties", {}):
                return candidate
        return None

    @property
    def columns(self) -> list[str]:
        named = self.record_schema.get("x-columns")
        if named:
            return [str(c) for c in named]
        props = self.record_schema.get("properties", {})
        scalar = [n for n, p in props.items() if p.get("type") not in ("array", "object")]
        return [n for n in scalar if n not in ENVELOPE_FIELDS][:5]

    @property
    def due_field(self) -> str | None:
        value = self.record_schema.get("x-due-field")
        return str(value) if value else None

    @property
    def closed_when(self) -> dict[str, list[str]]:
        return dict(self.record_schema.get("x-closed-when") or {})


@dataclass
class SchemaSet:
    document: Validator
    page: Validator
    header: Validator
    document_references: list[Reference]
    header_references: list[Reference]
    kinds: dict[str, KindSchema] = field(default_factory=dict)


def _package_text(name: str) -> str:
    return (resources.files("sms_handbook") / "data" / "schemas" / name).read_text("utf-8")


@functools.cache
def package_schema(name: str) -> dict[str, Any]:
    """A shipped schema by file stem, for example `risks` or `document`."""
    result: dict[str, Any] = json.loads(_package_text(f"{name}.schema.json"))
    return result


@functools.cache
def package_kinds() -> tuple[str, ...]:
    folder = resources.files("sms_handbook") / "data" / "schemas"
    stems = (p.name.removesuffix(".schema.json") for p in folder.iterdir())
    return tuple(sorted(s for s in stems if s not in ("document", "page", "register", "rules")))


def find_annotations(schema: dict[str, Any], key: str) -> list[tuple[tuple[str, ...], Any]]:
    """Every (path, value) where `key` annotates a subschema, following local `$ref`s."""
    root = schema
    found: list[tuple[tuple[str, ...], Any]] = []

    def visit(node: Any, path: tuple[str, ...], depth: int) -> None:
        if not isinstance(node, dict) or depth > 32:
            return
        if key in node:
            found.append((path, node[key]))
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = root
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            visit(target, path, depth + 1)
        for name, sub in (node.get("properties") or {}).items():
            visit(sub, (*path, name), depth + 1)
        visit(node.get("items"), (*path, ANY_ITEM), depth + 1)
        for combinator in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(combinator) or ():
                visit(sub, path, depth + 1)

    visit(schema, (), 0)
    return found


def references_of(schema: dict[str, Any]) -> list[Reference]:
    return [Reference(path, str(target)) for path, target in find_annotations(schema, "x-ref")]


def record_schema_of(kind_schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of one record: `$defs/record` plus the common envelope."""
    record = copy.deepcopy(kind_schema["$defs"]["record"])
    properties = record.setdefault("properties", {})
    for name, spec in ENVELOPE.items():
        properties.setdefault(name, spec)
    required = record.setdefault("required", [])
    if "id" not in required:
        required.insert(0, "id")
    record.setdefault("additionalProperties", False)
    record["$defs"] = {k: v for k, v in kind_schema["$defs"].items() if k != "record"}
    return record


def _validator(schema: dict[str, Any]) -> Validator:
    return Validator(schema)


def compile_kind(kind: str, schema: dict[str, Any], source: str) -> KindSchema:
    """Compile a kind schema; raises ValueError when it is unusable."""
    check_schema(schema)
    record = schema.get("$defs", {}).get("record")
    if not isinstance(record, dict) or record.get("type", "object") != "object":
        raise ValueError("a register schema describes its records under `$defs/record`")
    record_schema = record_schema_of(schema)
    check_schema(record_schema)
    field_classification = {
        path[0]: str(value)
        for path, value in find_annotations(record_schema, "x-classification")
        if len(path) == 1
    }
    return KindSchema(
        kind=kind,
        title=str(schema.get("title") or kind.replace("-", " ").capitalize()),
        description=str(schema.get("description") or ""),
        schema=schema,
        record_schema=record_schema,
        validator=_validator(record_schema),
        references=references_of(record_schema),
        field_classification=field_classification,
        source=source,
    )


@functools.cache
def document_references() -> list[Reference]:
    """References in controlled documents' front matter (`owner`, `related`, ...)."""
    return references_of(package_schema("document"))


@functools.cache
def header_references() -> list[Reference]:
    """References in register headers (`owner`)."""
    return references_of(package_schema("register"))


@functools.cache
def _package_schema_set() -> SchemaSet:
    document, page, header = (package_schema(n) for n in ("document", "page", "register"))
    schemas = SchemaSet(
        document=_validator(document),
        page=_validator(page),
        header=_validator(header),
        document_references=document_references(),
        header_references=header_references(),
    )
    for kind in package_kinds():
        schemas.kinds[kind] = compile_kind(kind, package_schema(kind), "package")
    return schemas


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _foreign_references(source: SourceFile, raw: dict[str, Any]) -> list[Diagnostic]:
    """`$ref`s that leave the schema file: validation would fetch them from the network or
    read files outside the repository, so only references inside the file (`#/...`) and to
    the shipped register header (`register.schema.json`) are resolved."""
    found = []
    for reference in _references(raw):
        if reference.startswith("#") or reference in SHIPPED_REFERENCES:
            continue
        offset = source.text.find(json.dumps(reference))
        line = source.text.count("\n", 0, offset) + 1 if offset >= 0 else 1
        column = offset - source.text.rfind("\n", 0, offset) if offset >= 0 else 1
        message = (
            f"`$ref` to '{reference}' leaves the schema: only references inside the file "
            "(`#/$defs/...`) and to register.schema.json are resolved; copy the definition "
            "into `$defs`"
        )
        found.append(Diagnostic(source.path, line, column, "SMS109", message))
    return found


SHIPPED_REFERENCES = frozenset(
    {"register.schema.json", "https://sms-handbook.example/schemas/v1/register.schema.json"}
)


def load_schemas(user_schemas: list[SourceFile]) -> tuple[SchemaSet, list[Diagnostic]]:
    """The shipped schemas, extended or overridden by the repository's own."""
    base = _package_schema_set()
    if not user_schemas:
        return base, []
    schemas = SchemaSet(
        base.document, base.page, base.header, base.document_references, base.header_references
    )
    schemas.kinds.update(base.kinds)
    diagnostics = []
    for source in user_schemas:
        kind = source.path.rsplit("/", 1)[-1].removesuffix(".schema.json")
        try:
            raw = json.loads(source.text)
            if not isinstance(raw, dict):
                raise ValueError("a schema file holds one JSON object")
            foreign = _foreign_references(source, raw)
            if foreign:
                diagnostics += foreign
                continue
            schemas.kinds[kind] = compile_kind(kind, raw, source.path)
        except json.JSONDecodeError as error:
            diagnostics.append(
                Diagnostic(
                    source.path,
                    error.lineno,
                    error.colno,
                    "SMS109",
                    f"invalid JSON: {error.msg}; fix the JSON syntax",
                )
            )
        except ValueError as error:
            diagnostics.append(Diagnostic(source.path, 1, 1, "SMS109", str(error)))
    return schemas, diagnostics
