"""Complete, self-contained schemas for editors (JSON Schema 2020-12 and a draft-07 copy)."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from .core.schemas import SchemaSet, package_schema
from .safe_write import replace_file

BASE = "https://sms-handbook.example/schemas/v1/"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def register_file_schema(schemas: SchemaSet, kind: str) -> dict[str, Any]:
    """The schema of a whole register file of `kind`: header fields plus complete records."""
    compiled = schemas.kinds[kind]
    header = package_schema("register")
    record = copy.deepcopy(compiled.record_schema)
    properties = copy.deepcopy(header["properties"])
    properties["register"] = {"title": "Register kind", "const": kind}
    properties["records"] = {"title": "Records", "type": "array", "items": record}
    return {
        "$schema": DRAFT_2020_12,
        "$id": compiled.schema.get("$id") or f"{BASE}{kind}.schema.json",
        "title": compiled.title,
        "description": compiled.description,
        "type": "object",
        "required": header["required"],
        "properties": properties,
        "additionalProperties": False,
    }


def editor_schemas(schemas: SchemaSet) -> dict[str, dict[str, Any]]:
    """File name -> schema, for every register kind and for front matter."""
    result = {
        "document.schema.json": package_schema("document"),
        "page.schema.json": package_schema("page"),
    }
    for kind in sorted(schemas.kinds):
        result[f"{kind}.schema.json"] = register_file_schema(schemas, kind)
    return result


def to_draft_07(schema: Any) -> Any:
    """The same schema in draft-07 terms (`definitions`), for the YAML language server."""
    if isinstance(schema, list):
        return [to_draft_07(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$schema":
            converted[key] = DRAFT_07
        elif key == "$id" and isinstance(value, str):
            converted[key] = value.replace("/v1/", "/v1/draft-07/")
        elif key == "$defs":
            converted["definitions"] = to_draft_07(value)
        elif key == "$ref" and isinstance(value, str):
            converted[key] = value.replace("#/$defs/", "#/definitions/")
        else:
            converted[key] = to_draft_07(value)
    return converted


def export(schemas: SchemaSet, folder: Path) -> list[Path]:
    """Write every schema to `folder` and a draft-07 copy to `folder/draft-07`; a link at
    `folder`, in it or in place of a schema is refused (`UnsafeWriteError`)."""
    written = []
    parent = Path(os.path.abspath(folder)).parent
    parent.mkdir(parents=True, exist_ok=True)
    for name, schema in editor_schemas(schemas).items():
        for target, content in (
            (folder / name, schema),
            (folder / "draft-07" / name, to_draft_07(schema)),
        ):
            text = json.dumps(content, indent=2, ensure_ascii=False) + "\n"
            replace_file(parent, target, text)
            written.append(target)
    return written
