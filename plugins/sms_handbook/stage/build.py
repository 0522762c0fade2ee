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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..background import Background, forking_allowed
from ..core.changes import Changes
from ..core.conformity import Assessment, assess
from ..core.model import Document, Handbook
from ..core.options import Options
from ..core.scope import Hidden
from ..history import History
from ..render.html import html_text
from ..site_config import dump_config
from . import layout
from .configuration import Derivation, derive
from .expansion import page_snippets, page_templates
from .files import attachments_of, hidden_targets, navigation_files, write_assets
from .generated import Generated, PagePlan, build_link_map, plan_pages
from .links import HiddenTargets
from .page_writers import DocumentWriter, GeneratedWriter, StagedDocuments
from .sealing import seal_stage
from .snippets import SnippetAccess
from .writer import TreeWriter


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
    # Write the generated pages in a worker beside the engine (see background.py); the
    # caller then calls Stage.complete() before the engine reads them.
    beside_engine: bool = False


@dataclass
class Pending:
    finish: Callable[[], None]
    cancel: Callable[[], None]


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
    generated: set[str] = field(default_factory=set)  # src_uris of generated pages and files
    pending: Pending | None = field(default=None, repr=False)

    def complete(self) -> None:
        """Finish what a worker writes beside the engine (the generated pages, the search
        entries): waits for it, once. A stage written whole has nothing left to do. The
        engine must not read a generated page before this."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.finish()

    def ready(self, src_uri: str) -> None:
        """Wait, if need be, until the page `src_uri` can be read: the documents are written
        before the engine starts; any other page waits for the worker."""
        if self.pending is not None and (src_uri not in self.urls or src_uri in self.generated):
            self.complete()

    def cancel(self) -> None:
        """Stop the worker of a build that failed (the next build writes the stage again)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.cancel()

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
    root = seal_stage(request.root, audience)
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
    attachments = attachments_of(request, docs_dir, stage.warnings)
    visible_attachments = {uri for uri, visible in attachments.items() if visible}
    taken = {d.src_uri for d in view.documents} | visible_attachments
    generated = []
    for page in plan_pages(plan):
        if page.src_uri in taken:
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
    beside = request.beside_engine and forking_allowed()
    for page in generated:  # written by the worker (below), kept and listed by the stage
        writer.reserve(f"docs/{page.src_uri}", placeholder=beside)  # emptied before it starts
        urls[page.src_uri] = page_urls[page.key]
        if page.key == "page:print" and layout.is_page(page.src_uri):
            stage.print_page = page.src_uri
    writer.reserve(layout.SEARCH_ENTRIES, placeholder=beside)
    stage.generated = {page.src_uri for page in generated}

    hidden_uris = {d.src_uri for d in request.hidden.documents}
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

    documents = DocumentWriter(
        root, request, token, links, urls, templates, snippets, targets, access
    )
    staged = _write_documents(writer, documents, view.documents, beside)
    stage.warnings.extend(staged.warnings)
    # The generated pages are read last (the plugin sees to it): a worker writes them meanwhile.
    worker = Background(
        GeneratedWriter(root, token, generated, links, page_urls, staged.unindexed),
        beside=beside,
    )
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
    # each once, in the order found (a name left out of several pages is one note)
    left_out = dict.fromkeys(access.left_out)
    stage.notes.extend(f"left out snippet '{n}' (not for this audience)" for n in left_out)
    if templates is not None:
        stage.notes.extend(dict.fromkeys(templates.notes))
        stage.notes.extend(
            f"left out include '{n}' (not for this audience)"
            for n in dict.fromkeys(templates.loader.left_out)
        )
    stage.removed = writer.remove_stale()
    stage.urls = urls
    stage.seconds = time.monotonic() - started

    def finish() -> None:
        waited = time.monotonic()
        output = worker.result()
        writer.changed += output.changed
        writer.unchanged += output.unchanged
        stage.written, stage.unchanged = writer.changed, writer.unchanged
        stage.seconds += time.monotonic() - waited

    stage.pending = Pending(finish, worker.cancel)
    if not worker.forked:
        stage.complete()
    return stage


def _write_documents(
    writer: TreeWriter, documents: DocumentWriter, pages: list[Document], beside: bool
) -> StagedDocuments:
    """Every document, written before the engine starts (a plugin may read them at once):
    `beside` the engine, a worker writes the second half while this process writes the first.
    Counted in `writer`, which keeps them all."""
    half = len(pages) // 2 if beside else len(pages)
    for page in pages:
        writer.reserve(f"docs/{page.src_uri}", placeholder=False)
    later = pages[half:]
    second = Background(lambda _channel: documents(later), beside=True) if later else None
    staged = documents(pages[:half])  # its notes are kept here already
    if second is not None:
        kept = documents.notes()
        rest = second.result()  # (run here instead if the worker failed)
        staged.add(rest)
        documents.add_notes(kept, rest)
    writer.changed += staged.changed
    writer.unchanged += staged.unchanged
    return staged


def _nav_children(generated: list[Generated]) -> dict[str, tuple[str, list[str]]]:
    """The service pages belong under the catalogue in the navigation (not dead ends)."""
    catalogue = next((p for p in generated if p.key == "page:catalogue"), None)
    services = [p.src_uri for p in generated if p.key.startswith("service:")]
    if catalogue is None or not services:
        return {}
    return {catalogue.src_uri: (str(html_text(catalogue.title)), services)}
