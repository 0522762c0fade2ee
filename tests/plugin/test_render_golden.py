"""Golden tests: each renderer, from the minimal handbook's model to its exact output.

After an intended change of output, rewrite the expected files with
`UPDATE_GOLDEN=1 ./dev test tests/plugin/test_render_golden.py` and review the diff.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sms_handbook.core.build import build_handbook
from sms_handbook.core.conformity import assess
from sms_handbook.core.coverage import compute_coverage
from sms_handbook.core.model import Handbook
from sms_handbook.core.review import review_items
from sms_handbook.core.scope import scope_to_audience
from sms_handbook.render.catalogue import render_catalogue, render_service
from sms_handbook.render.control_block import render_control_block
from sms_handbook.render.export import export_json
from sms_handbook.render.links import LinkMap
from sms_handbook.render.registers import render_register
from sms_handbook.render.review_status import render_reviews
from sms_handbook.render.search import RenderedPage
from sms_handbook.render.traceability import coverage_csv, render_traceability
from sms_handbook.stage.generated import build_link_map, render_overview

from tests.conftest import FIXTURES

GOLDEN = Path(__file__).parents[1] / "golden" / "render"
TODAY = datetime.date(2026, 11, 27)
PAGES = {
    "page:catalogue": "handbook/catalogue/",
    "service:SVC-001": "handbook/catalogue/svc-001/",
    "service:SVC-002": "handbook/catalogue/svc-002/",
    "page:traceability": "handbook/traceability/",
    "page:reviews": "handbook/reviews/",
    "page:overview": "handbook/",
    "export:json": "handbook/export.json",
    "export:csv": "handbook/traceability.csv",
    **{
        f"page:register:{n}": f"handbook/registers/{n}/"
        for n in ("services", "risks", "suppliers", "improvements", "roles")
    },
}


def search_json(page: RenderedPage) -> str:
    return json.dumps([e.as_json() for e in page.search], indent=1, ensure_ascii=False) + "\n"


def view(audience: str) -> Handbook:
    return scope_to_audience(build_handbook(FIXTURES / "minimal").handbook, audience)[0]


def links_for(handbook: Handbook, page: str) -> LinkMap:
    documents = {d.src_uri: d.src_uri.removesuffix(".md") + "/" for d in handbook.documents}
    documents["index.md"] = ""
    pages = {
        k: v
        for k, v in PAGES.items()
        if not k.startswith("service:") or k[8:] in {r.id for _g, r in handbook.records()}
    }
    return build_link_map(handbook, documents, pages).at(page)


def internal() -> Handbook:
    return view("internal")


CASES: dict[str, Callable[[], str]] = {
    "catalogue-internal.md": lambda: render_catalogue(
        internal(), links_for(internal(), "handbook/catalogue/")
    ),
    "catalogue-public.md": lambda: render_catalogue(
        view("public"), links_for(view("public"), "handbook/catalogue/")
    ),
    "service-svc-002-internal.md": lambda: render_service(
        internal(),
        links_for(internal(), "handbook/catalogue/svc-002/"),
        internal().registers["services"],
        internal().registers["services"].records[1],
    ),
    "service-svc-002-public.md": lambda: render_service(
        view("public"),
        links_for(view("public"), "handbook/catalogue/svc-002/"),
        view("public").registers["services"],
        view("public").registers["services"].records[1],
    ),
    "register-risks.md": lambda: (
        render_register(
            internal(),
            links_for(internal(), "handbook/registers/risks/"),
            internal().registers["risks"],
            TODAY,
        ).markdown
    ),
    "register-risks-search.json": lambda: search_json(
        render_register(
            internal(),
            links_for(internal(), "handbook/registers/risks/"),
            internal().registers["risks"],
            TODAY,
        )
    ),
    "traceability-search.json": lambda: search_json(
        render_traceability(
            internal(),
            links_for(internal(), "handbook/traceability/"),
            compute_coverage(internal()),
            assess(internal(), TODAY),
        )
    ),
    "reviews-search.json": lambda: search_json(
        render_reviews(
            internal(),
            links_for(internal(), "handbook/reviews/"),
            review_items(internal(), TODAY),
            TODAY,
        )
    ),
    "traceability.md": lambda: (
        render_traceability(
            internal(),
            links_for(internal(), "handbook/traceability/"),
            compute_coverage(internal()),
            assess(internal(), TODAY),
        ).markdown
    ),
    "reviews.md": lambda: (
        render_reviews(
            internal(),
            links_for(internal(), "handbook/reviews/"),
            review_items(internal(), TODAY),
            TODAY,
        ).markdown
    ),
    "overview.md": lambda: render_overview(
        internal(), links_for(internal(), "handbook/"), TODAY, assess(internal(), TODAY)
    ),
    "control-block-pol-001.html": lambda: render_control_block(
        internal(),
        links_for(internal(), "policies/service-management-policy/"),
        internal().controlled_documents[0],
        TODAY,
    ),
    "export-public.json": lambda: export_json(
        view("public"), assess(view("public"), TODAY)
    ).replace("sms-handbook 0.1.0", "sms-handbook VERSION"),
    "traceability.csv": lambda: coverage_csv(assess(internal(), TODAY)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_renderer_output_matches_golden_file(name: str) -> None:
    actual = CASES[name]()
    expected_file = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"missing golden file {expected_file}; run with UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


def test_the_review_dashboard_names_each_kind_in_the_singular() -> None:
    import re

    markdown = CASES["reviews.md"]()
    kinds = set(re.findall(r"</a></td><td>([a-z -]+)</td>", markdown))
    assert {"document", "register", "supplier", "risk", "improvement"} <= kinds, kinds
    assert not kinds & {"suppliers", "risks", "improvements"}, kinds


def test_traceability_tables_list_documents_in_id_order(tmp_path: Path) -> None:
    import re
    import shutil

    from tests.conftest import controlled

    root = tmp_path / "handbook"
    shutil.copytree(FIXTURES / "minimal", root)
    for name, doc_id in (("a-first-file.md", "POL-010"), ("b-second-file.md", "POL-002")):
        text = controlled(doc_id, f"Policy {doc_id}", "policy", "draft", ["5.2.1"])
        (root / "docs" / name).write_text(text, encoding="utf-8")
    handbook = build_handbook(root).handbook
    page = render_traceability(
        handbook, LinkMap({}), compute_coverage(handbook), assess(handbook, TODAY)
    ).markdown
    row = page[page.index('id="clause-5-2-1"') :].split("</tr>", 1)[0]
    assert re.findall(r"POL-\d+", row) == ["POL-001", "POL-002", "POL-010"], row
    table = page[page.index("by-document") :]
    assert list(dict.fromkeys(re.findall(r"POL-\d+", table))) == ["POL-001", "POL-002", "POL-010"]


def test_compiled_templates_are_kept_where_only_this_user_may_read_them() -> None:
    """Our templates are compiled once and kept between builds, in Jinja's folder of the
    temporary directory: this user's, and no one else's."""
    import stat

    from jinja2 import FileSystemBytecodeCache
    from sms_handbook.render.html import environment

    cache = environment().bytecode_cache
    assert isinstance(cache, FileSystemBytecodeCache)
    folder = os.lstat(cache.directory)
    assert stat.S_ISDIR(folder.st_mode)
    assert folder.st_uid == os.getuid()
    assert stat.S_IMODE(folder.st_mode) == 0o700


def test_templates_are_compiled_each_time_where_that_folder_is_not_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link where Jinja's folder belongs (it could lead to a folder another user writes):
    no cache, and the page still renders."""
    import tempfile

    from sms_handbook.render.html import _compiled_templates

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / f"_jinja2-cache-{os.getuid()}").symlink_to(elsewhere)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert _compiled_templates() is None
    assert list(elsewhere.iterdir()) == []
