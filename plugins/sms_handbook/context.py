"""The one context every front end uses: configuration and environment read once, the model
built once, and each audience's view (with what it hides) made once.

The CLI and the hooks make it with `load_context`; the MkDocs plugin with the same function
from its own configuration file. Nothing after it reads the configuration or the sources.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gitrepo
from .background import Background, workers_pay
from .blog_checks import author_diagnostics
from .core.audience import Audience, least_restricted
from .core.build import BuildResult, LoadCache, build_handbook
from .core.conformity import Assessment, assess
from .core.conformity.sections import TextFacts, text_facts
from .core.diagnostics import Diagnostic
from .core.documents import content_hash, split_front_matter
from .core.integrity import HistoryReport
from .core.link_levels import link_levels
from .core.model import Handbook
from .core.options import Options
from .core.scope import AudienceView, Hidden, scope_to_audience
from .core.settings import Settings, today
from .core.tree_checks import CACHE, TreeFacts
from .engine_configs import unguarded_configs
from .exposure import PageSearch, exposure_diagnostics
from .history import History, load_history
from .item_history import check_history
from .nav_entries import nav_diagnostics
from .page_links import link_diagnostics
from .project import Project, read_project
from .render.links import relative_url
from .site_warnings import address_conflicts, missing_home_pages, setting_diagnostics
from .stage.expansion import published_text, template_diagnostics
from .stage.files import navigation_diagnostics
from .stage.layout import is_page, never_staged, site_chrome
from .stage.snippet_checks import snippet_diagnostics

# What the context judges of the pages' bodies, each once (a body-only save judges it again)
BODY_JUDGEMENTS = ("link_diagnostics", "template_diagnostics", "foreseen", "build_stops")


class ContextError(Exception):
    """The handbook's configuration or environment cannot be used; `diagnostics` say why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass
