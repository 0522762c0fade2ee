"""Page templates: Jinja in authored pages, rendered once per audience in Jinja's sandbox.

Pages may use register data (`{{ sms.registers.services }}`) and our macros
(`{{ register_table("risks") }}`), as mkdocs-macros pages do. The stage renders them before
any engine runs, so every engine gets the same finished Markdown: the sandbox refuses access to
Python internals, includes read only pages and attachments this audience may see, and every
string handed to page authors is already safe for Markdown: HTML and Markdown syntax characters
are written as character references, so a register value can never become markup, a link or
template code. Macros return escaped HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import (
    BaseLoader,
    ChainableUndefined,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    meta,
    nodes,
)
from jinja2.defaults import DEFAULT_NAMESPACE
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..core.conformity import Assessment
from ..core.model import RESTRICTED, Handbook
from ..render.links import LinkMap
from .macros import MACRO_NAMES, macros

# Characters kept as they are: letters, digits and punctuation without meaning in Markdown,
# its extensions or Jinja. Everything else becomes a numeric character reference.
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,;/?@%$")


def safe_text(value: str) -> str:
    return "".join(
        c if c in _KEEP or (c.isalpha() and ord(c) > 127) else f"&#{ord(c)};" for c in value
    )


def _safe_key(key: Any) -> str:
    """Field names stay as they are when they are plain names (`support_hours`), so that
    `{{ r.support_hours }}` works; anything else is made safe like a value."""
    text = str(key)
    return text if text.replace("_", "a").replace("-", "a").isalnum() else safe_text(text)


def safe_data(value: Any) -> Any:
    """A copy of register data where every string is safe to place in Markdown."""
    if value is RESTRICTED:
        return "restricted item"
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {_safe_key(k): safe_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_data(v) for v in value]
    return value


class LazyRegisters(Mapping[str, list[Any]]):
    """Register name -> safe records, made on first use (most pages use none). The view is
    private: the sandbox refuses `_` attributes, so a page reaches the safe records only."""

    def __init__(self, view: Handbook) -> None:
        self._view = view
        self._cache: dict[str, list[Any]] = {}

    def __getitem__(self, name: str) -> list[Any]:
        if name not in self._cache:
            register = self._view.registers[name]
            self._cache[name] = [safe_data(r.data) for r in register.records]
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._view.registers)

    def __len__(self) -> int:
        return len(self._view.registers)


class PageSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, which also refuses any attribute that is, or belongs to, an object of
    this package other than `LazyRegisters` (and undefined variables): a page sees safe data,
    never the model."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(value, KeptUndefined) and isinstance(obj, KeptUndefined):
            return True  # an undefined variable's attribute: undefined too, printed whole
        if _internal(value) or (_internal(obj) and not isinstance(obj, LazyRegisters)):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


def _internal(value: Any) -> bool:
    module = getattr(type(value), "__module__", "") or ""
    return module.split(".")[0] == __name__.split(".")[0]


class KeptUndefined(ChainableUndefined):
    """An undefined variable printed as it was written, `{{ companyShortName }}` (as
    mkdocs-macros does by default, `on_undefined: keep`), so that a reader sees what is
    missing; attributes and items of it stay undefined and print their whole name."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return self._longer(f"{self._undefined_name}.{name}")

    def __getitem__(self, key: Any) -> Any:
        return self._longer(f"{self._undefined_name}[{key!r}]")

    def _longer(self, name: str) -> KeptUndefined:
        """The same undefined one step further, keeping why it is undefined (the sandbox's
        refusal of an attribute stays a SecurityError when it is used)."""
        return KeptUndefined(
            self._undefined_hint, self._undefined_obj, name, self._undefined_exception
        )

    def __str__(self) -> str:
        if self._undefined_hint is not None:  # refused by the sandbox, not merely missing
            self._fail_with_undefined_error()
        return f"{{{{ {self._undefined_name or ''} }}}}"


# Names every page template has besides the site's `extra` values: our variables, the page,
# the macros (stage/macros.py) and Jinja's own globals.
PAGE_NAMES = frozenset({"config", "git", "sms", "page", *MACRO_NAMES, *DEFAULT_NAMESPACE})


def defined_names(config: Mapping[str, Any]) -> frozenset[str]:
    extra = config.get("extra")
    return PAGE_NAMES | ({str(k) for k in extra} if isinstance(extra, Mapping) else set())


