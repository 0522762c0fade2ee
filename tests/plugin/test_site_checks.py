"""The sites a `mkdocs build` finished, verified when its outermost build ends: the plain
bookkeeping behind tests/plugin/test_languages.py's real builds."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sms_handbook.context import HandbookContext
from sms_handbook.mkdocs_plugin.site_checks import FinishedSite, PendingSites

CONTEXT = cast(HandbookContext, object())  # never read by the bookkeeping


def _site(folder: str, audience: str = "internal") -> FinishedSite:
    return FinishedSite(Path(folder), audience, CONTEXT)


def test_a_build_run_inside_another_leaves_the_verification_to_the_outer_one() -> None:
    pending = PendingSites()
    pending.begin()  # the first language
    pending.finished(_site("/site"))
    pending.begin()  # a further language, run from the first one's on_post_build
    pending.finished(_site("/site"))
    assert pending.end() == []  # the further language ended; the first has not
    assert pending.end() == [_site("/site")]  # once, with every language in the folder
    assert pending.end() == []


def test_each_folder_and_audience_is_verified_and_a_failure_takes_them_all() -> None:
    pending = PendingSites()
    pending.begin()
    pending.finished(_site("/site"))
    pending.begin()
    pending.finished(_site("/other"))
    pending.finished(_site("/site", "public"))
    assert pending.take() == [_site("/site"), _site("/other"), _site("/site", "public")]
    assert pending.open_builds == 0  # the failed builds end with it
    assert pending.end() == []