class HandbookContext:
    project: Project
    result: BuildResult
    today: datetime.date
    _views: dict[str, AudienceView] = field(default_factory=dict, repr=False)
    # each audience's search for SMS309, made with its view (exposure.py)
    _searches: dict[str, PageSearch] = field(default_factory=dict, repr=False)
    cache: LoadCache | None = field(default=None, repr=False)  # a preview's, across builds
    # the files of docs/ beside the pages, as paths from docs/ (read once, with the model)
    attachments: tuple[str, ...] = ()
    # whether this build uses workers (README, Workers): the model was built in one
    workers: bool = False
    # whether link problems that can only be notes are judged: `mkdocs build` reports link
    # errors only, so its context leaves out what only notes need (`link_diagnostics`)
    link_notes: bool = True

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def config_file(self) -> Path:
        return self.project.config_file

    @property
    def site_config(self) -> dict[str, Any]:
        return self.project.site_config

    @property
    def settings(self) -> Settings:
        return self.project.settings

    @property
    def options(self) -> Options:
        return self.project.options

    @property
    def handbook(self) -> Handbook:
        return self.result.handbook

    @functools.cached_property
    def history(self) -> History | None:
        """Each controlled document's revisions from git (once; None when the `history` option
        is off): no other page shows them."""
        if not self.options.history:
            return None
        controlled = {d.path for d in self.handbook.documents if d.controlled}
        return load_history(self.root, self.settings.docs_dir, controlled, self.repository)

    @functools.cached_property
    def integrity(self) -> HistoryReport:
        """What the git history proves about approvals and records (read once)."""
        return check_history(
            self.root, self.settings, self.handbook, self.config_file, self.repository
        )

    @functools.cached_property
    def repository(self) -> gitrepo.Facts | None:
        """What git says of the repository around the handbook (asked once); None outside one
        or before its first commit."""
        return gitrepo.facts(self.root)

    @functools.cached_property
    def link_diagnostics(self) -> list[Diagnostic]:
        """Every page's broken internal links and anchors, and its links to pages its own
        readers may not see, at each link (once); pages' anchors kept in the git directory."""
        facts = self.repository
        kept_in = facts.git_dir if facts is not None else None
        kept = self.cache.links if self.cache is not None else None
        return link_diagnostics(
            self.handbook,
            self.root,
            self.options,
            self.view,
            self.site_config,
            kept_in,
            kept,
            notes=self.link_notes,
        )

    @functools.cached_property
    def template_diagnostics(self) -> list[Diagnostic]:
        """Undefined variables of page templates (SMS315, SMS316)."""
        return template_diagnostics(self.handbook.documents, self.site_config, self.options)

    @functools.cached_property
    def foreseen(self) -> list[Diagnostic]:
        """What `validate` reports and `build` judges by, in order (once, before the stage
        releases the pages' texts): the model's problems, pages naming what their own readers
        may not see (SMS309), links and page templates."""
        found = list(self.result.diagnostics)
        if self.result.ok:
            found += exposure_diagnostics(
                self.handbook,
                self.options.verify_allow,
                self.view,
                published_text(self.site_config),
                self.cache.exposure if self.cache is not None else None,
                repr(self.site_config),
                self._searches,
            )
        docs = self.settings.docs_dir
        found += navigation_diagnostics(self.root / docs, docs)
        levels = link_levels(self.site_config)
        found += nav_diagnostics(self.config_file, self.root / docs, self.options.pages_dir, levels)
        found += self.build_stops
        return sorted(found + self.link_diagnostics + self.template_diagnostics)

    @functools.cached_property
    def build_stops(self) -> list[Diagnostic]:
        """What else the sources show that MkDocs or Material stops on (most only in a strict
        build): settings, pages of one folder with one address, snippets naming no file, blog
        authors nobody lists."""
        documents = self.handbook.documents
        docs_dir = self.root / self.settings.docs_dir
        directory_urls = self.site_config.get("use_directory_urls", True) is not False
        return [
            *setting_diagnostics(self.config_file, self.site_config),
            *address_conflicts(documents, directory_urls),
            *snippet_diagnostics(documents, self.site_config, self.root, docs_dir),
            *author_diagnostics(documents, self.site_config, docs_dir),
            *missing_home_pages(documents, self._built_audiences(), self.config_file.name),
        ]

    def _built_audiences(self) -> list[Audience]:
        """The audiences `build` builds by default: every one the handbook has."""
        return [Audience(self.settings, name) for name in self.settings.audiences]

    def audience_view(self, audience: str) -> AudienceView:
        """The audience's view: its scoped handbook, what it leaves out, its conformity
        (assessed when first asked) and every question about what it sees; made once."""
        if audience not in self._views:
            kept = self.cache.scoped.setdefault(audience, {}) if self.cache is not None else None
            view, hidden = scope_to_audience(self.result.handbook, audience, kept)
            files = hidden_attachments(self.project, audience, self.attachments)
            self._views[audience] = AudienceView(
                view.access, view, hidden, self.today, self._assess, tuple(files)
            )
        return self._views[audience]

    def _assess(self, view: Handbook, today: datetime.date) -> Assessment:
        if self.cache is None:
            return assess(view, today, self.integrity)
        key = assessment_key(view, today, self.integrity, self.cache.named_ids)
        found = self.cache.assessments.get(key)
        if found is None:
            found = assess(view, today, self.integrity)
        self.cache.assessments = {key: found}  # the live preview's last one only
        return found

    def view(self, audience: str) -> tuple[Handbook, Hidden]:
        """The audience's view of the handbook and what it leaves out."""
        chosen = self.audience_view(audience)
        return chosen.handbook, chosen.hidden

    def take_bodies(self, texts: dict[str, str], *, assessed_changed: bool) -> None:
        """A live preview's body-only save (body_saves.py): the pages' new texts (same front
        matter, same first heading) in the model and in every view made; what was judged of
        the pages' bodies (links, anchors, SMS309, snippets, templates) is judged again when
        next asked, by the same functions, and so is the conformity when what it reads of
        a text changed."""
        for document in self.handbook.documents:
            text = texts.get(document.src_uri)
            if text is not None:
                document.source = text
                document.content_hash = content_hash(document.meta, split_front_matter(text)[1])
        edited = {d.src_uri: d for d in self.handbook.documents if d.src_uri in texts}
        for chosen in self._views.values():
            for document in chosen.handbook.documents:
                if document.src_uri in edited:
                    document.source = edited[document.src_uri].source
                    document.content_hash = edited[document.src_uri].content_hash
            if assessed_changed:
                chosen.__dict__.pop("assessment", None)
        for judged in BODY_JUDGEMENTS:
            self.__dict__.pop(judged, None)

    def release_sources(self) -> None:
        """Forget the pages' texts once the stage holds them (`Stage.complete()`): nothing after
        the stage reads them (data flows one way), and the engine keeps its own copy."""
        for handbook in (self.handbook, *(view.handbook for view in self._views.values())):
            for document in handbook.documents:
                document.source = ""
        relative_url.cache_clear()

    def assessment(self, audience: str) -> Assessment:
        """The conformity of the audience's view, assessed once."""
        return self.audience_view(audience).assessment


