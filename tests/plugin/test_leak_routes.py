"""Leak routes through which a generator or extension read files by itself, one case each.

Each route plants a marker in something the lower audience may not see and a way for a
visible page to reach it (snippet line ranges, nested snippets, a snippet line produced by a
page template, includes and `auto_append` of hidden attachments, raw HTML naming them with
a backslash, in a `style` attribute, a style sheet or a script, mkdocs.yml and a file
under `base_path` naming an internal page as snippets, the previous restricted
build under `site/`, a restricted export lying at the repository's root, a dot folder
re-included by `exclude_docs`, editor backups; a symbolic link out of docs/ is an error of
`validate`, tests/core/test_tree_checks.py). The handbook is built by every engine; every
output file of every audience is searched by its content (`tests.site_text`). A marker must
appear in exactly the audiences allowed to see it.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tests.conftest import Handbook, run_cli
from tests.plugin.test_leaks import (
    AUDIENCES,
    ENGINES,
    PLUGIN,
    allowed,
    direct_build,
    found_in,
    leaks_repository,
    plugin_builds,
)
from tests.samples import zipped
from tests.site_text import site_texts

RANGED = "\n".join(
    ["---", "title: Ranged", "classification: internal", "---", "", "# Ranged page", ""]
    + [f"filler line {n}" for n in range(8, 17)]
    + ["MARKRANGE17I", "line 18", "line 19", "line 20", "MARKRANGE21I", "MARKRANGETAILI"]
)
ROUTES_PAGE = """---
title: Routes
classification: public
---

# Routes

MARKROUTESP is public.

--8<-- "docs/internal/ranged.md:17:17,21:21"

--8<-- "docs/internal/ranged.md:22:-1"

--8<-- "shared/nested.md"

{{ '--8<-- "docs/internal/ranged.md"' }}

--8<-- "docs/files/internal-report.txt"

Include: {% include "files/internal-report.txt" %}

--8<-- "site/restricted/previous.html"

--8<-- "restricted.json"

--8<-- "docs/.secret/dot-page.md"

--8<-- "docs/restricted/restricted-page.md~"

## See [MARKHEADLINKI](internal/internal-page.md)

<a href=internal/internal-page.md>MARKRAWUNQUOTEDI</a>

<p><a title="x>y" href="internal/internal-page.md">MARKRAWGTI</a></p>

<iframe src="internal/internal-page/"></iframe>

<object data="files/internal-report.txt"></object>

<a href="internal\\internal-page.md">MARKBACKSLASHI</a>

<p style="background: url(files/internal-report.txt)">MARKSTYLEI</p>

<style>.cover { background: url(files/internal-report.txt) }</style>

<script>const next = "internal/internal-page/";</script>

--8<-- "mkdocs.yml"

