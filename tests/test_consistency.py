"""Declarations that must agree with each other, and the architecture's boundaries."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import yaml
from sms_handbook.core.diagnostics import CODES
from sms_handbook.core.options import Options
from sms_handbook.core.settings import FIELDS, Settings
from sms_handbook.mkdocs_plugin import config as plugin_config
from sms_handbook.mkdocs_plugin.config import HandbookConfig

from tests.conftest import REPO

PACKAGE = REPO / "plugins" / "sms_handbook"
README = (REPO / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_and_renderers_never_import_mkdocs() -> None:
    for folder in ("core", "render"):
        for path in (PACKAGE / folder).glob("*.py"):
            bad = {
                name for name in imports_of(path) if name.split(".")[0] in ("mkdocs", "material")
            }
            assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def test_hooks_folder_holds_only_entry_points() -> None:
    for path in (REPO / "hooks").glob("*.py"):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert functions == ["main"], f"{path.name} should define only main(argv)"
        assert len(path.read_text().splitlines()) < 80


def test_diagnostic_codes_are_sorted_and_well_formed() -> None:
    assert list(CODES) == sorted(CODES)
    for code, entry in CODES.items():
        assert re.fullmatch(r"SMS[0-9]{3}", code)
        assert entry.code == code and entry.summary and entry.remedy


def test_every_diagnostic_code_is_documented_in_the_readme() -> None:
    for code, entry in CODES.items():
        assert re.search(
            rf"^\| `{code}` \| {entry.severity.value} \| {re.escape(entry.summary)} \|",
            README,
            re.M,
        ), code


def test_every_hook_is_listed_in_the_readme_and_installed() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    scripts = PYPROJECT["project"]["scripts"]
    for hook in hooks:
        assert f"`{hook['id']}`" in README, hook["id"]
        assert hook["entry"] in scripts, hook["entry"]
        module = scripts[hook["entry"]].split(":")[0]
        assert module.startswith("sms_handbook.hooks."), module


def test_own_pre_commit_config_runs_the_exported_hooks_locally() -> None:
    exported = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in config["repos"]] == ["local"], "offline: local hooks only"
    local = {h["id"] for r in config["repos"] for h in r["hooks"]}
    assert exported <= local


def test_every_package_folder_is_packaged() -> None:
    declared = set(PYPROJECT["tool"]["setuptools"]["packages"])
    code = {init.parent for init in PACKAGE.rglob("__init__.py")}
    data = {folder for folder in (PACKAGE / "data").rglob("*") if folder.is_dir()}
    found = {
        "sms_handbook" + "".join(f".{part}" for part in folder.relative_to(PACKAGE).parts)
        for folder in code | data | {PACKAGE / "data"}
        if "__pycache__" not in folder.parts
    }
    assert found | {"sms_handbook.hooks"} == declared


def test_entry_points_are_declared() -> None:
    assert PYPROJECT["project"]["scripts"]["sms-handbook"] == "sms_handbook.cli:main"
    plugins = {e.name: e.value for e in entry_points(group="mkdocs.plugins")}
    assert plugins["sms-handbook"] == "sms_handbook.mkdocs_plugin.plugin:HandbookPlugin"


def test_plugin_options_have_docstrings_and_match_the_core_defaults() -> None:
    source = inspect.getsource(plugin_config)
    tree = ast.parse(source)
    body = next(
        n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "HandbookConfig"
    ).body
    options = []
    for index, node in enumerate(body):
        if isinstance(node, ast.Assign):
            name = node.targets[0].id  # type: ignore[attr-defined]
            documented = (
                index + 1 < len(body)
                and isinstance(body[index + 1], ast.Expr)
                and isinstance(body[index + 1].value, ast.Constant)  # type: ignore[attr-defined]
            )
            assert documented, f"option `{name}` has no docstring"
            options.append(name)
    assert options[0] == "enabled"
    defaults = Settings()
    config = HandbookConfig()
    config.load_dict({})
    assert config.validate() == ([], [])
    for name in FIELDS:
        if name in ("docs_dir", "site_files"):  # the site's own settings, not the plugin's
            continue
        value = config[name]
        assert (tuple(value) if isinstance(value, list) else value) == getattr(defaults, name), name
    core = Options()
    assert [f.name for f in dataclasses.fields(Options)] == options
    for name in options:
        value = config[name]
        value = tuple(value) if isinstance(value, list) else value
        assert value == getattr(core, name), f"option `{name}`: MkDocs and the core disagree"
    for name in options:
        assert f"`{name}`" in README, f"plugin option {name} is not documented in the README"


# Modules that may import a site generator: the engine adapters and the MkDocs front end.
MAY_IMPORT_A_GENERATOR = ("engines/", "mkdocs_plugin/")


def test_only_the_engines_and_the_mkdocs_front_end_import_a_site_generator() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(MAY_IMPORT_A_GENERATOR):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{relative}: {name}"
                for name in names
                if name.split(".")[0] in ("mkdocs", "properdocs", "zensical")
            ]
    assert not offenders


def test_the_cli_and_the_hooks_run_without_loading_a_site_generator(tmp_path: Path) -> None:
    """Validation (the pre-commit hook's work) imports no site generator at all."""
    import subprocess
    import sys

    code = (
        "import sys; from sms_handbook.cli import main; from sms_handbook.hooks import "
        "validate_handbook; main(['validate', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('mkdocs', 'properdocs', 'zensical')))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, check=False
    )
    assert finished.stdout.strip().splitlines()[-1] == "[]", finished.stdout + finished.stderr


def test_the_settings_validate_knows_are_those_of_mkdocs() -> None:
    """`validate` names settings MkDocs does not know (SMS324) without loading MkDocs: its
    list is MkDocs' own schema, and the deprecated and removed ones are in it."""
    from mkdocs.config.config_options import Deprecated
    from mkdocs.config.defaults import MkDocsConfig
    from sms_handbook.site_warnings import (
        ABSOLUTE_LINK_LEVELS,
        DEPRECATED,
        LEVELS,
        MKDOCS_SETTINGS,
        REMOVED,
        VALIDATION,
    )

    schema = dict(MkDocsConfig._schema)
    assert set(schema) == MKDOCS_SETTINGS
    groups = dict(schema["validation"].config_class._schema)
    assert {name: tuple(dict(groups[name].config_class._schema)) for name in groups} == VALIDATION
    levels = dict(groups["links"].config_class._schema)
    assert tuple(levels["not_found"].levels) == LEVELS
    assert tuple(levels["absolute_links"].levels) == ABSOLUTE_LINK_LEVELS
    retired = {name: option for name, option in schema.items() if isinstance(option, Deprecated)}
    assert {name for name, option in retired.items() if option.removed} == set(REMOVED)
    assert {name for name, option in retired.items() if not option.removed} == set(DEPRECATED)


def test_mkdocs_build_imports_what_only_serving_or_archives_need_only_then(
    tmp_path: Path,
) -> None:
    """A plain `mkdocs build` of a real site imports neither the file watcher (`mkdocs serve`
    only), tar archives (an attachment that is one), nor pymdownx.snippets (a site that lists
    it): each costs a build's import time for nothing."""
    import os
    import subprocess
    import sys

    from benchmarks.corpus import corpus_copy

    site = corpus_copy("pagerduty", tmp_path / "site")
    code = (
        "import sys; from mkdocs.__main__ import cli; "
        "cli.main(['build', '-q', '--site-dir', sys.argv[1]], standalone_mode=False); "
        "print(sorted(m for m in sys.modules if m in sys.argv[2:]))"
    )
    unwanted = [
        "tarfile",
        "watchdog",
        "pymdownx.snippets",
        "sms_handbook.mkdocs_plugin.live_server",
    ]
    finished = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "built"), *unwanted],
        cwd=site,
        env={**os.environ, "SMS_AUDIENCE": "restricted"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert (tmp_path / "built" / "index.html").is_file()
    assert finished.stdout.strip().splitlines()[-1] == "[]", finished.stdout + finished.stderr
