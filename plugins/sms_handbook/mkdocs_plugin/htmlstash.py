"""Keep our generated HTML out of Markdown: a placeholder goes through, the HTML comes back.

Python-Markdown parses every raw HTML block it meets, which is slow for large generated pages
and pointless for HTML we rendered and escaped ourselves. Blocks are swapped for placeholder
paragraphs before Markdown and restored in the page content afterwards (as Python-Markdown's
own stash does). Placeholders carry a random token, so page text cannot forge one.
"""

from __future__ import annotations

import re
import secrets


class HtmlStash:
    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self.blocks: dict[str, str] = {}
        self.pattern = re.compile(rf"<p>(SMSHTML{self.token}N\d+)</p>")

    def put(self, html: str) -> str:
        """A placeholder paragraph (with blank lines around) standing for `html`."""
        key = f"SMSHTML{self.token}N{len(self.blocks)}"
        self.blocks[key] = html
        return f"\n\n{key}\n\n"

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

    def restore(self, html: str) -> str:
        if not self.blocks or "SMSHTML" not in html:
            return html
        return self.pattern.sub(lambda m: self.blocks.pop(m.group(1), m.group(0)), html)
