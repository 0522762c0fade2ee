"""What MkDocs warns about, or stops on, in mkdocs.yml and in the files of `docs/` before it
renders a page, foreseen at the line that causes it: a setting or `validation:` name it does
not know, a deprecated one, `edit_uri` beside `edit_uri_template`, what it refuses (the removed
`pages`, no `site_name`, paths that do not exist, unknown `validation:` levels), an
`extra_templates` entry that is not in `docs/`, two pages of one folder with one address.

`validate` loads no site generator, so MkDocs' own schema is not asked: its names are listed
here and tests/test_consistency.py holds the list to MkDocs' `MkDocsConfig`. The files are only
composed, never constructed: their Python tags run nothing here.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .core.audience import Audience
from .core.diagnostics import Diagnostic
from .core.link_levels import DEFAULTS, EXTRA_VALUES, LEVELS
from .core.model import Document

# The settings of MkDocs 1.6's `MkDocsConfig`.
MKDOCS_SETTINGS = frozenset(
    {
        "config_file_path", "copyright", "dev_addr", "docs_dir", "draft_docs", "edit_uri",
        "edit_uri_template", "exclude_docs", "extra", "extra_css", "extra_javascript",
        "extra_templates", "google_analytics", "hooks", "markdown_extensions", "mdx_configs",
        "nav", "not_in_nav", "pages", "plugins", "remote_branch", "remote_name", "repo_name",
        "repo_url", "site_author", "site_description", "site_dir", "site_name", "site_url",
        "strict", "theme", "use_directory_urls", "validation", "watch",
    }
)  # fmt: skip
# The checks under `validation:` and the levels each takes (MkDocs 1.6, core/link_levels.py);
# a check's name alone sets it in both groups that have it.
VALIDATION = {group: tuple(checks) for group, checks in DEFAULTS.items()}
ABSOLUTE_LINK_LEVELS = (*LEVELS, *EXTRA_VALUES["absolute_links"])
READ_BY_THE_LOADER = frozenset({"INHERIT"})
COMPOSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # composes only: runs no tag
MERGE_TAG = "tag:yaml.org,2002:merge"  # `<<: *defaults` merges settings, and is none itself
DEPRECATED = {
    "google_analytics": "deprecated, and MkDocs will remove it (it warns, and a strict build "
    "stops); use the theme's own analytics settings",
}
REMOVED = {
    "pages": "MkDocs no longer has this setting and stops on it; write the entries under `nav`"
}


@dataclass(frozen=True)
class _Setting:
    path: str  # relative to the handbook root
    key: yaml.Node
    value: yaml.Node


def setting_diagnostics(config_file: Path, site_config: dict[str, Any]) -> list[Diagnostic]:
    """What MkDocs says about the settings of `config_file` (and the files it inherits):
    unknown names (SMS324), deprecated ones and `edit_uri` beside `edit_uri_template`
    (SMS325), what it refuses (SMS326), `extra_templates` missing from docs/ (SMS328)."""
    settings = _settings(config_file)
    root = config_file.parent
    docs_dir = root / str(site_config.get("docs_dir") or "docs")
    return [
        *_named(settings),
        *_site_name(settings, site_config, config_file.name),
        *_edit_uri(settings, site_config),
        *_missing_paths(settings, root),
        *_validation(settings.get("validation")),
        *_missing_templates(settings.get("extra_templates"), docs_dir),
    ]


def _named(settings: dict[str, _Setting]) -> list[Diagnostic]:
    found = []
    for name, setting in settings.items():
        if name in REMOVED:
            found.append(_at(setting.key, setting, "SMS326", f"`{name}`: {REMOVED[name]}"))
        elif name in DEPRECATED:
            found.append(_at(setting.key, setting, "SMS325", f"`{name}`: {DEPRECATED[name]}"))
        elif name not in MKDOCS_SETTINGS | READ_BY_THE_LOADER:
            message = (
                f"`{name}` is not a setting of MkDocs (it warns, and a strict build stops); "
                "correct its name, or take it out"
            )
            found.append(_at(setting.key, setting, "SMS324", message))
    return found


def _site_name(
    settings: dict[str, _Setting], site_config: dict[str, Any], name: str
) -> list[Diagnostic]:
    """MkDocs requires `site_name` as text, and stops without it."""
    if isinstance(site_config.get("site_name"), str):
        return []
    message = (
        "`site_name` is missing or not text: MkDocs requires it and stops; write the "
        "handbook's title there"
    )
    setting = settings.get("site_name")
    if setting is None:
        return [Diagnostic(name, 1, 1, "SMS326", message)]
    return [_at(setting.key, setting, "SMS326", message)]


def _edit_uri(settings: dict[str, _Setting], site_config: dict[str, Any]) -> list[Diagnostic]:
    edit_uri = settings.get("edit_uri")
    if edit_uri is None or not (
        site_config.get("edit_uri") and site_config.get("edit_uri_template")
    ):
        return []
    message = (
        "`edit_uri` has no effect beside `edit_uri_template` (MkDocs warns, and a strict "
        "build stops); keep one of them"
    )
    return [_at(edit_uri.key, edit_uri, "SMS325", message)]


def _missing_paths(settings: dict[str, _Setting], root: Path) -> list[Diagnostic]:
    """Paths MkDocs requires to exist, relative to mkdocs.yml's folder: each `hooks` file,
    each `watch` path, the theme's `custom_dir`."""
    wanted: list[tuple[yaml.Node, _Setting, str, str]] = []
    for name, kind in (("hooks", "file"), ("watch", "file or folder")):
        setting = settings.get(name)
        if setting is not None and isinstance(setting.value, yaml.SequenceNode):
            wanted += [(item, setting, f"`{name}`", kind) for item in setting.value.value]
    theme = settings.get("theme")
    if theme is not None and isinstance(theme.value, yaml.MappingNode):
        for key, value in theme.value.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "custom_dir":
                wanted.append((value, theme, "the theme's `custom_dir`", "folder"))
    found = []
    for node, setting, what, kind in wanted:
        if isinstance(node, yaml.ScalarNode) and not _exists(root / str(node.value), kind):
            message = (
                f"{what} names '{node.value}', but there is no such {kind} (read from "
                "mkdocs.yml's folder): MkDocs stops on it; correct the path, or take it out"
            )
            found.append(_at(node, setting, "SMS326", message))
    return found


