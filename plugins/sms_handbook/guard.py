"""The Markdown extension every engine runs: `sms_handbook.guard` in `markdown_extensions`.

Site generators run Python-Markdown's extensions even when they skip plugins they do not
know (Zensical does), so this is where a build fails closed:

* outside a stage (the repository's own configuration, run by an engine directly) it refuses
  to convert any page, so nothing is published;
* inside a stage it checks each page's stage marker, puts back the HTML blocks the stage kept
  out of Markdown, and, as a second line behind the stage (which took every link to a hidden
  page out of the Markdown already), turns any link an extension makes to a hidden page into
  plain "restricted item" text before the table of contents is built.

The stage holds only salted digests of hidden targets, never their names.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .stage.htmlstash import read_blocks
from .stage.layout import link_targets, target_digest

RESTRICTED_TEXT = "restricted item"
PAGE_MARKER = re.compile(r"^<!-- sms-page (?P<token>[0-9a-f]+) (?P<page>\S+) (?P<flags>\w*) -->$")
NOT_STAGED = (
    "sms-handbook: this page was not staged for an audience, so it is not converted. Build "
    "the handbook with `sms-handbook build` (any engine: --engine mkdocs|properdocs|zensical) "
    "or `mkdocs build` with the sms-handbook plugin enabled; an engine run on the repository's "
    "own configuration would publish pages above the audience."
)


try:  # MkDocs, ProperDocs and Zensical are click programs: they print this without a traceback
    from click import ClickException as _Refusal
except ImportError:  # pragma: no cover (every engine installs click)
    _Refusal = RuntimeError  # type: ignore[assignment,misc]  # a stand-in class


class NotStagedError(_Refusal):
    """An engine converted a page outside a stage."""


# The build's proof reaches an engine in a child process through this variable of the child's
# environment (never the tool's own), and an engine in this process through the guard's options.
PROOF_VARIABLE = "SMS_GUARD_PROOF"


def proof_digest(proof: str) -> str:
    """What the stage's data file holds of the build's proof: the proof itself is written
    nowhere, so nothing in a site or a repository can stand in for it."""
    return hashlib.sha256(f"sms-guard\0{proof}".encode()).hexdigest()


def print_markers(token: str) -> tuple[str, str]:
    """The print edition's markers: a value of their own (they reach the pages)."""
    value = hashlib.sha256(f"sms-print\0{token}".encode()).hexdigest()[:32]
    return f"<!-- sms-print-start {value} -->", f"<!-- sms-print-end {value} -->"


@functools.lru_cache(maxsize=4)
def _stage_data(path: str, mtime: float) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    data["hidden"] = frozenset(data.get("hidden", []))
    return data


def _proven(data: dict[str, Any], token: str, proof: str) -> bool:
    """Whether a stage's data holds this token and the digest of this build's proof."""
    proven = hmac.compare_digest(str(data.get("proof", "")), proof_digest(proof))
    return proven and data.get("token") == token


def stage_proves(data_file: Path, token: str, proof: str) -> bool:
    """Whether the stage whose data file is `data_file` is still the one written with
    `token` and `proof` (another build writes it with a proof of its own)."""
    try:
        data = json.loads(data_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and _proven(data, token, proof)


class _Page:
    """What the guard knows about the page being converted."""

    def __init__(self) -> None:
        self.src_uri: str | None = None
        self.controlled = False
        self.blocks: list[str] = []


class _MarkerPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, guard: GuardExtension, page: _Page) -> None:
        super().__init__(md)
        self.guard = guard
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        token = self.guard.token
        if not token:
            raise NotStagedError(NOT_STAGED)
        self.page.src_uri, self.page.controlled, self.page.blocks = None, False, []
        for index, line in enumerate(lines[:3]):
            match = PAGE_MARKER.match(line.strip())
            if match is None:
                continue
            if match.group("token") != token:
                raise NotStagedError(NOT_STAGED)
            self.page.src_uri = unquote(match.group("page"))
            self.page.controlled = "c" in match.group("flags")
            lines = lines[:index] + lines[index + 1 :]
            last = len(lines) - 1
            while last > 0 and not lines[last].strip():
                last -= 1
            blocks = read_blocks(lines[last].strip(), token) if lines else None
            if blocks is not None:
                self.page.blocks = blocks
                lines = lines[:last]
            return lines
        return lines


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, guard: GuardExtension, page: _Page) -> None:
        super().__init__(md)
        self.guard = guard
        self.page = page

    def run(self, root: ElementTree.Element) -> None:
        if self.page.src_uri is None or not self.guard.hidden:
            return
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                attribute = {"a": "href", "img": "src"}.get(child.tag)
                if attribute is None or not self.guard.is_hidden(
                    child.get(attribute), self.page.src_uri
                ):
                    continue
                replacement = ElementTree.Element("span", {"class": "sms-restricted"})
                replacement.text = RESTRICTED_TEXT
                replacement.tail = child.tail
                parent.remove(child)
                parent.insert(index, replacement)


class _BlocksPostprocessor(Postprocessor):
    """Puts back the HTML blocks the stage kept out of Markdown (the control block, generated
    tables, the print edition's markers)."""

    def __init__(self, md: Markdown, guard: GuardExtension, page: _Page) -> None:
        super().__init__(md)
        self.guard = guard
        self.page = page

    def run(self, text: str) -> str:
        if self.page.src_uri is None or not self.page.blocks or "SMSHTML" not in text:
            return text
        blocks, self.page.blocks = self.page.blocks, []  # MkDocs keeps converters alive

        def put_back(match: re.Match[str]) -> str:
            number = int(match.group(1))
            return blocks[number] if number < len(blocks) else match.group(0)

        return self.guard.block_pattern.sub(put_back, text)


class GuardExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "token": ["", "The stage's token (set by sms-handbook; empty: refuse every page)"],
            "stage": ["", "The stage's data file (set by sms-handbook)"],
            "use_directory_urls": [True, "Whether the site uses directory URLs"],
            "proof": ["", "The build's proof (set in memory by sms-handbook, never written)"],
        }
        super().__init__(**kwargs)
        self.token = str(self.getConfig("token") or "")
        stage = str(self.getConfig("stage") or "")
        proof = str(self.getConfig("proof") or os.environ.get(PROOF_VARIABLE) or "")
        data: dict[str, Any] = {}
        if self.token and stage and proof and Path(stage).is_file():
            data = _stage_data(stage, Path(stage).stat().st_mtime)
            if not _proven(data, self.token, proof):
                self.token, data = "", {}
        else:
            self.token = ""  # no stage, or no proof of this build: refuse, as outside a stage
        self.hidden: frozenset[str] = data.get("hidden", frozenset())
        self.directory_urls = bool(self.getConfig("use_directory_urls"))
        self.block_pattern = re.compile(rf"<p>SMSHTML{self.token}N(\d+)</p>")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        page = _Page()
        md.preprocessors.register(_MarkerPreprocessor(md, self, page), "sms_guard", 40)
        md.treeprocessors.register(_LinkTreeprocessor(md, self, page), "sms_hidden_links", 15)
        md.postprocessors.register(_BlocksPostprocessor(md, self, page), "sms_blocks", 5)

    def is_hidden(self, href: str | None, src_uri: str) -> bool:
        if not self.hidden:
            return False
        sources, urls = link_targets(href, src_uri, self.directory_urls)
        candidates = [*sources, *(f"url:{url}" for url in urls)]
        return any(target_digest(self.token, c) in self.hidden for c in candidates)


def makeExtension(**kwargs: Any) -> GuardExtension:  # noqa: N802 (Markdown's API)
    return GuardExtension(**kwargs)
