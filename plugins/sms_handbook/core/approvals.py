"""Approval bound to content: a changed document needs a new version, and a new approval.

A document's content is its body plus the front matter that is not approval data (see
`documents.content_hash`). Compared with a base state of the handbook:

* content changed, version not raised: SMS601;
* content of an approved document changed, and it is still approved with the same
  `approved_on`: SMS602 (re-approve with a new date, or set it back to draft or in-review);
* version lower than before: SMS603;
* approval date earlier than the approval at the base: SMS604 (approvals never go back).

Documents are paired by file (following renames and moves), not by `id`.
"""

from __future__ import annotations

from .diagnostics import Diagnostic
from .model import Document, Handbook


def parse_version(value: object) -> tuple[int, int] | None:
    if not isinstance(value, str) or value.count(".") != 1:
        return None
    major, minor = value.split(".")
    if not (major.isdigit() and minor.isdigit()):
        return None
    return int(major), int(minor)


def _at(document: Document, field: str, code: str, message: str) -> Diagnostic:
    line = document.lines.get(field) or document.lines.get("id") or 1
    return Diagnostic(document.path, line, 1, code, message)


def approval_diagnostics(
    base: Handbook, current: Handbook, base_name: str, renamed: dict[str, str] | None = None
) -> list[Diagnostic]:
    """Problems of every controlled document of `current` compared with `base`.

    A document is compared with the base's document in the same file, or in the file git
    says it was renamed or moved from (`renamed`: new path -> old path); only a file new to
    the base is compared by `id`. Changing `id` therefore changes the content, and does not
    make an approved document a new one."""
    by_path = {d.path: d for d in base.controlled_documents}
    by_id = {d.id: d for d in base.controlled_documents if d.id}
    renamed = renamed or {}
    diagnostics = []
    for document in current.controlled_documents:
        previous = by_path.get(renamed.get(document.path, document.path)) or by_id.get(
            document.id or ""
        )
        if previous is not None:
            diagnostics += compared_with_base(previous, document, base_name)
    return sorted(diagnostics)


def compared_with_base(previous: Document, document: Document, base_name: str) -> list[Diagnostic]:
    """What the change from `previous` (the base's version) to `document` breaks: a version
    that goes down (SMS603), an approval dated before the one it follows (SMS604), content
    changed under the same version (SMS601) or under the same approval (SMS602)."""
    old_version = parse_version(previous.get("version"))
    new_version = parse_version(document.get("version"))
    if old_version is None or new_version is None:
        return []  # the schema reports malformed versions
    shown = f'"{previous.get("version")}" at {base_name}'
    if new_version < old_version:
        message = f'version "{document.get("version")}" is lower than {shown}; versions only go up'
        return [_at(document, "version", "SMS603", message)]
    found = []
    old_date, new_date = previous.get("approved_on"), document.get("approved_on")
    if (
        isinstance(old_date, str)
        and isinstance(new_date, str)
        and document.get("status") == "approved"
        and new_date < old_date
    ):
        message = (
            f"`approved_on` {new_date} is before the approval of {old_date} at "
            f"{base_name}; an approval is later than the one it follows, so give the date "
            "of this approval"
        )
        found.append(_at(document, "approved_on", "SMS604", message))
    if document.content_hash == previous.content_hash:
        return found
    if new_version == old_version:
        message = (
            f"the content changed since {base_name} but the version is still {shown}; "
            "raise `version`"
        )
        found.append(_at(document, "version", "SMS601", message))
    was_approved = previous.get("status") == "approved"
    still_approved = document.get("status") == "approved"
    if was_approved and still_approved and old_date == new_date:
        message = (
            f"the content changed since its approval on {document.get('approved_on')}; "
            f"have {document.get('approver')} re-approve it (a new `approved_on`) or set "
            "`status` to draft or in-review"
        )
        found.append(_at(document, "approved_on", "SMS602", message))
    return found
