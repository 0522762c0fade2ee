"""Raw HTTP requests, paths sent exactly as written (`..`, `%2e%2e`, `%2F` and `//` reach the
server untouched, which a library that normalizes URLs would not let through), and a sign-in
that follows the redirects of the real OpenID Connect flow."""

from __future__ import annotations

import http.client
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# What a browser asks for when it follows a link.
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies_set: list[str]
    body: bytes


@dataclass
class Browser:
    """One person: the cookies they hold, nothing else."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, url: str) -> Response:
        parts = urlsplit(url)
        path = url[url.index(parts.netloc) + len(parts.netloc) :] or "/"
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
        try:
            headers = {"Host": parts.netloc, "Connection": "close", "Accept": ACCEPT}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            answer = connection.getresponse()
            body = answer.read()
            set_cookies = answer.headers.get_all("Set-Cookie") or []
            for line in set_cookies:
                name, _, rest = line.partition("=")
                value = rest.split(";", 1)[0]
                expired = "1970" in line or "max-age=0" in line.lower()
                if not value or expired:
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            return Response(answer.status, dict(answer.headers.items()), set_cookies, body)
        finally:
            connection.close()

    def follow(self, url: str, base: str, user: str | None = None, hops: int = 8) -> Response:
        """GET `url` and follow redirects (at most `hops`); at the provider's authorization
        endpoint, sign in as `user`."""
        for _ in range(hops):
            response = self.get(url)
            location = response.headers.get("Location")
            if response.status not in (301, 302, 303, 307) or not location:
                return response
            if location.startswith("/"):
                location = base + location
            if "/authorize?" in location and user is not None:
                location += f"&user={user}"
            url = location
        raise AssertionError(f"more than {hops} redirects from {url}")