def _validation(setting: _Setting | None) -> list[Diagnostic]:
    """Names under `validation:` MkDocs does not know (SMS324), levels it refuses (SMS326)."""
    if setting is None:
        return []
    if not isinstance(setting.value, yaml.MappingNode):
        message = "`validation` takes `links:` and `nav:` with their levels: MkDocs stops on it"
        return [_at(setting.value, setting, "SMS326", message)]
    checks = {check for group in VALIDATION.values() for check in group}
    found = []
    for key, value in _scalar_keys(setting.value):
        if key.value in VALIDATION and isinstance(value, yaml.MappingNode):
            for sub, level in _scalar_keys(value):
                where = f"validation: {key.value}: {sub.value}"
                if sub.value in VALIDATION[key.value]:
                    found += _level(where, sub.value, level, setting)
                else:
                    found.append(_unknown(where, sub, setting))
        elif key.value in checks:
            found += _level(f"validation: {key.value}", key.value, value, setting)
        elif key.value not in VALIDATION:
            found.append(_unknown(f"validation: {key.value}", key, setting))
    return found


def _scalar_keys(node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    return [(key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode)]


def _unknown(where: str, key: yaml.Node, setting: _Setting) -> Diagnostic:
    message = (
        f"`{where}` is not a setting of MkDocs (it warns, and a strict build stops); correct "
        "its name, or take it out"
    )
    return _at(key, setting, "SMS324", message)


def _level(where: str, check: str, value: yaml.Node, setting: _Setting) -> list[Diagnostic]:
    levels = ABSOLUTE_LINK_LEVELS if check == "absolute_links" else LEVELS
    if isinstance(value, yaml.ScalarNode) and (value.value in levels or value.tag == "!ENV"):
        return []  # a variable's value is known only when the build runs
    message = (
        f"`{where}` takes one of {', '.join(levels)}: MkDocs stops on anything else; write one "
        "of them"
    )
    return [_at(value, setting, "SMS326", message)]


def _exists(path: Path, kind: str) -> bool:
    return {"file": path.is_file, "folder": path.is_dir}.get(kind, path.exists)()


def _settings(config_file: Path) -> dict[str, _Setting]:
    """Each top-level setting, from the file that sets it last along the `INHERIT` chain."""
    files: dict[Path, yaml.MappingNode] = {}
    current: Path | None = config_file
    while current is not None and current not in files and len(files) <= 10:
        node = _composed(current)
        if node is None:
            break  # the configuration's own checks report an unreadable file
        files[current] = node
        parent = {key.value: value for key, value in _scalar_keys(node)}.get("INHERIT")
        current = (
            (current.parent / str(parent.value)).resolve()
            if isinstance(parent, yaml.ScalarNode)
            else None
        )
    settings: dict[str, _Setting] = {}
    for path, node in reversed(files.items()):
        shown = Path(os.path.relpath(path, config_file.parent)).as_posix()
        for key, value in _scalar_keys(node):
            if key.tag != MERGE_TAG:
                settings[str(key.value)] = _Setting(shown, key, value)
    return settings


def _composed(path: Path) -> yaml.MappingNode | None:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=COMPOSER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return node if isinstance(node, yaml.MappingNode) else None


def _missing_templates(setting: _Setting | None, docs_dir: Path) -> list[Diagnostic]:
    if setting is None or not isinstance(setting.value, yaml.SequenceNode):
        return []
    found = []
    for item in setting.value.value:
        if isinstance(item, yaml.ScalarNode) and not (docs_dir / str(item.value)).is_file():
            message = (
                f"`extra_templates` names '{item.value}', which is not a file of "
                f"{docs_dir.name}/ (MkDocs skips it and warns, and a strict build stops); correct "
                "the name, or add the file"
            )
            found.append(_at(item, setting, "SMS328", message))
    return found


def _at(node: yaml.Node, setting: _Setting, code: str, message: str) -> Diagnostic:
    mark = node.start_mark
    return Diagnostic(setting.path, mark.line + 1, mark.column + 1, code, message)


def address_conflicts(documents: list[Document], use_directory_urls: bool) -> list[Diagnostic]:
    """Pages of one folder that MkDocs would write to one address (`README.md` beside
    `index.md`): it leaves out the first in its order, and warns (SMS327). `documents` are
    the site's pages: what MkDocs leaves out is no document (core/site_files.py)."""
    folders: dict[tuple[str, str], list[str]] = {}
    for document in documents:
        parent, name = posixpath.split(document.src_uri)
        destination = _destination(name, use_directory_urls)
        folders.setdefault((parent, destination), []).append(document.src_uri)
    paths = {document.src_uri: document.path for document in documents}
    found = []
    for uris in folders.values():
        first, *later = sorted(uris, key=_mkdocs_order)
        for other in later:
            message = (
                f"MkDocs leaves this page out: '{other}' in the same folder has its address "
                "(MkDocs warns, and a strict build stops); keep one of them"
            )
            found.append(Diagnostic(paths[first], 1, 1, "SMS327", message))
    return found


def _destination(name: str, use_directory_urls: bool) -> str:
    stem = os.path.splitext(name)[0]
    stem = "index" if stem == "README" else stem
    return f"{stem}.html" if not use_directory_urls or stem == "index" else f"{stem}/index.html"


def _mkdocs_order(src_uri: str) -> tuple[bool, str]:
    name = posixpath.basename(src_uri)
    return os.path.splitext(name)[0] not in ("index", "README"), name


HOME_PAGES = ("index.md", "README.md")  # the pages MkDocs serves at a site's address


def has_home_page(src_uris: Iterable[str]) -> bool:
    """Whether a site holds a page MkDocs serves at its address."""
    return any(uri in HOME_PAGES for uri in src_uris)


def missing_home_pages(
    documents: list[Document], audiences: list[Audience], config_name: str
) -> list[Diagnostic]:
    """Each audience `build` builds whose site has no home page (SMS330): its address answers
    404, which the build warns about (a strict build stops)."""
    homes = [d for d in documents if d.src_uri in HOME_PAGES]
    found = []
    for audience in audiences:
        if any(audience.sees(home.classification) for home in homes):
            continue
        if homes:
            home = homes[0]
            line = home.lines.get("classification", 1)
            where = f"{home.src_uri} is classified {home.classification}"
            path = home.path
        else:
            line, where, path = 1, "docs/ has no index.md at its top", config_name
        message = (
            f"the {audience} site has no home page: {where}, so its address answers 404 "
            "(the build warns, and a strict build stops); classify the home page for this "
            "audience, or add one that is"
        )
        found.append(Diagnostic(path, line, 1, "SMS330", message))
    return found
