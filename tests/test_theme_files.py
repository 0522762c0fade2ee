"""The preview lists the theme's files once and again only when a folder of the theme changed:
an asset added to (or removed from) a theme override while the preview runs still reaches (or
leaves) the site."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import Files
from sms_handbook.mkdocs_plugin.template_cache import ThemeFiles


def _theme_files(root: Path, kept: ThemeFiles) -> set[str]:
    """The theme's files a MkDocs build of `root` copies into its site, as a new build of the
    preview lists them (a new configuration, a new environment)."""
    config = load_config(str(root / "mkdocs.yml"))
    kept.serve(config.theme)
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return {file.src_uri for file in files}


def test_an_asset_added_or_removed_in_an_override_is_seen(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    overrides = tmp_path / "overrides"
    (overrides / "assets").mkdir(parents=True)
    (overrides / "assets" / "first.js").write_text("1;\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: mkdocs\n  custom_dir: overrides\n", encoding="utf-8"
    )
    kept = ThemeFiles()
    first = _theme_files(tmp_path, kept)
    assert "assets/first.js" in first
    assert _theme_files(tmp_path, kept) == first  # listed from what was kept

    (overrides / "assets" / "second.js").write_text("2;\n", encoding="utf-8")
    (overrides / "more" / "deeper").mkdir(parents=True)
    (overrides / "more" / "deeper" / "third.css").write_text("a{}\n", encoding="utf-8")
    seen = _theme_files(tmp_path, kept)
    assert {"assets/second.js", "more/deeper/third.css"} <= seen

    (overrides / "assets" / "first.js").unlink()
    assert "assets/first.js" not in _theme_files(tmp_path, kept)
    assert _theme_files(tmp_path, kept) == _theme_files(tmp_path, ThemeFiles())
