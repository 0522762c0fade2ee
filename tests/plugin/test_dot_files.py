"""Dot files other plugins read from docs/: staged for the audiences that see their folder.

Material's blog reads `blog/.authors.yml`, its meta plugin `.meta.yml` in each folder, the
navigation plugins `.pages` and `.nav.yml`. The stage copies them where the audience sees the
folder's pages, and names each one it leaves out in the build's notes.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Handbook, build_site, run_cli

PLUGINS = """plugins:
  - search
  - meta
  - blog:
      blog_dir: blog
      archive: false
      categories: false
  - sms-handbook:
      staged_dot_files: [.team.yml]
  - macros
"""
AUTHORS = """authors:
  tfinch:
    name: Tomas Finch
    description: Service manager
    avatar: https://example.org/tf.png
"""


def _blog_site(handbook: Handbook) -> None:
    text = handbook.read("mkdocs.yml")
    handbook.write("mkdocs.yml", text[: text.index("plugins:")] + PLUGINS)
    handbook.write(
        "docs/blog/index.md", "---\ntitle: News\nclassification: public\n---\n\n# News\n"
    )
    handbook.write(
        "docs/blog/posts/hello.md",
        "---\ntitle: Hello\nclassification: public\ndate: 2026-10-01\nauthors: [tfinch]\n---\n\n"
        "# Hello\n\nOur first public post.\n",
    )
    handbook.write("docs/blog/.authors.yml", AUTHORS)
    handbook.write(
        "docs/staff/guide.md",
        "---\ntitle: Staff guide\nclassification: internal\n---\n\n# Staff guide\n\nInside.\n",
    )
    handbook.write("docs/staff/.meta.yml", "search:\n  exclude: true\nsubtitle: MARKMETAI\n")
    handbook.write("docs/staff/.team.yml", "lead: MARKTEAMI\n")
    handbook.write("docs/staff/.pages", "# awesome-pages: nothing to say yet\n")
    handbook.write("docs/.pages", "")
    handbook.write("docs/.DS_Store", "junk")


def test_materials_blog_finds_its_authors(handbook: Handbook, tmp_path: Path) -> None:
    _blog_site(handbook)
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code == 0, built.output
    assert "could not be read" not in built.output
    site = build_site(handbook.root, tmp_path / "plugin", audience="public")
    for root in (tmp_path / "cli" / "public", site.root):
        post = (root / "blog" / "2026" / "10" / "01" / "hello" / "index.html").read_text()
        assert "Tomas Finch" in post


def test_dot_files_follow_the_audience_of_their_folder(handbook: Handbook) -> None:
    _blog_site(handbook)
    built = run_cli("build", handbook.root)
    assert built.code == 0, built.output
    stage = handbook.root / ".cache" / "sms-handbook" / "stage"
    for audience, present in (("public", False), ("internal", True)):
        docs = stage / audience / "docs"
        assert (docs / "blog" / ".authors.yml").is_file()
        assert (docs / ".pages").is_file()  # empty: staged as it is
        for name in (".meta.yml", ".team.yml", ".pages"):
            assert (docs / "staff" / name).is_file() is present, (audience, name)
        assert not (docs / ".DS_Store").exists()
    for name in (".meta.yml", ".team.yml", ".pages"):
        assert f"public: note: docs/staff/{name} left out" in built.out
    assert "dot file(s) of docs/ left out (.DS_Store)" in built.out
    assert "staged_dot_files" in built.out
    public = "\n".join(
        p.read_text(errors="replace") for p in (handbook.root / "site" / "public").rglob("*.*")
    )
    assert "MARKMETAI" not in public and "MARKTEAMI" not in public


def test_materials_meta_file_applies(handbook: Handbook, tmp_path: Path) -> None:
    """The meta plugin's `.meta.yml` gives the staff pages its keys (here: out of search)."""
    _blog_site(handbook)
    site = build_site(handbook.root, tmp_path / "site", audience="internal")
    index = (site.root / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Staff guide" not in index
    assert "Our first public post" in index


def test_an_author_naming_a_hidden_file_or_page_is_scoped(
    handbook: Handbook, tmp_path: Path
) -> None:
    """`.authors.yml` of a public blog whose author's avatar is an internal attachment and
    whose profile link is an internal page: both went into every public post (the plugin's
    `mkdocs build`) or failed `sms-handbook build`'s verification. Now the values are
    emptied for the public (Material requires the avatar key) and kept for staff."""
    _blog_site(handbook)
    handbook.write("docs/staff/portrait-of-tf.png", b"\x89PNG\r\n\x1a\n")
    handbook.replace(
        "docs/blog/.authors.yml",
        "avatar: https://example.org/tf.png\n",
        "avatar: staff/portrait-of-tf.png\n    url: ../staff/guide.md\n",
    )
    built = run_cli("build", handbook.root, "--site-dir", tmp_path / "cli")
    assert built.code == 0, built.output
    plugin = build_site(handbook.root, tmp_path / "plugin", audience="public")
    for root in (tmp_path / "cli" / "public", plugin.root):
        post = (root / "blog" / "2026" / "10" / "01" / "hello" / "index.html").read_text()
        assert "Tomas Finch" in post
        for path in root.rglob("*.*"):
            text = path.read_text(errors="replace")
            assert "portrait-of-tf" not in text and "staff/guide" not in text, path
    internal = tmp_path / "cli" / "internal" / "blog" / "2026" / "10" / "01" / "hello"
    assert "portrait-of-tf.png" in (internal / "index.html").read_text()


def test_other_dot_files_are_scoped_and_a_renamed_meta_file_is_a_meta_file(
    handbook: Handbook,
) -> None:
    """A `staged_dot_files` file and Material's meta file under another name (`meta_file`)
    naming an internal page or attachment were staged as written for the public. Now a meta
    file loses such values as front matter does, any other YAML file has them emptied (its
    keys stay) or its list items go, and one that is not YAML is left out if a word of it
    names a hidden target."""
    _blog_site(handbook)
    handbook.replace("mkdocs.yml", "  - meta\n", "  - meta:\n      meta_file: '**/.folder.yml'\n")
    handbook.replace(
        "mkdocs.yml", "staged_dot_files: [.team.yml]", "staged_dot_files: [.team.yml, .notes]"
    )
    handbook.write("docs/staff/portrait.png", b"\x89PNG\r\n\x1a\n")
    handbook.write(
        "docs/blog/.folder.yml",
        "description: MARKFOLDERP, see ../staff/guide.md\nlinks: [../staff/portrait.png]\n"
        "subtitle: News\n",
    )
    handbook.write(
        "docs/blog/.team.yml",
        "lead: staff/guide.md\nphotos: [staff/portrait.png, blog/public.png]\nname: Tomas\n",
    )
    handbook.write("docs/blog/.notes", "ask Tomas for staff/portrait.png\n")
    handbook.write("docs/.notes", "nothing hidden here\n")
    run = run_cli("stage", handbook.root, "--audience", "public")
    assert run.code == 1, run.output  # the warning for .notes
    assert "blog/.notes: left out, it names what the public may not see" in run.err
    docs = Path(run.out.splitlines()[-1]) / "docs"
    assert (docs / "blog" / ".folder.yml").read_text() == "subtitle: News\n"
    team = (docs / "blog" / ".team.yml").read_text()
    assert "lead: ''" in team and "blog/public.png" in team and "staff/" not in team
    assert "name: Tomas" in team
    assert not (docs / "blog" / ".notes").exists()
    assert (docs / ".notes").read_text() == "nothing hidden here\n"
    internal = run_cli("stage", handbook.root, "--audience", "internal")
    assert internal.code == 0, internal.output
    docs = Path(internal.out.splitlines()[-1]) / "docs"
    assert "MARKFOLDERP" in (docs / "blog" / ".folder.yml").read_text()
    assert (docs / "blog" / ".notes").is_file()
