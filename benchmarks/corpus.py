"""The real sites of `tests/corpus/`: each built with the plugin and plainly, from one copy."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
GUARD = "  - sms_handbook.guard\n"
PLAIN = "mkdocs.plain.yml"  # the copy's configuration without the plugin and the guard


def plain_config(text: str) -> str:
    """A corpus site's `mkdocs.yml` without the guard and the plugin's entry (and its options):
    what the site's authors build without sms-handbook."""
    assert GUARD in text, "a corpus site lists the guard"
    lines = text.replace(GUARD, "").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip().rstrip(":") == "- sms-handbook")
    end = start + 1
    while end < len(lines) and lines[end].startswith("      "):
        end += 1
    return "".join(lines[:start] + lines[end:])


def corpus_copy(name: str, destination: Path) -> Path:
    """A git repository at `destination` holding corpus site `name`, with `PLAIN` beside its
    `mkdocs.yml`."""
    shutil.copytree(CORPUS / name, destination)
    config = (destination / "mkdocs.yml").read_text(encoding="utf-8")
    (destination / PLAIN).write_text(plain_config(config), encoding="utf-8")
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", name]):
        subprocess.run(["git", *command], cwd=destination, env=environment, check=True)
    return destination


def corpus_names() -> list[str]:
    return sorted(path.name for path in CORPUS.iterdir() if (path / "mkdocs.yml").is_file())
