"""A long-lived process (the preview) keeps each audience's scoped front matter between its
loads (core/scope.py): a page is scoped again when its front matter, or what it is scoped
against, changed. The views must equal views made afresh."""

from __future__ import annotations

from pathlib import Path

from sms_handbook.context import load_context
from sms_handbook.core.build import LoadCache
from sms_handbook.core.model import RESTRICTED
from sms_handbook.core.scope import scope_to_audience

from tests.conftest import Handbook, copy_fixture

POLICY = "docs/policies/service-management-policy.md"
PLAN = "---\nid: PLN-001\ntitle: Continuity plan\nclassification: {level}\n---\n\n# Plan\n"


def _related(cache: LoadCache, root: Path) -> object:
    """The public view's `related` of the policy, checked against a view made afresh."""
    context = load_context(root, cache=cache)
    view = context.view("public")[0]
    fresh = scope_to_audience(context.handbook, "public")[0]
    assert [d.meta for d in view.documents] == [d.meta for d in fresh.documents]
    return next(d for d in view.documents if d.id == "POL-001").meta.get("related")


def _handbook(tmp_path: Path) -> Handbook:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    handbook.replace(POLICY, "type: policy\n", "type: policy\nclassification: public\n")
    handbook.replace(POLICY, "services: [SVC-001]\n", "services: [SVC-001]\nrelated: [PLN-001]\n")
    handbook.write("docs/plan.md", PLAN.format(level="public"))
    return handbook


def test_another_audiences_view_follows_a_classification_change(tmp_path: Path) -> None:
    """The policy is unchanged; the plan it names is raised above the public audience: the
    public view's policy no longer names it."""
    handbook = _handbook(tmp_path)
    cache = LoadCache()
    assert _related(cache, handbook.root) == ["PLN-001"]
    handbook.replace(POLICY, "We deliver", "Each save: we deliver")  # a body edit
    assert _related(cache, handbook.root) == ["PLN-001"]
    handbook.write("docs/plan.md", PLAN.format(level="internal"))
    assert _related(cache, handbook.root) == [RESTRICTED]
    handbook.write("docs/plan.md", PLAN.format(level="public"))
    assert _related(cache, handbook.root) == ["PLN-001"]


def test_another_audiences_view_follows_a_front_matter_edit(tmp_path: Path) -> None:
    handbook = _handbook(tmp_path)
    handbook.write("docs/secret.md", PLAN.format(level="internal").replace("PLN", "SEC"))
    cache = LoadCache()
    assert _related(cache, handbook.root) == ["PLN-001"]
    handbook.replace(POLICY, "related: [PLN-001]", "related: [PLN-001, SEC-001]")
    assert _related(cache, handbook.root) == ["PLN-001", RESTRICTED]
