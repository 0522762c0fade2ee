"""The audience object: every question about what an audience sees, as golden cases, and the
one rule for what customers see, followed by every page and export that lists services."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from sms_handbook.context import load_context
from sms_handbook.core.audience import Audience, less_restricted, most_restricted, stricter
from sms_handbook.core.settings import Settings
from sms_handbook.render.catalogue import render_catalogue
from sms_handbook.render.export import export_json
from sms_handbook.render.links import LinkMap
from sms_handbook.render.registers import render_register

from tests.conftest import example_copy, run_cli

DEFAULT = Settings()
FOUR = Settings(audiences=("customers", "staff", "board", "auditors"), audience="staff")

# audience -> (is_public, sees_everything, history_detail, sees_staff_pages)
QUESTIONS = [
    (DEFAULT, "public", (True, False, "minimal", False)),
    (DEFAULT, "internal", (False, False, "authors", True)),
    (DEFAULT, "restricted", (False, True, "full", True)),
    (FOUR, "customers", (True, False, "minimal", False)),
    (FOUR, "staff", (False, False, "authors", False)),  # unmarked items are `internal`...
    (FOUR, "board", (False, False, "authors", False)),  # ...which FOUR does not name
    (FOUR, "auditors", (False, True, "full", False)),
]


@pytest.mark.parametrize(("settings", "name", "answers"), QUESTIONS)
def test_each_audience_answers_its_questions(
    settings: Settings, name: str, answers: tuple[bool, bool, str, bool]
) -> None:
    audience = Audience(settings, name)
    found = (
        audience.is_public,
        audience.sees_everything,
        audience.history_detail,
        audience.sees_staff_pages,
    )
    assert found == answers


def test_an_audience_sees_its_level_and_below_and_nothing_unknown() -> None:
    internal = Audience(DEFAULT, "internal")
    assert [internal.sees(c) for c in ("public", "internal", "restricted", "secret")] == [
        True,
        True,
        False,
        False,  # an unknown classification ranks above every audience: fail closed
    ]
    assert Audience(DEFAULT, "restricted").sees("secret") is False


def test_the_order_functions_of_the_classification_rules() -> None:
    assert most_restricted(FOUR) == "auditors"
    assert stricter(FOUR, "staff", "board") == "board"
    assert stricter(FOUR, "board", "staff") == "board"
    assert less_restricted(FOUR, "customers", than="staff")
    assert not less_restricted(FOUR, "staff", than="staff")


ATTACHMENTS = {"files/*.pdf": "restricted", "public/*": "public"}
CHROME = {"assets/logo.png"}


@pytest.mark.parametrize(
    ("src_uri", "public", "internal", "restricted"),
    [
        ("files/report.pdf", False, False, True),  # the first matching pattern classifies
        ("public/brochure.pdf", True, True, True),
        ("assets/logo.png", True, True, True),  # the site's own chrome is public
        ("other/notes.txt", False, True, True),  # anything else is unmarked (internal)
    ],
)
def test_attachments_are_classified_by_pattern_chrome_or_default(
    src_uri: str, public: bool, internal: bool, restricted: bool
) -> None:
    found = [
        Audience(DEFAULT, a).attachment_visible(src_uri, ATTACHMENTS, CHROME)
        for a in ("public", "internal", "restricted")
    ]
    assert found == [public, internal, restricted]


@pytest.fixture(scope="module")
def public_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with its pipeline service SVC-007 classified public (staff still see it
    in the pipeline; customers must not)."""
    root = example_copy(tmp_path_factory.mktemp("pipeline") / "handbook")
    services = root / "registers/services.yaml"
    text = services.read_text(encoding="utf-8")
    start = text.index("  - id: SVC-007")
    end = text.index("  - id: SVC-008")
    record = text[start:end].replace("    classification: internal\n", "")
    services.write_text(text[:start] + record + text[end:], encoding="utf-8")
    return root


def test_customers_see_live_services_only_in_every_listing(public_pipeline: Path) -> None:
    context = load_context(public_pipeline)
    public, hidden = context.view("public")
    internal, _ = context.view("internal")
    assert "SVC-007" in {r.id for r in internal.registers["services"].records}
    assert "SVC-007" not in {r.id for r in public.registers["services"].records}
    assert "SVC-007" in {record.id for _register, record in hidden.records}
    links = LinkMap({})
    today = datetime.date(2026, 12, 7)
    listings = {
        "catalogue": render_catalogue(public, links),
        "services register page": render_register(
            public, links, public.registers["services"], today
        ).markdown,
        "export": export_json(public, context.assessment("public")),
    }
    for name, text in listings.items():
        assert "Service desk" in text, name  # a live service (SVC-001) is listed
        assert "SVC-007" not in text, name
        assert "Security operations monitoring" not in text, name
    exported = run_cli("export", public_pipeline, "--audience", "public")
    assert exported.code == 0, exported.output
    ids = {r["id"] for r in json.loads(exported.out)["registers"]["services"]["records"]}
    assert "SVC-001" in ids
    assert "SVC-007" not in ids
