"""The `sms-handbook` MkDocs plugin: MkDocs events only; the work is done elsewhere."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .. import __version__
from ..core.build import BuildResult, build_handbook
from ..core.changes import Changes
from ..core.model import Handbook
from ..core.review import review_diagnostics
from ..core.scope import Hidden, scope_to_audience
from ..core.settings import Settings, problems, today
from ..history import History, load_history
from ..render.links import LinkMap
from ..verify import MANIFEST
from . import site
from .config import HandbookConfig
from .htmlstash import HtmlStash
from .macros import secure_macros_plugin
from .navigation import group_large_sections
from .printing import PrintSpool
from .scoping import (
    HiddenLinksExtension,
    HiddenTargets,
    PageState,
    SnippetPolicy,
    guard_snippets,
    scrub_html,
)

log = get_plugin_logger(__name__)


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.result: BuildResult | None = None
        self.view: Handbook | None = None
        self.hidden = Hidden()
        self.targets = HiddenTargets()
        self.page = PageState()
        self.links = LinkMap()
        self.snippets: SnippetPolicy | None = None
        self.today = datetime.date.today()
        self.root = Path.cwd()
        self.history: History | None = None
        self.changes: tuple[Changes, str] | None = None
        self.stash = HtmlStash()
        self.print_file: File | None = None
        self.print_spool: PrintSpool | None = None

    @property
    def active(self) -> bool:
        return bool(self.config.enabled) and self.view is not None

    @property
    def settings(self) -> Settings:
        assert self.view is not None
        return self.view.settings

    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        docs_dir = os.path.relpath(config.docs_dir, self.root)
        settings = self.config.settings(docs_dir=Path(docs_dir).as_posix())
        audience = os.environ.get("SMS_AUDIENCE") or settings.audience
        settings = settings.replace(audience=audience)
        found = problems(settings)
        if found:
            raise PluginError("sms-handbook: " + "; ".join(found))
        try:
            self.today = today()
        except ValueError as error:
            raise PluginError(
                f"sms-handbook: SMS_TODAY is not a date (YYYY-MM-DD): {error}"
            ) from None
        self.result = build_handbook(self.root, settings)
        for diagnostic in self.result.diagnostics:
            (log.error if diagnostic.is_error else log.warning)(str(diagnostic))
        if settings.overdue_is_warning:
            for diagnostic in review_diagnostics(self.result.handbook, self.today):
                log.warning(str(diagnostic))
        self.view, self.hidden = scope_to_audience(self.result.handbook, audience)
        if self.config.history:
            self.history = load_history(self.root, settings.docs_dir)
        base = os.environ.get("SMS_COMPARE_WITH") or self.config.compare_with
        if base:
            self.changes = site.changes_since(self.root, settings, self.view, base, self.today)
        if os.environ.get("MIKE_DOCS_VERSION"):
            config.extra.setdefault("version", {"provider": "mike"})
        site.configure(
            config, self.config, self.view, HiddenLinksExtension(self.targets, self.page)
        )
        self.snippets = site.snippet_policy(config, self.root, self.view, self.hidden)
        log.info(f"building the {audience} handbook ({len(self.view.documents)} pages visible)")
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        macros = config.plugins.get("macros")
        if not self.active or macros is None:
            return
        assert self.view is not None
        secure_macros_plugin(
            macros,
            self.view,
            config,
            lambda: self.links.at(self.page.url),
            self._include_allowed,
            keep_git=self.view.audience == self.settings.highest,
        )

    def _include_allowed(self, path: Path) -> bool:
        return self.snippets is None or self.snippets._allowed_file(path)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.active:
            return None
        assert self.view is not None and self.result is not None
        site.remove_hidden(
            files, config, self.config, self.result.handbook, self.view, self.targets
        )
        self.links = site.add_generated(
            files, config, self.config, self.view, self.today, self.stash, self.changes
        )
        self.print_file = files.get_file_from_path(f"{self.config.pages_dir.strip('/')}/print.md")
        if self.print_file is not None:
            self.print_spool = PrintSpool(self.print_file.url, self.view.audience)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.active and self.config.nav_group_size > 0:
            group_large_sections(nav, self.config.nav_group_size)
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.active:
            return None
        assert self.view is not None and self.snippets is not None
        self.page.src_uri, self.page.url = page.file.src_uri, page.url
        markdown, removed = guard_snippets(markdown, self.snippets.allowed)
        for name in removed:
            log.info(f"{page.file.src_uri}: left out snippet '{name}' (not for this audience)")
        document = self.view.document_by_uri(page.file.src_uri)
        if document is not None and document.controlled:
            history = site.history_html(self.view, self.history, document.path)
            markdown = site.with_control_block(
                markdown,
                self.view,
                self.links.at(page.url),
                document,
                self.today,
                history,
                self.stash,
            )
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.active:
            return None
        html = scrub_html(self.stash.restore(html), self.targets, self.page)
        document = self.view.document_by_uri(page.file.src_uri) if self.view else None
        if self.print_spool is not None and document is not None and document.controlled:
            self.print_spool.capture(document, html, page.url)
        return html

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        printed = self.print_file
        if self.print_spool is not None and printed is not None and printed.page is not None:
            printed.page.content = self.print_spool.placeholder(self.today.isoformat())
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self.active:
            return None
        return site.mark_audience(
            output, self.settings, str(self.view.audience if self.view else "")
        )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.active:
            return
        assert self.view is not None
        manifest = {
            "generator": f"sms-handbook {__version__}",
            "audience": self.view.audience,
            "audiences": list(self.settings.audiences),
            "documents": sorted(d.src_uri for d in self.view.documents),
            "items": sorted(
                [d.id for d in self.view.documents if d.id]
                + [r.id for register in self.view.registers.values() for r in register.records]
            ),
            "registers": sorted(self.view.registers),
        }
        path = Path(config.site_dir) / MANIFEST
        path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if self.print_spool is not None and self.print_file is not None:
            self.print_spool.assemble(Path(self.print_file.abs_dest_path))
            self.print_spool.close()
            self.print_spool = None
            log.debug(f"assembled {self.print_file.src_uri}")

    def on_build_error(self, *, error: Exception) -> None:
        if self.print_spool is not None:
            self.print_spool.close()
            self.print_spool = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.active:
            server.watch(str(self.root / self.settings.registers_dir))
        return server
