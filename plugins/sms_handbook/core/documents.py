"""Load one Markdown page: split its front matter, validate it, make a `Document`."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from .audience import most_restricted
from .diagnostics import Diagnostic
from .loading import YamlDocument, load_yaml
from .model import Document
from .schemas import SchemaSet, package_schema
from .settings import Settings
from .sources import SourceFile
from .validation import schema_diagnostics

# The same front matter MkDocs recognises (mkdocs.utils.meta.YAML_RE), so that what we
# validate is exactly what MkDocs renders.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n((?:.*?\n)?)(?:\.{3}|-{3})[ \t]*(?:\n|$)", re.DOTALL)
OPENING = re.compile(r"^-{3}[ \t]*\n")
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


# Front matter that records the approval of a content, not the content itself.
APPROVAL_FIELDS = frozenset(
    {"status", "approved_on", "next_review", "review_interval_months", "version"}
)


def content_hash(meta: dict[str, Any], body: str) -> str:
    """Hash of what an approval approves: the body and the front matter except approval data."""
    content = {k: v for k, v in meta.items() if k not in APPROVAL_FIELDS}
    text = json.dumps(content, sort_keys=True, default=str) + "\n" + body.strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class LoadedDocument:
    document: Document
    front_matter: YamlDocument | None


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter YAML or None, body)."""
    match = FRONT_MATTER.match(text)
    if match:
        return match.group(1), text[match.end() :]
    return None, text


def first_heading(body: str) -> str | None:
    """The first heading before any fenced code (a `#` line in code is not one)."""
    match = HEADING.search(body)
    if match is None or FENCE.search(body, 0, match.start()):
        return None
    return match.group(1).strip()


# Fields that mean document control and nothing else: on a page without an `id` they are a
# mistake. Other keys a theme or plugin reads (Material's page `status`, a blog's `date`,
# `authors`, `slug`, ...) are the page's own.
DOCUMENT_CONTROL_FIELDS = frozenset(
    {
        "owner",
        "approver",
        "version",
        "approved_on",
        "review_interval_months",
        "next_review",
        "clauses",
        "related",
        "cadences",
        "covers",
        "held_on",
        "retention",
    }
)


def _controlled_only_fields() -> frozenset[str]:
    return DOCUMENT_CONTROL_FIELDS


@functools.cache
def _page_fields() -> frozenset[str]:
    return frozenset(package_schema("page")["properties"])


def _plain_page(source: SourceFile, src_uri: str, body: str, settings: Settings) -> Document:
    """A page without front matter: plain, classified by default."""
    return Document(
        source.path,
        src_uri,
        {},
        settings.default_classification,
        first_heading(body),
        source=source.text,
    )


def load_document(
    source: SourceFile, schemas: SchemaSet, settings: Settings
) -> tuple[LoadedDocument, list[Diagnostic]]:
    """A page of `docs/` as a document: its front matter read and checked against the schema
    of a controlled document (with an `id`) or of a plain page."""
    src_uri = source.path.removeprefix(settings.docs_dir.rstrip("/") + "/")
    front_matter, body = split_front_matter(source.text)
    if front_matter is None or not front_matter.strip():
        return _page_without_front_matter(source, src_uri, body, settings, front_matter)
    unreadable = _unreadable(source, src_uri, body, settings)
    parsed, diagnostics = load_yaml(front_matter, path=source.path, line_offset=1)
    if parsed is None or diagnostics:
        # MkDocs would render unreadable front matter as page text: fail closed.
        return LoadedDocument(unreadable, parsed), diagnostics
    if not isinstance(parsed.data, dict):
        kind = "a list" if isinstance(parsed.data, list) else "a single value"
        message = f"front matter must be `key: value` lines, not {kind}; write one field per line"
        return LoadedDocument(unreadable, None), [Diagnostic(source.path, 2, 1, "SMS009", message)]
    meta = parsed.data
    diagnostics = _field_diagnostics(meta, parsed, schemas, settings, source.path)
    classification = meta.get("classification", settings.default_classification)
    if not isinstance(classification, str) or classification not in settings.audiences:
        classification = most_restricted(settings)
    document = Document(
        source.path,
        src_uri,
        meta,
        classification,
        first_heading(body),
        parsed.key_lines(),
        content_hash(meta, body),
        source.text,
    )
    parsed.release()
    return LoadedDocument(document, parsed), diagnostics


def _unreadable(source: SourceFile, src_uri: str, body: str, settings: Settings) -> Document:
    """A page whose front matter cannot be read: seen only by the most restricted audience."""
    return Document(
        source.path,
        src_uri,
        {},
        most_restricted(settings),
        first_heading(body),
        source=source.text,
    )


def _page_without_front_matter(
    source: SourceFile, src_uri: str, body: str, settings: Settings, front_matter: str | None
) -> tuple[LoadedDocument, list[Diagnostic]]:
    """A page with no front matter, an empty block or an opening `---` never closed."""
    if front_matter is None and OPENING.match(source.text):
        message = (
            "front matter starts on line 1 with `---` but no closing `---` line follows; "
            "end it with a `---` line"
        )
        unreadable = _unreadable(source, src_uri, body, settings)
        return LoadedDocument(unreadable, None), [Diagnostic(source.path, 1, 1, "SMS010", message)]
    plain = _plain_page(source, src_uri, body, settings)
    if front_matter is None:
        return LoadedDocument(plain, None), []
    # An empty block (`---`, `---`) is no front matter: a plain page, classified by default.
    message = (
        "the front matter is empty, so this is a plain page classified "
        f"{settings.default_classification} (the default); add `classification:` (and an "
        "`id` for a controlled document), or remove the empty block"
    )
    return LoadedDocument(plain, None), [Diagnostic(source.path, 1, 1, "SMS013", message)]


def _field_diagnostics(
    meta: dict[str, Any], parsed: YamlDocument, schemas: SchemaSet, settings: Settings, path: str
) -> list[Diagnostic]:
    """Front matter against its schema: a controlled document's, or a plain page's, where a
    field only controlled documents have is SMS307."""
    if "id" in meta:
        return schema_diagnostics(schemas.document, meta, parsed, (), path)
    diagnostics = []
    stray = [key for key in meta if key in _controlled_only_fields()]
    for key in stray:
        line, column = parsed.key_position((key,))
        message = (
            f"`{key}` belongs to controlled documents, but this page has no `id`; "
            "add an `id` to make it a controlled document, or remove the field"
        )
        diagnostics.append(Diagnostic(path, line, column, "SMS307", message))
    plain_meta = {
        k: v
        for k, v in meta.items()
        if k not in stray and (settings.strict_page_keys or k in _page_fields())
    }
    return diagnostics + schema_diagnostics(schemas.page, plain_meta, parsed, (), path)