--8<-- "shared/listing.md"
"""
MARKERS: dict[str, str | None] = {
    "MARKROUTESP": "public",
    "MARKSHAREDP": "public",  # the shared file itself is public
    "MARKRANGE17I": "internal",  # line ranges and the nested range of an internal page
    "MARKRANGE21I": "internal",
    "MARKRANGETAILI": "internal",  # an open-ended range
    "MARKATTACHI": "internal",  # snippets, include and auto_append of an internal attachment
    "MARKPREVR": None,  # the previous restricted build: never read
    "MARKEXPORTR": "restricted",  # a restricted record, in an export at the root: never read
    "MARKDOTI": None,  # a dot folder re-included by exclude_docs: never published
    "MARKBACKUPR": None,  # editor backups of a restricted page: never published
    "MARKHEADLINKI": "internal",  # link text in a heading: toc, heading id, search
    "MARKRAWUNQUOTEDI": "internal",  # raw HTML link with an unquoted href
    "MARKRAWGTI": "internal",  # raw HTML link with a `>` in an earlier attribute
    "MARKBACKSLASHI": "internal",  # a raw HTML link written with a backslash
    "MARKSTYLEI": "internal",  # an element whose style names an internal attachment
    "MARKNAVI": "internal",  # mkdocs.yml as a snippet: its nav titles and repository
    "MARKNAVR": "restricted",
    "MARKLISTINGI": "internal",  # a file under base_path naming an internal page
}


def routes_repository(destination: Path) -> Handbook:
    handbook = leaks_repository(destination)
    handbook.write("docs/internal/ranged.md", RANGED + "\n")
    handbook.write("docs/routes.md", ROUTES_PAGE)
    handbook.write("shared/listing.md", "MARKLISTINGI: docs/internal/internal-page.md\n")
    handbook.write("shared/nested.md", 'MARKSHAREDP\n\n--8<-- "docs/internal/ranged.md:17:17"\n')
    handbook.write("site/restricted/previous.html", "<p>MARKPREVR from the last build</p>\n")
    handbook.write("docs/.secret/dot-page.md", "---\nclassification: public\n---\n\nMARKDOTI\n")
    backup = handbook.read("docs/restricted/restricted-page.md") + "\nMARKBACKUPR\n"
    handbook.write("docs/restricted/restricted-page.md~", backup)
    handbook.write("docs/restricted/restricted-page.md.orig", backup)
    handbook.replace(
        "mkdocs.yml",
        '      base_path: ["."]\n',
        '      base_path: ["."]\n      auto_append: ["docs/files/internal-report.txt"]\n',
    )
    handbook.replace("mkdocs.yml", "nav:\n", "exclude_docs: |\n  !.secret/\nnav:\n")
    handbook.replace(
        "registers/risks.yaml",
        "    classification: restricted\n",
        "    classification: restricted\n    notes: MARKEXPORTR is a whole restricted record\n",
    )
    export = handbook.root / "restricted.json"
    exported = run_cli("export", handbook.root, "--audience", "restricted", "-o", export)
    assert exported.code == 0 and "MARKEXPORTR" in export.read_text(), exported.output
    return handbook


@pytest.fixture(scope="module", params=(*ENGINES, PLUGIN))
def contents(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, str]]:
    """Every audience built by each engine, and by the plugin's own `mkdocs build` (which
    verifies nothing afterwards: the stage alone must keep the routes closed)."""
    handbook = routes_repository(tmp_path_factory.mktemp("routes") / "handbook")
    out = tmp_path_factory.mktemp("routes-site")
    if request.param == PLUGIN:
        plugin_builds(handbook.root, out)
    else:
        result = run_cli("build", handbook.root, "--site-dir", out, "--engine", request.param)
        assert result.code == 0, result.output
    return {audience: site_texts(out / audience) for audience in AUDIENCES}


@pytest.mark.parametrize("marker", sorted(MARKERS))
def test_route_marker_appears_exactly_where_allowed(
    marker: str, contents: dict[str, dict[str, str]]
) -> None:
    for audience in AUDIENCES:
        where = found_in(contents[audience], marker)
        if allowed(audience, MARKERS[marker]):
            assert where, f"{marker} missing from the {audience} site"
        else:
            assert not where, f"{marker} leaked into the {audience} site: {where}"


def test_the_public_routes_page_expands_what_it_may(contents: dict[str, dict[str, str]]) -> None:
    page = contents["public"]["routes/index.html"]
    assert "marksharedp" in page and "markrange17i" not in page
    internal = contents["internal"]["routes/index.html"]
    assert "markrange17i" in internal and "markrange21i" in internal


def test_the_stage_is_written_from_the_bytes_the_model_classified(tmp_path: Path) -> None:
    """A page reclassified on disk after the model read it: the build publishes what the
    model classified (the restricted page stays out), not the newer bytes."""
    from sms_handbook.context import load_context
    from sms_handbook.publish import BuildRequest, publish

    handbook = leaks_repository(tmp_path / "handbook")
    context = load_context(handbook.root)
    handbook.replace("docs/restricted/restricted-page.md", "classification: restricted", "")
    handbook.replace("docs/restricted/restricted-page.md", "MARKBODYR", "MARKBODYR MARKSWAPR")
    outcomes = publish(BuildRequest(context, ["public"]), tmp_path / "site", report=lambda _: None)
    assert outcomes and outcomes[0].ok, outcomes
    text = "".join(site_texts(tmp_path / "site" / "public").values())
    assert "markswapr" not in text and "markbodyr" not in text
    staged = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (handbook.root / ".cache").rglob("*")
        if p.is_file()
    )
    assert "MARKSWAPR" not in staged


def test_no_path_of_a_hidden_page_or_file_is_in_the_public_site(
    contents: dict[str, dict[str, str]],
) -> None:
    for name, text in contents["public"].items():
        for path in ("internal-page", "internal-report", "restricted-page", "ranged"):
            named = re.search(rf"(?<![a-z0-9]){path}(?![a-z0-9])", text)  # not "isRangeDash"
            assert not named, f"{path} named in public/{name}"
    internal = contents["internal"]["routes/index.html"]
    assert 'href="../internal/internal-page/"' in internal or "internal-page" in internal


def test_verification_reads_files_at_theme_paths_and_by_their_content(tmp_path: Path) -> None:
    """Public pages and attachments that name a restricted record, where verification used
    to look away (the theme's folders) or misread (by extension): the public build is
    refused, each file named, and nothing is published."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml",
        "  - sms-handbook\n",
        '  - sms-handbook:\n      attachments: {"assets/**": public, "files/public-*": public}\n',
    )
    page = "---\nclassification: public\nsearch:\n  exclude: true\n---\n\n# Notes\n\nRST-901\n"
    handbook.write("docs/assets/javascripts/workers/notes.md", page)
    handbook.write("docs/assets/javascripts/lunr/notes.txt", "RST-901\n")
    handbook.write("docs/files/public-photo.png", "RST-901\n")
    handbook.write("docs/files/public-notes.txt", "RST-901\n".encode("utf-16"))
    handbook.write("docs/files/public-book.epub", zipped({"content.xml": b"<p>RST-901</p>" * 20}))
    handbook.write("docs/files/public-figure.svgz", gzip.compress(b"<svg>RST-901</svg>" * 20))
    # validate's error at the page stops a strict build first; --no-strict reaches the
    # verification of what was built
    strict = run_cli("build", handbook.root, "--audience", "public", "--site-dir", tmp_path / "s")
    assert strict.code != 0 and "notes.md:9:1: SMS309" in strict.err
    result = run_cli(
        "build", handbook.root, "--audience", "public", "--no-strict", "--site-dir", tmp_path / "s"
    )
    assert result.code == 1, result.output
    assert "public: built, but verification found" in result.out
    for name in (
        "assets/javascripts/workers/notes/index.html",
        "assets/javascripts/lunr/notes.txt",
        "files/public-photo.png",
        "files/public-notes.txt",
        "files/public-book.epub",
        "files/public-figure.svgz",
    ):
        assert f"    {name}: contains 'RST-901'" in result.out, name
    assert not (tmp_path / "s" / "public").exists()


