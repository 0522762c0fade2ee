"""The stage's own site configuration, derived from the repository's mkdocs.yml.

Decided here, once, for every engine: the stage's docs folder, a `nav:` without hidden
entries (plus the generated pages), the guard extension with this stage's token, no snippets
or macros left to run (the stage already expanded them, inside the audience), no plugin of
ours, repository links per audience, our assets, and no third-party requests.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..core.page_refs import case_folded, without_hidden_pages
from ..python_tags import PythonName
from ..site_config import named_entries

PLUGIN = "sms-handbook"
GUARD = "sms_handbook.guard"
EXPANDED_EXTENSIONS = ("pymdownx.snippets", GUARD)  # the stage did their work
RENDERED_PLUGINS = (PLUGIN, "macros")
ASSETS_DIR = "assets/sms-handbook"
VENDOR_SCRIPTS = ("tablesort.min.js", "tablesort.number.min.js", "tablesort.date.min.js")
MERMAID = "mermaid.min.js"
STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "approved": "", "retired": "Retired"}


def prune_nav(entries: Any, hidden: set[str], base: str = "") -> Any:
    """A copy of a `nav:` config without entries for hidden pages, in any letter case (and
    emptied sections); `base` is the folder the entries are relative to (awesome-nav's
    `.nav.yml` files)."""
    names_hidden = _hidden_page_test(hidden)
    return _pruned(
        entries,
        lambda value: names_hidden(posixpath.join(base, value) if "://" not in value else value),
    )


def _pruned(entries: Any, names_hidden: Callable[[str], bool]) -> Any:
    if isinstance(entries, list):
        pruned = [_pruned(entry, names_hidden) for entry in entries]
        return [entry for entry in pruned if entry is not None]
    if isinstance(entries, str):
        return None if names_hidden(entries) else entries
    if isinstance(entries, dict) and len(entries) == 1:
        ((title, value),) = entries.items()
        if isinstance(value, str):
            return None if names_hidden(value) else entries
        children = _pruned(value, names_hidden)
        return {title: children} if children else None
    return entries


def _hidden_page_test(hidden: set[str]) -> Callable[[str], bool]:
    """Whether a nav entry or redirect target names one of `hidden`, in any letter case."""
    folded = {case_folded(page) for page in hidden}
    return lambda value: case_folded(_nav_target(value)) in folded


def nest_nav(entries: Any, children: dict[str, tuple[str, list[str]]]) -> Any:
    """A copy of a `nav:` config where each page with children (the catalogue and its
    services) becomes a section: the page first, as the section's index, then its children."""
    if isinstance(entries, list):
        return [nest_nav(entry, children) for entry in entries]
    if isinstance(entries, str) and _nav_target(entries) in children:
        title, pages = children[_nav_target(entries)]
        return {title: [entries, *pages]}
    if isinstance(entries, dict) and len(entries) == 1:
        ((title, value),) = entries.items()
        if isinstance(value, str) and _nav_target(value) in children:
            return {title: [value, *children[_nav_target(value)][1]]}
        if isinstance(value, list):
            return {title: nest_nav(value, children)}
    return entries


def _nav_target(value: str) -> str:
    return posixpath.normpath(value.lstrip("/")) if "://" not in value else value


