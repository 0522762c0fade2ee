"""Keep our generated HTML out of Markdown: a placeholder goes through, the HTML comes back.

Python-Markdown parses every raw HTML block it meets, which is slow for large generated pages
and pointless for HTML we rendered and escaped ourselves. The stage writes each page's blocks
to a file of their own and a placeholder paragraph into the page; the guard extension puts
them back after Markdown (as Python-Markdown's own stash does). Placeholders carry the stage's
random token, so page text cannot forge one, and the block file is named after its content,
so an engine that caches pages sees a change.
"""

from __future__ import annotations

import hashlib
import json
import re

_PENDING = "0" * 16


class PageStash:
    """The HTML blocks of one staged page."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.blocks: list[str] = []

    def put(self, html: str) -> str:
        """A placeholder paragraph (with blank lines around) standing for `html`."""
        self.blocks.append(html)
        return f"\n\nSMSHTML{self.token}B{_PENDING}N{len(self.blocks) - 1}\n\n"

    def stash_blocks(self, markdown: str) -> str:
        """Replace every top-level HTML block (a paragraph starting with `<`) of our own
        generated Markdown by a placeholder; headings and front matter stay Markdown."""
        head, body = "", markdown
        if markdown.startswith("---\n"):
            end = markdown.index("\n---\n", 4) + 5
            head, body = markdown[:end], markdown[end:]
        chunks = re.split(r"\n{2,}", body)
        out = [self.put(c).strip() if c.lstrip().startswith("<") else c for c in chunks]
        return head + "\n\n".join(out) + "\n"

    def finish(self, markdown: str) -> tuple[str, str | None, bytes]:
        """(the page with its placeholders named, the block file's name, its content)."""
        if not self.blocks:
            return markdown, None, b""
        data = json.dumps(self.blocks, ensure_ascii=False).encode("utf-8")
        name = hashlib.sha256(data).hexdigest()[:16]
        prefix = f"SMSHTML{self.token}B"
        return markdown.replace(f"{prefix}{_PENDING}N", f"{prefix}{name}N"), name, data
