"""Leak suite: a marker at every level of every kind, each audience built, every file scanned.

The fixture handbook (tests/fixtures/leaks) plants a unique marker in a page title, heading,
body and front-matter field, an unmarked page, a record, a field, `restricted_fields`, a
custom register and its field, link text, nav entries, a snippet include, an HTML comment,
macro output (`register_table`, `{{ config }}`, `{% include %}`, `{{ git }}`), attachments
(plain, a zip holding a gzip file, a PDF whose text is compressed) and the repository link.
Each audience is built with `sms-handbook build`; every output file is searched by its content
(`tests.site_text`: archives unpacked, PDFs read as text, case and white space ignored). A
marker must appear in exactly the audiences allowed to see it, so an empty site cannot pass.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Handbook, Run, commit_all, mkdocs_build, run_cli
from tests.samples import pdf, zipped
from tests.site_text import site_texts

AUDIENCES = ("public", "internal", "restricted")
ENGINES = ("mkdocs", "properdocs", "zensical")
PLUGIN = "mkdocs-plugin"  # `mkdocs build` with the plugin (and its workers), audience by audience
# marker -> the lowest audience that may see it (None: no audience; the build removes it)
MARKERS: dict[str, str | None] = {
    "MARKTITLEI": "internal",  # page title
    "MARKHEADINGI": "internal",  # heading
    "MARKBODYI": "internal",  # body
    "MARKDESCI": "internal",  # front-matter field (description, used in <meta>)
    "MARKTITLER": "restricted",
    "MARKHEADINGR": "restricted",
    "MARKBODYR": "restricted",
    "MARKDESCR": "restricted",
    "MARKUNMARKED": "internal",  # a page without classification
    "MARKRECORDI": "internal",  # an internal record in a public register
    "MARKRECORDR": "restricted",  # a restricted record in an internal register
    "MARKFIELDI": "internal",  # a field annotated x-classification: internal
    "MARKRFIELDR": "restricted",  # a field listed in restricted_fields
    "MARKCUSTOMI": "internal",  # a record of a custom register kind
    "MARKCUSTOMFIELDR": "restricted",  # its x-classification: restricted field
    "MARKAGREEMENTI": "internal",  # title of a document a public record references
    "MARKLINKTEXTI": "internal",  # text of a public page's link to an internal page
    "MARKLINKTEXTR": "restricted",
    "MARKNAVI": "internal",  # explicit nav entries
    "MARKNAVR": "restricted",
    "MARKSNIPPETI": "internal",  # pymdownx.snippets include
    "MARKATTACHI": "internal",  # an attachment left in docs/
    "MARKZIPI": "internal",  # in a gzip file inside a zip attachment
    "MARKPDFI": "internal",  # in the compressed text of a PDF attachment
    "MARKREPO": "restricted",  # repository and edit links: for who reads repository facts
    "MARKGITR": "restricted",  # git metadata through macros
    "MARKCOMMENT": "public",  # an HTML comment: kept, as plain MkDocs keeps it
    "MARKNOTEI": "internal",  # a comment naming an internal page: cut below internal
}
HIDDEN_IDS = {
    "INT-901": "internal",
    "AGR-901": "internal",
    "RST-901": "restricted",
    "SVC-902": "internal",
    "RSK-901": "restricted",
    "RSK-902": "internal",
}


def readable(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return html.unescape(data.decode("utf-8", errors="replace"))


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def leaks_repository(destination: Path) -> Handbook:
    shutil.copytree(FIXTURES / "leaks", destination)
    notes = gzip.compress(b"Evidence: MARKZIPI, " * 50)
    evidence = zipped({"evidence/notes.txt.gz": notes})
    (destination / "docs/files/internal-evidence.zip").write_bytes(evidence)
    brochure = pdf("A brochure on MARKPDFI")
    (destination / "docs/files/internal-brochure.pdf").write_bytes(brochure)
    commit_all(destination, "MARKGITR: a commit message")
    return Handbook(destination)


def direct_build(root: Path, engine: str, site: Path, audience: str) -> Run:
    """`ENGINE build` on the repository's own mkdocs.yml in a process of its own (the plugin
    stages the audience; its workers only fork where no threads run, unlike in pytest)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("SMS_WORKERS", "SMS_GUARD_PROOF")
    }
    result = subprocess.run(
        [sys.executable, "-m", engine, "build", "-v", "-d", str(site)],
        cwd=root,
        env={**environment, "SMS_AUDIENCE": audience, "SMS_WORKERS": "1"},  # whatever its size
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def plugin_builds(root: Path, site: Path) -> str:
    """Each audience built by real `mkdocs build` processes, as the README tells."""
    logs = [f"(engine {PLUGIN})"]
    for audience in AUDIENCES:
        result = direct_build(root, "mkdocs", site / audience, audience)
        assert result.code == 0, result.err[-3000:]
        logs.append(result.err)
    return "\n".join(logs)


@pytest.fixture(scope="module", params=(*ENGINES, PLUGIN))
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Handbook, Path, str]:
    """The leak handbook built for every audience by one engine (each engine in turn)."""
    handbook = leaks_repository(tmp_path_factory.mktemp("leaks") / "handbook")
    site = handbook.root / "site"
    if request.param == PLUGIN:
        return handbook, site, plugin_builds(handbook.root, site)
    result = run_cli("build", handbook.root, "--engine", request.param)
    assert result.code == 0, result.output
    return handbook, site, result.out


