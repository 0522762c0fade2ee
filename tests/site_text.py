"""What a reader can get out of every file of a built site, for the leak suite.

Written apart from `sms_handbook.content` so that the leak suite does not trust the code it
tests: files are recognised by their first bytes, archives and compressed files unpacked
(nested too), PDFs read as text with pypdf, UTF-16/32 decoded, entities decoded, and the text
made lower case with every run of white space one space.
"""

from __future__ import annotations

import bz2
import gzip
import html
import io
import lzma
import tarfile
import zipfile
from pathlib import Path


def searchable(text: str) -> str:
    return " ".join(html.unescape(text).split()).casefold()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    metadata = [str(value) for value in (reader.metadata or {}).values()]
    return "\n".join([*metadata, *(page.extract_text() for page in reader.pages)])


def _members(data: bytes) -> list[bytes] | None:
    """The files inside an archive, or None when `data` is no archive."""
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(name) for name in archive.namelist()]
    if data[257:262] == b"ustar":
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            found = (archive.extractfile(m) for m in archive.getmembers() if m.isfile())
            return [stream.read() for stream in found if stream is not None]
    return None


UNPACK = {b"\x1f\x8b": gzip.decompress, b"BZh": bz2.decompress, b"\xfd7zXZ": lzma.decompress}
BOMS = {b"\xff\xfe\x00\x00": "utf-32", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def file_text(data: bytes, depth: int = 0) -> str:
    """Every text a reader can take out of `data`, as it is (not yet `searchable`)."""
    assert depth < 10, "archives nested too deep for a test site"
    for magic, unpack in UNPACK.items():
        if data.startswith(magic):
            return file_text(unpack(data), depth + 1)
    members = _members(data)
    if members is not None:
        return "\n".join(file_text(member, depth + 1) for member in members)
    if data.startswith(b"%PDF-"):
        return _pdf_text(data)
    for bom, codec in BOMS.items():
        if data.startswith(bom):
            return data.decode(codec)
    return data.decode("utf-8", errors="replace")


def site_texts(site: Path) -> dict[str, str]:
    """Each file of a built site (by its path in the site) -> its `searchable` text."""
    return {
        path.relative_to(site).as_posix(): searchable(file_text(path.read_bytes()))
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }
