"""The theme's templates compiled once for the whole preview, not once per save.

MkDocs makes a new Jinja environment for each build, so every save compiles the theme's
templates again (Material's: about forty, a good part of a body edit's rebuild). The preview's
server keeps their compiled code in memory between builds; Jinja checks each template's source
against the checksum it was compiled from, so an edited override is compiled again. Code
compiled under other environment settings (another theme's extensions, delimiters) is kept
apart.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BytecodeCache, Environment
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
