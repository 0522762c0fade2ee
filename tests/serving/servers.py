"""Apache httpd with mod_auth_openidc, and nginx with a sign-in proxy, each started on
127.0.0.1 with the rules `sms-handbook server-config` wrote (included unchanged): the only
settings added here are what every installation has of its own (ports, logs, the provider and
the client's credentials)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .harness import (
    Sites,
    free_port,
    program,
    server_config,
    start,
    stop,
    wait_for_port,
)
from .oidc_provider import CLIENTS, Provider
from .sign_in_proxy import SignInProxy

APACHE_MODULES = (
    "mpm_event",
    "authz_core",
    "authz_user",
    "authn_core",
    "alias",
    "dir",
    "mime",
    "auth_openidc",
)

APACHE = """\
ServerRoot "{folder}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{folder}/httpd.pid"
DefaultRuntimeDir "{folder}"
ErrorLog "{folder}/error.log"
LogLevel warn
User www-data
Group www-data
{modules}
TypesConfig /etc/mime.types
DirectoryIndex index.html

OIDCProviderMetadataURL {issuer}/.well-known/openid-configuration
OIDCClientID handbook-apache
OIDCClientSecret {secret}
OIDCRedirectURI http://127.0.0.1:{port}/oidc/callback
OIDCCryptoPassphrase {passphrase}
OIDCScope openid
OIDCStateMaxNumberOfCookies 7 true

Include "{folder}/handbook-apache.conf"
"""

NGINX = """\
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        include {folder}/handbook-nginx.conf;
    }}
}}
"""


@dataclass(frozen=True)
class Front:
    """A running web server in front of the sites."""

    name: str
    base: str

    def is_sign_in(self, location: str) -> bool:
        return "/authorize?" in location or "/oauth2/start?" in location


@contextmanager
def apache(sites: Sites, provider: Provider, folder: Path) -> Iterator[Front]:
    binary = program("apache2")
    folder.mkdir()
    folder.chmod(0o755)
    port = free_port()
    server_config(sites, "apache", folder / "handbook-apache.conf")
    modules = "\n".join(
        f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so"
        for name in APACHE_MODULES
    )
    (folder / "httpd.conf").write_text(
        APACHE.format(
            folder=folder,
            port=port,
            modules=modules,
            issuer=provider.issuer,
            secret=CLIENTS["handbook-apache"],
            passphrase=secrets.token_hex(16),
        )
    )
    command = [binary, "-d", str(folder), "-f", str(folder / "httpd.conf"), "-DFOREGROUND"]
    process = start(command)
    try:
        wait_for_port(port, process, folder / "error.log")
        yield Front("apache", f"http://127.0.0.1:{port}")
    finally:
        stop(process)


@contextmanager
def nginx(sites: Sites, provider: Provider, folder: Path) -> Iterator[Front]:
    binary = program("nginx")
    folder.mkdir()
    folder.chmod(0o755)
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    secret = CLIENTS["handbook-nginx"]
    with SignInProxy(provider.issuer, "handbook-nginx", secret, public_url) as proxy:
        server_config(sites, "nginx", folder / "handbook-nginx.conf", "--auth-url", proxy.url)
        (folder / "nginx.conf").write_text(NGINX.format(folder=folder, port=port))
        command = [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")]
        process = start(command)
        try:
            wait_for_port(port, process, folder / "error.log")
            yield Front("nginx", public_url)
        finally:
            stop(process)
