"""The incremental preview of `sms-handbook serve`: a real server on 127.0.0.1, real edits.

A save renders only what it touches, yet the preview stays whole and scoped: a page whose
classification is raised leaves the site and its search entries at once; a register edit
shows on the generated pages that render the register; the banner follows the problems, a
broken mkdocs.yml included; a page showing a hidden item's title is not served.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import Handbook, copy_fixture
from tests.core.test_messages import MESSAGES
from tests.test_serve import fetch, free_port, running, wait_for

pytestmark = pytest.mark.slow
POLICY = "policies/service-management-policy/"


class Preview:
    def __init__(self, handbook: Handbook, base: str, server: subprocess.Popen[str], log: Path):
        self.handbook, self.base, self.server, self.log = handbook, base, server, log

    def page(self, path: str = "") -> str:
        return fetch(self.base + path)

    def status(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def search_locations(self) -> list[str]:
        index = json.loads(self.page("search/search_index.json"))
        return [str(entry["location"]) for entry in index["docs"]]

    def search_text(self) -> str:
        return self.page("search/search_index.json")

    def wait(self, check: Callable[[], bool], what: str) -> None:
        wait_for(check, what, self.server)


def start(tmp_path: Path, audience: str = "internal") -> Iterator[Preview]:
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "sms_handbook.cli", "serve", str(handbook.root)]
    command += ["--dev-addr", address, "--audience", audience]
    with running(command, handbook.root, log) as server:
        preview = Preview(handbook, f"http://{address}/", server, log)
        preview.wait(lambda: "<html" in preview.page(), "the first build")
        yield preview


@pytest.fixture
def internal(tmp_path: Path) -> Iterator[Preview]:
    yield from start(tmp_path)


@pytest.fixture
def public(tmp_path: Path) -> Iterator[Preview]:
    yield from start(tmp_path, "public")


def nav_links(page: str) -> list[str]:
    return [str(a.get("href")) for a in BeautifulSoup(page, "html.parser").select("a[href]")]


def test_a_raised_classification_removes_the_page_and_its_search_entries(
    internal: Preview,
) -> None:
    assert internal.status(POLICY) == 200
    assert any(loc.startswith(POLICY) for loc in internal.search_locations())
    assert "We deliver what we agree" in internal.search_text()
    policy = "docs/policies/service-management-policy.md"
    # (its title is also the text of a requirement of clause 5.2.1: renamed, so that the
    # matrix does not show the hidden document's title once it is restricted)
    internal.handbook.replace(policy, "title: Service management", "title: Service MARKCLASS")
    internal.wait(lambda: "MARKCLASS" in internal.page(POLICY), "the new title")
    internal.handbook.replace(policy, "approver:", "classification: restricted\napprover:")
    internal.wait(lambda: internal.status(POLICY) == 404, "the page to leave the preview")
    assert not any(loc.startswith(POLICY) for loc in internal.search_locations())
    assert "We deliver what we agree" not in internal.search_text()
    assert not any("service-management-policy" in href for href in nav_links(internal.page()))


def test_a_raised_classification_is_built_in_one_step(internal: Preview) -> None:
    """No page is held back for a second step when what the audience may not see changed:
    once the page has left, the other pages of its section no longer name it (nor are they
    refused for naming it)."""
    other = "policies/other/"
    internal.handbook.write(
        "docs/policies/other.md", "---\ntitle: Other page\n---\n\n# Other page\n\nText.\n"
    )
    internal.wait(lambda: internal.status(other) == 200, "the new page")
    assert "service-management-policy" in " ".join(nav_links(internal.page(other)))
    policy = "docs/policies/service-management-policy.md"
    internal.handbook.replace(policy, "approver:", "classification: restricted\napprover:")
    internal.wait(lambda: internal.status(POLICY) == 404, "the page to leave the preview")
    page = internal.page(other)
    assert "Text." in page  # served, not refused
    assert not any("service-management-policy" in href for href in nav_links(page))


def test_a_register_edit_shows_on_the_generated_pages_that_render_it(internal: Preview) -> None:
    shown = [
        "handbook/registers/risks/",
        "handbook/reviews/",
        "handbook/catalogue/svc-002/",  # the service the risk threatens
        "handbook/packs/management-review/",
        "handbook/export.json",
    ]
    for path in shown:
        assert "Backup storage fails" in internal.page(path), path
    internal.handbook.replace(
        "registers/risks.yaml", "title: Backup storage fails", "title: Backup MARKRISK fails"
    )
    for path in shown:
        internal.wait(lambda p=path: "MARKRISK" in internal.page(p), f"the edit on {path}")
        assert "Backup storage fails" not in internal.page(path)
    assert "MARKRISK" in internal.search_text()
    assert "Backup storage fails" not in internal.search_text()


def test_an_edited_title_shows_in_the_navigation_of_the_other_pages(internal: Preview) -> None:
    other = "policies/other/"
    internal.handbook.write(
        "docs/policies/other.md", "---\ntitle: Other page\n---\n\n# Other page\n\nText.\n"
    )
    internal.wait(lambda: internal.status(other) == 200, "the new page")
    assert "Service management policy" in internal.page(other)  # its section's navigation
    internal.handbook.replace(
        "docs/policies/service-management-policy.md",
        "title: Service management policy",
        "title: Service MARKTITLE policy",
    )
    internal.wait(lambda: "MARKTITLE" in internal.page(POLICY), "the new title on its page")
    # the other page's file did not change: it is rendered again for its navigation, in
    # the save's second step (served as soon as it is done)
    internal.wait(lambda: "MARKTITLE" in internal.page(other), "the title in its navigation")
    assert "Service management policy" not in internal.page(other)
    for generated in ("handbook/reviews/", "handbook/traceability/"):  # pages listing it
        internal.wait(lambda p=generated: "MARKTITLE" in internal.page(p), generated)
    internal.handbook.replace("docs/policies/other.md", "Text.", "Text MARKOTHER.")
    internal.wait(lambda: "MARKOTHER" in internal.page(other), "the other page's edit")
    assert "MARKTITLE" in internal.page(other)  # a page rendered again keeps the new title


def test_the_banner_follows_the_problems_and_a_broken_mkdocs_yml(internal: Preview) -> None:
    assert "sms-problems-banner" not in internal.page(POLICY)
    config = internal.handbook.read("mkdocs.yml")
    internal.handbook.write("mkdocs.yml", config.replace("plugins:\n", "plugins: [\n"))
    internal.wait(lambda: "sms-problems-banner" in internal.page(POLICY), "the banner")
    assert "mkdocs.yml:" in internal.page(POLICY)
    assert "mkdocs.yml:" in internal.page()
    assert "mkdocs.yml:" in internal.log.read_text()
    internal.handbook.write("mkdocs.yml", config)
    internal.wait(lambda: "sms-problems-banner" not in internal.page(POLICY), "no banner")
    internal.handbook.write("mkdocs.yml", config.replace("name: material", "name: nosuch"))
    internal.wait(lambda: "SMS710" in internal.page(POLICY), "MkDocs' own refusal")
    before, after = MESSAGES["SMS710"].split("{themes}")
    said = next(line for line in internal.log.read_text().splitlines() if "SMS710" in line)
    assert before in said and said.endswith(after), said
    internal.handbook.write("mkdocs.yml", config)
    internal.wait(lambda: "sms-problems-banner" not in internal.page(POLICY), "no banner")
    internal.handbook.replace("registers/risks.yaml", "    kind: risk", "    knd: risk")
    internal.wait(lambda: "sms-problems-banner" in internal.page(POLICY), "the register's")
    assert "registers/risks.yaml:" in internal.page(POLICY)
    assert "registers/risks.yaml:" in internal.page()
    internal.handbook.replace("registers/risks.yaml", "    knd: risk", "    kind: risk")
    internal.wait(lambda: "sms-problems-banner" not in internal.page(), "the fixed preview")
    assert "sms-problems-banner" not in internal.page(POLICY)


def test_a_hidden_title_typed_into_a_public_page_is_not_served(public: Preview) -> None:
    assert "Welcome." in public.page()
    assert "Backup storage fails" not in public.page()  # an internal risk's title
    public.handbook.replace("docs/index.md", "Welcome.", "Welcome. Backup storage fails soon.")
    public.wait(lambda: "SMS711" in public.page(), "the page refused")
    page = public.page()
    assert "Backup storage fails" not in page
    assert "docs/index.md:8:10: SMS711" in page
    assert MESSAGES["SMS711"] in public.log.read_text()
    assert "Backup storage fails" not in public.search_text()
    public.handbook.replace("docs/index.md", "Welcome. Backup storage fails soon.", "Welcome.")
    public.wait(lambda: "SMS711" not in public.page(), "the page served again")
    assert "Welcome." in public.page()


def test_a_refused_page_stays_on_the_banner_while_other_pages_are_saved(
    public: Preview,
) -> None:
    news = "news/"
    public.handbook.write(
        "docs/news.md", "---\ntitle: News\nclassification: public\n---\n\n# News\n\nNone.\n"
    )
    public.wait(lambda: public.status(news) == 200, "the new page")
    public.handbook.replace("docs/index.md", "Welcome.", "Welcome. Backup storage fails soon.")
    public.wait(lambda: "SMS711" in public.page(), "the home page refused")
    problem = "docs/index.md:8:10: SMS711"
    public.wait(lambda: problem in public.page(news), "the problem on the other page's banner")
    public.handbook.replace("docs/news.md", "None.", "MARKNEWS.")
    public.wait(lambda: "MARKNEWS" in public.page(news), "the other page's edit")
    # the home page was not rendered again: still refused, and still on every banner
    assert problem in public.page(news)
    assert problem in public.page()
    assert "Backup storage fails" not in public.page()


def test_a_body_edit_shows_in_the_print_edition(internal: Preview) -> None:
    printed = "handbook/print/"
    assert "We deliver what we agree." in internal.page(printed)
    internal.handbook.replace(
        "docs/policies/service-management-policy.md", "We deliver", "MARKPRINT We deliver"
    )
    internal.wait(lambda: "MARKPRINT" in internal.page(POLICY), "the edit on its page")
    assert "MARKPRINT" in internal.page(printed)


def test_a_page_not_rendered_again_is_checked_when_a_title_becomes_hidden(
    public: Preview,
) -> None:
    title = "Quarterly customer newsletter plan"
    public.handbook.write(
        "docs/news/a-first.md", "---\ntitle: First\nclassification: public\n---\n\nFirst.\n"
    )
    public.handbook.write(
        "docs/news/zz-newsletter.md", f"---\ntitle: {title}\nclassification: public\n---\n\nNews.\n"
    )
    public.handbook.replace("docs/index.md", "Welcome.", f"Welcome. See the {title}.")
    public.wait(lambda: title in public.page(), "the title on the home page")
    assert "SMS711" not in public.page()
    # the home page's file does not change: only the newsletter's classification does
    public.handbook.replace(
        "docs/news/zz-newsletter.md", "classification: public", "classification: internal"
    )
    public.wait(lambda: public.status("news/zz-newsletter/") == 404, "the newsletter to leave")
    public.wait(lambda: "SMS711" in public.page(), "the home page refused")
    assert title not in public.page()
    assert title not in public.search_text()


def test_a_save_under_a_tight_umask_leaves_the_site_readable(tmp_path: Path) -> None:
    """A save replaces the print edition's page (a new file, made with the server's umask):
    the preview settles the folders a save changed, so it is readable by all again."""
    handbook = copy_fixture("minimal", tmp_path / "handbook")
    address = f"127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "sms_handbook.cli", "serve", str(handbook.root)]
    temporary = tmp_path / "tmp"  # where MkDocs' server makes its site folder
    temporary.mkdir()
    wrapped = f'umask 077 && TMPDIR="{temporary}" exec "$@"'
    command = ["sh", "-c", wrapped, "sh", *command, "--dev-addr", address]
    with running(command, handbook.root, tmp_path / "serve.log") as server:
        preview = Preview(handbook, f"http://{address}/", server, tmp_path / "serve.log")
        preview.wait(lambda: "<html" in preview.page(), "the first build")
        handbook.replace(
            "docs/policies/service-management-policy.md", "We deliver", "MARKMODE We deliver"
        )
        preview.wait(lambda: "MARKMODE" in preview.page("handbook/print/"), "the print edition")
        (site,) = temporary.glob("mkdocs_*")
        for path in [site, *site.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if not path.is_symlink():
                assert mode == (0o755 if path.is_dir() else 0o644), path
