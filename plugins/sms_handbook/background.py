"""Work done beside the engine, on another core.

A site generator converts pages on one core; some of the handbook's own work (writing the
staged pages, re-basing the print edition) can be done meanwhile by a forked child. Forking
is used only where it is safe (Linux, a process with a single thread, which `mkdocs build`
is and `mkdocs serve` is not) and when not turned off with `SMS_WORKERS=0`. Anywhere else,
and whenever the child fails for any reason, the work runs in the calling process when its
result is asked for: the result, or the error with its traceback, is always the one an
ordinary run gives.

The work gets a `Channel`: the messages the caller sends while it runs (small picklable
values, kept by the caller too, so that the work can run again here from the same messages).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")
_MISSING = object()
_LENGTH = struct.Struct("<I")
_OPEN: set[int] = set()  # this process's ends of its workers' pipes (a later child closes them)


# A handbook whose sources (pages and register files) are smaller is built in one process:
# the workers would cost more CPU than their work and save little wall time (README, Workers).
WORKERS_FROM_BYTES = 2_000_000


def forking_allowed() -> bool:
    """Whether work may go to a forked child here and now."""
    return (
        sys.platform == "linux"
        and os.environ.get("SMS_WORKERS", "").strip() != "0"
        and threading.active_count() == 1
    )


def workers_pay(source_bytes: int) -> bool:
    """Whether a build reading `source_bytes` of sources uses workers: from
    `WORKERS_FROM_BYTES`, or always with `SMS_WORKERS=1` (never with `SMS_WORKERS=0`)."""
    if os.environ.get("SMS_WORKERS", "").strip() == "1":
        return True
    return source_bytes >= WORKERS_FROM_BYTES


@dataclass
class Channel:
    """What the work sees: the caller's messages, as they come."""

    messages: Iterable[Any]


class _LoggedError(Exception):
    """The work logged a warning: the parent must do it, where the engine counts it."""


def _unlogged(logger: logging.Logger, record: logging.LogRecord) -> None:
    """A worker logs nothing; a warning or error makes it fail, so that the work runs again
    in the parent, whose log the engine reads (`--strict` counts its warnings)."""
    if record.levelno >= logging.WARNING:
        raise _LoggedError(record.getMessage())


def _write_frame(fd: int, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pending = memoryview(_LENGTH.pack(len(data)) + data)
    while pending:
        pending = pending[os.write(fd, pending) :]


def _read_frame(stream: IO[bytes]) -> Any:
    """The next value on `stream`; _MISSING at its end (or at a frame cut short)."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return _MISSING
    (size,) = _LENGTH.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return _MISSING
    return pickle.loads(data)  # from our own parent or child


def _frames(stream: IO[bytes]) -> Iterator[Any]:
    while (value := _read_frame(stream)) is not _MISSING:
        yield value


class Background(Generic[T]):
    """`work(channel)` computed beside the caller when `beside` and forking is allowed;
    `result()` waits for it (or computes it in this process, if it was not forked or the child
    failed)."""

    def __init__(self, work: Callable[[Channel], T], *, beside: bool) -> None:
        self._work = work
        self._sent: list[Any] = []
        self._pid: int | None = None
        self._from_child: IO[bytes] | None = None  # the child's result
        self._feed: int | None = None  # write end of the messages to the child
        self._value: object = _MISSING
        if beside and forking_allowed():
            self._fork()

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def _fork(self) -> None:
        result_read, result_write = os.pipe()
        feed_read, feed_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to spare: do the work in this one when asked
            for fd in (result_read, result_write, feed_read, feed_write):
                os.close(fd)
            return
        if pid == 0:  # pragma: no cover (the child: its results are what the tests check)
            self._child(feed_read, result_write, (result_read, feed_write))
        os.close(result_write)
        os.close(feed_read)
        self._pid, self._feed = pid, feed_write
        self._from_child = open(result_read, "rb", closefd=True)  # noqa: SIM115 (closed in _end)
        _OPEN.update((result_read, feed_write))

    def _child(self, feed: int, result: int, parents: tuple[int, int]) -> None:
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for fd in (*parents, *_OPEN):  # other workers must see their feeds end
                with contextlib.suppress(OSError):
                    os.close(fd)
            gc.freeze()  # leave the parent's objects alone: no copies of its memory
            logging.Logger.handle = _unlogged  # type: ignore[method-assign,assignment]  # child only
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            with open(feed, "rb", closefd=True) as messages:
                value = self._work(Channel(_frames(messages)))
            _write_frame(result, value)
            code = 0
        except BaseException:  # the parent sees the exit code and runs the work itself
            pass
        finally:
            os._exit(code)

    def send(self, message: Any) -> None:
        """A message for the work (kept here as well, for a run in this process)."""
        self._sent.append(message)
        if self._feed is not None:
            try:
                _write_frame(self._feed, message)
            except OSError:  # the child is gone: the work runs here when asked
                self.cancel()

    def _collect(self) -> None:
        """The child's result (or, if it failed, the work's run here)."""
        assert self._from_child is not None
        self._close_feed()  # the child's messages end here
        value = _read_frame(self._from_child)
        self._end(value if value is not _MISSING and self._child_ok() else _MISSING)

    def _child_ok(self) -> bool:
        if self._pid is None:
            return False
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status) == 0

    def _end(self, value: object) -> None:
        """The child is done (`value`: its result, or _MISSING to run the work here)."""
        self._close_pipes()
        if self._pid is not None:
            self._child_ok()
        self._value = self._work(Channel(iter(self._sent))) if value is _MISSING else value

    def result(self) -> T:
        if self._value is _MISSING:
            if self._from_child is None:
                self._end(_MISSING)
            else:
                self._collect()
        return self._value  # type: ignore[return-value]  # set by now

    def _close_feed(self) -> None:
        if self._feed is not None:
            _OPEN.discard(self._feed)
            with contextlib.suppress(OSError):
                os.close(self._feed)
            self._feed = None

    def _close_pipes(self) -> None:
        self._close_feed()
        if self._from_child is not None:
            _OPEN.discard(self._from_child.fileno())
            self._from_child.close()
            self._from_child = None

    def cancel(self) -> None:
        """Stop the child, if any, without waiting for its result."""
        self._close_pipes()
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