def load_context(
    root: Path,
    audience: str | None = None,
    config_file: Path | None = None,
    *,
    beside: bool = False,
    cache: LoadCache | None = None,
    link_notes: bool = True,
) -> HandbookContext:
    """Read the configuration and `SMS_TODAY`, and build the model of the handbook at `root`.
    `beside`: build the model in a worker (README, Workers), so that what only loading and
    validating need (the schema engines, the YAML node maps) never takes this process's
    memory; it receives the finished model. The other workers are used only when the
    handbook is large enough for them to pay (`workers_pay`). `link_notes`: see
    `HandbookContext`."""
    project, problems = read_project(root, audience, config_file)
    if project is None:
        lines = "".join(f"\n  {problem}" for problem in problems)
        raise ContextError(f"cannot read the handbook's configuration:{lines}", problems)
    try:
        date = today()
    except ValueError as error:
        raise ContextError(f"SMS_TODAY is not a date (YYYY-MM-DD): {error}") from None
    attachments = docs_attachments(project)
    facts = _tree_facts(project, attachments)
    workers = beside and workers_pay(source_bytes(project))
    # The model is built in a worker whatever the handbook's size: the schema engine alone
    # maps some 10 MB, which a handbook of 200 pages would otherwise keep to the end
    built = Background(
        lambda _channel: build_handbook(project.root, project.settings, facts, cache),
        beside=beside,
    )
    return HandbookContext(
        project,
        built.result(),
        date,
        cache=cache,
        attachments=attachments,
        workers=workers,
        link_notes=link_notes,
    )


def source_bytes(project: Project) -> int:
    """The size of what loading reads: the pages of docs/ and the files of the registers'
    folder (links and what is never staged left out, as loading leaves them)."""
    total = 0
    for top, pages_only in (
        (project.settings.docs_dir, True),
        (project.settings.registers_dir, False),
    ):
        for folder, directories, files in os.walk(project.root / top):
            directories[:] = [d for d in directories if not d.startswith(".")]
            for name in files:
                if pages_only and not is_page(name):
                    continue
                info = os.lstat(os.path.join(folder, name))
                total += info.st_size if stat.S_ISREG(info.st_mode) else 0
    return total


def assessment_key(
    view: Handbook,
    today: datetime.date,
    history: HistoryReport,
    kept: dict[str, TextFacts] | None = None,
) -> str:
    """A digest of what `assess` reads: every fact of the view, what it reads of each page's
    body (`text_facts`: the ids it names, its sections' names), the requirements, today, the
    history. `kept`: each text's facts at the last call (a long-lived process's), brought up
    to date."""
    digest = hashlib.sha256()
    earlier, found = kept or {}, {}

    def add(value: object) -> None:
        digest.update(repr(value).encode("utf-8", errors="replace"))

    for document in view.documents:
        named = earlier.get(document.source)
        if named is None:
            named = text_facts(document)
        found[document.source] = named
        add((document.path, document.meta, document.classification, document.heading, named))
    if kept is not None:  # the texts of this call only
        kept.clear()
        kept.update(found)
    for register in view.registers.values():
        add((register.name, register.path, register.header, register.records))
    add((view.audience, view.requirements, view.settings, today, history))
    return digest.hexdigest()


def _tree_facts(project: Project, attachments: tuple[str, ...]) -> TreeFacts:
    theme = project.site_config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    public = least_restricted(project.settings)
    docs = project.settings.docs_dir
    return TreeFacts(
        tracked_cache=gitrepo.tracked(project.root, CACHE),
        theme_dirs=(custom_dir,) if isinstance(custom_dir, str) else (),
        unguarded_configs=tuple(unguarded_configs(project.root)),
        unpublic_attachments=tuple(
            f"{docs}/{name}" for name in hidden_attachments(project, public, attachments)
        ),
    )


def docs_attachments(project: Project) -> tuple[str, ...]:
    """The files of docs/ beside the pages (neither pages nor files never staged, such as
    backups and dot files), as paths from docs/: one walk, when the context is made."""
    docs_dir = project.root / project.settings.docs_dir
    found = []
    for folder, directories, files in os.walk(docs_dir):
        directories[:] = sorted(d for d in directories if not d.startswith("."))
        for name in sorted(files):
            src_uri = (Path(folder) / name).relative_to(docs_dir).as_posix()
            if not (is_page(src_uri) or never_staged(src_uri)):
                found.append(src_uri)
    return tuple(found)


def hidden_attachments(project: Project, audience: str, attachments: tuple[str, ...]) -> list[str]:
    """Those of `attachments` (`docs_attachments`) that `audience` may not see."""
    reader = Audience(project.settings, audience)
    chrome = site_chrome(project.site_config)
    patterns = dict(project.options.attachments)
    return [name for name in attachments if not reader.attachment_visible(name, patterns, chrome)]


def chosen_audience(context_settings: Settings, requested: str | None) -> str:
    """The audience of a single build: as requested, else `SMS_AUDIENCE`, else configured."""
    return requested or os.environ.get("SMS_AUDIENCE") or context_settings.audience
