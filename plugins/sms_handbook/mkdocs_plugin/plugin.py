"""The `sms-handbook` MkDocs plugin: MkDocs events only; the work is done by the pipeline.

`mkdocs build` and `mkdocs serve` stage the audience (scope -> stage) in `on_config` and point
MkDocs at the stage, so MkDocs only ever reads what the audience may see; `on_post_build`
finishes the site (print edition, audience marks, manifest). Without the plugin, the guard
extension makes the build fail closed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError, MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..body_saves import (
    BodyOnlyBase,
    InputStamps,
    body_only_save,
    stamped_folders,
    stamps_before_build,
)
from ..context import ContextError, HandbookContext, chosen_audience, load_context
from ..core.build import LoadCache
from ..core.diagnostics import Diagnostic, Severity
from ..core.model import Handbook
from ..core.review import review_diagnostics
from ..core.settings import today
from ..finish import (
    FinishedInPlace,
    PageMarks,
    PrintSpool,
    SettledSite,
    finish_site,
    page_marks,
    print_content,
    print_sectioner,
    printed_documents,
)
from ..guard import stage_proves
from ..pipeline import stage_audience
from ..preview_files import SiteFiles, Where
from ..publish import content_scans, verify_build
from ..stage.build import can_restage, restage_documents
from ..stage.htmlstash import without_blocks
from ..stage.layout import StageLock, in_author_terms
from ..stage.request import Stage
from ..stage.sealing import StageError
from ..verify import ContentScans, SecretFinder, secrets_for, withdraw
from .config import HandbookConfig
from .live_config import disable_page_macros, point_at_stage
from .page_events import StagePages
from .preview import (
    ConfigWords,
    PreviewState,
    Site,
    broken_settings,
    drop_search_entries,
    refused_page,
)
from .search_entries import SlotLostError
from .site_checks import FinishedSite, PendingSites
from .template_cache import CompiledTemplates, ThemeFiles

if TYPE_CHECKING:  # imported by `mkdocs serve` only (it brings the file watcher's modules)
    from .live_server import LiveServer

log = get_plugin_logger(__name__)


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False
    # `mkdocs serve` makes a new plugin for every rebuild, and tells only the first one
    serving: ClassVar[bool] = False
    incremental: ClassVar[bool] = False  # `sms-handbook serve` (MkDocs' dirty builds)
    live: ClassVar[LiveServer | None] = None  # the server of `mkdocs serve`, once it runs

    def __init__(self) -> None:
        self.context: HandbookContext | None = None
        self.stage: Stage | None = None
        self.view: Handbook | None = None
        self.lock: StageLock | None = None
        self.problems: list[str] = []
        self.marks = PageMarks("", "")
        self.in_place = FinishedInPlace()
        self.printed: set[str] = set()
        self.pages = StagePages()
        self.preview = PreviewState()  # lives as long as `mkdocs serve` (MkDocs keeps it)
        self.parsed: LoadCache | None = None  # what the preview parsed, for its next build
        self.secrets: SecretFinder | None = None
        self.macros_off = False  # mkdocs-macros is loaded, and told to render no page
        self.templates = CompiledTemplates()  # the theme's, kept between the preview's builds
        self.theme_files = ThemeFiles()  # the names of the theme's files, likewise
        self.site_files = SiteFiles()  # the preview's files besides its pages, as checked
        self.page_outputs: set[str] = set()  # checked as they are rendered
        # The configuration this plugin pointed at its stage, and the site folder it was for
        self.pointed: tuple[MkDocsConfig, str] | None = None
        self.scans = ContentScans()  # what verification read, for the next site verified
        self.unverified = PendingSites()  # verified once the outermost build has ended
        self.marked_before: set[str] = set()  # pages the build's earlier languages marked
        # The preview's body-only saves (body_saves.py): what this build read, stamped before
        # it read it; the last build a save may build on; a second step this build owes
        self.stamps: InputStamps | None = None
        self.base: BodyOnlyBase | None = None
        self.owes_second_step = False

    @property
    def active(self) -> bool:
        return bool(self.config.enabled) and self.stage is not None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        HandbookPlugin.serving = command == "serve"
        HandbookPlugin.incremental = self.serving and dirty

    @event_priority(50)  # before mkdocs-macros and every other plugin reads the pages
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.unverified.begin()
        if self.serving:
            self.theme_files.serve(config.theme)
        if self.config.enabled and self._build_again(config):
            return config
        self.stamps = self._input_stamps(config)  # before this build reads anything
        self.owes_second_step = False
        if self.config.enabled and self._build_body_only(config):
            return config
        if self.stage is not None:
            self.stage.cancel()
        self.stage = self.view = None
        self.pointed = None
        self.marked_before = set()
        if not self.config.enabled:
            return None
        if self.serving and self.parsed is None:
            self.parsed = LoadCache()
        # A build reports link errors only; the preview shows the notes too (`link_notes`)
        context = _load(config, serving=self.serving, cache=self.parsed)
        links = _report_problems(context, self.serving, quiet=self._second_step)
        audience = _audience(context)
        self.context = context
        self.scans = content_scans(context)
        self.view, hidden = context.view(audience)
        if self.serving:  # what the preview checks each page it renders against
            allow = context.options.verify_allow
            self.secrets = SecretFinder(secrets_for(self.view, hidden, allow))
        hold_back = self._start_preview(config)
        self.stage = self._stage(context, audience, config, hold_back)
        self.problems = []
        if self.serving:  # shown on every page of the preview
            self.problems = [str(d) for d in context.result.diagnostics if d.is_error]
            self.problems += [str(d) for d in links]
            self.problems += self.stage.warnings
        self._prepare_pages(self.stage, self.view)
        point_at_stage(config, self.stage)
        self.pointed = (config, config.site_dir)
        self.macros_off = disable_page_macros(config)
        if self.macros_off:
            log.debug("page templates were rendered in the stage; mkdocs-macros renders none")
        log.info(f"building the {audience} handbook ({len(self.view.documents)} pages visible)")
        return config

    def _input_stamps(self, config: MkDocsConfig) -> InputStamps | None:
        """What the incremental preview's build reads, stamped before it reads it."""
        if not self.incremental:
            return None
        config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
        return stamps_before_build(self.context, config_file)

    def _build_body_only(self, config: MkDocsConfig) -> bool:
        """A save's first step when the save is body-only (body_saves.py): the kept model and
        views take the pages' new texts, those pages (and those that include others) are
        staged again into the kept stage and checked as a full save checks them, and MkDocs
        renders what changed. False, with nothing done, for any other save."""
        base, self.base = self.base, None
        if base is None or self.stamps is None or self._second_step or self.stage is None:
            return False
        if self.view is None or self.secrets is None or not self.preview.continues(config):
            return False
        context, stage, audience = base.context, self.stage, base.audience
        try:
            comparing = bool(os.environ.get("SMS_COMPARE_WITH") or context.options.compare_with)
            save = body_only_save(base, self.stamps, today(), comparing)
        except ValueError:  # SMS_TODAY: the full path says what is wrong with it
            return False
        if save is None or (save.assessed_changed and self.live is None):
            return False
        self._unlock()
        self.lock = StageLock(context.root.resolve(), audience).acquire()  # to post_build
        if not can_restage(stage):  # another process wrote the stage: the full path
            self._unlock()
            return False
        restaged = save.restaged(context, audience)
        context.take_bodies(save.texts, assessed_changed=save.assessed_changed)
        links = _report_problems(context, self.serving)
        self._start_preview(config)
        restage_documents(stage, restaged)
        self.problems = [str(d) for d in context.result.diagnostics if d.is_error]
        self.problems += [str(d) for d in links]
        self.problems += stage.warnings
        self.owes_second_step = save.assessed_changed
        self._prepare_pages(stage, self.view)
        point_at_stage(config, stage)
        self.pointed = (config, config.site_dir)
        self.macros_off = disable_page_macros(config)
        pages = ", ".join(d.src_uri for d in restaged) or "none"
        later = "; the pages reading every fact follow" if save.assessed_changed else ""
        log.info(
            f"body-only save: staged {len(restaged)} page(s) again ({pages}); "
            f"the handbook was not loaded or staged again{later}"
        )
        return True

    @property
    def _second_step(self) -> bool:
        """This build is a save's second step (what its first held back): what the first
        step printed is not printed again."""
        return self.live is not None and self.live.second_step

    def _start_preview(self, config: MkDocsConfig) -> bool:
        """The incremental preview's build begins; True when it is a save's first step that
        may hold back the pages that only depend on it (a second step follows): not when it
        renders every page, nor when what the audience may not see changed (every page it
        keeps was checked against what is hidden now, and nothing is served above it)."""
        if not self.incremental:
            return False
        live = self.live
        second = live is not None and live.second_step
        full = self.preview.start(config, live.hold if live is not None and second else None)
        keys = self.secrets.digest if self.secrets is not None else None
        hold = live is not None and not second and not full and keys == self.preview.secrets_key
        self.preview.hold_back = hold
        return hold

    @property
    def _settled(self) -> SettledSite | None:
        """The incremental preview settles only the folders changed since its last build."""
        return self.preview.settled if self.incremental else None

    def _build_again(self, config: MkDocsConfig) -> bool:
        """MkDocs' build run again on the configuration this plugin already pointed at its
        stage, within the same `mkdocs build` (mkdocs-static-i18n builds each further language
        so, with the same docs and site folders): the model, what was reported and the stage
        are the first build's, so they are used again and nothing is logged twice; the pages
        are built, finished and verified again. False, and everything made afresh, when the
        audience or the site folder differ, or another build wrote the stage meanwhile."""
        stage, context, view = self.stage, self.context, self.view
        if self.serving or self.pointed is None or stage is None or stage.pending is not None:
            return False
        if context is None or view is None or self.pointed[0] is not config:
            return False
        if self.pointed[1] != config.site_dir or config.docs_dir != str(stage.docs_dir):
            return False
        if _audience(context) != stage.audience:
            return False
        self._unlock()
        self.lock = StageLock(context.root.resolve(), stage.audience).acquire()  # to post_build
        if not stage_proves(stage.data_file, stage.token, stage.proof):
            self._unlock()
            return False
        self._prepare_pages(stage, view)
        self.in_place.marked |= self.marked_before  # written by earlier languages, marked
        point_at_stage(config, stage)
        self.macros_off = disable_page_macros(config)
        log.info(f"building the {stage.audience} handbook again from the same stage")
        return True

    def _stage(
        self, context: HandbookContext, audience: str, config: MkDocsConfig, hold_back: bool
    ) -> Stage:
        """The audience's stage, under its lock until the build ends."""
        self._unlock()
        try:
            self.lock = StageLock(context.root.resolve(), audience).acquire()  # to post_build
            # `mkdocs build` of a large enough handbook stages with workers (README, Workers)
            stage = stage_audience(
                context,
                audience,
                [],
                [Path(config.site_dir)],
                beside_engine=context.workers,
                preview=self.serving,
                hold_back=hold_back,
            )
        except StageError as error:
            self._unlock()
            raise PluginError(f"sms-handbook: {error}") from None
        except BaseException:
            self._unlock()
            raise
        if stage.pending is None:
            self._report_stage_of(stage, quiet=self._second_step)
        else:
            log.debug("a worker writes the generated pages beside MkDocs")
        return stage

    def _prepare_pages(self, stage: Stage, view: Handbook) -> None:
        """What the page events need: audience marks, the print spool, the search data."""
        self.marks = page_marks(view, self.problems)
        self.in_place.contents.close()
        # `mkdocs build` re-bases the print edition's sections while it writes pages
        workers = self.context is not None and self.context.workers
        spool = PrintSpool(print_sectioner(stage, view), beside=workers)
        self.in_place = FinishedInPlace(
            contents=spool, sections=self.preview.sections, settled=self._settled
        )
        self.printed = {d.src_uri for d in printed_documents(view)}
        self.pages = StagePages(stage.generated)
        if stage.pending is None:
            self.pages.read_stage(stage.docs_dir)
            self._release_sources()

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.live is not None and self.live.second_step:
            self.live.hold()  # MkDocs writes the site from now on: requests wait until it ends
        if self.active:
            self.pages.nav(nav, config, files)
            if self.incremental and self.stage is not None:
                site = Site.of(config, self.stage.print_page, self.printed)
                self.preview.plan(nav, files, site)
                self.problems += self.preview.refused.values()  # not rendered, still refused
                self.marks = page_marks(self.view, self.problems) if self.view else self.marks
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self.active and self.stage is not None and self.stage.pending is not None:
            self.stage.ready(page.file.src_uri)  # written before MkDocs reads it
            if self.stage.pending is None:
                self._completed()
        return None

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._complete()  # before MkDocs copies the generated files (exports) into the site
        if self.serving:
            self.templates.serve(env, list(config.theme.dirs))
        if self.active:
            self.pages.pages_read(env)
        if self.active and self.incremental:
            self.preview.keep_search(config, files)
        if self.active and self.serving:
            self._check_staged_files(files)
        return env

    def _check_staged_files(self, files: Files) -> None:
        """Before MkDocs copies them into the preview: the staged files besides pages (the
        exports, attachments) that name a hidden item are replaced by a notice."""
        assert self.stage is not None and self.view is not None and self.context is not None
        if self.secrets is None:
            return
        self.site_files.start(self.secrets)
        self.page_outputs = {os.path.normpath(f.abs_dest_path) for f in files.documentation_pages()}
        stage = self.stage.root.resolve()
        sources = {
            f.dest_uri: Path(f.abs_src_path)
            for f in files
            if not f.is_documentation_page()
            and f.abs_src_path is not None
            and Path(f.abs_src_path).resolve().is_relative_to(stage)
        }
        where = Where(self.context.root, self.view)
        problems, refused = self.site_files.check_sources(sources, self.secrets, where)
        for file in files:
            if file.dest_uri in refused:
                file.content_bytes = refused[file.dest_uri]
        self._add_problems(problems)

    def _add_problems(self, problems: list[str]) -> None:
        """Problems found while the preview builds: logged, and on every page's banner."""
        if not problems or self.view is None:
            return
        for problem in problems:
            log.error(problem)
        self.problems += problems
        self.marks = page_marks(self.view, self.problems)

    def _complete(self) -> None:
        """Every staged page is written (by now, usually): wait for their worker."""
        if self.stage is not None and self.stage.pending is not None:
            self.stage.complete()
            self._completed()

    def _completed(self) -> None:
        """What the stage's worker found is known now: log it, read its search entries; the
        model's page texts are no longer needed (the stage holds them)."""
        if self.stage is not None:
            self._report_stage()
            self.pages.read_stage(self.stage.docs_dir)
        self._release_sources()

    def _release_sources(self) -> None:
        if self.context is not None and not self.serving:  # a preview keeps what it may reuse
            self.context.release_sources()

    def _report_stage(self) -> None:
        assert self.stage is not None
        self._report_stage_of(self.stage, quiet=self._second_step)

    @staticmethod
    def _report_stage_of(stage: Stage, *, quiet: bool = False) -> None:
        log.info(stage.summary())
        for note in stage.notes:
            log.info(note)
        for warning in [] if quiet else stage.warnings:
            log.warning(warning)

    @event_priority(40)  # after Material's meta plugin (50), before mkdocs-macros (0)
    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.active:
            self.pages.page_markdown(page, config)
            if self.macros_off and page.meta.get("render_macros"):
                # The stage rendered the page's templates in its sandbox: what is left that
                # looks like template code is text. `render_macros: false` outranks a page's
                # or a meta file's `true` (`force_render_paths` is emptied, and nothing is
                # rendered by default); a page without the key keeps its metadata as it is.
                page.meta["render_macros"] = False
        return None

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.active and self.stage is not None and page.markdown is not None:
            # converted: the HTML blocks it carried are in `html` now, not needed twice
            page.markdown = without_blocks(page.markdown, self.stage.token)
        return None

    @event_priority(100)  # before Material's search reads the page
    def on_page_context(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        if self.active:
            self.pages.page_context(page, config)
        return context

    @event_priority(100)  # before other plugins rewrite the page (minify, say)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """Finish each page while MkDocs holds it (instead of reading it back afterwards)."""
        if not self.active or self.stage is None:
            return None
        try:
            output = self.pages.post_page(output, page)
        except SlotLostError as error:
            raise PluginError(str(error)) from None
        if self.serving and self.secrets is not None:
            output = self._checked(output, page, config)
        if page.file.src_uri in self.printed:
            content = print_content(output, self.stage.token)
            if content is not None:
                self.in_place.contents.add(page.file.src_uri, content)
        if self.marks:
            output = self.marks.apply(output)
            self.in_place.marked.add(os.path.normpath(page.file.abs_dest_path))
        if self.serving:
            self.preview.rendered_page(page, self.marks.banner)
        return output

    def _checked(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """A page of the preview holding an item hidden from its audience is not served:
        in its place, what to fix; the problem joins the banner and the terminal."""
        assert self.view is not None and self.secrets is not None
        refused = refused_page(output, page.file.src_uri, page.markdown, self.secrets, self.view)
        if refused is None:
            return output
        problem, output = refused
        log.error(problem)
        self.problems.append(problem)
        self.preview.refused[page.file.src_uri] = problem
        self.marks = page_marks(self.view, self.problems)
        drop_search_entries(config, page)
        return output

    def _finish_build(self, *, config: MkDocsConfig) -> None:
        self._complete()
        if self.in_place.contents.beside:
            log.debug("a worker re-based the print edition's sections beside MkDocs")
        if self.serving and self.view is not None:
            if self.incremental and self.secrets is not None:
                for problem in self.preview.recheck(self.secrets, self.view, config):
                    log.error(problem)
                    self.problems.append(problem)
                self.marks = page_marks(self.view, self.problems)
                self.preview.remember(config)
                held = self.stage is not None and bool(self.stage.held_back)
                owed = held or self.owes_second_step or bool(self.preview.deferred)
                if self.live is not None and owed:
                    self.live.held_back = True
                self._keep_base(owed)
            self.preview.refresh_banners(self.marks.banner, self.in_place.marked)
        if self.active and self.stage is not None and self.view is not None:
            finish_site(Path(config.site_dir), self.stage, self.view, self.problems, self.in_place)
        self.in_place.contents.close()
        self.marked_before = self.in_place.marked
        self.in_place = FinishedInPlace(sections=self.preview.sections, settled=self._settled)
        self._unlock()
        if self.active and not self.serving and self.context is not None:
            assert self.stage is not None
            site = FinishedSite(Path(config.site_dir), self.stage.audience, self.context)
            self.unverified.finished(site)

    def _keep_base(self, owed: bool) -> None:
        """This build, complete and owing nothing (no second step), is what a body-only save
        builds on."""
        context, stage, stamps = self.context, self.stage, self.stamps
        if owed or context is None or stage is None or stamps is None:
            return
        if stamps.folders == stamped_folders(context.project):
            self.base = BodyOnlyBase(context, stage.audience, stamps)

    @event_priority(-1000)  # after every plugin, mkdocs-static-i18n's further languages too
    def _verify_sites(self, *, config: MkDocsConfig) -> None:
        """The sites finished by this build and the builds run inside it, verified once the
        outermost one ends; one holding anything above its audience fails the build."""
        failed = [s for s in self.unverified.end() if not self._verified(s)]
        if failed:
            raise PluginError(
                f"sms-handbook: the {failed[0].audience} site in {failed[0].site_dir} failed "
                "verification (the problems and the files removed are named above). Do not "
                "publish that folder: fix what is named above and build again"
            )

    def _verified(self, site: FinishedSite) -> bool:
        """A finished site verified as `sms-handbook build` verifies it (same facts, made
        once by the context); the files holding anything above its audience are removed, with
        the site's manifest (README, Staged builds)."""
        allow = site.context.options.verify_allow
        audience, site_dir = site.audience, site.site_dir
        problems = verify_build(site.context, audience, site_dir, allow, self.scans)
        if not problems:
            log.info(f"verified: nothing above the {audience} audience in {site_dir}")
            return True
        for problem in problems:
            log.error(f"verification: {problem}")
        removed = withdraw(site_dir, problems)
        log.error(
            f"verification found {len(problems)} problem(s) in the {audience} site; "
            f"removed {', '.join(removed)} from {site_dir}"
        )
        return False

    @event_priority(-100)  # after every plugin wrote its files (Material's search index)
    def _check_site_files(self, *, config: MkDocsConfig) -> None:
        """The preview's files besides its pages (search index, sitemap, what other plugins
        wrote), checked once written: one naming a hidden item is replaced by a notice, and
        the problem joins the banner of every page."""
        if not self.serving or self.secrets is None or self.view is None:
            return
        if self.context is None:
            return
        where = Where(self.context.root, self.view)
        site = Path(config.site_dir)
        self.site_files.check_site(site, self.page_outputs, self.secrets, where)
        # a file refused by an earlier build and not written since is still refused
        problems = [p for p in self.site_files.problems if p not in self.problems]
        if problems:
            self._add_problems(problems)
            self.preview.refresh_banners(self.marks.banner, set())

    on_post_build = CombinedEvent(_finish_build, _check_site_files, _verify_sites)

    def on_build_error(self, *, error: Exception) -> None:
        for site in self.unverified.take():  # what earlier languages wrote is checked still
            self._verified(site)
        self.preview.config_digest = ""  # the next build of the preview is a full one
        self.base = None
        self.pointed = None  # a build run again after a failure stages afresh
        if self.stage is not None:
            self.stage.cancel()
            if self.context is not None and isinstance(error, BuildError):
                # MkDocs prints it next: name the author's folder, not the stage's
                docs = self.context.settings.docs_dir
                message = in_author_terms(error.message, self.stage.root, docs)
                error.message = message  # type: ignore[misc]  # click types it Final
        self.in_place.contents.close()
        self._unlock()

    def on_shutdown(self) -> None:
        if self.stage is not None:
            self.stage.cancel()
        self._unlock()

    def _unlock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.active and self.context is not None and self.stage is not None:
            # MkDocs watches docs_dir, which is now the stage: watch the real sources instead.
            server.unwatch(str(self.stage.docs_dir))
            root = self.context.root
            for folder in (self.context.settings.docs_dir, self.context.settings.registers_dir):
                if (root / folder).is_dir():
                    server.watch(str(root / folder))
        if self.serving:
            config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
            server.builder = self._in_steps(self._guarded(server.builder, config_file))
            from .live_server import LiveServer, watch_events

            if not watch_events(server):
                log.debug("the preview polls the watched folders for changes")
            HandbookPlugin.live = LiveServer.attach(server) if self.incremental else None
        return server

    @staticmethod
    def _in_steps(build: Callable[[], None]) -> Callable[[], None]:
        """A save built in two steps when its first held pages back (live_server.py): what
        the first built is served at once, then the second renders the rest, unless another
        save is already waiting (its own build then renders them)."""

        def rebuild() -> None:
            live = HandbookPlugin.live
            if live is not None:
                live.held_back = False
            build()
            if live is None or not live.held_back or live.change_waiting():
                return
            live.publish()
            live.second_step = True
            try:
                build()
            finally:
                live.second_step = False

        return rebuild

    def _guarded(self, build: Callable[[], None], config_file: Path) -> Callable[[], None]:
        """A rebuild that fails (a broken mkdocs.yml, say) leaves the last build served, its
        pages showing what went wrong, instead of a server that waits for a good build."""

        def rebuild() -> None:
            words = ConfigWords()
            logging.getLogger("mkdocs.config").addHandler(words)
            try:
                build()
            except Exception as error:
                problems = broken_settings(error, config_file, words.said)
                expected = isinstance(error, MkDocsException | StageError)
                for problem in problems:
                    log.error(problem, exc_info=None if expected else error)
                if self.view is not None:
                    banner = page_marks(self.view, [*problems, *self.problems]).banner
                    self.preview.refresh_banners(banner, set())
            finally:
                logging.getLogger("mkdocs.config").removeHandler(words)

        return rebuild


def _report_problems(
    context: HandbookContext, serving: bool, *, quiet: bool = False
) -> list[Diagnostic]:
    """The handbook's problems logged as MkDocs reports them, with every error `validate`
    reports (so a strict build stops where `validate` fails); returns the link problems a
    preview shows on its pages (`quiet`: only returns them)."""
    links = [d for d in context.link_diagnostics if d.is_error or serving]
    if quiet:
        return links
    model = set(context.result.diagnostics)
    for diagnostic in context.result.diagnostics:
        _log(diagnostic)
    for diagnostic in context.foreseen:  # what `validate` refuses besides (links, SMS309)
        if diagnostic.is_error and diagnostic not in model:
            _log(diagnostic)
    for diagnostic in links:
        if not diagnostic.is_error:
            _log(diagnostic)
    if context.settings.overdue_is_warning:
        for diagnostic in review_diagnostics(context.handbook, context.today):
            log.warning(str(diagnostic))
    return links


def _audience(context: HandbookContext) -> str:
    audience = chosen_audience(context.settings, None)
    if audience not in context.settings.audiences:
        raise PluginError(
            f"sms-handbook: SMS_AUDIENCE is '{audience}', not one of the audiences: "
            + ", ".join(context.settings.audiences)
        )
    return audience


def _log(diagnostic: Diagnostic) -> None:
    """A problem as MkDocs reports one (`--strict` fails on warnings; notes are advice)."""
    if diagnostic.is_error:
        log.error(str(diagnostic))
    elif diagnostic.severity is Severity.WARNING:
        log.warning(str(diagnostic))
    else:
        log.info(str(diagnostic))


def _load(config: MkDocsConfig, *, serving: bool, cache: LoadCache | None) -> HandbookContext:
    """The handbook's context, from the configuration file MkDocs reads: for a build, the
    model built beside this process, in a worker, when it may (see background.py), and link
    problems judged only as far as they can be errors (`_report_problems` logs no other);
    for the preview (`serving`), in this process, with the notes its pages show."""
    config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
    try:
        return load_context(
            config_file.parent,
            config_file=config_file,
            beside=not serving,
            cache=cache,
            link_notes=serving,
        )
    except ContextError as error:
        for diagnostic in error.diagnostics:
            log.error(str(diagnostic))
        raise PluginError(f"sms-handbook: {error}") from None
