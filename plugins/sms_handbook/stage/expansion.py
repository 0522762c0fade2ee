"""What expands a page in the stage, set up from the site's configuration: page templates
(when the site lists mkdocs-macros) and snippets (when it lists pymdownx.snippets)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateSyntaxError

from ..core.conformity import Assessment
from ..core.diagnostics import Diagnostic
from ..core.documents import split_front_matter
from ..core.model import Document
from ..core.options import Options
from ..site_config import named_entries
from .snippets import SnippetAccess, Snippets
from .templates import (
    IncludeLoader,
    PageTemplates,
    defined_names,
    undefined_variables,
    without_template_code,
)

if TYPE_CHECKING:
    from .request import StageRequest


def render_by_default(request: StageRequest) -> bool:
    return _renders_by_default(request.config)


def _renders_by_default(config: dict[str, Any]) -> bool:
    options = macros_options(config)
    return bool(options.get("render_by_default", True)) if options is not None else False


def macros_options(config: dict[str, Any]) -> dict[str, Any] | None:
    for name, options in named_entries(config.get("plugins")):
        if name == "macros":
            return options
    return None


def page_templates(
    request: StageRequest,
    config: dict[str, Any],
    page_text: Any,
    hidden_name: Any,
    assessment: Assessment,
) -> PageTemplates | None:
    """Page templates, when the site uses mkdocs-macros (`macros` in its plugins)."""
    if macros_options(config) is None:
        return None
    view = request.view
    git: dict[str, str] = {}
    if view.access.reads_repository_facts:
        git = git_facts(request.root)
    loader = IncludeLoader(page_text, hidden_name)
    strict = request.options.on_undefined == "strict"
    return PageTemplates(view, config, loader, assessment, git, strict_undefined=strict)


def published_text(config: dict[str, Any]) -> Callable[[Document, str], str]:
    """A page's body as its readers get it written: without its template code when the
    stage renders its templates."""
    by_default = _renders_by_default(config)
    if macros_options(config) is None:
        return lambda _document, body: body

    def published(document: Document, body: str) -> str:
        if document.meta.get("render_macros", by_default) is False:
            return body
        return without_template_code(body)

    return published


def template_diagnostics(
    documents: list[Document], config: dict[str, Any], options: Options
) -> list[Diagnostic]:
    """What the stage will find in the page templates, at each page's line: a template that
    cannot be rendered (SMS317), and each variable nobody defines at its first use (SMS315:
    printed as written; SMS316 under `on_undefined: strict`: the page fails)."""
    if macros_options(config) is None:
        return []
    by_default = _renders_by_default(config)
    defined = defined_names(config)
    strict = options.on_undefined == "strict"
    found = []
    for document in documents:
        if document.meta.get("render_macros", by_default) is not False:
            found += _page_template_diagnostics(document, defined, strict)
    return found


def _page_template_diagnostics(
    document: Document, defined: frozenset[str], strict: bool
) -> list[Diagnostic]:
    _head, body = split_front_matter(document.source)
    offset = document.source[: len(document.source) - len(body)].count("\n")
    try:
        undefined = undefined_variables(body, defined)
    except TemplateSyntaxError as error:
        message = (
            f"page template cannot be rendered: {str(error.message).rstrip('.')}; the page is "
            "built without "
            "it, and a strict build stops"
        )
        return [Diagnostic(document.path, (error.lineno or 1) + offset, 1, "SMS317", message)]
    outcome = "the page fails (on_undefined: strict)" if strict else "it is printed as written"
    return [
        Diagnostic(
            document.path,
            line + offset,
            1,
            "SMS316" if strict else "SMS315",
            f"`{{{{ {name} }}}}`: no variable `{name}` is defined (not under `extra:` in "
            f"mkdocs.yml, nor one of the handbook's); {outcome}",
        )
        for name, line in undefined
    ]


def git_facts(root: Path) -> dict[str, str]:
    from .. import gitrepo

    try:
        fields = gitrepo.text(root, "log", "-1", "--format=%H%x1f%h%x1f%an%x1f%aI%x1f%s").split(
            "\x1f"
        )
    except gitrepo.GitError:
        return {}
    if len(fields) != 5:
        return {}
    commit, short, author, date, message = fields
    return {
        "commit": commit,
        "short_commit": short,
        "author": author,
        "date": date,
        "message": message,
    }


def snippet_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The options of pymdownx.snippets when the site lists it, else None."""
    for name, options in named_entries(config.get("markdown_extensions")):
        if name == "pymdownx.snippets":
            return options
    return None


def page_snippets(config: dict[str, Any], access: SnippetAccess) -> Snippets | None:
    options = snippet_options(config)
    return None if options is None else Snippets(options, access)
