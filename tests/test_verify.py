"""The verifier finds hidden strings in every kind of output file, as whole words, at any scale."""

from __future__ import annotations

import bz2
import gzip
import html
import io
import json
import lzma
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sms_handbook import content, text_runs, verify
from sms_handbook.content import texts_of
from sms_handbook.core.build import build_handbook
from sms_handbook.core.scope import scope_to_audience
from sms_handbook.project import read_project
from sms_handbook.verify import (
    ContentScans,
    Secret,
    SecretFinder,
    file_text,
    scan,
    secrets_for,
    url_decoded,
)

from tests.conftest import Handbook
from tests.samples import pdf, png, tarred, zipped


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


def test_a_json_key_written_twice_is_read_with_both_values(tmp_path: Path) -> None:
    """A parser keeps a repeated key's last value, but the file holds the first too, and a
    reader can download it: both are searched, small file or large."""
    hidden = {"title": "Nightingale Heron", "title": "public"}  # noqa: F601
    small = '{"title": "Nightingale Heron", "title": "public"}'
    assert json.loads(small) == hidden
    (tmp_path / "data.json").write_text(small)
    large = '{"pad": "%s", "k": {"a": "Kestrel hall", "a": 1}}' % ("word " * 300_000)
    (tmp_path / "big.json").write_text(large)
    secrets = [Secret("Nightingale Heron", "title"), Secret("Kestrel hall", "title")]
    assert found(tmp_path, secrets) == {
        ("data.json", "Nightingale Heron"),
        ("big.json", "Kestrel hall"),
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


def test_a_percent_sign_that_escapes_nothing_joins_no_copy_of_the_text(tmp_path: Path) -> None:
    # Read twice, this text's end would meet its start: "Nightingale & Heron Migration Plan".
    (tmp_path / "page.txt").write_text("Heron Migration Plan: 99.9 % available. Nightingale &")
    secrets = [
        Secret("Nightingale & Heron Migration Plan", "title"),
        Secret("Heron Migration", "name"),  # short: matched as written
    ]
    assert found(tmp_path, secrets) == {("page.txt", "Heron Migration")}


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


# Files verification used to skip or misread: one case each (issue 24, points 6 and 7).
HIDDEN = [
    Secret("RST-901", "id of a hidden record", True, True),
    Secret("Nightingale Heron Migration Plan", "title of a hidden document", True),
]
SECRET_TEXT = b"Notes on RST-901: the Nightingale Heron Migration Plan."


def refused(site: Path, allow: tuple[str, ...] = ()) -> dict[str, str]:
    """File -> the message of every leak or refusal, as a build below the top audience
    reports them."""
    return {leak.file: str(leak) for leak in scan(site, HIDDEN, True, allow)}


def theme_file(name: str) -> Path:
    import material

    return Path(material.__file__).parent / "templates" / name


def test_a_shipped_theme_file_passes_and_anything_else_under_its_folders_is_read(
    tmp_path: Path,
) -> None:
    lunr = "assets/javascripts/lunr/min/lunr.de.min.js"
    shipped = tmp_path / lunr
    shipped.parent.mkdir(parents=True)
    shipped.write_bytes(theme_file(lunr).read_bytes())
    workers = tmp_path / "assets/javascripts/workers"
    workers.mkdir(parents=True)
    (workers / "notes" / "index.html").parent.mkdir()
    (workers / "notes" / "index.html").write_bytes(b"<p>" + SECRET_TEXT + b"</p>")
    (workers / "search.0123abcd.min.js").write_bytes(b"var x = '" + SECRET_TEXT + b"';")
    (tmp_path / "assets/javascripts/lunr/report.txt").write_bytes(SECRET_TEXT)
    changed = tmp_path / "assets/javascripts/lunr/min/lunr.fr.min.js"
    changed.write_bytes(theme_file(changed.relative_to(tmp_path).as_posix()).read_bytes())
    changed.write_bytes(changed.read_bytes() + b"\n// RST-901\n")
    assert set(refused(tmp_path)) == {
        "assets/javascripts/workers/notes/index.html",
        "assets/javascripts/workers/search.0123abcd.min.js",
        "assets/javascripts/lunr/report.txt",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
    }


def test_a_file_of_a_shipped_size_and_name_with_other_bytes_is_read(tmp_path: Path) -> None:
    """Shipped files are compared a part at a time: one byte changed past the first part of
    the package's 3.6 MB Mermaid script (same size, same path) makes it a file to search."""
    from importlib import resources

    name = "assets/sms-handbook/mermaid.min.js"
    installed = resources.files("sms_handbook").joinpath("data", "assets", "vendor")
    original = installed.joinpath("mermaid.min.js").read_bytes()
    site_file = tmp_path / name
    site_file.parent.mkdir(parents=True)
    site_file.write_bytes(original)
    assert refused(tmp_path) == {}
    middle = len(original) // 2
    secret = b"\n// RST-901\n"
    changed = original[:middle] + secret + original[middle + len(secret) :]
    assert len(changed) == len(original) and middle > 1 << 16
    site_file.write_bytes(changed)
    assert "RST-901" in refused(tmp_path)[name]


TITLE = "Nightingale Heron Migration Plan"
READ_BY_CONTENT = {
    "text-named.png": SECRET_TEXT,
    "text-chunk.png": png((b"tEXt", b"Title\x00" + TITLE.encode())),
    "compressed-chunk.png": png((b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET_TEXT))),
    "international-chunk.png": png(
        (b"iTXt", b"Title\x00\x01\x00en\x00\x00" + zlib.compress(TITLE.encode()))
    ),
    "comment.jpg": b"\xff\xd8\xff\xfe\x00\x3b" + SECRET_TEXT + b"\xff\xda" + bytes(64),
    "exif-title.jpg": b"\xff\xd8\xff\xe1\x00\x48Exif\x00\x00" + TITLE.encode("utf-16-le"),
    "font.woff": b"wOFF"
    + bytes(8)
    + (1).to_bytes(2)
    + bytes(30)
    + b"name"
    + (64).to_bytes(4)
    + (len(zlib.compress(SECRET_TEXT))).to_bytes(4)
    + bytes(8)
    + zlib.compress(SECRET_TEXT),
    "inventory.bin": zlib.compress(SECRET_TEXT),
    "utf-16.txt": SECRET_TEXT.decode().encode("utf-16"),
    "utf-16-no-bom.csv": SECRET_TEXT.decode().encode("utf-16-be"),
    "utf-32.txt": SECRET_TEXT.decode().encode("utf-32"),
    "book.epub": zipped({"mimetype": b"application/epub+zip", "OEBPS/ch1.xhtml": SECRET_TEXT}),
    "sheet.ods": zipped({"content.xml": b"<table:table-cell>RST-901</table:table-cell>"}),
    "tool.jar": zipped({"META-INF/MANIFEST.MF": b"Title: " + TITLE.encode()}),
    "notes.txt.xz": lzma.compress(SECRET_TEXT * 40),  # short input is stored as is
    "notes.txt.bz2": bz2.compress(SECRET_TEXT),
    "diagram.svgz": gzip.compress(b"<svg><text>" + SECRET_TEXT + b"</text></svg>"),
    "nested.tar.gz": gzip.compress(tarred({"inner.zip": zipped({"a/notes.txt": SECRET_TEXT})})),
    "brochure.pdf": pdf("Plan: Nightingale Heron Migration Plan, RST-901"),
}