def nav_targets(nav: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(nav, list):
        for entry in nav:
            found |= nav_targets(entry)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= nav_targets(value)
    elif isinstance(nav, str):
        found.add(_nav_target(nav))
    return found


@dataclass
class Derivation:
    """What the stage changes in the site configuration, for one audience."""

    token: str
    stage_file: Path
    hidden_pages: set[str]
    generated_nav: list[dict[str, str]]
    nav_section: str
    nav_children: dict[str, tuple[str, list[str]]]  # page -> (its title, pages under it)
    reads_repository: bool  # the audience may see the repository (Audience's answer)
    prune_navigation: bool
    allow_third_party: bool
    hooks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    theme_dir: str | None = None  # the staged copy of the theme's custom_dir

    def guard_options(self, use_directory_urls: bool) -> dict[str, Any]:
        return {
            "token": self.token,
            "stage": str(self.stage_file),
            "use_directory_urls": use_directory_urls,
        }


def assets() -> tuple[list[str], list[str]]:
    """(extra CSS, extra JavaScript) of our own assets, as docs-relative paths."""
    scripts = [f"{ASSETS_DIR}/{name}" for name in (MERMAID, *VENDOR_SCRIPTS, "sms-handbook.js")]
    return [f"{ASSETS_DIR}/sms-handbook.css"], scripts


# Emoji generators that load images from a CDN: pymdownx's, and Material's (which inlines the
# theme's icons but takes every emoji from pymdownx's CDN).
ONLINE_EMOJI = frozenset(
    f"{module}.{name}"
    for module in ("pymdownx.emoji", "material.extensions.emoji")
    for name in ("to_png", "to_svg", "to_png_sprite", "to_svg_sprite")
)
OFFLINE_EMOJI = "sms_handbook.offline_emoji.to_svg"


def _offline(name: str, options: dict[str, Any], theme: Any, derivation: Derivation) -> Any:
    """Options of one Markdown extension, changed where they would load from a third party
    while `allow_third_party` is false: emoji from a CDN become the characters themselves
    (and the theme's icons inline SVG, as before)."""
    if name != "pymdownx.emoji" or derivation.allow_third_party:
        return options
    generator = options.get("emoji_generator")
    generator_name = generator.name if isinstance(generator, PythonName) else None
    if generator_name is not None and generator_name not in ONLINE_EMOJI:
        return options  # the user's own choice of an offline generator
    changed = dict(options)
    if theme == "material":
        changed["emoji_generator"] = PythonName(OFFLINE_EMOJI)
    else:
        changed["emoji_generator"] = PythonName("pymdownx.emoji.to_alt")
    derivation.notes.append(
        "emoji are shown as characters instead of images from a CDN (allow_third_party is false)"
    )
    return changed


# The options of other plugins and extensions the stage may change (the MkDocs plugin front
# end applies them to the plugins MkDocs has already loaded).
SCOPED_PLUGIN_OPTIONS = {
    "redirects": ("redirect_maps",),
    "blog": ("enabled",),
    "git-revision-date-localized": ("enabled",),
}
SCOPED_EXTENSION_OPTIONS = {"pymdownx.emoji": ("emoji_index", "emoji_generator")}


def without_hidden_extra(
    config: dict[str, Any], names_hidden: Callable[[str], bool]
) -> tuple[dict[str, Any], int]:
    """The site configuration with its `extra` values naming what `names_hidden` refuses
    emptied (list items and keys naming one go): themes print them on every page (Material's
    `extra.social`), and page templates read them. The count of values taken out."""
    extra = config.get("extra")
    if not isinstance(extra, dict):
        return config, 0
    scoped, removed = without_hidden_pages(extra, names_hidden, emptied=True)
    return ({**config, "extra": scoped} if removed else config), removed


def _scoped_plugin(name: str, options: Any, derivation: Derivation) -> Any:
    """Options of another plugin for this audience's stage, where as written they would
    publish or need what the stage leaves out."""
    options = dict(options or {})
    names_hidden = _hidden_page_test(derivation.hidden_pages)
    if name == "redirects" and isinstance(options.get("redirect_maps"), dict):
        # A redirect to a hidden page would write a stub naming its path (and dangle); one
        # from a hidden page's path would write a stub at that path.
        kept = {
            source: target
            for source, target in options["redirect_maps"].items()
            if not (isinstance(target, str) and names_hidden(target.split("#")[0]))
            and not (isinstance(source, str) and names_hidden(source))
        }
        if len(kept) < len(options["redirect_maps"]):
            left_out = len(options["redirect_maps"]) - len(kept)
            derivation.notes.append(
                f"left out {left_out} redirect(s) from or to pages not for this audience"
            )
        options["redirect_maps"] = kept
    elif name == "blog" and options.get("enabled", True) is not False:
        index = posixpath.join(str(options.get("blog_dir") or "blog"), "index.md")
        if names_hidden(index):  # Material's blog needs its index page, which this audience lacks
            options["enabled"] = False
            derivation.notes.append(
                f"blog off: its index {index} is not for this audience (posts are plain pages)"
            )
    elif name == "git-revision-date-localized" and options.get("enabled", True) is not False:
        # The stage is outside git: the plugin would date every page with the build's time.
        options["enabled"] = False
        derivation.notes.append(
            "git-revision-date-localized off: staged pages have no git history of their own; "
            "the control block shows each document's history from git"
        )
    return options


def derive(raw: dict[str, Any], root: Path, derivation: Derivation) -> dict[str, Any]:
    """The stage's configuration: `raw` (the repository's, as read) with the stage's changes."""
    config = dict(raw)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config.pop("watch", None)
    nav = config.get("nav")
    if isinstance(nav, list):
        nav = prune_nav(nav, derivation.hidden_pages) or []
        listed = nav_targets(nav)
        unlisted = [e for e in derivation.generated_nav if next(iter(e.values())) not in listed]
        if unlisted:
            nav.append({derivation.nav_section: unlisted})
        config["nav"] = nest_nav(nav, derivation.nav_children)
    use_directory_urls = bool(config.get("use_directory_urls", True))
    raw_theme = config.get("theme")
    theme_name = raw_theme.get("name") if isinstance(raw_theme, dict) else raw_theme
    extensions = []
    for name, written in named_entries(config.get("markdown_extensions")):
        if name not in EXPANDED_EXTENSIONS:
            options = _offline(name, written or {}, theme_name, derivation)
            extensions.append({name: options} if options else name)
    if "attr_list" not in [next(iter(e)) if isinstance(e, dict) else e for e in extensions]:
        extensions.append("attr_list")
    extensions.append({GUARD: derivation.guard_options(use_directory_urls)})
    config["markdown_extensions"] = extensions
    plugins = [
        (name, _scoped_plugin(name, options, derivation))
        for name, options in named_entries(config.get("plugins", ["search"]))
        if name not in RENDERED_PLUGINS
    ]
    if os.environ.get("MIKE_DOCS_VERSION") and "mike" not in dict(plugins):
        plugins.append(("mike", {}))  # a release: mike's version selector and redirects
    config["plugins"] = [{name: options} if options else name for name, options in plugins]
    config["theme"] = _theme(config.get("theme"), derivation)
    css, scripts = assets()
    config["extra_css"] = [*(config.get("extra_css") or []), *css]
    config["extra_javascript"] = [*(config.get("extra_javascript") or []), *scripts]
    extra_values: dict[str, Any] = dict(config.get("extra") or {})
    extra = extra_values
    extra["status"] = {**STATUS_LABELS, **(extra.get("status") or {})}
    if os.environ.get("MIKE_DOCS_VERSION"):
        extra.setdefault("version", {"provider": "mike"})
    config["extra"] = extra
    _repository_links(config, derivation)
    hooks = [str((root / h).resolve()) for h in config.get("hooks") or [] if isinstance(h, str)]
    if hooks or derivation.hooks:
        config["hooks"] = [*hooks, *derivation.hooks]
    return config


def _theme(written: Any, derivation: Derivation) -> dict[str, Any]:
    """The theme as the stage uses it: overrides from the stage's copy, Material's navigation
    pruned and no Google Fonts unless third parties are allowed."""
    theme = dict(written) if isinstance(written, dict) else {"name": written or "mkdocs"}
    if derivation.theme_dir is not None:
        theme["custom_dir"] = derivation.theme_dir  # the stage's copy, never the repository's
    else:
        theme.pop("custom_dir", None)
    if theme.get("name") == "material":
        features = list(theme.get("features") or [])
        if derivation.prune_navigation and "navigation.prune" not in features:
            features.append("navigation.prune")
        theme["features"] = features
        if not derivation.allow_third_party:
            theme["font"] = False  # no Google Fonts
    return theme


REPOSITORY_KEYS = ("repo_url", "repo_name", "edit_uri", "edit_uri_template")
# MkDocs' own default `edit_uri` for the code hosts it knows, when only `repo_url` is set.
DEFAULT_EDIT_URI = {
    "github.com": "edit/master/docs/",
    "gitlab.com": "edit/master/docs/",
    "bitbucket.org": "src/default/docs/",
}


def _repository_links(config: dict[str, Any], derivation: Derivation) -> None:
    """Links into the repository: only for an audience that may see it. Without third
    parties, the header's repository link goes (Material loads its facts from the code host)
    and the edit links stay, made absolute as MkDocs would make them."""
    repo_url, edit_uri = config.get("repo_url"), config.get("edit_uri")
    if not any(config.get(key) for key in REPOSITORY_KEYS):
        return
    if not derivation.reads_repository:
        for key in REPOSITORY_KEYS:
            config.pop(key, None)
        derivation.notes.append(
            "repository and edit links are left out: the repository holds more than this "
            "audience may see"
        )
        return
    if not isinstance(repo_url, str) or not repo_url or derivation.allow_third_party:
        return
    if edit_uri is None:
        edit_uri = DEFAULT_EDIT_URI.get(urlsplit(repo_url).netloc.lower())
    template = config.get("edit_uri_template")
    for key, value in (("edit_uri", edit_uri), ("edit_uri_template", template)):
        if isinstance(value, str) and value:
            config[key] = _joined(repo_url, value)
    config.pop("repo_url", None)
    config.pop("repo_name", None)
    kept = bool(config.get("edit_uri") or config.get("edit_uri_template"))
    shown = kept and _theme_shows_edit_links(config.get("theme"))
    derivation.notes.append(
        "the header's repository link is left out (it would load facts from the code host; "
        "set allow_third_party to keep it)"
        + ("; edit links stay, pointing at each page's file in the repository" if shown else "")
    )


def _joined(repo_url: str, uri: str) -> str:
    """`uri` against `repo_url`, as MkDocs joins a page's edit link."""
    if not uri.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    return urljoin(repo_url, uri)


def _theme_shows_edit_links(theme: Any) -> bool:
    """Material shows them with its `content.action.edit` or `.view` feature; MkDocs' own
    themes always."""
    if not isinstance(theme, dict) or theme.get("name") != "material":
        return True
    features = theme.get("features") or []
    return "content.action.edit" in features or "content.action.view" in features
