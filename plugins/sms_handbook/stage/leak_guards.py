"""The leak guards of one audience's staged pages: which files snippets and includes may
read, the page templates in their sandbox, and every name a link to something hidden can take.
Built once per stage (`leak_guards`), used by every document the stage writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.conformity import Assessment
from ..render.links import LinkMap
from ..site_config import CONFIG_NAMES
from . import layout
from .expansion import page_snippets, page_templates
from .files import hidden_targets, readable_left_out
from .links import HiddenTargets
from .page_writers import DocumentWriter
from .rawhtml import text_names_hidden
from .request import Stage, StageRequest
from .snippets import SnippetAccess, Snippets
from .templates import PageTemplates


@dataclass
class LeakGuards:
    """What keeps hidden things out of the staged pages: which files snippets and includes
    may read, the page templates, and every name a link to something hidden can take."""

    access: SnippetAccess
    snippets: Snippets | None
    templates: PageTemplates | None
    targets: HiddenTargets
    hidden: set[str]  # every hidden target (source paths and `url:` forms)

    def document_writer(
        self, request: StageRequest, stage: Stage, links: LinkMap
    ) -> DocumentWriter:
        """What stages each document, behind these guards."""
        return DocumentWriter(
            stage.root,
            request,
            stage.token,
            links,
            stage.urls,
            self.templates,
            self.snippets,
            self.targets,
            self.access,
        )

    def notes(self) -> list[str]:
        """What the guards left out, each once, in the order found."""
        notes = [
            f"left out snippet '{n}' (not for this audience)"
            for n in dict.fromkeys(self.access.left_out)
        ]
        if self.templates is not None:
            notes.extend(dict.fromkeys(self.templates.notes))
            notes.extend(
                f"left out include '{n}' (not for this audience)"
                for n in dict.fromkeys(self.templates.loader.left_out)
            )
        return notes


def leak_guards(
    request: StageRequest,
    assessment: Assessment,
    attachments: dict[str, bool],
    generated: set[str] | None = None,
    left_out: list[str] | None = None,
) -> LeakGuards:
    """The guards of this audience's pages; `generated`: the generated pages this build has
    (a link to another audience's generated page is then a link to a hidden page);
    `left_out`: the pages the site leaves out, which snippets and includes may read."""
    view, docs_dir = request.view, request.docs_dir
    hidden_uris = {d.src_uri for d in request.hidden.documents}
    pages_by_uri = {d.src_uri: d for d in view.documents}
    visible_attachments = {uri for uri, visible in attachments.items() if visible}
    readable = visible_attachments | readable_left_out(request, left_out or [])

    def page_text(name: str) -> str | None:
        document = pages_by_uri.get(name)
        return document.source if document is not None else None

    def include_text(name: str) -> str | None:
        """A visible page or attachment of docs/, for `{% include %}`."""
        text = page_text(name)
        if text is None and name in readable:
            try:
                text = (docs_dir / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return text

    def hidden_name(name: str) -> bool:
        return name in hidden_uris or (name in attachments and not attachments[name])

    access = SnippetAccess(
        request.root.resolve(),
        docs_dir,
        snippet_refused_dirs(request),
        page_text,
        hidden_name,
        lambda name: name in readable,
    )
    directory_urls = bool(request.config.get("use_directory_urls", True))
    hidden = hidden_targets(request, attachments, directory_urls)
    present = None if generated is None else [*generated, *pages_by_uri, *visible_attachments]
    targets = _link_targets(request, hidden, directory_urls, present)
    access.names_hidden = outside_text_test(targets, request.view.settings.docs_dir)
    return LeakGuards(
        access,
        page_snippets(request.config, access),
        page_templates(request, request.config, include_text, hidden_name, assessment),
        targets,
        hidden,
    )


def _link_targets(
    request: StageRequest, hidden: set[str], directory_urls: bool, present: list[str] | None
) -> HiddenTargets:
    """`hidden` as links name it; `present`: what this build has of the generated pages'
    folder (a link to another audience's generated page is then a link to a hidden page)."""
    targets = HiddenTargets(set(), set(), directory_urls)
    if present is not None:
        targets.generated_dir = inside = request.options.pages_dir.strip("/")
        for name in present:
            if name.startswith(inside + "/"):
                targets.add_present(name)
    for target in hidden:
        if target.startswith("url:"):
            targets.urls.add(target.removeprefix("url:"))
        else:
            targets.src_uris.add(target)
    return targets


def outside_text_test(targets: HiddenTargets, docs_dir: str) -> Callable[[str], bool]:
    """Whether a snippet from outside docs/ names a hidden target, as a comment is read:
    each path in it read from docs/ (as a nav is) and from the repository's root."""
    prefix = docs_dir.strip("/") + "/"

    def hidden(word: str | None) -> bool:
        if not word:
            return False
        return targets.names_hidden(word, "index.md") or (
            word.startswith(prefix) and targets.names_hidden(word[len(prefix) :], "index.md")
        )

    return lambda text: text_names_hidden(text, hidden)


def snippet_refused_dirs(request: StageRequest) -> list[Path]:
    """Folders and files snippets never read: site output, stages, and for every audience
    but the highest the registers' raw files and the site's configuration (its nav names
    every page, hidden ones too, and it names the repository)."""
    config, root = request.config, request.root
    site_dir = config.get("site_dir") if isinstance(config.get("site_dir"), str) else "site"
    refused = [
        *request.refused_dirs,
        (root / str(site_dir)).resolve(),
        (root / "site").resolve(),
        layout.stage_root(root, "").resolve(),
    ]
    if not request.view.access.reads_repository_facts:
        refused.append((root / request.view.settings.registers_dir).resolve())
        named = config.get("config_file_path")  # `mkdocs build -f other.yml`
        files = [*CONFIG_NAMES, *([named] if isinstance(named, str) else [])]
        refused += [(root / name).resolve() for name in files]
    return refused
