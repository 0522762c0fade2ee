"""Keep our generated HTML out of Markdown: a placeholder goes through, the HTML comes back.

Python-Markdown parses every raw HTML block it meets, which is slow for large generated pages
and pointless for HTML we rendered and escaped ourselves. The stage writes a placeholder
paragraph into the page and the page's blocks on its last line, as JSON inside an HTML
comment; the guard extension takes that line out before Markdown runs and puts the blocks
back afterwards (as Python-Markdown's own stash does). Placeholders carry the stage's random
token, so page text cannot forge one.
"""

from __future__ import annotations

import json
import re

BLOCKS_LINE = re.compile(r"^<!-- sms-blocks (?P<token>[0-9a-f]+) (?P<blocks>\[.*\]) -->$")


class PageStash:
    """The HTML blocks of one staged page."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.blocks: list[str] = []

    def put(self, html: str) -> str:
        """A placeholder paragraph (with blank lines around) standing for `html`."""
        self.blocks.append(html)
        return f"\n\nSMSHTML{self.token}N{len(self.blocks) - 1}\n\n"

    def stash_blocks(self, markdown: str) -> str:
        """Replace every top-level HTML block (a paragraph starting with `<`) of our own
        generated Markdown by a placeholder; headings and front matter stay Markdown."""
        chunks = re.split(r"\n{2,}", markdown)
        out = [self.put(c).strip() if c.lstrip().startswith("<") else c for c in chunks]
        return "\n\n".join(out) + "\n"

    def finish(self, markdown: str) -> str:
        """The page with its blocks on a last line of their own (none: unchanged)."""
        if not self.blocks:
            return markdown
        data = json.dumps(self.blocks, ensure_ascii=False)
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("\n", "\\n")
        return f"{markdown.rstrip()}\n\n<!-- sms-blocks {self.token} {data} -->\n"


def read_blocks(line: str, token: str) -> list[str] | None:
    """The blocks of a page from its blocks line, or None when `line` is not one."""
    match = BLOCKS_LINE.match(line)
    if match is None or match.group("token") != token:
        return None
    blocks = json.loads(match.group("blocks"))
    return [str(block) for block in blocks] if isinstance(blocks, list) else None


def without_blocks(markdown: str, token: str) -> str:
    """The page without its blocks line: what the engine keeps of a page it has converted
    needs no second copy of the page's HTML."""
    start = markdown.rfind("\n<!-- sms-blocks ")
    if start < 0 or read_blocks(markdown[start + 1 :].rstrip("\n"), token) is None:
        return markdown
    return markdown[:start].rstrip("\n") + "\n"