@pytest.mark.parametrize("name", sorted(READ_BY_CONTENT))
def test_a_file_is_read_by_its_content_whatever_its_name(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(READ_BY_CONTENT[name])
    leaks = [leak.secret.text for leak in scan(tmp_path, HIDDEN, True)]
    assert leaks and set(leaks) <= {secret.text for secret in HIDDEN}, leaks


def test_an_image_without_hidden_text_passes(tmp_path: Path) -> None:
    (tmp_path / "plain.png").write_bytes(png((b"tEXt", b"Software\x00a drawing tool")))
    (tmp_path / "favicon.png").write_bytes(theme_file("assets/images/favicon.png").read_bytes())
    assert refused(tmp_path) == {}


def test_an_archive_beyond_the_limits_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bomb.zip").write_bytes(zipped({"zeros.txt": bytes(64 * 1024 * 1024)}))
    deep = SECRET_TEXT
    for _ in range(12):
        deep = gzip.compress(deep)
    (tmp_path / "deep.gz").write_bytes(deep)
    problems = refused(tmp_path)
    assert set(problems) == {"bomb.zip", "deep.gz"}
    assert "times its size" in problems["bomb.zip"]
    assert "nested" in problems["deep.gz"]


def test_what_cannot_be_read_is_refused_unless_verify_allow_names_it(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", b"x")
    encrypted = bytearray(buffer.getvalue())
    for at in (6, encrypted.find(b"PK\x01\x02") + 8):  # the "encrypted" flag: local, central
        encrypted[at] |= 1
    (tmp_path / "model.bin").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "archive.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(range(200)))
    (tmp_path / "locked.zip").write_bytes(encrypted)
    problems = refused(tmp_path)
    assert set(problems) == {"model.bin", "archive.7z", "locked.zip"}
    assert all("verify_allow" in message for message in problems.values())
    assert refused(tmp_path, allow=("model.bin", "archive.7z", "locked.zip")) == {}
    assert scan(tmp_path, HIDDEN, False) == []


def test_paths_of_hidden_pages_are_found_in_links_json_and_comments(
    handbook: Handbook, tmp_path: Path
) -> None:
    restricted = "---\ntitle: Plan\nclassification: restricted\n---\n\n# Plan\n"
    handbook.write("docs/internal/plan.md", restricted)
    handbook.write("docs/team/index.md", restricted)
    handbook.write("docs/about/team/index.md", "---\ntitle: Us\nclassification: internal\n---\n")
    project, problems = read_project(handbook.root, "internal")
    assert project is not None and not problems
    view, hidden = scope_to_audience(
        build_handbook(handbook.root, project.settings).handbook, "internal"
    )
    paths = {s.text for s in secrets_for(view, hidden) if s.is_path}
    assert {"internal/plan.md", "internal/plan/", "internal/plan.html"} <= paths
    assert not {"team/", "team/index.md"} & paths  # the visible about/team/ ends with them
    site = tmp_path / "site"
    site.mkdir()
    (site / "link.html").write_text('<a href="../internal/plan/#part">x</a>')
    (site / "export.json").write_text(json.dumps({"links": ["internal/plan.md"]}))
    (site / "comment.html").write_text("<p>ok</p><!-- see internal/plan.html -->")
    (site / "child.html").write_text('<a href="internal/plan/child/">a visible child</a>')
    (site / "other.html").write_text('<a href="about/team/">us</a> <a href="xinternal/plan/">')
    leaks = {leak.file for leak in scan(site, secrets_for(view, hidden))}
    assert leaks == {"link.html", "export.json", "comment.html"}


def test_a_comment_is_read_like_any_other_text(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>Plan</p>\n<!-- ask about RST-901 -->\n")
    (tmp_path / "odd.html").write_text("<p>Plan</p><!-- x --!> <!-- RST-901")
    assert found(tmp_path, HIDDEN[:1]) == {("page.html", "RST-901"), ("odd.html", "RST-901")}


def test_a_hidden_path_written_with_backslashes_is_found(tmp_path: Path) -> None:
    # browsers read `\` in a web address as `/`: `internal\plan.md` leads to the hidden page
    path = Secret("internal/plan.md", "path of a hidden document", is_path=True)
    (tmp_path / "page.html").write_text('<p><a href="internal\\plan.md">x</a></p>')
    (tmp_path / "json.json").write_text(json.dumps({"link": "..\\internal\\plan.md"}))
    (tmp_path / "other.html").write_text('<p><a href="internal\\planning.md">x</a></p>')
    assert {file for file, _text in found(tmp_path, [path])} == {"page.html", "json.json"}


def test_a_secret_holding_a_backslash_or_an_escape_is_found_anywhere(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        "<p>Plans kept at C:\\share\\heron wing of the east office, and more text after.</p>"
    )
    (tmp_path / "b.html").write_text("<p>Report: Kestrel%20budget for the spring term. End.</p>")
    secrets = [
        Secret("C:\\share\\heron wing of the east office", "text"),
        Secret("Kestrel%20budget for the spring term", "text"),
    ]
    assert found(tmp_path, secrets) == {
        ("a.html", "C:\\share\\heron wing of the east office"),
        ("b.html", "Kestrel%20budget for the spring term"),
    }


def test_a_site_verified_again_reads_nothing_twice_and_misses_nothing(tmp_path: Path) -> None:
    """mkdocs-static-i18n's site is verified after each language with what the first
    verification read: each copy of a content and each file name is judged again."""
    site = tmp_path / "site"
    (site / "fr").mkdir(parents=True)
    # (pages with an entity, as real ones have: `as_written` does not judge them by bytes)
    (site / "page.html").write_bytes(b"<p>" + SECRET_TEXT + b" &amp; more</p>")
    (site / "image.png").write_bytes(png((b"tEXt", b"Comment\x00" + SECRET_TEXT)))
    (site / "data.bin").write_bytes(b"\x00\x01\x02 unreadable RST-901")
    contents = ContentScans()
    first = {str(leak) for leak in scan(site, HIDDEN, True, ("data.bin",), contents)}
    assert len(contents.found) == 3
    (site / "fr" / "page.html").write_bytes((site / "page.html").read_bytes())
    (site / "fr" / "data.bin").write_bytes((site / "data.bin").read_bytes())
    (site / "fr" / "RST-901.html").write_text("<p>Bonjour &amp; adieu</p>", encoding="utf-8")
    again = {str(leak) for leak in scan(site, HIDDEN, True, ("data.bin",), contents)}
    assert again == {str(leak) for leak in scan(site, HIDDEN, True, ("data.bin",))}
    assert first < again
    new = {text.split(":")[0] for text in again - first}
    assert new == {"fr/page.html", "fr/data.bin", "fr/RST-901.html"}
    # other secrets (another audience): nothing kept is used
    assert scan(site, [], True, ("data.bin",), contents) == []
    # the two pages' and data files' contents once each; with nothing hidden the picture is
    # searched for placeholders alone, in less time than its digest takes: not remembered
    assert len(contents.found) == 3


def _as_latin1(data: bytes) -> str:
    return data.decode("latin-1")  # a binary's bytes as verification reads them


ESCAPE_PIECES = st.sampled_from([*"%0123456789abcdefABCDEFgz /-", "\xe9", "\xff", "\u0100", "\x00"])


@settings(max_examples=2000)
@given(st.lists(ESCAPE_PIECES, max_size=60).map("".join) | st.binary().map(_as_latin1))
def test_url_escapes_are_decoded_as_urllib_decodes_them(text: str) -> None:
    """Verification decodes a file's URL escapes in one pass (the bytes of large pictures
    took `unquote` seconds); what it reads is what `unquote` reads, broken escapes, runs that
    are no UTF-8 and the bytes of binaries included."""
    assert url_decoded(text) == unquote(text)


def test_white_space_and_case_are_what_python_knows() -> None:
    assert set(text_runs.WHITE_SPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert all(chr(c).lower() == chr(c) for c in range(text_runs.CASED_BELOW, 0x110000))


RUN_SECRETS = [
    Secret("RSK-901", "id", is_id=True),
    Secret("Heron wing relocation plan for the east office", "text"),
    Secret("Ærø café budget", "text"),
    Secret("restricted/kestrel.md", "path", is_path=True),
]


def _disguised(text: str, how: int) -> str:
    """A secret as a binary's metadata may hold it: another case, escaped, spaced otherwise."""
    if how == 1:
        return text.upper()
    if how == 2:
        return "".join(f"%{ord(c):02X}" if c.isascii() else c for c in text)
    if how == 3:
        return text.replace(" ", "\r\n\t ")
    if how == 4:
        return text.replace("K", "\u212a").replace("k", "\u212a")  # the Kelvin sign
    return text


@settings(max_examples=300)
@given(
    st.binary(max_size=400),
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 400)),
        max_size=3,
    ),
    st.sampled_from(["latin-1", "utf-8", "utf-16-le"]),
)
def test_a_binary_is_searched_in_its_runs_as_it_is_whole(
    noise: bytes, inserted: list[tuple[int, int, int]], encoding: str
) -> None:
    """Pictures and fonts are searched only in the runs of their text a secret can occur in
    (seconds on a site with 80 MB of pictures): what is found is what a search of the whole
    text finds, whatever the case, escapes, spacing or encoding of what they hold."""
    data = bytearray(noise)
    for which, how, at in inserted:
        text = _disguised(RUN_SECRETS[which].text, how)
        data[at:at] = f" {text} ".encode(encoding, errors="replace")
    picture = b"\xff\xd8\xff" + bytes(data)  # read as a JPEG: its bytes as text
    whole = {s.text for s in SecretFinder(RUN_SECRETS)(file_text(texts_of(picture)))}
    runs = {s.text for s in verify._read(picture, SecretFinder(RUN_SECRETS)).secrets}
    assert runs == whole
    if encoding == "utf-8" and len(inserted) == 1:  # (a second may land inside the first)
        which, how, _at = inserted[0]  # every disguise can be written in UTF-8: it is found,
        assert how == 1 or RUN_SECRETS[which].text in whole  # a short text only as written


def test_with_no_secrets_a_binary_is_read_in_runs_as_long_as_a_placeholder() -> None:
    """The top audience's site hides nothing, yet its pictures are still read for a stage
    placeholder left in them: in runs as long as the shortest placeholder, not of any length
    (each printable byte of 80 MB of pictures was a run of its own: 16 s instead of 1)."""
    shortest = verify.SHORTEST_PLACEHOLDER
    assert text_runs.run_characters([], shortest)[1] == shortest
    finder = SecretFinder([])
    noise = bytes(range(256)) * 4
    for placeholder in verify.PLACEHOLDERS:
        picture = b"\xff\xd8\xff" + noise + placeholder.encode() + noise
        assert verify._read(picture, finder).unrestored
    assert not verify._read(b"\xff\xd8\xff" + noise + b"SMSHTM" + noise, finder).unrestored


def test_with_no_secrets_a_placeholder_in_a_pictures_utf16_text_is_still_found() -> None:
    """The top audience's pictures are searched for the placeholders only, by their bytes:
    in UTF-16 of either order too (EXIF's Windows tags), as the runs of UTF-16 found them."""
    finder = SecretFinder([])
    noise = bytes(range(256)) * 4
    for placeholder in verify.PLACEHOLDERS:
        for codec in ("utf-16-le", "utf-16-be"):
            picture = b"\xff\xd8\xff" + noise + placeholder.encode(codec) + noise
            assert verify._read(picture, finder).unrestored, (placeholder, codec)


UTF16_PIECES = st.sampled_from(
    [b"\x00", b"\x00\x00", b"a\x00", b"\x00a", b"\xe9\x00", b"\x01", b"A", b"\xff", b" \x00"]
)


@settings(max_examples=1500)
@given(st.lists(UTF16_PIECES | st.binary(max_size=3), max_size=80).map(b"".join))
def test_utf16_runs_are_found_where_a_search_of_every_byte_finds_them(data: bytes) -> None:
    """The UTF-16 text of a binary is looked for only around chains of NUL bytes (trying the
    pattern at every byte of a picture took seconds): the same runs, in the same order."""
    for pattern in (content._UTF16_LE_RUNS, content._UTF16_BE_RUNS):
        assert content.utf16_runs(data, pattern) == pattern.findall(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=30,
)


def _written_order(value: object, keys: bool) -> list[str]:
    """The strings of a value as a reader of its JSON text meets them, one after another."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k][:keys] + _written_order(v, keys)]
    if isinstance(value, list):
        return [s for v in value for s in _written_order(v, keys)]
    return []


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_a_json_file_is_read_as_its_strings_in_the_order_written(value: object) -> None:
    """The order matters: two strings side by side read as one text (a secret can span
    them), so the walk must put them side by side as the file does, keys among values."""
    assert verify._strings(value, keys=True) == _written_order(value, keys=True)
    assert verify._strings(value) == _written_order(value, keys=False)
    text = json.dumps(value)
    if text.lstrip()[:1] in ("{", "["):
        expected = html.unescape("\n".join(_written_order(value, keys=True)))
        assert verify._readable(text) == expected


def _read_by_scans(data: bytes) -> verify.Reading:
    """What verification judges a content by with nothing hidden (the top audience)."""
    return verify.ContentScans().reading(data, SecretFinder([]))


def _texts_to_defeat_a_byte_search() -> list[bytes]:
    """Contents whose readable text holds a placeholder that their bytes do not, as written."""
    found = []
    for placeholder in verify.PLACEHOLDERS:
        first, rest = placeholder[0], placeholder[1:]
        found += [
            f"<p>&#{ord(first)};{rest}</p>".encode(),  # a character reference
            f"<p>&#x{ord(first):x}{rest}</p>".encode(),
            json.dumps({"text": placeholder}).replace(first, f"\\u{ord(first):04x}", 1).encode(),
            b"\xff\xfe" + placeholder.encode("utf-16-le"),  # UTF-16 with and without a BOM
            f"<p>{placeholder}</p>".encode("utf-16-le"),
            zlib.compress(placeholder.encode() * 3),  # a zlib stream starts with an `x`
            gzip.compress(placeholder.encode()),
            b"\x00" + placeholder.encode(),
            b"caf\xe9 " + placeholder.encode(),  # not UTF-8: read as cp1252 too
        ]
    return found


def test_with_no_secrets_a_text_read_as_written_is_judged_by_its_bytes() -> None:
    """A text whose readable form is pieces of it as written (UTF-8, no character reference
    and no JSON escape can be in it) holds a placeholder only if its bytes do: with nothing
    hidden it is not parsed (a search index, a JSON attachment), nor counted as read, and its
    placeholder is still found. Texts that could hide one from a byte search are read."""
    large_json = json.dumps(
        {"docs": [{"title": f"Page {n}", "text": "words " * 40} for n in range(1200)]}
    ).encode()
    large_page = b"<html><body>" + b"<p>Plain prose.</p>\n" * 20000 + b"</body></html>"
    assert len(large_json) >= verify.STREAMED and len(large_page) >= verify.STREAMED
    for clean in (large_json, large_page, b'{"a": ["b", {"c": "d"}]}', "é ü".encode()):
        assert verify.as_written(clean)
        contents = verify.ContentScans()
        assert contents.reading(clean, SecretFinder([])) == verify.Reading([], None, False)
        assert contents.read == 0  # judged by its bytes: not read
        assert _read_by_scans(clean) == verify._read(clean, SecretFinder([]))
    for placeholder in verify.PLACEHOLDERS:
        for left in (
            json.dumps({"key": f"x {placeholder} y"}).encode(),
            json.dumps({f"{placeholder}0001": 1}).encode(),
            large_json[:-2] + f', "{placeholder}"]}}'.encode(),
            large_page.replace(b"Plain", placeholder.encode(), 1),
        ):
            assert verify.as_written(left)
            assert (
                _read_by_scans(left).unrestored and verify._read(left, SecretFinder([])).unrestored
            )
    for disguised in _texts_to_defeat_a_byte_search():
        assert not verify.as_written(disguised), disguised
        assert _read_by_scans(disguised).unrestored, disguised


def _repository_texts() -> list[bytes]:
    """The texts of the corpus's sites, the documentation and the package's own assets."""
    root = Path(__file__).resolve().parent.parent
    folders = [root / "tests" / "corpus", root / "docs", root / "plugins" / "sms_handbook" / "data"]
    return [p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()]


def test_with_no_secrets_every_content_is_judged_as_reading_it_judges() -> None:
    """The byte search above gives what `_read` gives, on every file of the repository's
    sites and assets (pages, scripts, style sheets, JSON, pictures) and the texts made to
    defeat it; some of them are judged by their bytes, so the comparison is not vacuous."""
    contents = [*_repository_texts(), *_texts_to_defeat_a_byte_search()]
    assert sum(map(verify.as_written, contents)) > 20
    for data in contents:
        assert _read_by_scans(data) == verify._read(data, SecretFinder([])), data[:80]


TEXT_PIECES = st.sampled_from(
    [
        '{"',
        '"',
        '": ',
        ", ",
        "}",
        "[",
        "]",
        "<p>",
        "\n",
        " ",
        "SMS",
        "HTML",
        "SMSHTML",
        "PRINTDOCUMENTS",
        "<!-- sms-page ",
        "&",
        "&#83;",
        "\\",
        "\\u0053",
        "é",
        "x",
        "\x00",
    ]
)


@settings(max_examples=1500)
@given(st.lists(TEXT_PIECES, max_size=40).map("".join))
def test_with_no_secrets_any_text_is_judged_as_reading_it_judges(text: str) -> None:
    data = text.encode("utf-8")
    assert _read_by_scans(data) == verify._read(data, SecretFinder([]))
