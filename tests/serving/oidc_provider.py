"""A small OpenID Connect provider for the serving tests, on 127.0.0.1.

Authorization code flow (with PKCE when the client asks), ID tokens signed with RS256 by
joserfc (the JOSE library of Authlib's author, which Authlib itself now uses and recommends
over its deprecated `authlib.jose`), and a `groups` claim. The sign-in page has a button per
user and no password; a test without a browser adds `user=NAME` to the authorization request,
which is what the button does.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.serving.background_server import BackgroundServer

CLIENTS = {"handbook-apache": "apache-secret", "handbook-nginx": "nginx-secret"}


class Provider(BackgroundServer):
    """The provider's state: its key, its users and the codes it has issued."""

    def __init__(self, users: dict[str, list[str]]) -> None:
        self.users = users
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.codes: dict[str, dict[str, Any]] = {}
        super().__init__(_handler(self))
        self.issuer = self.url

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid"],
            "claims_supported": ["sub", "groups"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """The redirect back to the client, with a code for `user`."""
        if query.get("client_id") not in CLIENTS or query.get("user") not in self.users:
            raise ValueError("unknown client or user")
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {**query, "issued": time.time()}
        back = {"code": code, "state": query.get("state", "")}
        return f"{query['redirect_uri']}?{urlencode(back)}"

    def token(self, form: dict[str, str], authorization: str | None) -> dict[str, Any]:
        client, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client not in CLIENTS or CLIENTS[client] != secret:
            raise ValueError("client authentication failed")
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["client_id"] != client or time.time() - grant["issued"] > 60:
            raise ValueError("unknown or expired code")
        if grant["redirect_uri"] != form.get("redirect_uri"):
            raise ValueError("redirect_uri differs")
        if "code_challenge" in grant:
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if digest.decode() != grant["code_challenge"]:
                raise ValueError("PKCE verification failed")
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant["user"],
            "aud": client,
            "iat": now,
            "exp": now + 600,
            "groups": self.users[grant["user"]],
        }
        if "nonce" in grant:
            claims["nonce"] = grant["nonce"]
        header = {"alg": "RS256", "kid": "k1"}
        id_token = jwt.encode(header, claims, self.key)
        return {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 600,
            "id_token": id_token,
        }


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def sign_in_page(self, query: dict[str, str]) -> None:
            fields = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in query.items()
            )
            buttons = "".join(
                f'<button name="user" value="{html.escape(u)}">{html.escape(u)}</button>'
                for u in provider.users
            )
            page = '<!doctype html><title>Sign in</title><form action="/authorize">'
            data = f"{page}{fields}{buttons}</form>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self.answer(200, provider.metadata())
            elif url.path == "/jwks":
                self.answer(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize" and "user" not in query:
                self.sign_in_page(query)
            elif url.path == "/authorize":
                try:
                    self.answer(302, {}, {"Location": provider.authorize(query)})
                except ValueError as error:
                    self.answer(400, {"error": str(error)})
            else:
                self.answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path != "/token":
                self.answer(404, {"error": "not found"})
                return
            try:
                self.answer(200, provider.token(form, self.headers.get("Authorization")))
            except ValueError as error:
                self.answer(400, {"error": "invalid_grant", "error_description": str(error)})

    return Handler
