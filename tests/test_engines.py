"""Every engine builds the example handbook from its stages; a direct build fails closed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sms_handbook.context import load_context
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
