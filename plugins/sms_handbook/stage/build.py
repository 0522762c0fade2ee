"""Write one audience's stage: a source tree holding only what that audience may see.

scope -> stage. Pages are written from the bytes the model classified (never read again),
with their page templates rendered in the sandbox, snippets expanded inside the audience and
the control block in place; generated pages and exports are real files; attachments are
copied only when visible; the configuration is derived. An engine then builds the stage and
cannot read anything above the audience, because nothing above it is there.

`write_stage` reads as its steps, each a function tests can call: seal the stage, classify the
attachments, plan the generated pages, set the leak guards, write the documents, the
generated pages (a worker's, beside the engine), the files and the configuration.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..background import Background, forking_allowed
from ..core.conformity import Assessment, assess
from ..core.model import Document
from ..core.sources import left_out_pages
from ..guard import proof_digest
from ..render.html import html_text
from ..render.links import LinkMap
from ..site_config import dump_config
from . import layout, reuse
from .configuration import Derivation, derive
from .dependencies import Facts, facts_of, page_reads
from .files import attachments_of, dot_files, write_assets
from .generated import Generated, PagePlan, build_link_map, plan_pages
from .layout import StageLayout
from .leak_guards import LeakGuards, leak_guards
from .links import HiddenTargets
from .page_writers import (
    DocumentWriter,
    GeneratedOutput,
    GeneratedWriter,
    StagedDocuments,
)
from .request import Pending, Stage, StageRequest
from .sealing import StageError, seal_stage
from .writer import TreeWriter


def write_stage(request: StageRequest) -> Stage:
    """Write (or bring up to date) the stage of `request.view`'s audience."""
    started = time.monotonic()
    root = seal_stage(request.root, str(request.view.audience))
    stage = Stage(str(request.view.audience), root, _token(root), {}, None, {})
    stage.proof = request.proof or secrets.token_hex(32)  # made per build, written nowhere
    writer = TreeWriter(root)
    beside = request.beside_engine and forking_allowed()
    assessment = request.assessment or assess(request.view, request.today)
    attachments = attachments_of(request, request.docs_dir, stage.warnings)
    left_out = left_out_pages(request.docs_dir, request.view.settings)
    pages = plan_generated(request, assessment, attachments, stage)
    reserve_generated(writer, pages, stage, beside)
    guards = leak_guards(request, assessment, attachments, stage.generated, left_out)
    documents = guards.document_writer(request, stage, pages.links)
    if request.reuse:
        documents.facts = facts_of(request, assessment, attachments, pages.links, stage.token)
        documents.last = reuse.last_stage(request, root)
        _WRITERS[root] = documents
    reuse.remember(root, None)  # until this stage is complete
    staged = write_documents(writer, documents, request.view.documents, beside)
    stage.warnings.extend(staged.warnings)
    stage.notes.extend(staged.notes)
    made = _made_of(documents.facts, pages.generated)
    # (pages emptied for a worker beside the engine are never kept)
    last = None if beside else documents.last
    kept = reuse.kept_pages(last, root, made)
    if request.hold_back:
        held = reuse.held_back_pages(last, root, made, _reading_everything(request, pages))
        kept |= held
        stage.held_back = set(held)
    if request.reuse:
        stage.made_again = (len(pages.generated) - len(kept), staged.restaged)
    # The generated pages are read last (the plugin sees to it): a worker writes them meanwhile.
    worker = Background(
        GeneratedWriter(
            root, stage.token, pages.generated, pages.links, pages.urls, staged.unindexed, kept
        ),
        beside=beside,
    )
    write_files(writer, request, attachments, guards.targets, stage)
    write_left_out_placeholders(writer, left_out, stage)
    theme_dir = write_theme_overrides(writer, request, stage)
    write_configuration(writer, request, stage, pages, guards, theme_dir)
    stage.notes.extend(guards.notes())
    stage.removed = writer.remove_stale()
    stage.seconds = time.monotonic() - started
    done = reuse.LastStage(made, staged.texts) if request.reuse else None
    stage.pending = _pending(stage, writer, worker, done)
    if not worker.forked:
        stage.complete()
    return stage


# A preview's: what staged the documents of the last stage this process wrote at each root
# (kept with that stage's `reuse.LastStage`, which says whether it is still the one on disk)
_WRITERS: dict[Path, DocumentWriter] = {}


def can_restage(stage: Stage) -> bool:
    """Whether `stage` is a preview's that this process wrote last, complete, and that no
    other process wrote since (call it under the stage's lock)."""
    kept = reuse.kept_stage(stage.root) is not None and stage.root in _WRITERS
    return kept and stage.pending is None


