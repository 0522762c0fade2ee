"""`sms-handbook serve --engine zensical`: Zensical's own server on a checked copy of the
stage; a real server on 127.0.0.1, real edits (Zensical 0.0.73 installed by the dev extra)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import copy_fixture
from tests.test_preview import Preview
from tests.test_serve import free_port, running

pytestmark = pytest.mark.slow
HIDDEN_TITLE = "Backup storage fails"  # an internal risk's title
BANNER = "assets/sms-handbook/preview-problems.js"
COPY = Path(".cache/sms-handbook/preview/public")
POLICY = "policies/service-management-policy/"


def start(tmp_path: Path, audience: str) -> Iterator[Preview]:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "sms_handbook.cli", "serve", str(handbook.root)]
    command += ["--dev-addr", address, "--audience", audience, "--engine", "zensical"]
    with running(command, handbook.root, log) as server:
        preview = Preview(handbook, f"http://{address}/", server, log)
        preview.wait(lambda: "Welcome." in preview.page(), "the first build")
        yield preview


@pytest.fixture
def public(tmp_path: Path) -> Iterator[Preview]:
    yield from start(tmp_path, "public")


@pytest.fixture
def internal(tmp_path: Path) -> Iterator[Preview]:
    yield from start(tmp_path, "internal")


def banner(preview: Preview) -> str:
    """The banner every page shows: the HTML its script puts at the top of the page."""
    script = preview.page(BANNER)
    return str(json.loads(script.split("var banner = ", 1)[1].split(";\n", 1)[0]))


def copied(preview: Preview) -> dict[str, int]:
    """The files Zensical reads (the checked copy of the stage), with their change times."""
    root = preview.handbook.root / COPY
    found = {}
    for here, directories, names in os.walk(root):
        directories[:] = [d for d in directories if d not in ("site", ".cache")]
        for name in names:
            path = Path(here) / name
            found[path.relative_to(root).as_posix()] = path.stat().st_ctime_ns
    return found


def test_a_body_edit_copies_one_page_and_zensical_serves_it(public: Preview) -> None:
    scripts = BeautifulSoup(public.page(), "html.parser").select("script[src]")
    assert any(str(s.get("src")).endswith(BANNER) for s in scripts)  # on every page
    assert banner(public) == ""
    before = copied(public)
    public.handbook.replace("docs/index.md", "Welcome.", "Welcome. MARKBODY.")
    public.wait(lambda: "MARKBODY" in public.page(), "the edit")
    after = copied(public)
    assert {path for path in after if after[path] != before.get(path)} == {"docs/index.md"}


def test_a_hidden_title_typed_into_a_public_page_is_never_copied(public: Preview) -> None:
    public.handbook.replace("docs/index.md", "Welcome.", f"Welcome. {HIDDEN_TITLE} soon.")
    public.wait(lambda: "SMS711" in public.page(), "the page refused")
    assert HIDDEN_TITLE not in public.page()
    assert HIDDEN_TITLE not in (public.handbook.root / COPY / "docs/index.md").read_text()
    assert HIDDEN_TITLE not in public.page("search.json")
    problem = "docs/index.md:8:10: SMS711: index.md of the preview names the text of an item"
    assert problem in banner(public)
    assert problem in public.log.read_text()
    public.handbook.replace("docs/index.md", f"Welcome. {HIDDEN_TITLE} soon.", "Welcome.")
    public.wait(lambda: "SMS711" not in public.page(), "the page served again")
    assert "Welcome." in public.page()
    assert banner(public) == ""


def test_mkdocs_yml_restages_and_a_broken_one_shows_in_the_banner(public: Preview) -> None:
    config = public.handbook.read("mkdocs.yml")
    public.handbook.replace("mkdocs.yml", "site_name: Minimal handbook", "site_name: MARKSITE")
    public.wait(lambda: "MARKSITE" in public.page(), "the new site name")
    public.handbook.write("mkdocs.yml", config.replace("plugins:\n", "plugins: [\n"))
    public.wait(lambda: "mkdocs.yml:" in banner(public), "the banner")
    assert "SMS501" in banner(public)
    assert "sms-problems-banner" in banner(public)
    assert "mkdocs.yml:" in public.log.read_text()
    assert "Welcome." in public.page()  # the last good copy is still served
    public.handbook.write("mkdocs.yml", config)
    public.wait(lambda: banner(public) == "", "no banner")
    # Zensical reloads its configuration: the pages come back built with the old name
    public.wait(lambda: "Minimal handbook" in public.page(), "the old site name")
    assert "MARKSITE" not in public.page()


def test_zensical_output_naming_a_hidden_item_is_replaced(public: Preview) -> None:
    site = public.handbook.root / COPY / "site"
    (site / "notes.txt").write_text(f"About {HIDDEN_TITLE}.\n", encoding="utf-8")
    public.wait(lambda: "SMS715" in public.page("notes.txt"), "the file replaced")
    assert HIDDEN_TITLE not in public.page("notes.txt")
    assert f"{COPY.as_posix()}/site/notes.txt:1:1: SMS715" in banner(public)


def test_a_raised_classification_takes_the_page_and_its_traces_away(public: Preview) -> None:
    title = "Quarterly customer newsletter plan"
    public.handbook.write(
        "docs/news.md", f"---\ntitle: {title}\nclassification: public\n---\n\nNews for all.\n"
    )
    public.wait(lambda: public.status("news/") == 200, "the new page")
    public.wait(lambda: "news/" in public.page(), "the new page in the navigation")
    assert "News for all" in public.page("search.json")
    public.handbook.replace("docs/news.md", "classification: public", "classification: internal")
    public.wait(lambda: public.status("news/") == 404, "the page to leave the preview")
    public.wait(lambda: "Welcome." in public.page(), "the home page built again")
    for path in ("", "search.json", "sitemap.xml", "handbook/registers/services/"):
        page = public.page(path)
        assert "News for all" not in page, path
        assert title not in page, path
        assert "news/" not in page, path
    assert not (public.handbook.root / COPY / "docs/news.md").exists()
    assert "SMS715" not in banner(public)  # nothing was left for the output's check to find


def test_the_print_edition_is_assembled_and_follows_an_edit(internal: Preview) -> None:
    printed = "handbook/print/"
    internal.wait(lambda: "We deliver what we agree." in internal.page(printed), "the edition")
    assert "SMSPRINTDOCUMENTS" not in internal.page(printed)
    internal.handbook.replace(
        "docs/policies/service-management-policy.md", "We deliver", "MARKPRINT We deliver"
    )
    internal.wait(lambda: "MARKPRINT" in internal.page(POLICY), "the edit on its page")
    internal.wait(lambda: "MARKPRINT" in internal.page(printed), "the edit in the edition")
    assert "SMSPRINTDOCUMENTS" not in internal.page(printed)


def test_an_unchanged_page_is_checked_again_when_a_title_becomes_hidden(public: Preview) -> None:
    title = "Quarterly customer newsletter plan"
    public.handbook.write(
        "docs/news.md", f"---\ntitle: {title}\nclassification: public\n---\n\nNews.\n"
    )
    public.handbook.replace("docs/index.md", "Welcome.", f"Welcome. See the {title}.")
    public.wait(lambda: title in public.page(), "the title on the home page")
    # the home page's source does not change: only the newsletter's classification does
    public.handbook.replace("docs/news.md", "classification: public", "classification: internal")
    public.wait(lambda: "SMS711" in public.page(), "the home page refused")
    assert title not in public.page()
    assert title not in public.page("search.json")
    assert "docs/index.md:8:18: SMS711: index.md of the preview names the title" in banner(public)
