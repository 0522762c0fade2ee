"""Real MkDocs builds of a page with raw HTML, comments, `&` and code, and of a Material blog
(nested dates, `<!-- more -->` excerpts, `links:` to a restricted page): the handbook's site
says what plain MkDocs says, and no restricted path reaches it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, build_site, mkdocs_build, run_cli

CONFIG = """site_name: Fidelity
theme:
  name: material
markdown_extensions:
  - sms_handbook.guard
  - attr_list
  - tables
plugins:
  - search
  - tags
  - blog:
      blog_dir: blog
      archive: false
      categories: false
  - sms-handbook
"""
PAGE = """---
title: A&E Forecasting
classification: internal
tags: [Forecasts]
---

# A&E Forecasting

The A&E Forecasting team; see [the map](https://example.org/?id=1&route=shorturl).
![badge](https://img.shields.io/badge/a-b-blue?logo=git&logoColor=white)

<!-- md:version 9.0.0 -->
<div class="note" data-x="a&b">R&D &amp; Q&A <b>bold</b></div>

Run `echo AT&T` or `<!-- quoted -->`:

```sh
echo AT&T && true
```

    indented AT&T
"""
POST = """---
title: Hello
classification: internal
date:
  created: 2026-10-01
  updated: 2026-10-03
authors: []
links:
  - fidelity.md
  - restricted/zebra.md
---

# Hello

The excerpt.

<!-- more -->

The rest of the post.
"""
RESTRICTED = "---\ntitle: Zebra crossing migration plan\nclassification: restricted\n---\n\n# Z\n"
TAGS = "---\ntitle: Tags\nclassification: internal\n---\n\n# Tags\n\n<!-- material/tags -->\n"


def handbook(root: Path, plugin: bool = True) -> Path:
    shutil.copytree(FIXTURES / "minimal", root)
    config = CONFIG if plugin else CONFIG.replace("  - sms_handbook.guard\n", "")
    config = config if plugin else config.replace("  - sms-handbook\n", "")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    docs = root / "docs"
    for name, text in {
        "fidelity.md": PAGE,
        "tags.md": TAGS,
        "blog/index.md": "---\ntitle: News\nclassification: internal\n---\n\n# News\n",
        "blog/posts/hello.md": POST,
        "restricted/zebra.md": RESTRICTED,
    }.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the handbook's internal site, the plain MkDocs site of the same pages)."""
    base = tmp_path_factory.mktemp("fidelity")
    root = handbook(base / "handbook")
    result = run_cli("build", root, "--audience", "internal")
    assert result.code == 0, result.output
    assert "internal: built and verified" in result.out
    plain = handbook(base / "plain", plugin=False)
    build_site(plain, plain / "site")
    return root / "site" / "internal", plain / "site"


def article(site: Path, page: str) -> str:
    from bs4 import BeautifulSoup

    found = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").select_one(
        "article"
    )
    assert found is not None
    return str(found)


def test_a_page_with_raw_html_and_comments_says_what_plain_mkdocs_says(sites) -> None:
    staged, plain = sites
    ours, theirs = article(staged, "fidelity/index.html"), article(plain, "fidelity/index.html")
    assert ours == theirs
    for kept in (
        "A&amp;E Forecasting",
        "?id=1&amp;route=shorturl",
        "&amp;logoColor=white",
        "AT&amp;T",
    ):
        assert kept in ours
    assert "<!-- md:version 9.0.0 -->" in ours
    assert "&amp;E;" not in ours and "&amp;route;" not in ours


def test_material_blog_reads_excerpts_nested_dates_and_tags(sites) -> None:
    staged, plain = sites
    index = (staged / "blog" / "index.html").read_text(encoding="utf-8")
    assert "Continue reading" in index  # the <!-- more --> excerpt
    tags = article(staged, "tags/index.html")
    assert "Forecasts" in tags and tags == article(plain, "tags/index.html")


def test_a_posts_links_to_a_restricted_page_reach_nowhere(sites) -> None:
    staged, _plain = sites
    post = next(staged.glob("blog/2026/10/01/*/index.html")).read_text(encoding="utf-8")
    assert "fidelity/" in post
    for path in staged.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "zebra" not in text.lower(), path


def test_another_plugins_error_names_the_authors_folder(tmp_path: Path) -> None:
    root = handbook(tmp_path / "handbook")
    post = root / "docs" / "blog" / "posts" / "hello.md"
    post.write_text(POST.replace("created: 2026-10-01", "created: someday"), encoding="utf-8")
    result = run_cli("build", root, "--audience", "internal")
    assert result.code != 0
    assert "of post 'blog/posts/hello.md' in 'docs'" in result.output
    assert "stage" not in result.output.split("build failed", 1)[1]


def test_a_comment_holding_a_hidden_title_stops_the_build(tmp_path: Path) -> None:
    root = handbook(tmp_path / "handbook")
    page = root / "docs" / "fidelity.md"
    note = "<!-- ask Alex about the Zebra crossing migration plan -->\n"
    page.write_text(PAGE + "\n" + note, encoding="utf-8")
    # validate's judgement refuses it before anything is built (SMS309) ...
    result = run_cli("build", root, "--audience", "internal")
    assert result.code != 0
    assert "docs/fidelity.md:23:25: SMS309: this internal page names 'Zebra crossing" in (
        result.output
    )
    # ... and past that judgement, verification finds it in the comment the site kept.
    result = run_cli("build", root, "--audience", "internal", "--no-strict")
    assert result.code != 0
    assert "fidelity/index.html: contains 'Zebra crossing migration plan'" in result.output
    assert "title of a hidden document (docs/restricted/zebra.md" in result.output


def test_mkdocs_with_the_plugin_names_the_authors_folder_too(tmp_path: Path) -> None:
    root = handbook(tmp_path / "handbook")
    post = root / "docs" / "blog" / "posts" / "hello.md"
    post.write_text(POST.replace("created: 2026-10-01", "created: someday"), encoding="utf-8")
    error, log = mkdocs_build(root, tmp_path / "site", audience="internal")
    assert error is not None
    told = "\n".join(log)
    assert "of post 'blog/posts/hello.md' in 'docs'" in told
    assert "sms-handbook/stage" not in told