def restage_documents(stage: Stage, pages: list[Document]) -> StagedDocuments:
    """A live preview's body-only save (body_saves.py): `pages` staged again into a stage
    that `can_restage`, by the writer, guards, links and facts that wrote it; the rest of the
    stage stays as it is."""
    last, documents = reuse.kept_stage(stage.root), _WRITERS.get(stage.root)
    if last is None or documents is None or stage.pending is not None:
        raise StageError(f"the stage {stage.root} cannot be built on; build again")
    documents.last = None  # every page given is staged again
    staged = documents(pages)
    blocks = {}
    for page in pages:
        before, now = last.documents.get(page.src_uri), staged.texts[page.src_uri]
        for problem in before.problems if before is not None else ():
            said = f"{page.path}: {problem}"
            if said in stage.warnings:
                stage.warnings.remove(said)
        if before is None or before.block != now.block:
            blocks[page.src_uri] = now.block
        last.documents[page.src_uri] = now
    stage.warnings += staged.warnings
    if blocks:
        reuse.set_unindexed(TreeWriter(stage.root), blocks)
    reuse.remember(stage.root, last)
    stage.written, stage.unchanged = staged.changed, staged.unchanged
    stage.made_again = (0, staged.restaged)
    return staged


def _token(root: Path) -> str:
    """The stage's token: kept across writes, so that unchanged pages stay unchanged."""
    path = StageLayout(root).data_file
    try:
        token = json.loads(path.read_text(encoding="utf-8")).get("token")
        if isinstance(token, str) and len(token) == 32:
            return token
    except (OSError, ValueError):
        pass
    return secrets.token_hex(16)


@dataclass
class PlannedPages:
    """The generated pages of this build, and how every staged page is linked."""

    generated: list[Generated]
    urls: dict[str, str]  # page key -> URL of each generated page
    links: LinkMap


def plan_generated(
    request: StageRequest, assessment: Assessment, attachments: dict[str, bool], stage: Stage
) -> PlannedPages:
    """Plan the generated pages (none where a visible page or attachment already is) and the
    URLs of every page; `stage.urls` gets the documents' and generated pages' URLs."""
    view, options = request.view, request.options
    plan = PagePlan(
        view,
        options.pages_dir,
        list(options.pages),
        request.today,
        assessment,
        options.register_page_limit,
    )
    if request.changes is not None:
        plan.changes, plan.base = request.changes
    taken = {d.src_uri for d in view.documents} | {u for u, seen in attachments.items() if seen}
    generated = []
    for page in plan_pages(plan):
        if page.src_uri in taken:
            stage.warnings.append(
                f"{view.settings.docs_dir}/{page.src_uri} exists; not generating the "
                f"{page.title} page"
            )
        else:
            generated.append(page)
    directory_urls = bool(request.config.get("use_directory_urls", True))
    stage.urls.update(
        {d.src_uri: layout.page_url(d.src_uri, directory_urls) for d in view.documents}
    )
    page_urls = {
        page.key: layout.page_url(page.src_uri, directory_urls)
        if layout.is_page(page.src_uri)
        else quote(page.src_uri)
        for page in generated
    }
    links = build_link_map(view, stage.urls, page_urls, plan.limit)
    return PlannedPages(generated, page_urls, links)


def reserve_generated(writer: TreeWriter, pages: PlannedPages, stage: Stage, beside: bool) -> None:
    """The generated pages and their search entries are the worker's to write: kept by the
    writer, and emptied first when a worker writes them beside the engine (nothing of an
    earlier build's version can be read meanwhile)."""
    for page in pages.generated:
        writer.reserve(StageLayout.page(page.src_uri), placeholder=beside)
        stage.urls[page.src_uri] = pages.urls[page.key]
        if page.key == "page:print" and layout.is_page(page.src_uri):
            stage.print_page = page.src_uri
    writer.reserve(StageLayout.SEARCH, placeholder=beside)
    stage.generated = {page.src_uri for page in pages.generated}


def write_documents(
    writer: TreeWriter, documents: DocumentWriter, pages: list[Document], beside: bool
) -> StagedDocuments:
    """Every document, written before the engine starts (a plugin may read them at once):
    `beside` the engine, a worker writes the second half while this process writes the first.
    Counted in `writer`, which keeps them all."""
    half = len(pages) // 2 if beside else len(pages)
    for page in pages:
        writer.reserve(StageLayout.page(page.src_uri), placeholder=False)
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


def write_files(
    writer: TreeWriter,
    request: StageRequest,
    attachments: dict[str, bool],
    targets: HiddenTargets,
    stage: Stage,
) -> None:
    """The visible attachments, the dot files other plugins read (without their values
    naming what `targets` hides), and our own assets."""
    for name in sorted(uri for uri, visible in attachments.items() if visible):
        writer.copy(StageLayout.page(name), request.docs_dir / name)
    for name, content in dot_files(request, attachments, targets, stage):
        writer.write(StageLayout.page(name), content)
    write_assets(writer)