@pytest.fixture(scope="module")
def contents(built: tuple[Handbook, Path, str]) -> dict[str, dict[str, str]]:
    _handbook, site, _out = built
    return {
        audience: {
            p.relative_to(site / audience).as_posix(): readable(p)
            for p in (site / audience).rglob("*")
            if p.is_file()
        }
        for audience in AUDIENCES
    }


@pytest.fixture(scope="module")
def searched(built: tuple[Handbook, Path, str]) -> dict[str, dict[str, str]]:
    """Each audience's files -> all the text a reader can take out of them, lower case."""
    _handbook, site, _out = built
    return {audience: site_texts(site / audience) for audience in AUDIENCES}


def found_in(texts: dict[str, str], marker: str) -> list[str]:
    return [name for name, text in texts.items() if marker.casefold() in text]


def allowed(audience: str, lowest: str | None) -> bool:
    return lowest is not None and AUDIENCES.index(audience) >= AUDIENCES.index(lowest)


# What an engine cannot show, by design of the engine (the README's engine table says so).
ENGINE_LACKS = {"zensical": {"MARKREPO"}}  # edit links need repo_url, which we leave out


@pytest.mark.parametrize("marker", sorted(MARKERS))
def test_marker_appears_exactly_where_allowed(
    marker: str, searched: dict[str, dict[str, str]], built: tuple[Handbook, Path, str]
) -> None:
    engine = built[2].split("engine ", 1)[-1].split(")", 1)[0]
    if marker in ENGINE_LACKS.get(engine, set()):
        for audience in AUDIENCES:
            assert not found_in(searched[audience], marker)
        return
    for audience in AUDIENCES:
        where = found_in(searched[audience], marker)
        if allowed(audience, MARKERS[marker]):
            assert where, f"{marker} missing from the {audience} site"
        else:
            assert not where, f"{marker} leaked into the {audience} site: {where}"


@pytest.mark.parametrize("item_id", sorted(HIDDEN_IDS))
def test_identifiers_of_hidden_items_appear_nowhere_below_them(
    item_id: str, searched: dict[str, dict[str, str]]
) -> None:
    pattern = re.compile(rf"(?<![\w-]){re.escape(item_id.casefold())}(?![\w-])")
    for audience in AUDIENCES:
        where = [name for name, text in searched[audience].items() if pattern.search(text)]
        assert bool(where) == allowed(audience, HIDDEN_IDS[item_id]), (item_id, audience, where)


def test_every_file_kind_is_scanned(
    contents: dict[str, dict[str, str]], built: tuple[Handbook, Path, str]
) -> None:
    names = set(contents["internal"])
    if "engine zensical" in built[2]:
        assert {"search.json", "sitemap.xml", "404.html", "sms-manifest.json"} <= names
    else:
        assert {"search/search_index.json", "sitemap.xml.gz", "404.html"} <= names
    assert "sms-manifest.json" in names
    assert "handbook/export.json" in names and "files/internal-report.txt" in names
    assert {"files/internal-evidence.zip", "files/internal-brochure.pdf"} <= names


def test_build_reports_progress_for_each_audience(built: tuple[Handbook, Path, str]) -> None:
    _handbook, _site, out = built
    if f"engine {PLUGIN}" in out:
        for audience in AUDIENCES:
            assert f"building the {audience} handbook" in out
        assert out.count("a worker writes the generated pages beside MkDocs") == 3
        return
    assert re.search(r"^building 3 audiences with 2 workers \(engine \w+\)$", out, re.M)
    for audience in AUDIENCES:
        assert re.search(rf"^\[\d/3\] {audience}: built and verified in [0-9.]+ s", out, re.M)