def test_verification_finds_the_path_of_a_hidden_attachment(tmp_path: Path) -> None:
    """A public page that names an internal attachment where no guard reads a link (plain
    text): the file stays out, and verification now refuses its path as it refuses a
    hidden page's path."""
    handbook = leaks_repository(tmp_path / "handbook")
    page = "---\ntitle: Notes\nclassification: public\n---\n\n# Notes\n\n"
    handbook.write("docs/notes.md", page + "Ask for files/internal-report.txt by mail.\n")
    result = run_cli("build", handbook.root, "--audience", "public", "--site-dir", tmp_path / "s")
    assert result.code == 1, result.output
    assert "notes/index.html: contains 'files/internal-report.txt'" in result.out
    assert "hidden attachment" in result.out
    assert not (tmp_path / "s" / "public").exists()
    internal = run_cli(
        "build", handbook.root, "--audience", "internal", "--site-dir", tmp_path / "i"
    )
    assert internal.code == 0, internal.output


def test_a_folders_meta_file_naming_a_hidden_page_is_scoped(tmp_path: Path) -> None:
    """Material's meta plugin gives every page of a folder the values of its `.meta.yml`: one
    in the public root naming the restricted page (in `links:`, as a key, in prose) reached
    every public page under `mkdocs build`; its other values stay."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace("mkdocs.yml", "  - search\n", "  - search\n  - meta\n  - tags\n")
    handbook.write(
        "docs/.meta.yml",
        'description: "MARKMETAP, moved: see restricted/restricted-page.md"\n'
        "links:\n  - restricted/restricted-page.md\n  - public-page.md\n"
        "see_also:\n  restricted/restricted-page.md: the plan\n"
        "tags: [MARKMETATAGP]\n",
    )
    plugin_builds(handbook.root, tmp_path / "site")
    public = site_texts(tmp_path / "site" / "public")
    assert any("markmetatagp" in text for text in public.values())  # the meta file is read
    for name, text in public.items():
        assert "restricted-page" not in text, f"public/{name}"
        assert "markmetap" not in text, f"public/{name}"
    result = run_cli("build", handbook.root, "--audience", "public", "--site-dir", tmp_path / "s")
    assert result.code == 0, result.output


def test_a_hidden_path_written_in_another_case_is_cut(tmp_path: Path) -> None:
    """A public page naming the restricted page in other letter case (a Markdown link, raw
    HTML, a comment, front matter, a nav entry): a server that ignores case serves the
    hidden page there, and `mkdocs build` runs no verifier after the stage, so each goes
    as the exact-case one does; the page's own text stays."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml",
        "  - Unmarked: unmarked.md\n",
        "  - Unmarked: unmarked.md\n  - Cased: cased.md\n"
        "  - MARKCASENAVR: Restricted/Restricted-Page.md\n",
    )
    handbook.write(
        "docs/cased.md",
        "---\ntitle: Cased\nclassification: public\n"
        'description: "MARKCASEDESCP: see RESTRICTED/Restricted-Page.md"\n'
        "links:\n  - Restricted/RESTRICTED-PAGE.md\n---\n\n# Cased\n\nMARKCASEP stays.\n\n"
        "See [the plan](RESTRICTED/restricted-page.md) and "
        "[its part](Restricted/Restricted-Page/).\n\n"
        '<p><a href="Restricted/Restricted-Page/">the plan</a></p>\n\n'
        "<!-- ask about RESTRICTED/RESTRICTED-PAGE.md -->\n",
    )
    plugin_builds(handbook.root, tmp_path / "site")
    public = site_texts(tmp_path / "site" / "public")
    assert any("markcasep stays" in text for text in public.values())
    for name, text in public.items():
        assert "restricted-page" not in text, f"public/{name}"
        assert "markcasedescp" not in text, f"public/{name}"
        assert "markcasenavr" not in text, f"public/{name}"
    restricted = site_texts(tmp_path / "site" / "restricted")
    assert any("restricted/restricted-page.md" in text for text in restricted.values())


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_plugins_own_build_is_verified_like_sms_handbook_build(
    tmp_path: Path, engine: str
) -> None:
    """A public page naming an internal attachment and a restricted record in plain text
    (no link for the stage to cut): `mkdocs build` and `properdocs build` with the plugin
    used to publish it; now the same verifier as `sms-handbook build` runs at the end, the
    build fails naming the output file and the page it came from, and the files holding
    the hits and the manifest are removed."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.write(
        "docs/notes.md",
        "---\ntitle: Notes\nclassification: public\n---\n\n# Notes\n\n"
        "Ask for files/internal-report.txt by mail, quoting RSK-901.\n",
    )
    site = tmp_path / "site"
    result = direct_build(handbook.root, engine, site, "public")
    assert result.code != 0, result.output
    assert "notes/index.html: contains 'files/internal-report.txt'" in result.err
    assert "(it comes from the page docs/notes.md)" in result.err
    assert "notes/index.html: contains 'RSK-901'" in result.err
    assert "Do not publish that folder" in result.err
    assert "Traceback" not in result.output
    assert not (site / "notes" / "index.html").exists()
    assert not (site / "sms-manifest.json").exists()
    for name, text in site_texts(site).items():
        assert "internal-report" not in text and "rsk-901" not in text, name
    # the same page is fine for the restricted audience: the build passes, verified
    restricted = direct_build(handbook.root, engine, tmp_path / "restricted", "restricted")
    assert restricted.code == 0, restricted.err[-3000:]
    assert "verified: nothing above the restricted audience" in restricted.err


def test_verification_judges_by_the_attachments_the_context_read(tmp_path: Path) -> None:
    """The hidden attachments are facts of the context, read with the model, not a second
    walk of docs/ at verification: an internal attachment deleted after the model was made
    (so the stage's walk and a late walk miss it) still has its path refused in the public
    site, where a page names it in plain text."""
    from sms_handbook.context import load_context
    from sms_handbook.publish import BuildRequest, publish

    handbook = leaks_repository(tmp_path / "handbook")
    page = "---\ntitle: Notes\nclassification: public\n---\n\n# Notes\n\n"
    handbook.write("docs/notes.md", page + "Ask for files/internal-report.txt by mail.\n")
    context = load_context(handbook.root)
    assert "files/internal-report.txt" in context.audience_view("public").hidden_files
    assert "files/internal-report.txt" not in context.audience_view("internal").hidden_files
    handbook.remove("docs/files/internal-report.txt")
    said: list[str] = []
    outcomes = publish(BuildRequest(context, ["public"]), tmp_path / "site", report=said.append)
    assert outcomes and not outcomes[0].ok, said
    assert any("contains 'files/internal-report.txt'" in p for p in outcomes[0].problems), said
    assert not (tmp_path / "site" / "public").exists()


def plugin_sites(root: Path, site: Path, audiences: tuple[str, ...]) -> list[dict[str, str]]:
    """The texts of each audience's site built by the plugin's `mkdocs build` (which must
    succeed: verified)."""
    for audience in audiences:
        result = direct_build(root, "mkdocs", site / audience, audience)
        assert result.code == 0, result.err[-3000:]
    return [site_texts(site / audience) for audience in audiences]


def test_redirects_and_extra_values_naming_a_hidden_page_are_scoped(tmp_path: Path) -> None:
    """mkdocs.yml naming the restricted page in a redirect from its path (mkdocs-redirects
    wrote a stub at that path in the public site), in Material's `extra.social` (a link on
    every page) and in an `extra` value a page template prints: each went into the public
    build. Now the redirect is left out, the social link goes whole and the value is emptied
    for the public, and the restricted build keeps them."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml",
        "  - sms-handbook\n",
        "  - redirects:\n      redirect_maps:\n"
        "        restricted/restricted-page.md: public-page.md\n  - sms-handbook\n",
    )
    handbook.replace(
        "mkdocs.yml",
        "nav:\n",
        "extra:\n  help_page: restricted/restricted-page.md\n  social:\n"
        "    - icon: fontawesome/brands/github\n      link: /restricted/restricted-page/\n"
        "      name: MARKSOCIALR\n    - icon: fontawesome/brands/github\n"
        "      link: https://example.org/\n      name: MARKSOCIALP\nnav:\n",
    )
    handbook.write(
        "docs/route.md",
        "---\ntitle: Route\nclassification: public\n---\n\n# Route\n\n"
        "MARKROUTEP help: [{{ help_page }}]\n",
    )
    site = tmp_path / "site"
    public, restricted = plugin_sites(handbook.root, site, ("public", "restricted"))
    assert "markroutep help: []" in public["route/index.html"]
    assert any("marksocialp" in text for text in public.values())
    assert not (site / "public" / "restricted").exists()
    for name, text in public.items():
        assert "restricted-page" not in text and "marksocialr" not in text, name
    assert "help: [restricted/restricted-page.md]" in restricted["route/index.html"]
    assert "marksocialr" in restricted["index.html"]
    built = run_cli("build", handbook.root, "--audience", "public", "--site-dir", tmp_path / "s")
    assert built.code == 0, built.output


