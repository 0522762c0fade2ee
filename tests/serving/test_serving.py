"""Each audience's site behind a real web server and a real sign-in: with the rules that
`sms-handbook server-config` writes, every person reads exactly the sites of their groups,
by any path. Runs once behind Apache httpd with mod_auth_openidc and once behind nginx with
`auth_request` (see tests/serving/servers.py)."""

from __future__ import annotations

import pytest

from .client import Browser, Response
from .harness import READERS, Sites
from .servers import Front

# One worker holds the servers (pytest-xdist, --dist loadgroup).
pytestmark = [pytest.mark.serving, pytest.mark.xdist_group("serving")]

# A customer has no account; staff and the members of sms-core sign in.
PEOPLE = [None, "staff", "core"]
SITE_NAME = b"Leak test handbook"


def signed_in(front: Front, user: str | None) -> Browser:
    browser = Browser()
    if user is not None:
        audience = next(a for a, readers in READERS.items() if user in readers and a != "public")
        landed = browser.follow(f"{front.base}/{audience}/1.0/index.html", front.base, user)
        assert landed.status == 200, f"{user} could not sign in: {landed.status}"
        assert browser.cookies, "signing in set no cookie"
    return browser


def assert_refused(front: Front, user: str | None, response: Response, path: str) -> None:
    """No content, and the refusal the person is due: sign in, or 403 (404 for a path the
    server rejects before any rule, such as an encoded slash)."""
    where = f"{front.name}: {user or 'customer'} {path}"
    assert b"MARK" not in response.body and SITE_NAME not in response.body, where
    if user is None and response.status in (301, 302, 303, 307):
        assert front.is_sign_in(response.headers.get("Location", "")), where
    else:
        refusals = (400, 401, 403, 404) if user is None else (400, 403, 404)
        assert response.status in refusals, f"{where}: {response.status}"


@pytest.mark.parametrize("user", PEOPLE)
def test_each_person_reads_exactly_the_sites_of_their_groups(
    front: Front, sites: Sites, user: str | None
) -> None:
    browser = signed_in(front, user)
    for audience, readers in READERS.items():
        files = sites.files(audience)
        assert f"{audience}.pdf" in files and "versions.json" in files
        assert "1.0/search/search_index.json" in files and "latest/index.html" in files
        for name in files:
            response = browser.get(f"{front.base}/{audience}/{name}")
            where = f"{front.name}: {user or 'customer'} /{audience}/{name}"
            if user in readers:
                assert response.status == 200, f"{where}: {response.status}"
                assert response.body == (sites.site / audience / name).read_bytes(), where
            elif user is None:
                assert response.status in (302, 401), f"{where}: {response.status}"
                assert_refused(front, user, response, f"/{audience}/{name}")
            else:
                assert response.status == 403, f"{where}: {response.status}"
                assert_refused(front, user, response, f"/{audience}/{name}")
            if audience == "public":
                assert not response.cookies_set, f"{where}: the public site set a cookie"


def tricks(target: str, readable: str) -> list[str]:
    """Paths that reach `target`'s files from places the person may read."""
    return [
        f"/{target}/",
        f"/{target}",
        f"/{target}/1.0/",
        f"/{target}/latest/",
        f"/{target}/latest/index.html",
        f"/{readable}/../{target}/1.0/index.html",
        f"/{readable}/%2e%2e/{target}/1.0/index.html",
        f"/{readable}/%2E%2E/{target}/{target}.pdf",
        f"/{readable}/./../{target}/versions.json",
        f"/{readable}/..%2f{target}/1.0/index.html",
        f"/{readable}%2F..%2F{target}/versions.json",
        f"/{target}%2F1.0/index.html",
        f"//{target}/1.0/index.html",
        f"/{readable}//../{target}/1.0/search/search_index.json",
        f"/{readable}/1.0/../../{target}/1.0/search/search_index.json",
        f"/{readable}/latest/../../{target}/latest/search/search_index.json",
        f"/{readable}/%252e%252e/{target}/1.0/index.html",
        f"/{readable}/1.0/files/..%2f..%2f..%2f{target}/1.0/files/internal-report.txt",
    ]


@pytest.mark.parametrize("user", PEOPLE)
def test_no_path_trick_reaches_a_site_outside_the_persons_groups(
    front: Front, user: str | None
) -> None:
    browser = signed_in(front, user)
    readable = [a for a, readers in READERS.items() if user in readers]
    for target, readers in READERS.items():
        if user in readers:
            continue
        for start in readable:
            for path in tricks(target, start):
                assert_refused(front, user, browser.get(front.base + path), path)


@pytest.mark.parametrize("user", PEOPLE)
def test_a_symbolic_link_in_a_site_is_never_followed(front: Front, user: str | None) -> None:
    # public/leak -> restricted: even a reader of the restricted site gets nothing through it
    browser = signed_in(front, user)
    for path in ("/public/leak/1.0/index.html", "/public/leak/versions.json", "/public/leak/"):
        response = browser.get(front.base + path)
        assert response.status in (403, 404), f"{front.name}: {path}: {response.status}"
        assert b"MARK" not in response.body


def test_the_root_sends_everyone_to_the_public_site(front: Front) -> None:
    response = Browser().get(f"{front.base}/")
    assert response.status == 302 and response.headers["Location"].endswith("/public/")
    assert not response.cookies_set
