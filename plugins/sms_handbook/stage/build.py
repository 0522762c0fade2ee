"""Write one audience's stage: a source tree holding only what that audience may see.

scope -> stage. Pages are written from the bytes the model classified (never read again),
with their page templates rendered in the sandbox, snippets expanded inside the audience and
the control block in place; generated pages and exports are real files; attachments are
copied only when visible; the configuration is derived. An engine then builds the stage and
cannot read anything above the audience, because nothing above it is there.
"""

from __future__ import annotations

import datetime
import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from ..core.changes import Changes
from ..core.conformity import Assessment, assess
from ..core.documents import DOCUMENT_CONTROL_FIELDS, split_front_matter
from ..core.loading import dump_yaml, load_yaml
from ..core.model import Document, Handbook
from ..core.options import Options
from ..core.scope import Hidden
from ..guard import print_markers
from ..history import History
from ..render.control_block import render_control_block
from ..render.html import html_text
from ..render.links import LinkMap
from ..render.search import RenderedPage
from ..site_config import dump_config
from . import layout
from .configuration import Derivation, derive
from .control import insert_after_title
from .expansion import page_snippets, page_templates, render_by_default
from .files import attachments_of, hidden_targets, navigation_files, write_assets
from .generated import Generated, PagePlan, build_link_map, plan_pages
from .history_block import history_html
from .htmlstash import PageStash
from .links import HiddenTargets, scrub_page
from .snippets import SnippetAccess, Snippets
from .templates import PageTemplates, safe_data
from .writer import TreeWriter

# Front matter keys a staged page keeps: what themes and engines read. Everything else
# (owners, references, clauses…) is in the control block, already scoped.
PRESENTATION_KEYS = (
    "title",
    "description",
    "hide",
    "icon",
    "template",
    "tags",
    "search",
    "subtitle",
    "status",
    "date",
    "authors",
    "slug",
    "categories",
    "links",
    "readtime",
    "draft",
    "pin",
    "cover",
    "hero",
    "social",
    "comments",
)


@dataclass
class StageRequest:
    root: Path
    config: dict[str, Any]  # the repository's site configuration, as read
    options: Options
    view: Handbook
    hidden: Hidden
    today: datetime.date
    history: History | None = None
    changes: tuple[Changes, str] | None = None
    hooks: list[str] = field(default_factory=list)  # engine hooks to add
    refused_dirs: list[Path] = field(default_factory=list)  # never read by snippets
    assessment: Assessment | None = None  # the view's conformity (assessed when not given)


@dataclass
class Stage:
    audience: str
    root: Path
    token: str
    config: dict[str, Any]
    print_page: str | None  # src_uri of the print edition, when there is one
    urls: dict[str, str]  # src_uri -> URL of every staged page
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def data_file(self) -> Path:
        return self.root / ".sms" / "stage.json"

    def summary(self) -> str:
        return (
            f"stage {self.audience}: {self.written} files written, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.1f} s"
        )


def _token(root: Path) -> str:
    """The stage's token: kept across writes, so that unchanged pages stay unchanged."""
    path = root / ".sms" / "stage.json"
    try:
        token = json.loads(path.read_text(encoding="utf-8")).get("token")
        if isinstance(token, str) and len(token) == 32:
            return token
    except (OSError, ValueError):
        pass
    return secrets.token_hex(16)


