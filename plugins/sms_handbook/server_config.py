"""Web server rules that serve each audience's site to the members of its groups only.

The sites lie side by side, `SITE/<audience>/` (a build, or a checkout of the audience's mike
branch: versions, the `latest` alias and `versions.json` inside the same folder), and are served
at `/<audience>/`. Each audience is one rule on one folder, and every path is mapped to a file
by the server's own normalization before a rule is chosen, so `..`, `%2e%2e`, double slashes
and encoded slashes land under the rule of the folder they reach; symbolic links, directory
listings, `.htaccess` files and content negotiation are off, and anything outside the
audiences' folders is refused. The public site takes no part in sign-in and sets no cookie.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from .core.audience import Audience
from .core.settings import Settings

Server = Literal["apache", "nginx"]
SERVERS: tuple[Server, ...] = ("apache", "nginx")


# What may be written into a server's configuration unquoted.
PLAIN = re.compile(r"[A-Za-z0-9_./:@-]+")


class ServerConfigError(Exception):
    """The mapping cannot be served safely (an audience without groups, a relative path)."""


@dataclass(frozen=True)
class Served:
    """What the rules are written for."""

    settings: Settings
    groups: Mapping[str, Sequence[str]]
    site_dir: str
    groups_claim: str = "groups"
    callback_path: str = "/oidc/callback"
    auth_url: str = "http://127.0.0.1:4180"

    def audiences(self) -> list[tuple[str, bool, Sequence[str]]]:
        """(audience, is public, groups) for each audience, in the settings' order."""
        return [
            (name, Audience(self.settings, name).is_public, self.groups.get(name, ()))
            for name in self.settings.audiences
        ]


def check(served: Served) -> None:
    """Refuse what would serve a protected site to the wrong people."""
    if not PurePosixPath(served.site_dir).is_absolute() or not PLAIN.fullmatch(served.site_dir):
        raise ServerConfigError(
            f"the site folder must be an absolute path of letters, digits and _ . / : @ - "
            f"(it is written unquoted into the configuration): {served.site_dir!r}"
        )
    for name, public, groups in served.audiences():
        if not public and not groups:
            raise ServerConfigError(
                f"audience '{name}' has no groups in the plugin option `access_groups`: "
                "its site could be served to nobody or to everybody; list its groups"
            )
    if not PLAIN.fullmatch(served.callback_path) or not served.callback_path.startswith("/"):
        raise ServerConfigError(f"not a plain URL path: {served.callback_path}")
    if not PLAIN.fullmatch(served.groups_claim) or not PLAIN.fullmatch(served.auth_url):
        raise ServerConfigError("the claim and the proxy's URL must be plain (no spaces, quotes)")
    top = served.callback_path.strip("/").split("/")[0]
    if top in served.settings.audiences:
        raise ServerConfigError(f"{served.callback_path} lies inside an audience's site")


def server_config(served: Served, server: Server) -> str:
    """The configuration for `server`, to include in the virtual host or server block."""
    check(served)
    return apache(served) if server == "apache" else nginx(served)


HEADER = """\
{comment} Written by `sms-handbook server-config --server {server}`; write it again after changing
{comment} the audiences or `access_groups` rather than editing it. Each audience's site,
{comment} {site}/<audience>/, is served at /<audience>/ to the members of its groups only.
"""


def apache(served: Served) -> str:
    site = served.site_dir.rstrip("/") or "/"
    lines = [
        HEADER.format(comment="#", server="apache", site=site),
        "# Include it in the <VirtualHost> that holds the OpenID Connect settings of",
        "# mod_auth_openidc (OIDCProviderMetadataURL, OIDCClientID, OIDCClientSecret,",
        f"# OIDCCryptoPassphrase, and OIDCRedirectURI ending in {served.callback_path}).",
        "",
        f'DocumentRoot "{site}"',
        "AllowEncodedSlashes Off",
        "MergeSlashes On",
        f"RedirectMatch 302 ^/$ /{_public(served)}/",
        "",
        "# Nothing outside the audiences' folders; no links, listings, .htaccess or negotiation.",
        f'<Directory "{site}">',
        "    Options None",
        "    AllowOverride None",
        "    Require all denied",
        "</Directory>",
    ]
    for name, public, groups in served.audiences():
        if public:
            who = "everyone, without signing in (no cookie is set)"
            rules = ["Require all granted"]
        else:
            who = f"members of {', '.join(groups)}"
            rules = ["AuthType openid-connect", "OIDCUnAutzAction 403"]
            rules += ["AuthzSendForbiddenOnFailure On"]
            rules += [f"Require claim {served.groups_claim}:{group}" for group in groups]
        lines += ["", f"# {name}: {who}", f'<Directory "{site}/{name}">']
        lines += [f"    {rule}" for rule in rules]
        lines.append("</Directory>")
    lines += [
        "",
        "# Where the identity provider returns after sign-in (handled by mod_auth_openidc).",
        f'<Location "{served.callback_path}">',
        "    AuthType openid-connect",
        "    Require valid-user",
        "</Location>",
        "",
    ]
    return "\n".join(lines)


def nginx(served: Served) -> str:
    site = served.site_dir.rstrip("/") or "/"
    auth = served.auth_url.rstrip("/")
    lines = [
        HEADER.format(comment="#", server="nginx", site=site),
        "# Include it in a server { } block. Sign-in is the job of an authenticating proxy",
        f"# answering oauth2-proxy's endpoints at {auth}: /oauth2/auth?allowed_groups=...",
        "# (202 member, 401 not signed in, 403 not a member) and /oauth2/start?rd=URL.",
        "",
        f"root {site};",
        "merge_slashes on;",
        "disable_symlinks on from=$document_root;",
        "autoindex off;",
        "index index.html;",
        "",
        f"location = / {{ return 302 /{_public(served)}/; }}",
        "# Nothing outside the audiences' folders.",
        "location / { return 404; }",
    ]
    for name, public, groups in served.audiences():
        if public:
            lines += [
                "",
                f"# {name}: everyone, without signing in (no cookie is set)",
                f"location ^~ /{name}/ {{ }}",
            ]
            continue
        lines += [
            "",
            f"# {name}: members of {', '.join(groups)}",
            f"location ^~ /{name}/ {{",
            f"    auth_request /oauth2/auth-{name};",
            "    error_page 401 = @sign_in;",
            "}",
            f"location = /oauth2/auth-{name} {{",
            "    internal;",
            f"    proxy_pass {auth}/oauth2/auth?allowed_groups={','.join(groups)};",
            "    proxy_pass_request_body off;",
            '    proxy_set_header Content-Length "";',
            "    proxy_set_header X-Original-URI $request_uri;",
            "}",
        ]
    lines += [
        "",
        "# Sign-in: the proxy's own pages and the way to them.",
        "location @sign_in { return 302 /oauth2/start?rd=$request_uri; }",
        "location /oauth2/ {",
        f"    proxy_pass {auth};",
        "    proxy_set_header Host $host;",
        "    proxy_set_header X-Forwarded-Uri $request_uri;",
        "}",
        "",
    ]
    return "\n".join(lines)


def _public(served: Served) -> str:
    return next(name for name, public, _ in served.audiences() if public)
