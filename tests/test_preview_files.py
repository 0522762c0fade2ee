"""The live preview checks the files it writes besides its pages (the export, attachments,
the search index, the sitemap): a real server on 127.0.0.1, real edits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.test_messages import MESSAGES
from tests.test_preview import Preview, start

pytestmark = pytest.mark.slow
HIDDEN_TITLE = "Datacentre flood recovery runbook"
EXPORT = "handbook/export.json"


@pytest.fixture
def internal(tmp_path: Path) -> Iterator[Preview]:
    preview = start(tmp_path, "internal")
    served = next(preview)
    served.handbook.write(
        "docs/runbooks/flood.md",
        f"---\ntitle: {HIDDEN_TITLE}\nclassification: restricted\n---\n\nMove the tapes.\n",
    )
    yield served
    next(preview, None)


def test_a_hidden_title_that_reaches_the_export_is_not_served(internal: Preview) -> None:
    """The internal register page shows `description`, the export every field of the header:
    a hidden title in `public_description` passes the page's check, not the export's."""
    assert json.loads(internal.page(EXPORT))["audience"] == "internal"
    internal.handbook.replace(
        "registers/services.yaml",
        "title: Service register\n",
        f"title: Service register\npublic_description: Unlike the {HIDDEN_TITLE}.\n",
    )
    internal.wait(lambda: "SMS715" in internal.page(EXPORT), "the export refused")
    export = internal.page(EXPORT)
    assert HIDDEN_TITLE.lower() not in export.lower()
    problem = json.loads(export)["not_served"]
    assert problem.startswith("registers/services.yaml:3:32: SMS715: handbook/export.json ")
    assert "sms-problems-banner" in internal.page()
    assert "registers/services.yaml:3:32: SMS715" in internal.page()
    assert "SMS711" not in internal.page("handbook/registers/services/")  # the page passes
    assert MESSAGES["SMS715"] in internal.log.read_text()
    internal.handbook.replace("registers/services.yaml", f"the {HIDDEN_TITLE}", "the others")
    internal.wait(lambda: "SMS715" not in internal.page(EXPORT), "the export served again")
    header = json.loads(internal.page(EXPORT))["registers"]["services"]["header"]
    assert header["public_description"] == "Unlike the others."
    assert "sms-problems-banner" not in internal.page()


def test_an_attachment_naming_a_hidden_title_is_not_served(internal: Preview) -> None:
    internal.handbook.write("docs/notes.txt", "Nothing to see.\n")
    internal.wait(lambda: internal.status("notes.txt") == 200, "the attachment")
    internal.handbook.write("docs/notes.txt", f"Nothing to see.\nUnless {HIDDEN_TITLE}.\n")
    internal.wait(lambda: "SMS715" in internal.page("notes.txt"), "the attachment refused")
    assert HIDDEN_TITLE not in internal.page("notes.txt")
    assert internal.page("notes.txt").startswith("Not served: docs/notes.txt:2:8: SMS715: ")
    assert "docs/notes.txt:2:8: SMS715" in internal.page()
