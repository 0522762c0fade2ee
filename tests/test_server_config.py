"""`sms-handbook server-config`: the written rules, against golden files, and every refusal.

The rules are proved against real servers in tests/serving/; these tests pin the text and the
validation without starting anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from sms_handbook import cli
from sms_handbook.core.options import access_problems, parse_options
from sms_handbook.core.settings import Settings
from sms_handbook.server_config import Served, ServerConfigError, server_config

GOLDEN = Path(__file__).parent / "golden" / "server_config"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
GROUPS = {"internal": ("staff",), "restricted": ("sms-core", "auditors")}


def served(**changes: object) -> Served:
    values: dict[str, object] = {
        "settings": Settings(),
        "groups": GROUPS,
        "site_dir": "/srv/handbook",
    }
    values.update(changes)
    return Served(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("server", ["apache", "nginx"])
def test_the_written_rules_match_the_golden_file(server: str) -> None:
    expected = (GOLDEN / f"{server}.conf").read_text(encoding="utf-8")
    assert server_config(served(), server) == expected  # type: ignore[arg-type]


def test_the_command_writes_the_rules_from_the_plugin_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "handbook"
    root.mkdir()
    for part in ("docs", "registers"):
        (root / part).symlink_to(MINIMAL / part)
    text = (MINIMAL / "mkdocs.yml").read_text(encoding="utf-8")
    option = "  - sms-handbook:\n      access_groups:\n        internal: [staff]\n"
    option += "        restricted: [sms-core, auditors]\n"
    (root / "mkdocs.yml").write_text(text.replace("  - sms-handbook\n", option))
    for server in ("apache", "nginx"):
        args = ["server-config", "--server", server, "--site-dir", "/srv/handbook", str(root)]
        assert cli.main(args) == 0
        written = capsys.readouterr().out
        assert written == (GOLDEN / f"{server}.conf").read_text(encoding="utf-8")


@pytest.mark.parametrize("server", ["apache", "nginx"])
def test_every_audience_has_one_rule_and_only_the_public_one_no_sign_in(server: str) -> None:
    text = server_config(served(), server)  # type: ignore[arg-type]
    if server == "apache":
        sections = text.split("<Directory ")[2:]
        assert [s.split('"')[1] for s in sections] == [
            "/srv/handbook/public",
            "/srv/handbook/internal",
            "/srv/handbook/restricted",
        ]
        assert "openid-connect" not in sections[0] and "Require all granted" in sections[0]
        for section in sections[1:]:
            assert "AuthType openid-connect" in section and "granted" not in section
        assert "Options None" in text and "AllowOverride None" in text
        assert "AllowEncodedSlashes Off" in text
    else:
        assert "location ^~ /public/ { }" in text
        assert "allowed_groups=staff;" in text and "allowed_groups=sms-core,auditors;" in text
        assert "disable_symlinks on" in text and "merge_slashes on" in text
        assert "location / { return 404; }" in text
        assert "alias " not in text  # root maps the normalized URI: no alias traversal


def test_an_audience_without_groups_is_refused() -> None:
    with pytest.raises(ServerConfigError, match="'restricted' has no groups"):
        server_config(served(groups={"internal": ("staff",)}), "apache")


@pytest.mark.parametrize(
    "changes",
    [
        {"site_dir": "site"},
        {"site_dir": '/srv/"x'},
        {"site_dir": "/srv/hand book"},
        {"site_dir": "/srv/x;\nlocation / { }"},
        {"callback_path": "oidc/callback"},
        {"callback_path": "/internal/callback"},
        {"callback_path": "/cb; Require all granted"},
        {"groups_claim": "groups all granted"},
        {"auth_url": "http://x {"},
    ],
)
def test_values_that_would_change_the_rules_are_refused(changes: dict[str, str]) -> None:
    with pytest.raises(ServerConfigError):
        server_config(served(**changes), "apache")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"access_groups": ["staff"]}, "expected a mapping"),
        ({"access_groups": {"internal": []}}, "at least one group"),
        ({"access_groups": {"internal": "staff"}}, "at least one group"),
        ({"access_groups": {"internal": ["staff all"]}}, "not a plain group name"),
        ({"access_groups": {"internal": ['x"\n']}}, "not a plain group name"),
    ],
)
def test_the_option_refuses_what_is_not_a_mapping_of_plain_groups(
    raw: dict[str, object], problem: str
) -> None:
    _, problems = parse_options(raw)
    assert len(problems) == 1 and problem in problems[0][1]


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        ({"staff": ["staff"]}, "not one of the audiences"),
        ({"public": ["everyone"]}, "the public audience"),
    ],
)
def test_the_option_names_only_protected_audiences(
    groups: dict[str, list[str]], problem: str
) -> None:
    options, parse_problems = parse_options({"access_groups": groups})
    assert parse_problems == []
    found = access_problems(options)
    assert len(found) == 1 and problem in found[0]


def test_the_command_refuses_a_handbook_without_groups(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["server-config", "--server", "nginx", str(MINIMAL)]) == 2
    assert "has no groups in the plugin option `access_groups`" in capsys.readouterr().err
