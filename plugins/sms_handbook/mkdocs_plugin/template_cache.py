"""The theme's templates compiled once for the whole preview, not once per save.

MkDocs makes a new Jinja environment for each build, so every save compiles the theme's
templates again (Material's: about forty, a good part of a body edit's rebuild). The preview's
server keeps their compiled code in memory between builds; Jinja checks each template's source
against the checksum it was compiled from, so an edited override is compiled again. Code
compiled under other environment settings (another theme's extensions, delimiters) is kept
apart.
"""

from __future__ import annotations

import os
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Compiled templates by environment settings and template (in this process only)."""

    def __init__(self) -> None:
        self.compiled: dict[tuple[str, str], bytes] = {}
        self.settings = ""

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get((self.settings, bucket.key))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[(self.settings, bucket.key)] = bucket.bytecode_to_string()

    def serve(self, env: Environment, theme_dirs: list[str]) -> None:
        """`env` (a new build's) compiles each template once, then reuses it."""
        self.settings = repr((theme_dirs, *_compiled_with(env)))
        env.bytecode_cache = self


def _compiled_with(env: Environment) -> tuple[Any, ...]:
    """The settings of `env` that change the code a template compiles to."""
    return (
        sorted(env.extensions),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.finalize is not None,
        env.autoescape if isinstance(env.autoescape, bool) else "function",
    )


class ThemeFiles:
    """The names of the theme's files, listed once for the preview while its folders stay as
    they were. MkDocs lists every file of the theme on each build to copy its assets
    (Material's: some fourteen thousand, icons included); a file added, removed or renamed
    changes the time of its folder, and a folder added that of its parent, so the list is
    made again when any folder's time changed."""

    def __init__(self) -> None:
        self.dirs: tuple[str, ...] = ()
        self.folders: dict[str, int] = {}  # every folder of the theme, by its change time
        self.names: list[str] = []

    def serve(self, theme: Any) -> None:
        """Each Jinja environment `theme` makes from now on lists its files from here."""
        make = theme.get_env

        def get_env() -> Environment:
            env = make()
            loader = env.loader
            if type(loader) is FileSystemLoader:  # (not a subclass: it may list otherwise)
                listed = _Listed(loader.searchpath, loader.encoding, loader.followlinks)
                listed.kept = self
                env.loader = listed
            return env

        theme.get_env = get_env

    def listed(self, loader: FileSystemLoader) -> list[str]:
        """`FileSystemLoader.list_templates`, kept between builds."""
        dirs = tuple(loader.searchpath)
        if dirs != self.dirs or any(_changed(*item) for item in self.folders.items()):
            # the times first: a change made while listing is seen by the next build
            walked = (os.walk(top, followlinks=loader.followlinks) for top in dirs)
            self.folders = {here: _time(here) for found in walked for here, _, _ in found}
            self.names = FileSystemLoader.list_templates(loader)
            self.dirs = dirs
        return list(self.names)


class _Listed(FileSystemLoader):
    """MkDocs' loader of the theme, its listing of files kept by a `ThemeFiles`."""

    kept: ThemeFiles | None = None

    def list_templates(self) -> list[str]:
        if self.kept is None:
            return super().list_templates()
        return self.kept.listed(self)


def _time(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


def _changed(folder: str, seen: int) -> bool:
    return _time(folder) != seen
