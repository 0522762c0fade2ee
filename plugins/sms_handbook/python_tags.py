"""The Python tags of mkdocs.yml that the handbook accepts: read as data, never imported.

MkDocs reads its configuration with PyYAML's full loader, so `!!python/name:` and
`!!python/object/apply:` import and call whatever they name. Material and pymdown-extensions
document a few such callables (slugify, fence formats, emoji indexes and generators); those are
accepted here, kept as `PythonName` and `PythonCall` values and written back as the same tags
into the stage's configuration. Anything else is refused with its file and line, unless the
plugin's `allow_python_names` lists it by its exact name; a few modules never are.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

# The callables Material for MkDocs, pymdown-extensions, Python-Markdown and mkdocs-mermaid2
# document for mkdocs.yml, and the handbook's own offline emoji generator.
DOCUMENTED = frozenset(
    {
        "markdown.extensions.toc.slugify",
        "markdown.extensions.toc.slugify_unicode",
        "pymdownx.slugs.slugify",
        "pymdownx.superfences.fence_code_format",
        "pymdownx.superfences.fence_div_format",
        "pymdownx.superfences.default_validator",
        "pymdownx.superfences.highlight_validator",
        "pymdownx.arithmatex.arithmatex_fenced_format",
        "pymdownx.arithmatex.arithmatex_inline_format",
        *(
            f"pymdownx.emoji.{name}"
            for name in (
                "emojione",
                "gemoji",
                "twemoji",
                "to_alt",
                "to_png",
                "to_png_sprite",
                "to_svg",
                "to_svg_sprite",
            )
        ),
        "material.extensions.emoji.twemoji",
        "material.extensions.emoji.to_svg",
        "mermaid2.fence_mermaid",
        "mermaid2.fence_mermaid_custom",
        "sms_handbook.offline_emoji.to_svg",
    }
)
# Modules whose callables run programs, read files or evaluate code: never accepted.
FORBIDDEN_MODULES = frozenset(
    {"os", "posix", "nt", "subprocess", "builtins", "__builtin__", "sys", "shutil"}
    | {"importlib", "runpy", "pty", "socket", "ctypes", "pickle", "marshal", "code", "codeop"}
)
OPTION = "allow_python_names"


@dataclass(frozen=True)
class Place:
    """Where a tag was written: file name and 1-based line and column."""

    file: str = "mkdocs.yml"
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class PythonName:
    """A `!!python/name:module.attribute` value, not imported."""

    name: str
    place: Place = field(default=Place(), compare=False)


@dataclass(frozen=True)
class PythonCall:
    """A `!!python/object/apply:module.callable` value (the result of calling it with `args`
    and `kwds`), neither imported nor called."""

    name: str
    args: tuple[Any, ...] = ()
    kwds: dict[str, Any] = field(default_factory=dict)
    place: Place = field(default=Place(), compare=False)


@dataclass(frozen=True)
class RefusedTag:
    """A Python tag the handbook will not pass on to the engine."""

    tag: str
    place: Place
    reason: str


NAME_TAG = "tag:yaml.org,2002:python/name:"
APPLY_TAG = "tag:yaml.org,2002:python/object/apply:"
SHORT = "tag:yaml.org,2002:"


def _place(loader: yaml.SafeLoader, node: yaml.Node) -> Place:
    mark = node.start_mark
    return Place(getattr(loader, "source_name", "mkdocs.yml"), mark.line + 1, mark.column + 1)


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonName:
    return PythonName(suffix, _place(loader, node))


def _python_call(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> PythonCall:
    """The three forms PyYAML reads: no arguments, a list of them, or `{args:, kwds:}`."""
    place = _place(loader, node)
    if isinstance(node, yaml.SequenceNode):
        return PythonCall(suffix, tuple(loader.construct_sequence(node, deep=True)), {}, place)
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        unknown = sorted(str(key) for key in value if key not in ("args", "kwds"))
        args, kwds = value.get("args") or [], value.get("kwds") or {}
        if unknown or not isinstance(args, list) or not isinstance(kwds, dict):
            problem = f"!!python/object/apply:{suffix} takes only `args` (a list) and `kwds`"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark)
        return PythonCall(suffix, tuple(args), {str(k): v for k, v in kwds.items()}, place)
    return PythonCall(suffix, (), {}, place)


def _other_python(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    tag = "!!" + str(node.tag).removeprefix(SHORT)
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"{tag} is never accepted in the handbook's configuration; only `!!python/name:` and "
        "`!!python/object/apply:` naming a documented function (or one listed in the "
        f"sms-handbook plugin's `{OPTION}` option) are",
        node.start_mark,
    )


def add_constructors(loader: type[yaml.SafeLoader]) -> None:
    loader.add_multi_constructor(NAME_TAG, _python_name)
    loader.add_multi_constructor(APPLY_TAG, _python_call)
    loader.add_multi_constructor(SHORT + "python/", _other_python)


def _represent_name(dumper: yaml.SafeDumper, value: PythonName) -> yaml.Node:
    return dumper.represent_scalar(NAME_TAG + value.name, "")


def _represent_call(dumper: yaml.SafeDumper, value: PythonCall) -> yaml.Node:
    arguments = {"args": list(value.args), "kwds": dict(value.kwds)}
    return dumper.represent_mapping(APPLY_TAG + value.name, arguments)


def add_representers(dumper: type[yaml.SafeDumper]) -> None:
    dumper.add_representer(PythonName, _represent_name)
    dumper.add_representer(PythonCall, _represent_call)


def documented_value(value: Any) -> Any:
    """What a tag naming a documented function gives MkDocs (the function, or for
    `!!python/object/apply:` its result), imported here; None for any other value, so that
    no function of the site's own is ever run outside the engine."""
    if not isinstance(value, (PythonName, PythonCall)) or value.name not in DOCUMENTED:
        return None
    module, _, attribute = value.name.rpartition(".")
    try:
        target = getattr(importlib.import_module(module), attribute)
        if isinstance(value, PythonCall):
            return target(*value.args, **value.kwds)
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    return target


def _tags(value: Any) -> Iterator[PythonName | PythonCall]:
    if isinstance(value, (PythonName, PythonCall)):
        yield value
        if isinstance(value, PythonCall):
            yield from _tags(list(value.args))
            yield from _tags(value.kwds)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tags(item)
    elif isinstance(value, list):
        for item in value:
            yield from _tags(item)


def refused_tags(config: dict[str, Any], allowed: tuple[str, ...] = ()) -> list[RefusedTag]:
    """Every Python tag in `config` (as `load_config` read it) that neither the documented
    list nor `allowed` (the plugin's `allow_python_names`) accepts."""
    refused = []
    for value in _tags(config):
        kind = "name" if isinstance(value, PythonName) else "object/apply"
        tag = f"!!python/{kind}:{value.name}"
        module = (value.name.rpartition(".")[0] or "builtins").split(".")[0]
        if module in FORBIDDEN_MODULES:
            reason = f"{tag} is never accepted: `{module}` can run programs or read files"
            refused.append(RefusedTag(tag, value.place, reason))
        elif value.name not in DOCUMENTED and value.name not in allowed:
            reason = (
                f"{tag} names a function the handbook does not know; if you trust it, list "
                f"`{value.name}` in the sms-handbook plugin's `{OPTION}` option"
            )
            refused.append(RefusedTag(tag, value.place, reason))
    return refused
