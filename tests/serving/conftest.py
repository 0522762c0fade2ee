"""Real sites, a real identity provider and real web servers on 127.0.0.1 for the serving
tests. Every process started here is stopped here; a server that cannot be found or started
fails the tests (they never skip)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import USERS, Sites, build_sites
from .oidc_provider import Provider
from .servers import Front, apache, nginx


@pytest.fixture(scope="session")
def workspace() -> Iterator[Path]:
    """A folder the servers' unprivileged workers can read (pytest's own is private)."""
    folder = Path(tempfile.mkdtemp(prefix="sms-serving-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def sites(workspace: Path) -> Sites:
    return build_sites(workspace)


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    with Provider(USERS) as running:
        yield running


@pytest.fixture(scope="session", params=["apache", "nginx"])
def front(
    request: pytest.FixtureRequest, sites: Sites, provider: Provider, workspace: Path
) -> Iterator[Front]:
    start = apache if request.param == "apache" else nginx
    with start(sites, provider, workspace / request.param) as running:
        yield running
