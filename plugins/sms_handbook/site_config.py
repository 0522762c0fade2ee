"""Read a site configuration (mkdocs.yml) faithfully, and write a derived one back.

Engines read `mkdocs.yml` with PyYAML's full loader, which imports whatever a
`!!python/name:` or `!!python/object/apply:` tag names. We never import or run anything while
reading: such a tag is kept as data (see python_tags.py), checked against an allow-list, and
written back as the same tag into the stage's configuration, so that the engine resolves it as
it would have. `!ENV` and `INHERIT` work as in MkDocs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .core.yaml_nodes import AbortError, Builder
from .python_tags import add_constructors, add_representers

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


@dataclass(frozen=True)
class RelativePath:
    """A `!relative` value (MkDocs: relative to the page's folder, or to a given folder)."""

    suffix: str


class ConfigError(Exception):
    """mkdocs.yml cannot be read; `line` and `column` are 1-based, when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]` as pyyaml-env-tag (MkDocs) reads it: the
    first variable set gives its text typed as one YAML scalar, never a document of its own."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        children, default = node.value, None
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV takes a name or a list of names", node.start_mark
        )
    for name in names:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _relative(loader: yaml.SafeLoader, node: yaml.Node) -> RelativePath:
    value = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else ""
    return RelativePath(str(value))


add_constructors(_Loader)
_Loader.add_constructor("!ENV", _env)
_Loader.add_constructor("!relative", _relative)


def find_config(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


MAX_CONFIG_BYTES = 2_000_000


def _check_bounded(root: yaml.Node | None, text: str, name: str) -> None:
    """Refuse a configuration whose aliases expand beyond the core loader's limits (an alias
    bomb, in values or in text) or whose values nest too deep: the core's own `Builder` walks
    the node graph with those limits. Only its limit errors count here; tags and duplicate
    keys keep MkDocs' meaning (the engine's loader reads them)."""
    if root is None:
        return
    builder = Builder(name, 0, len(text))
    try:
        builder.build(root)
    except AbortError:
        problem = builder.diagnostics[-1]
        raise ConfigError(problem.message, problem.line, problem.column) from None


def _read(text: str, name: str) -> Any:
    """The document in `text`: composed once, checked within the core's limits, then built
    with MkDocs' meaning of its tags."""
    loader = _Loader(text)
    loader.source_name = name  # type: ignore[attr-defined]  # for the places of Python tags
    try:
        root = loader.get_single_node()
        _check_bounded(root, text, name)
        return None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()


def load_config(path: Path) -> dict[str, Any]:
    """The configuration in `path`, with `INHERIT` merged as MkDocs merges it."""
    return load_config_and_parent(path)[0]


def load_config_and_parent(path: Path, _depth: int = 0) -> tuple[dict[str, Any], Path | None]:
    """The configuration in `path` (`INHERIT` merged) and the file its `INHERIT:` names, if it
    names one: the file is read once for both."""
    try:
        text = path.read_text(encoding="utf-8")
        if len(text) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path.name} is larger than {MAX_CONFIG_BYTES:,} bytes")
        loaded = _read(text, path.name)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ConfigError(str(error.problem), line, column) from None
    except RecursionError:
        raise ConfigError(f"{path.name}: values are nested too deep") from None
    except (yaml.YAMLError, OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"cannot read {path.name}: {error}") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path.name} is not a mapping of settings")
    parent = loaded.pop("INHERIT", None)
    if not isinstance(parent, str):
        return loaded, None
    if _depth > 10:
        raise ConfigError(f"{path.name}: INHERIT nests more than 10 files deep")
    parent_path = (path.parent / parent).resolve()
    base, _grandparent = load_config_and_parent(parent_path, _depth + 1)
    return _merge(base, loaded), parent_path


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class _Dumper(yaml.SafeDumper):
    pass


def _represent_relative(dumper: yaml.SafeDumper, value: RelativePath) -> yaml.Node:
    return dumper.represent_scalar("!relative", value.suffix)


add_representers(_Dumper)
_Dumper.add_representer(RelativePath, _represent_relative)


def dump_config(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def named_entries(value: Any) -> list[tuple[str, dict[str, Any]]]:
    """A `plugins:` or `markdown_extensions:` value as (name, options) pairs, whichever form
    (a list of names and one-key mappings, or one mapping) it was written in."""
    raw: list[Any]
    if isinstance(value, dict):
        raw = [{name: options} for name, options in value.items()]
    elif isinstance(value, list):
        raw = value
    else:
        raw = []
    entries: list[tuple[str, dict[str, Any]]] = []
    for entry in raw:
        if isinstance(entry, str):
            entries.append((entry, {}))
        elif isinstance(entry, dict) and len(entry) == 1:
            ((name, options),) = entry.items()
            entries.append((str(name), dict(options) if isinstance(options, dict) else {}))
    return entries
