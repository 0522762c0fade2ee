"""Keep hidden content out of one audience's build, wherever MkDocs or Markdown could leak it.

Pages and attachments above the audience are removed from MkDocs' file list; then every place
that could still name them is handled: explicit `nav:` entries, links and images (Markdown and
raw HTML), snippet includes, HTML comments and repository links.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

RESTRICTED_TEXT = "restricted item"


def attachment_classification(
    src_uri: str, patterns: dict[str, str], public_assets: set[str], default: str, lowest: str
) -> str:
    """Classification of a non-Markdown file in docs/: first matching pattern wins."""
    for pattern, classification in patterns.items():
        if fnmatch.fnmatch(src_uri, pattern):
            return classification
    return lowest if src_uri in public_assets else default


def prune_nav(entries: Any, hidden: set[str]) -> Any:
    """A copy of a `nav:` config without entries for hidden pages (and emptied sections)."""
    if isinstance(entries, list):
        pruned = [prune_nav(entry, hidden) for entry in entries]
        return [entry for entry in pruned if entry is not None]
    if isinstance(entries, str):
        return None if _nav_target(entries) in hidden else entries
    if isinstance(entries, dict) and len(entries) == 1:
        ((title, value),) = entries.items()
        if isinstance(value, str):
            return None if _nav_target(value) in hidden else entries
        children = prune_nav(value, hidden)
        return {title: children} if children else None
    return entries


def _nav_target(value: str) -> str:
    return posixpath.normpath(value.lstrip("/")) if "://" not in value else value


@dataclass
class HiddenTargets:
    """Source paths and URLs of what this build leaves out."""

    src_uris: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)

    def matches(self, href: str | None, page_src_uri: str, page_url: str) -> bool:
        if not href:
            return False
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            return False
        path = unquote(parts.path)
        if path.startswith("/"):
            src_target = url_target = posixpath.normpath(path.lstrip("/"))
        else:
            src_target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src_uri), path))
            base = (
                page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
            )
            url_target = posixpath.normpath(posixpath.join(base, path))
        candidates = {src_target, f"{src_target}/index.md", f"{src_target}/README.md"}
        if candidates & self.src_uris:
            return True
        url = url_target.removesuffix("/index.html").strip("/")
        return url in self.urls


@dataclass
class PageState:
    src_uri: str = ""
    url: str = ""


class _HiddenLinkProcessor(Treeprocessor):
    """Links to hidden pages become plain 'restricted item' text; hidden images go."""

    def __init__(self, md: Markdown, targets: HiddenTargets, page: PageState) -> None:
        super().__init__(md)
        self.targets = targets
        self.page = page

    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                attribute = {"a": "href", "img": "src"}.get(child.tag)
                if attribute is None:
                    continue
                if not self.targets.matches(child.get(attribute), self.page.src_uri, self.page.url):
                    continue
                replacement = ElementTree.Element("span", {"class": "sms-restricted"})
                replacement.text = RESTRICTED_TEXT
                replacement.tail = child.tail
                parent.remove(child)
                parent.insert(index, replacement)


class HiddenLinksExtension(Extension):
    def __init__(self, targets: HiddenTargets, page: PageState) -> None:
        super().__init__()
        self.targets = targets
        self.page = page

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Before MkDocs' own link processing (priority 0), which would warn about them.
        md.treeprocessors.register(
            _HiddenLinkProcessor(md, self.targets, self.page), "sms_hidden_links", 1
        )


_RAW_LINK = re.compile(r"<a\b[^>]*?\bhref=([\"'])(.*?)\1[^>]*>.*?</a>", re.DOTALL | re.IGNORECASE)
_RAW_IMAGE = re.compile(r"<img\b[^>]*?\bsrc=([\"'])(.*?)\1[^>]*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def scrub_html(html: str, targets: HiddenTargets, page: PageState) -> str:
    """Remove HTML comments, and raw HTML links and images that point at hidden content."""
    html = _COMMENT.sub("", html)

    def replace(match: re.Match[str]) -> str:
        if targets.matches(match.group(2), page.src_uri, page.url):
            return f'<span class="sms-restricted">{RESTRICTED_TEXT}</span>'
        return match.group(0)

    return _RAW_IMAGE.sub(replace, _RAW_LINK.sub(replace, html))


# pymdownx.snippets: `--8<-- "file"` on a line, or a block of file names between `--8<--` lines
_SNIPPET_LINE = re.compile(
    r"^(?P<space>[ \t]*)(?P<escape>;*)-+8<-+[ \t]+(?P<quote>[\"'])(?P<name>.+?)(?P=quote)\s*$"
)
_SNIPPET_BLOCK = re.compile(r"^[ \t]*(;*)-+8<-+\s*$")


def _snippet_file(name: str) -> str:
    """The file part of a snippet name (`file.md:3:5` or `file.md:section`)."""
    name = name.strip()
    if "://" in name:
        return name
    return re.sub(r"(:[0-9]*){1,2}$|:[A-Za-z0-9_-]+$", "", name) if ":" in name else name


def guard_snippets(markdown: str, allowed: Callable[[str], bool]) -> tuple[str, list[str]]:
    """Drop snippet directives whose file this audience may not see."""
    lines = markdown.split("\n")
    removed: list[str] = []
    in_block = False
    for index, line in enumerate(lines):
        block = _SNIPPET_BLOCK.match(line)
        if block and not block.group(1):
            in_block = not in_block
            continue
        if in_block:
            name = line.strip()
            if name and not name.startswith(";") and not allowed(_snippet_file(name)):
                removed.append(name)
                lines[index] = ""
            continue
        single = _SNIPPET_LINE.match(line)
        if (
            single
            and not single.group("escape")
            and not allowed(_snippet_file(single.group("name")))
        ):
            removed.append(single.group("name"))
            lines[index] = ""
    return "\n".join(lines), removed


@dataclass
class SnippetPolicy:
    """Which files snippets may include: not hidden pages, attachments or raw registers."""

    base_paths: list[Path]
    docs_dir: Path
    registers_dir: Path
    hidden_src_uris: set[str]
    guard_registers: bool

    def allowed(self, name: str) -> bool:
        if "://" in name:
            return True
        for base in self.base_paths:
            candidate = (base / name).resolve()
            if candidate.exists():
                return self._allowed_file(candidate)
        return True  # pymdownx reports missing files itself

    def _allowed_file(self, path: Path) -> bool:
        if self.guard_registers and path.is_relative_to(self.registers_dir.resolve()):
            return False
        docs = self.docs_dir.resolve()
        if path.is_relative_to(docs):
            return path.relative_to(docs).as_posix() not in self.hidden_src_uris
        return True


def snippet_base_paths(mdx_configs: dict[str, Any], cwd: Path) -> list[Path]:
    options = mdx_configs.get("pymdownx.snippets") or {}
    base = options.get("base_path", ["."])
    bases = [base] if isinstance(base, str) else list(base)
    return [(cwd / b) for b in bases]


def filter_auto_append(mdx_configs: dict[str, Any], policy: SnippetPolicy) -> list[str]:
    """Remove hidden files from snippets' `auto_append`; returns what was removed."""
    options = mdx_configs.get("pymdownx.snippets")
    if not isinstance(options, dict) or not options.get("auto_append"):
        return []
    kept: list[str] = []
    removed: list[str] = []
    for name in options["auto_append"]:
        (kept if policy.allowed(str(name)) else removed).append(name)
    options["auto_append"] = kept
    return removed


def public_assets(config_values: Iterable[Any]) -> set[str]:
    """Files of docs/ that the site's own chrome needs (extra CSS and JS, logo, favicon)."""
    found = set()
    for value in config_values:
        path = getattr(value, "path", value)
        if isinstance(path, str) and "://" not in path:
            found.add(posixpath.normpath(path.lstrip("/")))
    return found
