"""The print edition, assembled on disk so that it never holds every document in memory.

Each controlled document's finished content is spooled to a file as MkDocs renders it; the
print page is written with a marker where the documents go, and after the build the marker is
replaced by streaming the spooled documents in id order.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from ..core.model import Document
from ..render.print_edition import print_page, print_section


class PrintSpool:
    def __init__(self, print_url: str, audience: str | None) -> None:
        self.print_url = print_url
        self.audience = audience
        handle, name = tempfile.mkstemp(prefix="sms-print-", suffix=".html")
        self.path = Path(name)
        self.spool = os.fdopen(handle, "w+", encoding="utf-8")
        self.marker = f"SMSPRINT{secrets.token_hex(8)}"
        self.order: dict[str, tuple[int, int]] = {}  # id -> (offset, characters)

    def capture(self, document: Document, html: str, page_url: str) -> None:
        """Keep one document's rendered content, re-based onto the print page."""
        if document.get("status") == "retired" or not document.id:
            return
        section = print_section(document.id, document.title, html, page_url, self.print_url)
        self.order[document.id] = (self.spool.tell(), len(section))
        self.spool.write(section)

    def placeholder(self, date: str) -> str:
        """The print page's content until the documents are streamed in."""
        return print_page([self.marker], self.audience, date)

    def assemble(self, output: Path) -> None:
        """Replace the marker in the written print page by every document, in id order."""
        if not output.is_file():
            return
        text = output.read_text(encoding="utf-8")
        before, found, after = text.partition(self.marker)
        if not found:
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("w", encoding="utf-8") as stream:
            stream.write(before)
            for doc_id in sorted(self.order):
                offset, length = self.order[doc_id]
                self.spool.seek(offset)
                stream.write(self.spool.read(length))
                stream.write("\n")
            stream.write(after)
        os.replace(partial, output)

    def close(self) -> None:
        self.spool.close()
        self.path.unlink(missing_ok=True)
