"""Files read into one buffer kept between reads: each read gives exactly that file."""

from __future__ import annotations

from pathlib import Path

from sms_handbook.file_buffer import FIRST_SIZE, FileBuffer


def test_each_read_is_exactly_its_file_whatever_was_read_before(tmp_path: Path) -> None:
    sizes = [0, 1, FIRST_SIZE - 1, FIRST_SIZE, FIRST_SIZE + 1, 3 * FIRST_SIZE, 5, 0]
    buffer = FileBuffer()
    for number, size in enumerate(sizes):
        path = tmp_path / f"{number}.bin"
        content = bytes((number + i) % 251 for i in range(size))
        path.write_bytes(content)
        assert bytes(buffer.read(path)) == content
        assert buffer.holds(path, content)
        assert not buffer.holds(path, content + b"\x00")
        if content:
            assert not buffer.holds(path, content[:-1] + bytes([(content[-1] + 1) % 256]))
            assert not buffer.holds(path, content[:-1])
