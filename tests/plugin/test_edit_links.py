"""Edit links: kept for the audience that may see the repository, at the author's file.

With `repo_url` set (and no `edit_uri`, so MkDocs' default for the host) and Material's
`content.action.edit` and `.view` features, plain MkDocs gives every page an edit and a view
button. The handbook keeps them for the highest audience (it reads repository facts), pointing
at the page's own file; generated pages (no file in the repository) and lower audiences have
none, and the build says "edit links stay" only when they do.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import Handbook, build_site, run_cli

REPO = "https://github.com/example/handbook"
FEATURES = "  features: [content.action.edit, content.action.view]\n"
POLICY = "policies/service-management-policy"


def _site(handbook: Handbook, features: str = FEATURES) -> None:
    handbook.replace(
        "mkdocs.yml",
        "theme:\n  name: material\n",
        f"repo_url: {REPO}\ntheme:\n  name: material\n{features}",
    )


def _buttons(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {str(a.get("title")): str(a.get("href")) for a in soup.select("a.md-content__button")}


def test_edit_links_point_at_the_authors_file(handbook: Handbook, tmp_path: Path) -> None:
    _site(handbook)
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code == 0, built.output
    assert "restricted: note: the header's repository link is left out" in built.out
    assert "edit links stay, pointing at each page's file" in built.out
    plugin = build_site(handbook.root, tmp_path / "plugin", audience="restricted")
    for site in (tmp_path / "cli" / "restricted", plugin.root):
        buttons = _buttons(site / POLICY / "index.html")
        assert buttons.get("Edit this page") == f"{REPO}/edit/master/docs/{POLICY}.md"
        assert buttons.get("View source of this page") == f"{REPO}/raw/master/docs/{POLICY}.md"
        generated = next((site / "handbook").rglob("index.html"))
        assert _buttons(generated) == {}, generated  # no file of the author's to edit
    assert _buttons(tmp_path / "cli" / "restricted" / "index.html")
    for audience in ("public", "internal"):
        home = tmp_path / "cli" / audience / "index.html"
        assert _buttons(home) == {}
        assert "github.com/example" not in home.read_text(encoding="utf-8")
        assert f"{audience}: note: repository and edit links are left out" in built.out


def test_no_edit_links_no_claim(handbook: Handbook, tmp_path: Path) -> None:
    """Material without the edit features shows none: the build does not say they stay."""
    _site(handbook, features="")
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code == 0, built.output
    assert "restricted: note: the header's repository link is left out" in built.out
    assert "edit links stay" not in built.output
