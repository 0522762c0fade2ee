"""The preview's body-only saves: a real server on 127.0.0.1, real edits.

A save that changes only the body of a page the preview shows stages that page again into the
kept stage, without loading or staging the handbook (the server says so in its log, one line
per save); the page is checked as a full save checks it (a hidden title or id, a link to a
hidden page, a broken link), and anything else (front matter, a new file) takes the full path.
The server is `mkdocs serve --dirty` with the plugin (the preview `sms-handbook serve` runs),
whose log shows the plugin's information lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_fixture
from tests.test_preview import POLICY, Preview, nav_links
from tests.test_serve import free_port, running

pytestmark = pytest.mark.slow
POLICY_FILE = "docs/policies/service-management-policy.md"
BODY_ONLY = "body-only save: staged"


def body_only_saves(preview: Preview) -> list[str]:
    return [line for line in preview.log.read_text().splitlines() if BODY_ONLY in line]


def full_saves(preview: Preview) -> int:
    """Stage lines: every build that loaded and staged the handbook logs one."""
    return sum(
        "stage " in line and " files written" in line
        for line in preview.log.read_text().splitlines()
    )


def start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audience: str, snippets: bool = False
) -> Iterator[Preview]:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    if snippets:  # pymdownx.snippets reading docs/
        extension = "  - tables\n  - pymdownx.snippets:\n      base_path: [docs]\n"
        handbook.replace("mkdocs.yml", "  - tables\n", extension)
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    monkeypatch.setenv("SMS_AUDIENCE", audience)
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", address]
    with running(command, handbook.root, log) as server:
        preview = Preview(handbook, f"http://{address}/", server, log)
        preview.wait(lambda: "<html" in preview.page(), "the first build")
        yield preview


@pytest.fixture
def internal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    yield from start(tmp_path, monkeypatch, "internal")


@pytest.fixture
def public(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    yield from start(tmp_path, monkeypatch, "public")


def test_a_body_edit_takes_the_body_only_path(internal: Preview) -> None:
    full = full_saves(internal)
    for number in (1, 2):
        internal.handbook.replace(POLICY_FILE, "We deliver", f"MARKBODY{number} We deliver")
        internal.wait(lambda n=number: f"MARKBODY{n}" in internal.page(POLICY), "the edit")
        internal.wait(lambda n=number: len(body_only_saves(internal)) == n, "the log line")
        assert "policies/service-management-policy.md" in body_only_saves(internal)[-1]
        internal.wait(lambda n=number: f"MARKBODY{n}" in internal.page("handbook/print/"), "print")
        assert f"MARKBODY{number}" in internal.search_text()
    assert full_saves(internal) == full  # nothing loaded or staged again


def test_front_matter_edits_and_new_files_take_the_full_path(internal: Preview) -> None:
    internal.handbook.replace(POLICY_FILE, "We deliver", "MARKBODY We deliver")
    internal.wait(lambda: len(body_only_saves(internal)) == 1, "a body-only save")
    full = full_saves(internal)
    internal.handbook.replace(POLICY_FILE, 'version: "1.0"', 'version: "1.1"')
    internal.wait(lambda: full_saves(internal) > full, "a full save for the front matter")
    internal.wait(lambda: "1.1" in internal.page(POLICY), "the new version")
    full = full_saves(internal)
    other = "---\nclassification: internal\n---\n\n# Other page\n\nText.\n"
    internal.handbook.write("docs/policies/other.md", other)
    internal.wait(lambda: internal.status("policies/other/") == 200, "the new page")
    assert full_saves(internal) > full
    # the first heading is the title of a page without one in its front matter
    internal.wait(lambda: "Other page" in internal.page(POLICY), "its heading in the navigation")
    internal.handbook.replace("docs/policies/other.md", "# Other page", "# MARKHEAD")
    internal.wait(lambda: "MARKHEAD" in internal.page(POLICY), "the heading in the navigation")
    assert len(body_only_saves(internal)) == 1


def test_a_hidden_title_or_id_typed_into_a_body_is_not_served(public: Preview) -> None:
    public.handbook.replace("docs/index.md", "Welcome.", "Welcome MARKWARM.")
    public.wait(lambda: "MARKWARM" in public.page(), "a first body-only save")
    public.handbook.replace("docs/index.md", "MARKWARM.", "MARKWARM. Service management policy.")
    public.wait(lambda: "SMS711" in public.page(), "the page refused")
    assert len(body_only_saves(public)) == 2
    assert "Service management policy" not in public.page()
    assert "Service management policy" not in public.search_text()
    public.handbook.replace("docs/index.md", "Service management policy.", "See POL-001.")
    public.wait(lambda: "shows the id of an item" in public.page(), "the page refused")
    assert len(body_only_saves(public)) == 3
    assert "POL-001" not in public.page()
    assert "POL-001" not in public.search_text()
    public.handbook.replace("docs/index.md", " See POL-001.", "")
    public.wait(lambda: "MARKWARM" in public.page(), "the page served again")
    assert "SMS711" not in public.page()


def test_a_link_to_a_hidden_page_typed_into_a_body_is_caught(public: Preview) -> None:
    public.handbook.replace("docs/index.md", "Welcome.", "Welcome MARKWARM.")
    public.wait(lambda: "MARKWARM" in public.page(), "a first body-only save")
    public.handbook.replace(
        "docs/index.md",
        "MARKWARM.",
        "MARKLINK [our policy](policies/service-management-policy.md).",
    )
    public.wait(lambda: "MARKLINK" in public.page(), "the edit")
    page = public.page()
    assert not any("service-management-policy" in href for href in nav_links(page))
    assert "SMS310" in page  # the banner names the link
    assert "Service management policy" not in page
    assert len(body_only_saves(public)) == 2


def test_the_banner_follows_problems_a_body_edit_brings_and_removes(internal: Preview) -> None:
    assert "sms-problems-banner" not in internal.page(POLICY)
    internal.handbook.replace(POLICY_FILE, "We deliver", "See [the plan](nosuch.md). We deliver")
    internal.wait(lambda: "sms-problems-banner" in internal.page(POLICY), "the banner")
    assert f"{POLICY_FILE}:" in internal.page()  # every page's banner names it
    internal.handbook.replace(POLICY_FILE, "See [the plan](nosuch.md). ", "")
    internal.wait(lambda: "sms-problems-banner" not in internal.page(POLICY), "no banner")
    assert "sms-problems-banner" not in internal.page()
    assert len(body_only_saves(internal)) == 2


@pytest.fixture
def with_snippets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Preview]:
    """The public preview with `pymdownx.snippets` reading docs/."""
    yield from start(tmp_path, monkeypatch, "public", snippets=True)


def test_includes_in_a_body_only_save_stay_within_the_audience(with_snippets: Preview) -> None:
    """A body edit that includes a hidden page gets it left out; a body edit of a page that
    another includes stages the other again too."""
    public = with_snippets
    shared = "---\ntitle: Shared\nclassification: public\n---\n\nMARKSHARED here.\n"
    public.handbook.write("docs/shared.md", shared)
    public.wait(lambda: public.status("shared/") == 200, "the new page")
    # The new file changed docs/ maybe within the file system's tick of the build's stamps, so
    # the next save may be a full one (body_saves.py counts such a folder as changed): one
    # edit first, whichever path it takes, so that the save tested builds on a later build.
    public.handbook.replace("docs/index.md", "Welcome.", "Welcome. MARKFIRST")
    public.wait(lambda: "MARKFIRST" in public.page(), "the first edit")
    public.handbook.replace("docs/index.md", " MARKFIRST", "")
    public.wait(lambda: "MARKFIRST" not in public.page(), "the first edit undone")
    hidden = '--8<-- "policies/service-management-policy.md"'
    public.handbook.replace(
        "docs/index.md", "Welcome.", f'Welcome.\n\n--8<-- "shared.md"\n\n{hidden}\n'
    )
    public.wait(lambda: "MARKSHARED" in public.page(), "the included page")
    assert "body-only save: staged 1 page(s) again (index.md)" in body_only_saves(public)[-1]
    page = public.page()
    assert "We deliver what we agree" not in page
    assert "We deliver what we agree" not in public.search_text()
    public.handbook.replace("docs/shared.md", "MARKSHARED", "MARKCHANGED")
    public.wait(lambda: "MARKCHANGED" in public.page(), "the included page's edit")
    assert "(index.md, shared.md)" in body_only_saves(public)[-1]
    assert "We deliver what we agree" not in public.page()