def undefined_variables(text: str, defined: frozenset[str]) -> list[tuple[str, int]]:
    """(name, line) of the first use of each variable the template `text` neither defines
    itself nor finds in `defined`, by line; a template that does not parse raises
    `TemplateSyntaxError` (as rendering it would)."""
    tree = PageSandbox().parse(text)
    undeclared = meta.find_undeclared_variables(tree) - defined
    first: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in undeclared and node.ctx == "load":
            first.setdefault(node.name, node.lineno)
    return sorted(first.items(), key=lambda item: (item[1], item[0]))


def without_template_code(text: str) -> str:
    """`text` with its template code (expressions, statements, comments) blanked out, in the
    same lines and columns: what the page publishes as written. `{{ document_link("X") }}`
    names X to the sandbox, not to the reader."""
    try:
        tokens = list(PageSandbox().lexer.tokeniter(text, None))
    except TemplateError:
        return text
    lexed = "".join(value for _line, _kind, value in tokens)
    if text.removesuffix("\n") not in (lexed, lexed.removesuffix("\n")):
        return text  # the lexer changed line ends: keep every text to be safe
    blanked = "".join(
        value if kind == "data" else "".join(c if c == "\n" else " " for c in value)
        for _line, kind, value in tokens
    )
    return blanked + text[len(lexed) :]


def variables(view: Handbook, assessment: Assessment) -> dict[str, Any]:
    """The `sms` variable: the audience's view of the handbook, safe to print."""
    return {
        "sms": {
            "audience": safe_text(view.audience or ""),
            "documents": [
                safe_data({**{k: v for k, v in d.meta.items() if k != "hide"}, "title": d.title})
                for d in view.controlled_documents
            ],
            "registers": LazyRegisters(view),
            "coverage": {
                "requirements": len(assessment.requirements),
                "evidenced": assessment.evidenced,
                "documented": assessment.documented,
                "findings": len(assessment.findings),
                "summary": assessment.summary(),
            },
        }
    }


SAFE_CONFIG_KEYS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "extra",
)


def safe_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """What `{{ config }}` shows: site identity only; no nav, plugins, paths or repository."""
    return {key: safe_data(config.get(key)) for key in SAFE_CONFIG_KEYS}


class IncludeLoader(BaseLoader):
    """`{% include %}` of what this audience may see: its pages and attachments, as staged.

    A page or attachment hidden from the audience includes as nothing (like a left-out
    snippet), so that the same page builds for every audience; anything else is not found.
    """

    def __init__(self, visible: Callable[[str], str | None], hidden: Callable[[str], bool]):
        self.visible = visible
        self.hidden = hidden
        self.left_out: list[str] = []

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        name = template.lstrip("/")
        text = self.visible(name)
        if text is not None:
            return text, None, lambda: True
        if self.hidden(name):
            self.left_out.append(template)
            return "", None, lambda: True
        raise TemplateNotFound(template)


@dataclass
class PageTemplates:
    """Renders the Jinja of authored pages for one audience, in the sandbox."""

    view: Handbook
    config: Mapping[str, Any]
    loader: IncludeLoader
    assessment: Assessment
    keep_git: dict[str, str] = field(default_factory=dict)
    strict_undefined: bool = False  # `on_undefined: strict`: an undefined variable fails
    notes: list[str] = field(default_factory=list)
    _links: LinkMap = field(default_factory=LinkMap)

    def __post_init__(self) -> None:
        undefined = StrictUndefined if self.strict_undefined else KeptUndefined
        self.environment = PageSandbox(loader=self.loader, undefined=undefined, autoescape=False)
        extra = self.config.get("extra")
        globals_: dict[str, Any] = {}
        if isinstance(extra, Mapping):
            globals_.update({str(k): safe_data(v) for k, v in extra.items()})
        globals_["config"] = safe_config(self.config)
        globals_["git"] = {"status": bool(self.keep_git), **safe_data(self.keep_git)}
        globals_.update(variables(self.view, self.assessment))
        globals_.update(macros(self.view, lambda: self._links, self.notes, self.assessment))
        self.environment.globals.update(globals_)

    def render(self, text: str, page: Mapping[str, Any], links: LinkMap) -> tuple[str, str | None]:
        """(rendered text, None) or (the text unchanged, the error in words)."""
        self._links = links
        try:
            template = self.environment.from_string(text)
            return template.render(page=page), None
        except TemplateError as error:
            line = getattr(error, "lineno", None)
            where = f"line {line} of the body: " if line else ""
            return text, f"{where}{type(error).__name__}: {error}"
        except (RecursionError, MemoryError, ValueError, TypeError, ArithmeticError) as error:
            return text, f"{type(error).__name__}: {error}"
