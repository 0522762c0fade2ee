"""One audience through the pipeline: scope -> stage -> engine -> finish.

`sms-handbook build` runs this for each audience (then verifies and publishes); the MkDocs
plugin runs the stage step itself and lets MkDocs be the engine.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import gitrepo
from .context import HandbookContext
from .core.build import build_handbook
from .engines import Engine
from .finish import FinishedInPlace, finish_site, page_marks
from .site_warnings import has_home_page
from .stage.build import write_stage
from .stage.layout import StageLock, in_author_terms
from .stage.request import Stage, StageRequest

if TYPE_CHECKING:
    from .core.changes import Changes


def changes_since(
    context: HandbookContext, audience: str, base: str, release: str = ""
) -> tuple[tuple[Changes, str] | None, str | None]:
    """(changes of the audience's view since git revision `base`, what the page calls it:
    the `release` when `base` is one, else the revision) or (None, why not)."""
    from .core.changes import compare, views_to_compare  # (only with `compare_with`)

    try:
        with tempfile.TemporaryDirectory(prefix="sms-compare-") as folder:
            old_root = gitrepo.export_tree(context.root, base, Path(folder))
            old = build_handbook(old_root, context.settings).handbook
    except gitrepo.GitError as error:
        return None, f"cannot compare with '{base}': {error}"
    old_view, new_view, withdrawn = views_to_compare(old, context.handbook, audience)
    label = f"release {release}" if release else base
    return (compare(old_view, new_view, context.today, withdrawn), label), None


def stage_audience(
    context: HandbookContext,
    audience: str,
    hooks: list[str],
    site_dirs: list[Path],
    *,
    beside_engine: bool = False,
    preview: bool = False,
    hold_back: bool = False,
    proof: str = "",
) -> Stage:
    """Write the stage of one audience; `hooks` are the engine's (see Engine.hooks). With
    `beside_engine`, a worker may still be writing the generated pages when this returns:
    call `Stage.complete()` before the engine reads them (the MkDocs plugin does). A
    `preview`'s first step of a save may `hold_back` the pages that read every fact."""
    view, hidden = context.view(audience)
    options = context.options
    changes = None
    warnings = []
    base = os.environ.get("SMS_COMPARE_WITH") or options.compare_with
    if base:
        release = (
            os.environ.get("SMS_COMPARE_NAME", "") if os.environ.get("SMS_COMPARE_WITH") else ""
        )
        changes, problem = changes_since(context, audience, base, release)
        if problem:
            warnings.append(problem)
    site_config = dict(context.site_config)
    group = options.nav_group_size
    if group > 0:
        extra = dict(site_config.get("extra") or {})
        extra["sms_nav_group_size"] = group
        site_config["extra"] = extra
    request = StageRequest(
        root=context.root.resolve(),
        config=site_config,
        options=context.options,
        view=view,
        hidden=hidden,
        today=context.today,
        history=context.history,
        changes=changes,
        hooks=hooks,
        refused_dirs=[path.resolve() for path in site_dirs],
        assessment=context.assessment(audience),
        beside_engine=beside_engine,
        reuse=preview,
        hold_back=preview and hold_back,
        proof=proof,
    )
    stage = write_stage(request)
    if not has_home_page(stage.urls):
        warnings.append(
            f"the {audience} site has no home page: no index.md at the top of docs/ is visible "
            f"to the {audience} audience, so the site's address answers 404; classify the home "
            "page for this audience or add one that is"
        )
    stage.warnings[:0] = warnings
    return stage


@dataclass
class AudienceOutcome:
    audience: str
    ok: bool
    seconds: float
    stage_seconds: float = 0.0
    log: list[str] = field(default_factory=list)
    error: str | None = None


def build_audience(
    context: HandbookContext,
    audience: str,
    engine: Engine,
    site_dir: Path,
    strict: bool,
    site_dirs: list[Path],
) -> AudienceOutcome:
    """Stage, build and finish one audience's site into `site_dir`."""
    started = time.monotonic()
    with StageLock(context.root.resolve(), audience):
        stage = stage_audience(context, audience, engine.hooks(), site_dirs)
        log = [f"INFO    -  {stage.summary()}"]
        log += [f"INFO    -  note: {note}" for note in stage.notes]
        log += [f"WARNING -  {warning}" for warning in stage.warnings]

        def outcome(error: str | None = None) -> AudienceOutcome:
            seconds = time.monotonic() - started
            return AudienceOutcome(audience, error is None, seconds, stage.seconds, log, error)

        if strict and stage.warnings:
            count = len(stage.warnings)
            return outcome(f"Aborted with {count} warning(s) while staging, in strict mode")
        view, _hidden = context.view(audience)
        result = engine.build(stage, site_dir, strict, page_marks(view, []))
        docs = context.settings.docs_dir
        log += [in_author_terms(line, stage.root, docs) for line in result.log]
        if not result.ok:
            return outcome(in_author_terms(result.error or "the engine failed", stage.root, docs))
        finish_site(site_dir, stage, view, in_place=FinishedInPlace(marked=result.marked))
        return outcome()
