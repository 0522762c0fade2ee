"""The `nav:` of mkdocs.yml against the files of `docs/`: an entry naming a page that does not
exist makes MkDocs warn, and a strict build stop; `validate` says so first, at the entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from .core.diagnostics import Diagnostic
from .core.link_levels import LinkLevels


def nav_diagnostics(
    config_file: Path, docs_dir: Path, generated_dir: str, levels: LinkLevels
) -> list[Diagnostic]:
    """Every `nav:` entry of `config_file` naming a Markdown page that is neither in `docs_dir`
    nor one of the handbook's generated pages (below `generated_dir`), at its line (SMS319),
    at the site's `validation.nav.not_found` level. The file is only composed, never
    constructed: its Python tags run nothing here."""
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # the configuration's own checks report an unreadable file
    nav = _top_level(root, "nav")
    if nav is None:
        return []
    found = []
    for node in _pages(nav):
        page = node.value.strip()
        if _names_a_file(page, docs_dir, generated_dir):
            continue
        message = (
            f"`nav` names '{page}', which is not a page of {docs_dir.name}/ (MkDocs warns, and a "
            "strict build stops); correct the path, or take the entry out"
        )
        mark = node.start_mark
        diagnostic = Diagnostic(config_file.name, mark.line + 1, mark.column + 1, "SMS319", message)
        judged = levels.judged(diagnostic, "nav", "not_found")
        if judged is not None:
            found.append(judged)
    return found


def _top_level(root: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for name, value in root.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return value
    return None


def _pages(node: yaml.Node) -> Iterator[yaml.ScalarNode]:
    """The entries of a nav that name a Markdown page by a relative path (links to addresses
    and absolute paths are MkDocs' external links)."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _pages(item)
    elif isinstance(node, yaml.MappingNode):
        for _title, value in node.value:
            yield from _pages(value)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        page = node.value.strip()
        if page.endswith(".md") and "://" not in page and not page.startswith("/"):
            yield node


def _names_a_file(page: str, docs_dir: Path, generated_dir: str) -> bool:
    if page.split("/", 1)[0] == generated_dir.strip("/"):
        return True  # the handbook's generated pages exist only in the stage
    return (docs_dir / page).is_file()
