"""An emoji generator that loads nothing from a third party (used while `allow_third_party`
is false): icons of the theme inline as SVG (as Material's generator does), emoji as the
Unicode characters themselves, where Material's and pymdownx's generators would write an
image from a CDN.

The stage's configuration names it in place of a generator that would go online; the engine
imports it like any generator named with `!!python/name:`.
"""

from __future__ import annotations

from typing import Any

from pymdownx import emoji


def to_svg(
    index: str,
    shortname: str,
    alias: str,
    uc: str | None,
    alt: str,
    title: str,
    category: str,
    options: dict[str, Any],
    md: Any,
) -> Any:
    if uc:  # an emoji: its character, in a span with the index's class for styling
        return emoji.to_alt(index, shortname, alias, uc, alt, title, category, options, md)
    from material.extensions.emoji import to_svg as material_svg  # an icon of the theme

    return material_svg(index, shortname, alias, uc, alt, title, category, options, md)
