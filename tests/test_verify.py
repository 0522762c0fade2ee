"""The verifier finds hidden strings in every kind of output file, as whole words, at any scale."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from sms_handbook.core.build import build_handbook
from sms_handbook.core.scope import scope_to_audience
from sms_handbook.project import read_project
from sms_handbook.verify import Secret, scan, secrets_for

from tests.conftest import Handbook


def found(site: Path, secrets: list[Secret]) -> set[tuple[str, str]]:
    return {(leak.file, leak.secret.text) for leak in scan(site, secrets)}


def test_scan_reads_html_entities_gzip_and_json_escapes(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "page.html").write_text("<p>Plan for Nightingale &amp; Heron</p>")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>/risks/#RSK-077</loc>"))
    index = {"docs": [{"text": "the Kestrel migration \u00e9tude"}]}
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index))
    secrets = [
        Secret("Nightingale & Heron", "title"),
        Secret("RSK-077", "id"),
        Secret("Kestrel migration \u00e9tude", "text"),
    ]
    assert found(tmp_path, secrets) == {
        ("page.html", "Nightingale & Heron"),
        ("sitemap.xml.gz", "RSK-077"),
        ("search/search_index.json", "Kestrel migration \u00e9tude"),
    }


def test_an_identifier_is_found_only_as_a_whole_word(tmp_path: Path) -> None:
    (tmp_path / "longer.html").write_text("RSK-10 and XRSK-1 and RSK-12")
    (tmp_path / "exact.html").write_text("see (RSK-1).")
    (tmp_path / "end.html").write_text("RSK-1")
    (tmp_path / "suffix.html").write_text('<a href="RSK-1_evidence.pdf">RSK-1a</a>')
    assert found(tmp_path, [Secret("RSK-1", "id", True, True)]) == {
        ("exact.html", "RSK-1"),
        ("end.html", "RSK-1"),
        ("suffix.html", "RSK-1"),
    }


def test_case_line_breaks_url_escapes_and_json_keys_do_not_hide_a_secret(tmp_path: Path) -> None:
    (tmp_path / "lower.html").write_text("<p>the nightingale &amp; heron migration plan</p>")
    (tmp_path / "split.html").write_text("<p>Nightingale &amp;\n  Heron Migration\nPlan</p>")
    (tmp_path / "url.html").write_text(
        '<a href="/x/?q=Nightingale%20%26%20Heron%20Migration%20Plan">x</a>'
    )
    (tmp_path / "keys.json").write_text(json.dumps({"SEC-901": {"n": 1}}))
    (tmp_path / "letter.html").write_text("<p>see SEC-901a</p>")
    secrets = [
        Secret("Nightingale & Heron Migration Plan", "title"),
        Secret("SEC-901", "id", True, True),
    ]
    assert found(tmp_path, secrets) == {
        ("lower.html", "Nightingale & Heron Migration Plan"),
        ("split.html", "Nightingale & Heron Migration Plan"),
        ("url.html", "Nightingale & Heron Migration Plan"),
        ("keys.json", "SEC-901"),
        ("letter.html", "SEC-901"),
    }


def test_compressed_attachments_are_refused_below_the_highest_audience(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "evidence.zip").write_bytes(gzip.compress(b"SEC-901"))
    (tmp_path / "files" / "brochure.pdf").write_bytes(b"%PDF-1.7 compressed")
    leaks = scan(tmp_path, [], refuse_compressed=True, allow=["brochure.pdf"])
    assert [(leak.file, str(leak).split(": ", 1)[1][:30]) for leak in leaks] == [
        ("files/evidence.zip", "a compressed file whose conten")
    ]
    assert scan(tmp_path, [], refuse_compressed=False) == []


def test_one_leak_among_twenty_thousand_secrets_in_a_large_file(tmp_path: Path) -> None:
    secrets = [Secret(f"Hidden risk number {i} of the plan", "text") for i in range(20_000)]
    filler = "Visible risk number 7 of the plan. " * 60_000
    (tmp_path / "big.html").write_text(filler + "Hidden risk number 12345 of the plan." + filler)
    assert found(tmp_path, secrets) == {("big.html", "Hidden risk number 12345 of the plan")}


def test_hidden_text_that_a_visible_value_contains_is_not_searched(handbook: Handbook) -> None:
    handbook.replace(
        "registers/risks.yaml",
        "    actions: [Test restores monthly.]\n",
        "    actions: [Test restores monthly.]\n    classification: restricted\n",
    )
    project, problems = read_project(handbook.root, "internal")
    assert project is not None and not problems
    model = build_handbook(handbook.root, project.settings).handbook
    view, hidden = scope_to_audience(model, "internal")
    texts = {secret.text: secret.what for secret in secrets_for(view, hidden)}
    assert "RSK-001" in texts and "id of a hidden risks record" in texts["RSK-001"]
    assert "Backup storage fails" in texts  # three words of letters: distinctive
    assert "Test restores monthly." in texts
    assert "reduce" not in texts  # one short word: not distinctive
    assert "SVC-002" not in texts  # a visible service it refers to
    allowed = secrets_for(view, hidden, allow=["We Test restores monthly. as agreed"])
    assert "Test restores monthly." not in {secret.text for secret in allowed}
    assert "Backup storage fails" in {secret.text for secret in allowed}