def test_a_visible_file_whose_name_holds_a_hidden_id_is_refused(tmp_path: Path) -> None:
    """A public attachment named after a restricted record: nothing links to it, so no page
    holds the id, but the site's folder (and a server's listing of it) did. Verification
    now reads every output file's path too, under both front ends."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml",
        "  - sms-handbook\n",
        '  - sms-handbook:\n      attachments: {"assets/**": public}\n',
    )
    handbook.write("docs/assets/RSK-901-summary.txt", "an innocent text\n")
    result = run_cli("build", handbook.root, "--audience", "public", "--site-dir", tmp_path / "s")
    assert result.code == 1, result.output
    assert "assets/RSK-901-summary.txt: its path contains 'RSK-901'" in result.out
    assert not (tmp_path / "s" / "public").exists()
    plugin = direct_build(handbook.root, "mkdocs", tmp_path / "site", "public")
    assert plugin.code != 0
    assert "assets/RSK-901-summary.txt: its path contains 'RSK-901'" in plugin.err
    assert not (tmp_path / "site" / "assets" / "RSK-901-summary.txt").exists()


def test_mkdocs_macros_never_renders_a_page_again(tmp_path: Path) -> None:
    """Public pages asking mkdocs-macros to render them (`render_macros: true` in the front
    matter or in a meta file, or its `force_render_paths`) with template code the stage's
    sandbox leaves as text (`{% raw %}`): under `mkdocs build`, mkdocs-macros rendered them
    again, outside the sandbox and with the repository's git facts, so the restricted
    commit message reached the public. The stage renders every page's templates; now
    mkdocs-macros renders none, and the code stays text."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace("mkdocs.yml", "  - search\n", "  - search\n  - meta\n")
    handbook.replace(
        "mkdocs.yml", "  - macros\n", "  - macros:\n      force_render_paths: forced.md\n"
    )
    code = "{% raw %}GIT[{{ git.message }}]{% endraw %}"

    def page(title: str, extra: str = "") -> str:
        return f"---\ntitle: {title}\nclassification: public\n{extra}---\n\n# {title}\n\n{code}\n"

    handbook.write("docs/asked.md", page("Asked", "render_macros: true\n"))
    handbook.write("docs/forced.md", page("Forced"))
    handbook.write("docs/meta/.meta.yml", "render_macros: true\n")
    handbook.write("docs/meta/index.md", page("Meta"))
    site = tmp_path / "site"
    result = direct_build(handbook.root, "mkdocs", site / "public", "public")
    assert result.code == 0, result.err[-3000:]
    public = site_texts(site / "public")
    for name in ("asked/index.html", "forced/index.html", "meta/index.html"):
        assert "git[{{ git.message }}]" in public[name], name
    for name, text in public.items():
        assert "markgitr" not in text, name


def test_front_matter_naming_a_hidden_file_by_its_bare_name_is_scoped(tmp_path: Path) -> None:
    """A public page's front matter naming an internal attachment at the top of docs/ by its
    bare file name (`internal-notes.txt`: no slash, so it was not read as a path) in its
    description and `links:`: the stage kept it, and the build failed verification (the
    public description named the file). Now such a name counts as a path: the values go for
    the public and stay for staff."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.write("docs/internal-notes.txt", "staff notes\n")
    handbook.write(
        "docs/named.md",
        "---\ntitle: Named\nclassification: public\n"
        "description: MARKNAMEDI, ask for internal-notes.txt\n"
        "links: [internal-notes.txt, public-page.md]\n---\n\n# Named\n\nMARKNAMEDP\n",
    )
    public, internal = plugin_sites(handbook.root, tmp_path / "site", ("public", "internal"))
    assert "marknamedp" in public["named/index.html"]
    for name, text in public.items():
        assert "internal-notes" not in text and "marknamedi" not in text, name
    assert "marknamedi, ask for internal-notes.txt" in internal["named/index.html"]
