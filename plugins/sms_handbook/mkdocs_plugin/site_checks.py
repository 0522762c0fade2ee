"""The sites `mkdocs build` wrote, verified once, when its outermost build has ended.

mkdocs-static-i18n builds each further language by running MkDocs' build again from inside
the first build's `on_post_build`, into the same site folder, and writes the languages' merged
search index after the last of them; other plugins write files after this one finished a build
too. So a finished build only joins the sites still to verify, and they are verified when the
build that began first ends, after every plugin: each file of every language is read once, the
last written among them. A build that fails has the sites finished before it verified all the
same (README, Staged builds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..context import HandbookContext


@dataclass(frozen=True)
class FinishedSite:
    """A site folder a build finished for an audience, and the context it was built from."""

    site_dir: Path
    audience: str
    context: HandbookContext


@dataclass
class PendingSites:
    """The builds begun and not ended, and the sites finished and not verified yet."""

    open_builds: int = 0
    sites: dict[tuple[Path, str], FinishedSite] = field(default_factory=dict)

    def begin(self) -> None:
        self.open_builds += 1

    def finished(self, site: FinishedSite) -> None:
        """A build finished `site`: what a later build writes there is verified with it."""
        self.sites[(site.site_dir, site.audience)] = site

    def end(self) -> list[FinishedSite]:
        """A build ended: the sites to verify now, none while a build that began earlier (the
        one running mkdocs-static-i18n's further languages) is still going on."""
        self.open_builds = max(0, self.open_builds - 1)
        return self.take() if self.open_builds == 0 else []

    def take(self) -> list[FinishedSite]:
        """Every site still to verify (a build failed: no later build will write there)."""
        sites = list(self.sites.values())
        self.sites.clear()
        self.open_builds = 0
        return sites