def write_left_out_placeholders(writer: TreeWriter, left_out: list[str], stage: Stage) -> None:
    """An empty file where each page lies that the site leaves out (`exclude_docs`,
    `draft_docs`): the engine, reading the site's patterns, leaves it out too, so that a link
    or nav entry naming it is judged as plain MkDocs judges it (a note, not a missing page).
    Nothing of the page's text is staged."""
    for name in left_out:
        if name not in stage.generated:
            writer.write(StageLayout.page(name), b"")


def write_theme_overrides(writer: TreeWriter, request: StageRequest, stage: Stage) -> str | None:
    """A copy of the theme's `custom_dir` in the stage, where the engine reads it: links are
    left out (never followed, so an override cannot include a page through one), and a
    custom_dir inside docs/ is not used at all (its files would be published as theme files).
    Returns the copy's folder in the stage, or None."""
    theme = request.config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not isinstance(custom_dir, str):
        return None
    source = (request.root / custom_dir).resolve()
    docs = request.docs_dir
    if source.is_relative_to(docs):
        stage.warnings.append(
            f"theme custom_dir '{custom_dir}' is inside {request.view.settings.docs_dir}/: left "
            "out of the build (its files would be published as theme files to everyone)"
        )
        return None
    if (request.root / custom_dir).is_symlink() or not source.is_dir():
        stage.warnings.append(f"theme custom_dir '{custom_dir}' is not a folder: left out")
        return None
    for folder, directories, files in os.walk(source, followlinks=False):
        here = Path(folder)
        directories[:] = [d for d in directories if not (here / d).is_symlink()]
        for name in files:
            path = here / name
            if path.is_symlink():
                stage.warnings.append(
                    f"{custom_dir}/{path.relative_to(source).as_posix()} is a symbolic link: "
                    "left out of the theme (a build never follows links)"
                )
                continue
            relative = path.relative_to(source).as_posix()
            writer.write(f"{StageLayout.THEME}/{relative}", path.read_bytes())
    return StageLayout.THEME


def write_configuration(
    writer: TreeWriter,
    request: StageRequest,
    stage: Stage,
    pages: PlannedPages,
    guards: LeakGuards,
    theme_dir: str | None,
) -> None:
    """The stage's data file (token, audience, digests of hidden targets) and its derived
    site configuration."""
    data = {
        "token": stage.token,
        "audience": stage.audience,
        "hidden": sorted(layout.target_digest(stage.token, t) for t in guards.hidden),
        "proof": proof_digest(stage.proof),
        "generated": sorted(stage.generated),
    }
    writer.write(StageLayout.DATA, json.dumps(data, indent=1) + "\n")
    generated = pages.generated
    options = request.options
    derivation = Derivation(
        token=stage.token,
        stage_file=stage.data_file,
        hidden_pages=set(guards.targets.src_uris),
        generated_nav=[
            {str(html_text(page.title)): page.src_uri}
            for page in generated
            if page.src_uri.endswith(".md") and not page.key.startswith("service:")
        ],
        nav_section=options.nav_section,
        nav_children=_nav_children(generated),
        reads_repository=request.view.access.reads_repository_facts,
        prune_navigation=options.prune_navigation,
        allow_third_party=options.allow_third_party,
        hooks=list(request.hooks),
        theme_dir=theme_dir,
    )
    stage.config = derive(guards.config, request.root, derivation)
    stage.notes.extend(derivation.notes)
    writer.write(StageLayout.CONFIG, dump_config(stage.config))


def _made_of(facts: Facts | None, generated: list[Generated]) -> dict[str, str]:
    """What a preview's generated pages are made of (src_uri -> digest of their facts)."""
    if facts is None:
        return {}
    return {page.src_uri: facts.of_generated(page.key) for page in generated}


def _reading_everything(request: StageRequest, pages: PlannedPages) -> set[str]:
    """The generated pages that read every fact of the handbook (overview, matrix, reviews,
    packs, exports): those a preview's first step may hold back."""
    return {p.src_uri for p in pages.generated if page_reads(request.view, p.key) is None}


def _pending(
    stage: Stage,
    writer: TreeWriter,
    worker: Background[GeneratedOutput],
    done: reuse.LastStage | None,
) -> Pending:
    """How the plugin waits for (or stops) the worker that writes the generated pages; a
    preview's stage is remembered once complete."""

    def finish() -> None:
        waited = time.monotonic()
        output = worker.result()
        reuse.remember(stage.root, done)
        writer.changed += output.changed
        writer.unchanged += output.unchanged
        stage.written, stage.unchanged = writer.changed, writer.unchanged
        stage.seconds += time.monotonic() - waited

    return Pending(finish, worker.cancel)


def _nav_children(generated: list[Generated]) -> dict[str, tuple[str, list[str]]]:
    """The service pages belong under the catalogue in the navigation (not dead ends)."""
    catalogue = next((p for p in generated if p.key == "page:catalogue"), None)
    services = [p.src_uri for p in generated if p.key.startswith("service:")]
    if catalogue is None or not services:
        return {}
    return {catalogue.src_uri: (str(html_text(catalogue.title)), services)}