def test_public_catalogue_shows_live_public_services_and_public_fields(
    contents: dict[str, dict[str, str]],
) -> None:
    catalogue = contents["public"]["handbook/catalogue/index.html"]
    assert "Public desk" in catalogue and "The public service." in catalogue
    service = contents["public"]["handbook/catalogue/svc-001/index.html"]
    assert "Response" in service and "1 hour" in service
    assert "Service owner" not in service and "Criticality" not in service
    assert "restricted item" not in service or "AGR-901" not in service


def test_non_public_sites_carry_a_banner_and_noindex(contents: dict[str, dict[str, str]]) -> None:
    for audience in AUDIENCES:
        page = contents[audience]["index.html"]
        marked = audience != "public"
        assert ('<meta name="robots" content="noindex, nofollow">' in page) == marked
        assert (f'class="sms-audience-banner sms-audience-{audience}"' in page) == marked


def test_no_page_loads_anything_from_another_host(contents: dict[str, dict[str, str]]) -> None:
    loads = re.compile(
        r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"([^\"]+)\"|<link\b[^>]*\bhref=\"([^\"]+)\""
    )
    for audience in AUDIENCES:
        for name, text in contents[audience].items():
            if not name.endswith(".html"):
                continue
            for match in loads.finditer(text):
                url = match.group(1) or match.group(2)
                assert not re.match(r"(https?:)?//", url), f"{audience}/{name} loads {url}"


def test_manifest_names_the_audience(contents: dict[str, dict[str, str]]) -> None:
    import json

    for audience in AUDIENCES:
        manifest = json.loads(contents[audience]["sms-manifest.json"])
        assert manifest["audience"] == audience
    assert "RST-901" not in contents["internal"]["sms-manifest.json"]


def test_mkdocs_without_the_plugin_fails_closed(tmp_path: Path) -> None:
    """The guard extension refuses every page when nothing staged the audience."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      enabled: false\n"
    )
    error, _log = mkdocs_build(handbook.root, tmp_path / "site", "public", strict=False)
    assert error is not None and "this page was not staged for an audience" in error
    written = [p for p in (tmp_path / "site").rglob("*.html") if p.name != "404.html"]
    assert not written


def test_the_cli_stages_whatever_the_plugin_option_says(tmp_path: Path) -> None:
    """`sms-handbook build` scopes through the stage, not through the plugin having run."""
    handbook = leaks_repository(tmp_path / "handbook")
    handbook.replace(
        "mkdocs.yml", "  - sms-handbook\n", "  - sms-handbook:\n      enabled: false\n"
    )
    result = run_cli("build", handbook.root, "--audience", "public")
    assert result.code == 0, result.output
    site = handbook.root / "site" / "public"
    assert not (site / "internal").exists()
    assert "MARKBODYI" not in "".join(readable(p) for p in site.rglob("*.html"))


def test_a_build_that_fails_half_way_keeps_the_previous_site(tmp_path: Path) -> None:
    handbook = leaks_repository(tmp_path / "handbook")
    assert run_cli("build", handbook.root, "--audience", "internal").code == 0
    previous = tree_hash(handbook.root / "site" / "internal")
    # A navigation entry to a page that does not exist stops MkDocs half way (a broken link
    # in a page would stop the build before it starts: validate's SMS206)
    handbook.replace("mkdocs.yml", "  - Unmarked: unmarked.md\n", "  - Gone: missing-page.md\n")
    result = run_cli("build", handbook.root, "--audience", "internal")
    assert result.code == 1, result.output
    assert "internal: build failed" in result.out and "missing-page.md" in result.out
    assert tree_hash(handbook.root / "site" / "internal") == previous
    handbook.replace("mkdocs.yml", "  - Gone: missing-page.md\n", "  - Unmarked: unmarked.md\n")
    handbook.write("docs/broken.md", "# Broken\n\nA link to [nowhere](missing-page.md).\n")
    stopped = run_cli("build", handbook.root, "--audience", "internal")
    assert stopped.code == 2 and "docs/broken.md:3:11: SMS206" in stopped.err, stopped.output
    assert tree_hash(handbook.root / "site" / "internal") == previous
