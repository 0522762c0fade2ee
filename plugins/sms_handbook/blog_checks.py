"""Material's blog against its authors file: a post naming an author that `.authors.yml` does
not list stops the blog plugin, and every build; `validate` says so first, at the post's
`authors:` line. Paths and defaults are the plugin's (`blog_dir`, `post_dir`,
`authors_file`); drafts it leaves out are not checked."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from .core.diagnostics import Diagnostic
from .core.loading import load_yaml
from .core.model import Document
from .site_config import named_entries

BLOG_PLUGINS = ("blog", "material/blog")


def author_diagnostics(
    documents: list[Document], config: dict[str, Any], docs_dir: Path
) -> list[Diagnostic]:
    """Each post's author missing from the blog's authors file (SMS329)."""
    options = _blog_options(config)
    if options is None or options.get("authors", True) is False:
        return []
    blog = str(options.get("blog_dir", "blog"))
    posts = posixpath.normpath(str(options.get("post_dir", "{blog}/posts")).format(blog=blog))
    authors_file = str(options.get("authors_file", "{blog}/.authors.yml")).format(blog=blog)
    known = _authors(docs_dir / posixpath.normpath(authors_file))
    if known is None:
        return []  # Material stops on the file itself; the build says why
    found = []
    for document in documents:
        if not document.src_uri.startswith(posts) or _left_out(document, options):
            continue
        named = document.meta.get("authors")
        for author in named if isinstance(named, list) else []:
            if str(author) not in known:
                message = (
                    f"post names the author '{author}', whom {authors_file} does not list "
                    "(Material's blog stops every build); add the author there, or correct "
                    "the name"
                )
                line = document.lines.get("authors", 1)
                found.append(Diagnostic(document.path, line, 1, "SMS329", message))
    return found


def _blog_options(config: dict[str, Any]) -> dict[str, Any] | None:
    for name, options in named_entries(config.get("plugins")):
        if name in BLOG_PLUGINS and options.get("enabled", True) is not False:
            return options
    return None


def _left_out(post: Document, options: dict[str, Any]) -> bool:
    """A draft the blog leaves out of the build (unless `draft: true` builds drafts)."""
    return options.get("draft") is not True and post.meta.get("draft") is True


def _authors(path: Path) -> set[str] | None:
    """The ids the authors file lists (none when there is no such file, as Material reads
    it), or None when it cannot be read."""
    if not path.is_file():
        return set()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    # the core's loader: its limits on size, depth and aliases hold for this file too
    parsed, _problems = load_yaml(text, path=path.name)  # the build says what is wrong
    if parsed is None:
        return None
    loaded = parsed.data
    authors = loaded.get("authors") if isinstance(loaded, dict) else None
    return {str(key) for key in authors} if isinstance(authors, dict) else set()
