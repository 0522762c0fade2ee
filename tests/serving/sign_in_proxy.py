"""A stand-in for oauth2-proxy behind nginx's `auth_request`, for the serving tests.

oauth2-proxy is packaged neither by Debian nor by PyPI, so the tests cannot install it. This
component answers the same endpoints that `server-config --server nginx` calls, with the same
meaning: `/oauth2/start?rd=PATH` (sign in with the OpenID Connect provider), `/oauth2/callback`
(code exchange; the ID token is verified with joserfc against the provider's keys),
`/oauth2/auth?allowed_groups=a,b` (202 a member, 401 not signed in, 403 not a member).
"""

from __future__ import annotations

import base64
import json
import secrets
import urllib.request
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet

from tests.serving.background_server import BackgroundServer

COOKIE = "_oauth2_proxy"


class SignInProxy(BackgroundServer):
    def __init__(self, issuer: str, client: str, secret: str, public_url: str) -> None:
        self.issuer, self.client, self.secret = issuer, client, secret
        self.callback = f"{public_url}/oauth2/callback"
        self.pending: dict[str, dict[str, str]] = {}
        self.sessions: dict[str, list[str]] = {}
        super().__init__(_handler(self))

    def _get_json(self, url: str, data: bytes | None = None, auth: str = "") -> Any:
        request = urllib.request.Request(url, data=data)
        if auth:
            request.add_header("Authorization", auth)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def start(self, rd: str) -> str:
        """Where to send the browser to sign in; `rd` is kept for after."""
        if not rd.startswith("/") or rd.startswith("//"):
            rd = "/"
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        with self.lock:
            self.pending[state] = {"rd": rd, "nonce": nonce}
        metadata = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        query = {
            "response_type": "code",
            "client_id": self.client,
            "redirect_uri": self.callback,
            "scope": "openid",
            "state": state,
            "nonce": nonce,
        }
        return f"{metadata['authorization_endpoint']}?{urlencode(query)}"

    def finish(self, code: str, state: str) -> tuple[str, str]:
        """(session id, where to go) after the provider sent the browser back."""
        with self.lock:
            pending = self.pending.pop(state, None)
        if pending is None:
            raise ValueError("unknown state")
        metadata = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.callback}
        basic = base64.b64encode(f"{self.client}:{self.secret}".encode()).decode()
        tokens = self._get_json(
            metadata["token_endpoint"], urlencode(form).encode(), f"Basic {basic}"
        )
        keys = KeySet.import_key_set(self._get_json(metadata["jwks_uri"]))
        claims = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"]).claims
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client},
            nonce={"essential": True, "value": pending["nonce"]},
            exp={"essential": True},
        ).validate(claims)
        session = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[session] = list(claims.get("groups") or [])
        return session, pending["rd"]

    def allowed(self, cookie_header: str | None, groups: list[str]) -> int:
        cookies = SimpleCookie(cookie_header or "")
        with self.lock:
            member_of = self.sessions.get(cookies[COOKIE].value) if COOKIE in cookies else None
        if member_of is None:
            return 401
        return 202 if set(member_of) & set(groups) else 403


def _handler(proxy: SignInProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            try:
                if url.path == "/oauth2/auth":
                    groups = query.get("allowed_groups", "").split(",")
                    self.answer(proxy.allowed(self.headers.get("Cookie"), groups))
                elif url.path == "/oauth2/start":
                    self.answer(302, {"Location": proxy.start(query.get("rd", "/"))})
                elif url.path == "/oauth2/callback":
                    session, rd = proxy.finish(query.get("code", ""), query.get("state", ""))
                    cookie = f"{COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax"
                    self.answer(302, {"Location": rd, "Set-Cookie": cookie})
                else:
                    self.answer(404)
            except Exception:  # a failed sign-in is a refusal, never a pass
                self.answer(403)

    return Handler
