"""The handbook together with the plugins real MkDocs sites use, in one site.

The leak fixture (a marker at every level of every kind) gains Material's tags and blog,
mkdocs-redirects, mkdocs-awesome-nav (a `.nav.yml` naming an internal page), macros,
git-revision-date-localized and minify; a second variant adds mkdocs-static-i18n with a German
home page; the blog's index is for staff only, so the public site has the blog switched off.
Material's blog and mkdocs-static-i18n do not work together even without
sms-handbook (the posts are dropped), so the blog is left out of the i18n variant.
Every audience builds strict and verifies, and no marker appears above its audience.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, commit_all, run_cli
from tests.plugin.test_leaks import AUDIENCES, MARKERS, allowed, readable

PLUGINS = """plugins:
  - search
  - tags
{blog}  - awesome-nav
{i18n}  - redirects:
      redirect_maps:
        old-public.md: public-page.md
        old-internal.md: internal/internal-page.md
  - git-revision-date-localized:
      type: date
  - minify:
      minify_html: true
  - sms-handbook
  - macros
"""
BLOG = """  - blog:
      blog_dir: blog
      archive: false
      categories: false
"""
I18N = """  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
          build: true
        - locale: de
          name: Deutsch
          build: true
"""
EXTRA_MARKERS = {"MARKBLOGI": "internal", "MARKNAVTITLEI": "internal"}


def _site(root: Path, variant: str) -> None:
    shutil.copytree(FIXTURES / "leaks", root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[: config.index("nav:")] + PLUGINS.format(
        blog=BLOG if variant == "blog" else "", i18n=I18N if variant == "i18n" else ""
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    docs = root / "docs"
    (docs / ".nav.yml").write_text(
        "nav:\n  - index.md\n  - public-page.md\n"
        "  - MARKNAVTITLEI: internal/internal-page.md\n  - '*'\n",
        encoding="utf-8",
    )
    page = docs / "public-page.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("classification: public\n", "classification: public\ntags: [Open]\n", 1)
    )
    if variant == "blog":
        (docs / "blog" / "posts").mkdir(parents=True)
        # The blog's index is for staff: Material's blog cannot run without it, so the public
        # site has no blog and its one public post is a plain page.
        (docs / "blog" / "index.md").write_text(
            "---\ntitle: News\nclassification: internal\n---\n\n# News\n", encoding="utf-8"
        )
        (docs / "blog" / "posts" / "hello.md").write_text(
            "---\ntitle: Hello\nclassification: public\ndate: 2026-10-01\nauthors: []\n---\n\n"
            "# Hello\n\nOur first public post.\n",
            encoding="utf-8",
        )
        (docs / "blog" / "posts" / "staff.md").write_text(
            "---\ntitle: MARKBLOGI\nclassification: internal\ndate: 2026-10-02\n---\n\n"
            "# MARKBLOGI\n\nFor staff only.\n",
            encoding="utf-8",
        )
    else:
        (docs / "index.de.md").write_text(
            "---\ntitle: Startseite\nclassification: public\n---\n\n# Startseite\n\nOffen.\n",
            encoding="utf-8",
        )
    commit_all(root, "MARKGITR: a commit message")


@pytest.fixture(scope="module", params=["blog", "i18n"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("plugins") / "handbook"
    _site(root, request.param)
    result = run_cli("build", root)
    assert result.code == 0, result.output
    for audience in AUDIENCES:
        assert f"{audience}: built and verified" in result.out
    site = root / "site"
    files = {
        audience: {
            p.relative_to(site / audience).as_posix(): readable(p)
            for p in (site / audience).rglob("*")
            if p.is_file()
        }
        for audience in AUDIENCES
    }
    # what the stage changed for the other plugins is said, per audience
    assert (
        "public: note: left out 1 redirect(s) from or to pages not for this audience" in result.out
    )
    assert "public: note: git-revision-date-localized off" in result.out
    return request.param, root, site, files


def test_no_marker_above_its_audience(built) -> None:
    _variant, _root, _site_dir, files = built
    for marker, lowest in {**MARKERS, **EXTRA_MARKERS}.items():
        for audience in AUDIENCES:
            where = [name for name, text in files[audience].items() if marker in text]
            if not allowed(audience, lowest):
                assert not where, f"{marker} leaked into the {audience} site: {where}"
    internal = "\n".join(files["internal"].values())
    for marker in ("MARKBODYI", "MARKNAVTITLEI", "MARKTITLEI"):
        assert marker in internal  # the scan reads real content


def test_redirects_only_to_pages_of_the_audience(built) -> None:
    _variant, _root, site, files = built
    assert "old-public/index.html" in files["public"]
    assert "public-page/" in files["public"]["old-public/index.html"]
    assert "old-internal/index.html" not in files["public"]
    assert "internal/internal-page/" in files["internal"]["old-internal/index.html"]
    assert (site / "internal" / "old-internal" / "index.html").is_file()


def test_awesome_nav_keeps_its_order_without_hidden_entries(built) -> None:
    _variant, root, _site_dir, files = built
    staged = yaml.safe_load(
        (root / ".cache" / "sms-handbook" / "stage" / "public" / "docs" / ".nav.yml").read_text()
    )
    assert staged["nav"] == ["index.md", "public-page.md", "*"]
    home = files["internal"]["index.html"]
    assert home.index("Public page") < home.index("MARKNAVTITLEI")  # the .nav.yml order
    assert "Open" in files["public"]["public-page/index.html"]  # the page's tag


def test_git_dates_plugin_is_off_in_the_stage(built) -> None:
    _variant, root, _site_dir, _files = built
    config = (root / ".cache" / "sms-handbook" / "stage" / "public" / "mkdocs.yml").read_text()
    plugins = yaml.safe_load(config.split("\nnav:")[0].replace("!!python/name:", ""))["plugins"]
    options = next(p for p in plugins if isinstance(p, dict) and "git-revision-date-localized" in p)
    assert options["git-revision-date-localized"]["enabled"] is False


def test_blog_and_languages(built) -> None:
    variant, _root, _site_dir, files = built
    if variant == "blog":
        posts = [n for n in files["internal"] if n.startswith("blog/2026/")]
        assert len(posts) == 2, posts
        assert "Our first public post" in files["internal"]["blog/index.html"]
        assert not [n for n in files["public"] if n.startswith("blog/2026/")]
        assert "blog/index.html" not in files["public"]
        assert "Our first public post" in files["public"]["blog/posts/hello/index.html"]
    else:
        assert "Startseite" in files["public"]["de/index.html"]
        assert any(n.startswith("de/") for n in files["internal"])


@pytest.mark.parametrize("first", [True, False], ids=["handbook-first", "handbook-last"])
def test_mkdocs_build_with_i18n_in_either_order(tmp_path: Path, first: bool) -> None:
    """`mkdocs build` with the plugin and mkdocs-static-i18n, the plugin listed first or last:
    builds strict, both languages, nothing above the public audience in the public build."""
    from tests.conftest import build_site

    root = tmp_path / "handbook"
    _site(root, "i18n")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - sms-handbook\n", "")
    config = config.replace(
        "  - search\n", "  - sms-handbook\n  - search\n" if first else "  - search\n"
    )
    if not first:
        config = config.replace("  - macros\n", "  - sms-handbook\n  - macros\n")
    for name in ("redirects", "git-revision-date-localized", "minify", "awesome-nav", "tags"):
        assert name in config
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = build_site(root, tmp_path / "site", "public").root
    assert "Startseite" in (site / "de" / "index.html").read_text(encoding="utf-8")
    text = "\n".join(readable(p) for p in site.rglob("*") if p.is_file())
    for marker, lowest in {**MARKERS, **EXTRA_MARKERS}.items():
        if lowest != "public":
            assert marker not in text, marker
