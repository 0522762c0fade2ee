"""Every engine builds the example handbook from its stages; a direct build fails closed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.context import load_context
from sms_handbook.engines.mkdocs import MkDocsEngine
from sms_handbook.finish import FinishedInPlace, finish_site, page_marks
from sms_handbook.pipeline import stage_audience
from sms_handbook.stage.layout import StageLock
from sms_handbook.verify import hidden_pages, scan, secrets_for

from tests.conftest import example_copy, run_cli

pytestmark = pytest.mark.slow
ENGINES = ("mkdocs", "properdocs", "zensical")


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_builds_every_generated_page_and_verifies(engine: str, tmp_path: Path) -> None:
    root = example_copy(tmp_path / "example")
    result = run_cli("build", root, "--engine", engine)
    assert result.code == 0, result.output
    internal = root / "site" / "internal"
    for page in (
        "handbook/catalogue/index.html",
        "handbook/catalogue/svc-001/index.html",
        "handbook/registers/risks/index.html",
        "handbook/traceability/index.html",
        "handbook/reviews/index.html",
        "handbook/print/index.html",
        "handbook/export.json",
        "handbook/traceability.csv",
        "assets/sms-handbook/mermaid.min.js",
    ):
        assert (internal / page).is_file(), f"{engine}: {page} missing"
    risks = (internal / "handbook/registers/risks/index.html").read_text(encoding="utf-8")
    assert "sms-heatmap" in risks
    policy = (internal / "policies/service-management-policy/index.html").read_text("utf-8")
    assert 'class="sms-control"' in policy
    printed = (internal / "handbook/print/index.html").read_text(encoding="utf-8")
    assert printed.count('class="sms-print-document"') >= 40
    index = "search.json" if engine == "zensical" else "search/search_index.json"
    assert "Service management policy" in (internal / index).read_text(encoding="utf-8")
    catalogue = (internal / "handbook/catalogue/index.html").read_text(encoding="utf-8")
    assert 'class="mermaid"' in catalogue


def test_zensical_run_directly_on_the_repository_publishes_nothing_hidden(tmp_path: Path) -> None:
    """Zensical skips our plugin; the guard extension makes it refuse every page."""
    root = example_copy(tmp_path / "example")
    finished = subprocess.run(
        [sys.executable, "-m", "zensical", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode != 0
    assert "this page was not staged for an audience" in finished.stdout + finished.stderr
    context = load_context(root)
    view, hidden = context.view(context.settings.audiences[0])
    site = root / "site"
    assert not hidden_pages(site, hidden, "public")
    # The failed run's search.json, sitemap and 404 page list every page's path before the
    # guard stops it (README: residual risk of direct runs); no id, title or text of one.
    secrets = secrets_for(view, hidden)
    leaks = scan(site, secrets)
    assert {leak.file for leak in leaks} <= {"search.json", "sitemap.xml", "404.html"}
    assert all(leak.secret.is_path for leak in leaks)
    assert not scan(site, [secret for secret in secrets if not secret.is_path])


def test_the_mkdocs_engine_marks_each_page_as_it_writes_it(tmp_path: Path) -> None:
    """MkDocs runs in this process: the audience's marks go on every page as MkDocs writes
    it, the engine says which, and the finish step marks only the rest (404.html), so that
    it never reads the site's pages back; each page carries the marks once."""
    root = example_copy(tmp_path / "example")
    context = load_context(root)
    engine = MkDocsEngine()
    site = tmp_path / "site"
    view, _hidden = context.view("internal")
    marks = page_marks(view, [])
    with StageLock(root.resolve(), "internal"):
        stage = stage_audience(context, "internal", engine.hooks(), [site])
        result = engine.build(stage, site, True, marks)
        assert result.ok, result.error
        pages = {os.path.normpath(page) for page in site.rglob("*.html")}
        assert len(result.marked) > 50
        assert pages - result.marked == {os.path.normpath(site / "404.html")}
        for page in pages:
            expected = 1 if page in result.marked else 0
            assert Path(page).read_text(encoding="utf-8").count(marks.banner) == expected, page
        finish_site(site, stage, view, in_place=FinishedInPlace(marked=result.marked))
    for page in pages:
        text = Path(page).read_text(encoding="utf-8")
        assert text.count(marks.banner) == 1, page
        assert text.count(marks.meta) == 1, page


def test_a_public_build_after_a_restricted_one_in_one_process_carries_no_marks(
    tmp_path: Path,
) -> None:
    """MkDocs loads a hook file once a process: a public build after a restricted one, in the
    same process, took the restricted banner and noindex onto every public page."""
    root = example_copy(tmp_path / "example")
    context = load_context(root)
    engine = MkDocsEngine()
    for audience in ("restricted", "public"):
        site = tmp_path / audience
        view, _hidden = context.view(audience)
        with StageLock(root.resolve(), audience):
            stage = stage_audience(context, audience, engine.hooks(), [site])
            result = engine.build(stage, site, True, page_marks(view, []))
            assert result.ok, result.error
            finish_site(site, stage, view, in_place=FinishedInPlace(marked=result.marked))
    restricted = (tmp_path / "restricted" / "index.html").read_text(encoding="utf-8")
    assert "sms-audience-banner" in restricted and "noindex" in restricted
    public_pages = list((tmp_path / "public").rglob("*.html"))
    assert len(public_pages) > 10
    for page in public_pages:
        text = page.read_text(encoding="utf-8")
        assert "sms-audience-banner" not in text and "noindex" not in text, page