def write_stage(request: StageRequest) -> Stage:
    """Write (or bring up to date) the stage of `request.view`'s audience."""
    started = time.monotonic()
    view, settings = request.view, request.view.settings
    audience = str(view.audience)
    root = layout.private_folder(layout.stage_root(request.root, audience))
    layout.ignore_in_git(root.parent.parent)
    token = _token(root)
    writer = TreeWriter(root)
    config = request.config
    directory_urls = bool(config.get("use_directory_urls", True))
    docs_dir = (request.root / settings.docs_dir).resolve()
    stage = Stage(audience, root, token, {}, None, {})

    assessment = request.assessment or assess(view, request.today)
    plan = PagePlan(
        view,
        request.options.pages_dir,
        list(request.options.pages),
        request.today,
        assessment,
        request.options.register_page_limit,
    )
    if request.changes is not None:
        plan.changes, plan.base = request.changes
    visible_uris = {d.src_uri for d in view.documents}
    generated = []
    for page in plan_pages(plan):
        if page.src_uri in visible_uris:
            stage.warnings.append(
                f"{settings.docs_dir}/{page.src_uri} exists; not generating the {page.title} page"
            )
            continue
        generated.append(page)
    urls = {d.src_uri: layout.page_url(d.src_uri, directory_urls) for d in view.documents}
    page_urls = {
        page.key: layout.page_url(page.src_uri, directory_urls)
        if layout.is_page(page.src_uri)
        else quote(page.src_uri)
        for page in generated
    }
    links = build_link_map(view, urls, page_urls, plan.limit)

    attachments = attachments_of(request, docs_dir)
    hidden_uris = {d.src_uri for d in request.hidden.documents}
    visible_attachments = {uri for uri, visible in attachments.items() if visible}
    pages_by_uri = {d.src_uri: d for d in view.documents}

    def page_text(name: str) -> str | None:
        document = pages_by_uri.get(name)
        return document.source if document is not None else None

    def include_text(name: str) -> str | None:
        """A visible page or attachment of docs/, for `{% include %}`."""
        text = page_text(name)
        if text is None and name in visible_attachments:
            try:
                text = (docs_dir / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return text

    def hidden_name(name: str) -> bool:
        return name in hidden_uris or (name in attachments and not attachments[name])

    registers_dir = (request.root / settings.registers_dir).resolve()
    site_dir = config.get("site_dir") if isinstance(config.get("site_dir"), str) else "site"
    refused = [
        *request.refused_dirs,
        (request.root / str(site_dir)).resolve(),
        (request.root / "site").resolve(),
        layout.stage_root(request.root, "").resolve(),
    ]
    if audience != settings.highest:
        refused.append(registers_dir)
    access = SnippetAccess(
        request.root.resolve(),
        docs_dir,
        refused,
        page_text,
        hidden_name,
        lambda name: name in visible_attachments,
    )
    snippets = page_snippets(config, access)
    templates = page_templates(request, config, include_text, hidden_name, assessment)
    targets = HiddenTargets(set(), set(), directory_urls)
    hidden = hidden_targets(request, attachments, directory_urls)
    for target in hidden:
        if target.startswith("url:"):
            targets.urls.add(target.removeprefix("url:"))
        else:
            targets.src_uris.add(target)

    unindexed: dict[str, str] = {}  # control blocks, which search never indexes
    for document in view.documents:
        text, stash, problems, block = _staged_page(
            document,
            request,
            links.at(urls[document.src_uri]),
            templates,
            snippets,
            targets,
            token,
        )
        stage.warnings.extend(f"{document.path}: {problem}" for problem in problems)
        _write_page(writer, document.src_uri, text, token, stash)
        if block is not None:
            unindexed[document.src_uri] = block
    search: dict[str, list[dict[str, str]]] = {}
    for page in generated:
        content = page.render(links.at(page_urls[page.key]))
        if isinstance(content, RenderedPage):
            search[page.src_uri] = [entry.as_json() for entry in content.search]
            content = content.markdown
        if layout.is_page(page.src_uri):
            if page.key == "page:print":
                stage.print_page = page.src_uri
            head, body = split_front_matter(content)
            stash = PageStash(token)
            body = stash.stash_blocks(body)
            marker = _marker(token, page.src_uri, "")
            text = f"---\n{head}---\n{marker}\n{body}" if head is not None else f"{marker}\n{body}"
            _write_page(writer, page.src_uri, text, token, stash)
        else:
            writer.write(f"docs/{page.src_uri}", content)
        urls[page.src_uri] = page_urls[page.key]
    for name in sorted(visible_attachments):
        writer.write(f"docs/{name}", (docs_dir / name).read_bytes())
    for name, text in navigation_files(docs_dir, attachments, hidden_uris, stage.warnings):
        writer.write(f"docs/{name}", text)
    write_assets(writer)

    data = {
        "token": token,
        "audience": audience,
        "hidden": sorted(layout.target_digest(token, t) for t in hidden),
    }
    writer.write(".sms/stage.json", json.dumps(data, indent=1) + "\n")
    search_data = {"token": token, "entries": search, "unindexed": unindexed}
    writer.write(layout.SEARCH_ENTRIES, json.dumps(search_data, ensure_ascii=False) + "\n")
    derivation = Derivation(
        token=token,
        stage_file=stage.data_file,
        hidden_pages=hidden_uris | {u for u, v in attachments.items() if not v},
        generated_nav=[
            {str(html_text(page.title)): page.src_uri}
            for page in generated
            if page.src_uri.endswith(".md") and not page.key.startswith("service:")
        ],
        nav_section=request.options.nav_section,
        nav_children=_nav_children(generated),
        public=audience == settings.lowest,
        prune_navigation=request.options.prune_navigation,
        allow_third_party=request.options.allow_third_party,
        hooks=list(request.hooks),
    )
    stage.config = derive(config, request.root, derivation)
    stage.notes.extend(derivation.notes)
    writer.write("mkdocs.yml", dump_config(stage.config))
    stage.notes.extend(f"left out snippet '{n}' (not for this audience)" for n in access.left_out)
    if templates is not None:
        stage.notes.extend(templates.notes)
        stage.notes.extend(
            f"left out include '{n}' (not for this audience)" for n in templates.loader.left_out
        )
    stage.removed = writer.remove_stale()
    stage.written, stage.unchanged = writer.changed, writer.unchanged
    stage.urls = urls
    stage.seconds = time.monotonic() - started
    return stage


def _nav_children(generated: list[Generated]) -> dict[str, tuple[str, list[str]]]:
    """The service pages belong under the catalogue in the navigation (not dead ends)."""
    catalogue = next((p for p in generated if p.key == "page:catalogue"), None)
    services = [p.src_uri for p in generated if p.key.startswith("service:")]
    if catalogue is None or not services:
        return {}
    return {catalogue.src_uri: (str(html_text(catalogue.title)), services)}


def _as_engines_read(head: str | None, kept: dict[str, Any], path: str) -> dict[str, Any]:
    """The values of `kept` typed as an engine reads them: a blog's `date:` is a date there,
    while the handbook's loader keeps dates as text. The core loader reads the front matter
    again (same limits) and its nodes say which values YAML resolves as timestamps."""
    if not head:
        return {}
    document, problems = load_yaml(head, path=path)
    if document is None or problems or not isinstance(document.root, yaml.MappingNode):
        return {}
    typed = {}
    for key, value in document.root.value:
        if key.value in kept and value.tag == TIMESTAMP:
            typed[key.value] = _TIMESTAMPS.construct_yaml_timestamp(value)
    document.release()
    return typed


TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TIMESTAMPS = yaml.constructor.SafeConstructor()


def _marker(token: str, src_uri: str, flags: str) -> str:
    return f"<!-- sms-page {token} {quote(src_uri)} {flags} -->"


def _write_page(
    writer: TreeWriter, src_uri: str, text: str, token: str, stash: PageStash | None = None
) -> None:
    writer.write(f"docs/{src_uri}", stash.finish(text) if stash is not None else text)


def _staged_page(
    document: Document,
    request: StageRequest,
    links: LinkMap,
    templates: PageTemplates | None,
    snippets: Snippets | None,
    targets: HiddenTargets,
    token: str,
) -> tuple[str, PageStash, list[str], str | None]:
    """A page as the stage holds it, its HTML blocks, problems in words for the log, and its
    control block."""
    view = request.view
    problems: list[str] = []
    _head, body = split_front_matter(document.source)
    meta = document.meta
    if templates is not None and meta.get("render_macros", render_by_default(request)) is not False:
        page = {
            "title": safe_data(document.title),
            "meta": safe_data({k: v for k, v in meta.items() if k in PRESENTATION_KEYS}),
            "url": links.current,
        }
        body, problem = templates.render(body, page, links)
        if problem:
            problems.append(f"page template not rendered: {problem}")
    if snippets is not None:
        body, problem = snippets.expand(body)
        if problem:
            problems.append(f"snippets not expanded: {problem}")
    body, _removed = scrub_page(body, document.src_uri, targets)
    stash = PageStash(token)
    flags = ""
    block = None
    if document.controlled:
        flags = "c"
        history = history_html(view, request.history, document.path)
        block = render_control_block(view, links, document, request.today, history)
        body = insert_after_title(body, stash.put(block))
        # The print edition takes the document's finished content from between these.
        start, end = print_markers(token)
        body = f"{stash.put(start).strip()}\n\n{body}\n\n{stash.put(end).strip()}\n"
    if document.controlled:
        kept = {k: v for k, v in meta.items() if k in PRESENTATION_KEYS}
    else:  # a plain page keeps what it says: the theme and other plugins read it
        kept = {k: v for k, v in meta.items() if k not in DOCUMENT_CONTROL_FIELDS}
        kept.update(_as_engines_read(_head, kept, document.path))
    if document.controlled or "title" in kept:
        # Themes print page titles into the navigation and <title> without escaping them:
        # a title is text, so the stage writes it escaped.
        kept["title"] = str(html_text(document.title))
    head = dump_yaml(kept) if kept else ""
    marker = _marker(token, document.src_uri, flags)
    text = f"---\n{head}---\n{marker}\n{body}" if head else f"{marker}\n{body}"
    return text, stash, problems, block
