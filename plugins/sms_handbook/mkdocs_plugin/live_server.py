"""The preview's hold on MkDocs' live-reload server: a save seen at once, served in two steps.

MkDocs' server polls the watched folders every half second; the preview asks the platform for
file events instead (inotify on Linux), so a save is seen as it happens. A save whose
dependent pages are many (a title shown in every navigation of its section, the handbook-wide
pages) is built in two steps within one rebuild: first the saved page and everything that
cannot wait, which is then served (the browsers reload); then the dependent pages held back,
while the server keeps serving, until MkDocs starts writing the site (from then on requests
wait, as they do for every MkDocs build); the browsers reload again when it ends.

MkDocs 1.6 keeps what is served in three attributes of its server (the epoch that is being
built, the one that is served, and their condition): this module is the one place that
touches them, and it refuses (no second step) a server that does not have them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

log = logging.getLogger(__name__)

_EPOCHS = ("_wanted_epoch", "_visible_epoch", "_epoch_cond", "_want_rebuild", "_rebuild_cond")


class LiveServer:
    """The server of one `mkdocs serve`, and whether a save's second step is due."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.held_back = False  # this save's first step left pages for a second
        self.second_step = False  # the build running is a save's second step

    @classmethod
    def attach(cls, server: Any) -> LiveServer | None:
        """None when the server is not the one this module knows (another MkDocs)."""
        if not all(hasattr(server, name) for name in _EPOCHS):
            return None
        return cls(server)

    def publish(self) -> None:
        """What is built so far is served now, and the open pages reload."""
        server = self.server
        with server._epoch_cond:
            server._visible_epoch = server._wanted_epoch
            server._epoch_cond.notify_all()

    def hold(self) -> None:
        """Requests wait from now until the build ends (MkDocs then serves the new epoch and
        the open pages reload)."""
        server = self.server
        with server._epoch_cond:
            server._wanted_epoch = max(round(time.monotonic() * 1000), server._visible_epoch + 1)

    def change_waiting(self) -> bool:
        """A save arrived since this rebuild started (its first step comes first)."""
        with self.server._rebuild_cond:
            return bool(self.server._want_rebuild)


def watch_events(server: Any) -> bool:
    """The server's watched paths watched through the platform's file events instead of
    MkDocs' polling (its observer is replaced before the server starts it); only writes,
    creations, removals and moves count (reading a file is an event too, and every build
    reads them all). False, and polling kept, when that cannot be done."""
    try:
        from watchdog import events
        from watchdog.observers import Observer

        watched = list(server._watched_paths)
        observer = Observer()
        kinds = [
            events.FileModifiedEvent,
            events.FileCreatedEvent,
            events.FileDeletedEvent,
            events.FileMovedEvent,
            events.FileClosedEvent,
        ]
        for path in watched:
            handler = _Saved(server)
            observer.schedule(handler, path, recursive=True, event_filter=kinds)
    except (ImportError, AttributeError, TypeError, OSError) as error:
        log.debug(f"file events unavailable ({error}); the preview polls for changes")
        return False
    server.observer = observer  # started by the server, stopped with it
    return True


class _Saved(FileSystemEventHandler):
    """Asks the server for a rebuild on each event, as MkDocs' own watcher does."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()
