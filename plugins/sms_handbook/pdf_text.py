"""The text of a PDF, for verification: what its pages show, and every string and stream.

Page text is extracted with pypdf, which maps glyphs back to characters as a reader sees them
(text in a Flate-compressed stream, or in a font's own encoding, is invisible in the file's
bytes). Besides the pages, every object reachable from the trailer is read: strings (metadata,
outlines, annotations, form fields) and decoded streams (XMP, content streams), and embedded
files are read as files of their own. Without pypdf a PDF cannot be read: inflating streams by
hand would miss text in fonts' own encodings, so the PDF is refused instead.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Callable, Iterator
from typing import Any

from .unpack import UnreadableError


def pdf_texts(
    data: bytes, nested: Callable[[bytes], Iterator[str]], take: Callable[[int], None]
) -> Iterator[str]:
    """Every text of a PDF; `nested` reads an embedded file, `take` counts decoded bytes."""
    yield data.decode("latin-1")
    with _quiet():  # pypdf logs each oddity of a damaged file; the refusal says it all
        texts, attachments = _read(data, take)
    yield from texts
    for name, contents in attachments.items():
        yield name
        for content in contents:
            yield from nested(content)


def _read(data: bytes, take: Callable[[int], None]) -> tuple[list[str], dict[str, list[bytes]]]:
    reader = _reader(data)
    texts = []
    try:
        for page in reader.pages:
            texts.append(page.extract_text())
            take(len(texts[-1]))
        for value in _objects(reader.trailer):
            if isinstance(value, bytes):
                take(len(value))
                texts += [value.decode("latin-1"), value.decode("utf-8", errors="replace")]
            else:
                texts.append(value)
        return texts, dict(reader.attachments)
    except UnreadableError:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged or hostile file
        raise UnreadableError(f"a PDF that cannot be read ({type(error).__name__})") from None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _reader(data: bytes) -> Any:
    try:
        from pypdf import PdfReader
    except ImportError:
        raise UnreadableError(
            "a PDF, whose text cannot be read without pypdf (pip install pypdf)"
        ) from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableError("an encrypted PDF")
    except UnreadableError:
        raise
    except Exception as error:
        raise UnreadableError(f"a PDF that cannot be read ({type(error).__name__})") from None
    return reader


def _objects(root: Any) -> Iterator[str | bytes]:
    """Every string (as text) and decoded stream (as bytes) reachable from `root`."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
        TextStringObject,
    )

    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            if (value.idnum, value.generation) in seen:
                continue
            seen.add((value.idnum, value.generation))
            pending.append(value.get_object())
        elif isinstance(value, StreamObject):
            pending.extend(value.values())
            if value.get("/Subtype") != "/Image":  # pixels, however many, hold no text
                yield _decoded(value)
        elif isinstance(value, DictionaryObject):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, ArrayObject):
            pending.extend(value)
        elif isinstance(value, TextStringObject):
            yield str(value)
            yield value.original_bytes
        elif isinstance(value, bytes | str):  # byte strings and names
            yield bytes(value) if isinstance(value, bytes) else str(value)


def _decoded(stream: Any) -> bytes:
    try:
        return bytes(stream.get_data())
    except Exception:  # a filter pypdf cannot undo (JBIG2 without its program): the raw bytes
        return bytes(stream._data)
