"""MkDocs-side steps of a handbook build: configuration, files, navigation, page markup."""

from __future__ import annotations

import datetime
import re
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from markdown import Extension
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from .. import gitrepo
from ..core.build import build_handbook
from ..core.changes import Changes, compare
from ..core.model import Document, Handbook
from ..core.scope import Hidden, scope_to_audience
from ..core.settings import Settings
from ..history import History
from ..render.control_block import render_control_block, render_history
from ..render.links import LinkMap
from .config import HandbookConfig
from .generated import PagePlan, build_link_map, plan_pages
from .htmlstash import HtmlStash
from .scoping import (
    HiddenTargets,
    SnippetPolicy,
    attachment_classification,
    filter_auto_append,
    prune_nav,
    public_assets,
    snippet_base_paths,
)

log = get_plugin_logger(__name__)

ASSETS_DIR = "assets/sms-handbook"
VENDOR_SCRIPTS = ("tablesort.min.js", "tablesort.number.min.js", "tablesort.date.min.js")
MERMAID = "mermaid.min.js"


def _asset_path(*parts: str) -> str:
    return str(resources.files("sms_handbook").joinpath("data", "assets", *parts))


def configure(
    config: MkDocsConfig, options: HandbookConfig, view: Handbook, links_extension: Extension
) -> None:
    """Markdown extensions, our assets, and no third-party requests from the built pages."""
    if "attr_list" not in config.markdown_extensions:
        config.markdown_extensions.append("attr_list")
    config.markdown_extensions.append(links_extension)
    config.extra_css.append(f"{ASSETS_DIR}/sms-handbook.css")
    scripts = [f"{ASSETS_DIR}/{name}" for name in (*VENDOR_SCRIPTS, "sms-handbook.js")]
    scripts.insert(0, f"{ASSETS_DIR}/{MERMAID}")
    config.extra_javascript.extend(scripts)
    statuses = {"draft": "Draft", "in-review": "In review", "approved": "", "retired": "Retired"}
    config.extra.setdefault("status", {}).update(
        {k: v for k, v in statuses.items() if k not in config.extra.get("status", {})}
    )
    features = config.theme.get("features") or []
    if (
        options.prune_navigation
        and config.theme.name == "material"
        and "navigation.prune" not in features
    ):
        config.theme["features"] = [*features, "navigation.prune"]
    if not options.allow_third_party and config.theme.name == "material":
        config.theme["font"] = False  # no Google Fonts
    if view.audience == view.settings.lowest:
        # The repository holds more than the public may see: no links into it.
        config.repo_url = config.repo_name = config.edit_uri = None
    elif config.repo_url and not options.allow_third_party:
        # material fetches repository facts from the code host; keep the edit links only.
        if config.edit_uri and "://" not in config.edit_uri:
            config.edit_uri = config.repo_url.rstrip("/") + "/" + config.edit_uri.lstrip("/")
        config.repo_url = None


def snippet_policy(
    config: MkDocsConfig, root: Path, view: Handbook, hidden: Hidden
) -> SnippetPolicy:
    policy = SnippetPolicy(
        base_paths=snippet_base_paths(config.mdx_configs, Path.cwd()),
        docs_dir=Path(config.docs_dir),
        registers_dir=root / view.settings.registers_dir,
        hidden_src_uris={d.src_uri for d in hidden.documents},
        guard_registers=view.audience != view.settings.highest,
    )
    for name in filter_auto_append(config.mdx_configs, policy):
        log.info(f"snippets: left out auto_append '{name}' (not for this audience)")
    return policy


def remove_hidden(
    files: Files,
    config: MkDocsConfig,
    options: HandbookConfig,
    full: Handbook,
    view: Handbook,
    targets: HiddenTargets,
) -> None:
    """Take pages and attachments above the audience out of the build, and out of `nav:`."""
    settings = view.settings
    audience = str(view.audience)
    visible_pages = {d.src_uri for d in view.documents}
    known_pages = {d.src_uri for d in full.documents}
    chrome = public_assets(
        [
            *config.extra_css,
            *config.extra_javascript,
            config.theme.get("logo"),
            config.theme.get("favicon"),
        ]
    )
    for file in list(files):
        if file.generated_by is not None or not _in_docs(file, config):
            continue
        if file.is_documentation_page():
            # A page the model does not know (another Markdown extension) fails closed.
            keep = file.src_uri in visible_pages or (
                file.src_uri not in known_pages
                and settings.visible(settings.default_classification, audience)
            )
        else:
            classification = attachment_classification(
                file.src_uri,
                dict(options.attachments),
                chrome,
                settings.default_classification,
                settings.lowest,
            )
            keep = settings.visible(classification, audience)
        if not keep:
            targets.src_uris.add(file.src_uri)
            targets.urls.add(file.url.removesuffix("index.html").strip("/"))
            files.remove(file)
    if config.nav is not None:
        config.nav = prune_nav(config.nav, targets.src_uris) or []


