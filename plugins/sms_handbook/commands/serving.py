"""`sms-handbook server-config`: the web server's rules that serve each audience to its groups."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..server_config import SERVERS, Served, ServerConfigError, server_config
from .common import CommandError, add_root, load


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "server-config",
        help="web server rules serving each audience's site to its groups only",
        description=(
            "Write the configuration that serves SITE_DIR/<audience>/ (a build, or a checkout "
            "of the audience's release branch with its versions) at /<audience>/: the public "
            "audience to everyone without sign-in, every other audience to the members of its "
            "groups in the plugin option `access_groups` only. apache: mod_auth_openidc; "
            "nginx: auth_request to an authenticating proxy with oauth2-proxy's endpoints."
        ),
    )
    add_root(parser)
    parser.add_argument("--server", choices=SERVERS, required=True, help="the web server")
    parser.add_argument(
        "--site-dir",
        type=Path,
        help="folder holding one folder per audience on the server (default: ROOT/site)",
    )
    parser.add_argument(
        "--groups-claim", default="groups", help="claim of the ID token naming the groups"
    )
    parser.add_argument(
        "--callback-path",
        default="/oidc/callback",
        help="apache: path of mod_auth_openidc's OIDCRedirectURI (default: /oidc/callback)",
    )
    parser.add_argument(
        "--auth-url",
        default="http://127.0.0.1:4180",
        help="nginx: the authenticating proxy (default: http://127.0.0.1:4180)",
    )
    parser.add_argument("--output", type=Path, help="file to write (default: standard output)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load(args.root)
    site = (args.site_dir or args.root / "site").absolute()
    served = Served(
        settings=loaded.settings,
        groups=loaded.options.access_groups,
        site_dir=site.as_posix(),
        groups_claim=args.groups_claim,
        callback_path=args.callback_path,
        auth_url=args.auth_url,
    )
    try:
        text = server_config(served, args.server)
    except ServerConfigError as error:
        raise CommandError(str(error)) from None
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        print(text, end="")
    return 0
