"""The preview's hold on MkDocs' server: saves seen through file events (a read is not a
save), a save's first step served while its second is being built, and a site settled after
each save without touching the files that did not change."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from sms_handbook.finish import SettledSite, settle_permissions
from sms_handbook.mkdocs_plugin.live_server import LiveServer, watch_events
from sms_handbook.preview_files import SiteFiles, signature
from sms_handbook.verify import SecretFinder
from watchdog.observers.polling import PollingObserver


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[LiveReloadServer, Path]]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    assert watch_events(server)
    server.observer.start()
    yield server, docs
    server.observer.stop()
    server.observer.join()
    server.server_close()


def _until(check: object, what: str) -> None:
    deadline = time.monotonic() + 10
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.01)


def test_a_save_is_seen_through_file_events_and_a_read_is_not(
    watched: tuple[LiveReloadServer, Path],
) -> None:
    server, docs = watched
    assert not isinstance(server.observer, PollingObserver)
    live = LiveServer.attach(server)
    assert live is not None
    (docs / "page.md").read_text(encoding="utf-8")  # every build reads every page
    time.sleep(0.5)  # (a read's event, were it counted, comes within milliseconds)
    assert not live.change_waiting()
    (docs / "page.md").write_text("# Page, saved\n", encoding="utf-8")
    _until(live.change_waiting, "the save to be seen")


def test_a_first_step_is_served_and_the_second_holds_requests_until_it_ends(
    watched: tuple[LiveReloadServer, Path],
) -> None:
    server, _docs = watched
    live = LiveServer.attach(server)
    assert live is not None
    server._wanted_epoch = server._visible_epoch + 5  # MkDocs starts a build
    live.publish()  # the first step is served
    assert server._visible_epoch == server._wanted_epoch
    first = server._visible_epoch
    live.hold()  # the second step writes the site: requests wait for a newer epoch
    assert server._wanted_epoch > first == server._visible_epoch


def test_settling_the_site_leaves_a_settled_file_as_it_was(tmp_path: Path) -> None:
    """The preview settles its site after every save, then checks the files written since
    (their signature changed): a theme file already readable by all is not one of them."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    settled, loose = site / "assets" / "theme.js", site / "export.json"
    settled.write_text("var theme;\n", encoding="utf-8")
    loose.write_text("{}\n", encoding="utf-8")
    settle_permissions(site)
    loose.chmod(0o600)  # a file a save wrote with the umask's mode
    files = SiteFiles()
    finder = SecretFinder([])
    files.start(finder)
    for path in (settled, loose):
        files.passed(path)
    before = signature(settled)
    time.sleep(0.05)  # (a change time set now would differ from the one just read)
    settle_permissions(site)
    assert signature(settled) == before
    assert files.unchanged(settled)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o644
    assert not files.unchanged(loose)  # its mode was settled: read again


def _aged(site: Path) -> None:
    """Every folder of `site` last changed a minute ago (a save changes them later)."""
    old = time.time() - 60
    for folder in [site, *(p for p in site.rglob("*") if p.is_dir())]:
        os.utime(folder, (old, old))


def test_a_save_settles_what_it_created_and_lists_no_unchanged_folder(tmp_path: Path) -> None:
    """The preview settles, after a save, the folders whose time changed: a file created or
    replaced there, and a new folder, get the site's modes; a folder with no entry created,
    replaced or removed is not listed again (a file written in place keeps its mode)."""
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "page" / "index.html").write_text("<p>page</p>\n", encoding="utf-8")
    untouched = site / "assets" / "theme.js"
    untouched.write_text("var theme;\n", encoding="utf-8")
    _aged(site)
    settled = SettledSite()
    settled.settle(site)
    assert stat.S_IMODE(untouched.stat().st_mode) == 0o644
    _aged(site)
    settled.settle(site)  # folders older than a second are remembered from now on
    created = site / "page" / "print.html"
    created.write_text("<p>new</p>\n", encoding="utf-8")
    created.chmod(0o600)  # written under a umask of 077
    (site / "new").mkdir(mode=0o700)
    (site / "new" / "index.html").write_text("<p>new page</p>\n", encoding="utf-8")
    (site / "new" / "index.html").chmod(0o600)
    replaced = site / "page" / "index.html.partial"
    replaced.write_text("<p>page, again</p>\n", encoding="utf-8")
    replaced.chmod(0o600)
    os.replace(replaced, site / "page" / "index.html")
    untouched.chmod(0o600)  # not created, replaced or removed: its folder's time stands
    settled.settle(site)
    for path in (created, site / "new" / "index.html", site / "page" / "index.html"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert stat.S_IMODE((site / "new").stat().st_mode) == 0o755
    assert stat.S_IMODE(untouched.stat().st_mode) == 0o600  # its folder was not listed