def _in_docs(file: File, config: MkDocsConfig) -> bool:
    return (
        file.src_dir is not None and Path(file.src_dir).resolve() == Path(config.docs_dir).resolve()
    )


def add_generated(
    files: Files,
    config: MkDocsConfig,
    options: HandbookConfig,
    view: Handbook,
    today: datetime.date,
    stash: HtmlStash,
    changes: tuple[Changes, str] | None = None,
) -> LinkMap:
    """Add the generated pages and our assets; returns the links of this build."""
    plan = PagePlan(
        view, options.pages_dir, list(options.pages), today, options.register_page_limit
    )
    if changes is not None:
        plan.changes, plan.base = changes
    created: list[tuple[Any, File]] = []
    for page in plan_pages(plan):
        if files.get_file_from_path(page.src_uri) is not None:
            log.warning(f"{page.src_uri} exists in docs/; not generating the {page.title} page")
            continue
        file = File.generated(config, page.src_uri, content="")
        files.append(file)
        created.append((page, file))
    for name in (*VENDOR_SCRIPTS, MERMAID, "LICENSE.mermaid"):
        files.append(
            File.generated(config, f"{ASSETS_DIR}/{name}", abs_src_path=_asset_path("vendor", name))
        )
    for name in ("sms-handbook.css", "sms-handbook.js"):
        files.append(File.generated(config, f"{ASSETS_DIR}/{name}", abs_src_path=_asset_path(name)))
    document_urls = {f.src_uri: f.url for f in files.documentation_pages()}
    links = build_link_map(
        view, document_urls, {page.key: file.url for page, file in created}, plan.limit
    )
    for page, file in created:
        content = page.render(links.at(file.url))
        if file.is_documentation_page():
            content = stash.stash_blocks(content)
        file.content_string = content
    if config.nav is not None:
        listed = _nav_targets(config.nav)
        extra = [
            {page.title: file.src_uri}
            for page, file in created
            if file.src_uri.endswith(".md")
            and file.src_uri not in listed
            and not page.key.startswith("service:")
        ]
        if extra:
            config.nav.append({options.nav_section: extra})
    return links


def _nav_targets(nav: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(nav, list):
        for entry in nav:
            found |= _nav_targets(entry)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= _nav_targets(value)
    elif isinstance(nav, str):
        found.add(nav)
    return found


_FENCE = re.compile(r"^(```|~~~)")
_H1 = re.compile(r"^#\s+\S")


def with_control_block(
    markdown: str,
    view: Handbook,
    links: LinkMap,
    document: Document,
    today: datetime.date,
    history: Markup | str = "",
    stash: HtmlStash | None = None,
) -> str:
    """The page's Markdown with its control block after the first `# ` heading (or on top)."""
    block = render_control_block(view, links, document, today, history)
    if stash is not None:
        block = stash.put(block).strip()
    lines = markdown.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and _H1.match(line):
            return "\n".join([*lines[: index + 1], "", block, *lines[index + 1 :]])
    return f"{block}\n{markdown}"


def mark_audience(output: str, settings: Settings, audience: str) -> str:
    """Non-public pages: `noindex` for robots and a visible banner naming the audience."""
    if audience == settings.lowest:
        return output
    meta = '<meta name="robots" content="noindex, nofollow">'
    name = escape(audience)
    banner = (
        f'<div class="sms-audience-banner sms-audience-{name}">'
        f"{escape(audience.capitalize())} handbook: do not share outside its audience</div>"
    )
    output = output.replace("</head>", f"{meta}\n</head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, output, count=1)


def history_html(view: Handbook, history: History | None, path: str) -> Markup:
    """The revision history of one document, with as much detail as the audience may see."""
    if history is None:
        return Markup("")
    settings = view.settings
    if view.audience == settings.highest:
        detail = "full"  # commit subjects can name anything in the repository
    elif view.audience == settings.lowest:
        detail = "minimal"
    else:
        detail = "authors"
    if not history.available:
        return render_history(view, [], detail, history.note)
    return render_history(view, history.revisions.get(path, []), detail, history.note)


def changes_since(
    root: Path, settings: Settings, view: Handbook, base: str, today: datetime.date
) -> tuple[Changes, str] | None:
    """Changes of this audience's view since the git revision `base`, or None (logged)."""
    try:
        with tempfile.TemporaryDirectory(prefix="sms-compare-") as folder:
            old_root = gitrepo.export_tree(root, base, Path(folder))
            old = build_handbook(old_root, settings).handbook
    except gitrepo.GitError as error:
        log.warning(f"cannot compare with '{base}': {error}")
        return None
    old_view, _hidden = scope_to_audience(old, str(view.audience))
    return compare(old_view, view, today), base
