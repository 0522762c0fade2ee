"""Options of the `sms-handbook` MkDocs plugin, documented; the core reads the same options
(`core/options.py`), and a test keeps names and defaults in step."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..core.options import PAGE_LIMIT, PAGES, UNDEFINED, Options

DEFAULTS = Options()


class HandbookConfig(Config):
    enabled = c.Type(bool, default=True)
    """Run the plugin. When off, MkDocs builds the pages without any handbook processing."""

    audiences = c.ListOfItems(c.Type(str), default=list(DEFAULTS.audiences))
    """Audiences from least to most cleared. A build for one contains what is classified at it
    or below."""

    default_classification = c.Type(str, default=DEFAULTS.default_classification)
    """Classification of a page or register that does not set one."""

    audience = c.Type(str, default=DEFAULTS.audience)
    """Audience this build is for; the environment variable `SMS_AUDIENCE` overrides it."""

    registers_dir = c.Type(str, default=DEFAULTS.registers_dir)
    """Folder of the register files, relative to mkdocs.yml; its `schemas/` subfolder holds
    the repository's own register schemas."""

    standard = c.Type(str, default=DEFAULTS.standard)
    """Clause catalogue that `clauses` refer to."""

    review_interval_months = c.Type(int, default=DEFAULTS.review_interval_months)
    """Review interval of documents and registers that do not set `review_interval_months`."""

    due_soon_days = c.Type(int, default=DEFAULTS.due_soon_days)
    """A review within this many days counts as due soon."""

    overdue_is_warning = c.Type(bool, default=DEFAULTS.overdue_is_warning)
    """Log overdue reviews and records as warnings, so that `mkdocs build --strict` fails."""

    strict_page_keys = c.Type(bool, default=DEFAULTS.strict_page_keys)
    """Report front matter keys of plain pages that neither the handbook nor Material knows
    (SMS106). Off: plain pages keep any key a theme or plugin reads (a blog's `date`, ...)."""

    history_limit = c.Type(int, default=DEFAULTS.history_limit)
    """History checks read at most this many of the newest commits of the default branch; the
    report says how far back they went when the history is longer."""

    max_merge_lag = c.Type(int, default=DEFAULTS.max_merge_lag)
    """Days an approval may precede the commit that brings the approved text onto the default
    branch (a pull request approved, then squash-merged a few days later)."""

    late_entry_days = c.Type(int, default=DEFAULTS.late_entry_days)
    """Days after its own date (held, performed, raised, approved) within which a record must
    be committed; later, it is a late entry (an observation with `entered_late`)."""

    history_baseline = c.Type(str, default=DEFAULTS.history_baseline)
    """The commit at which the handbook adopted sms-handbook (the adoption baseline). Items
    already in the tree there are migrated: listed for sampling, not judged late or against
    their approval dates. Once set, it never moves to a later commit."""

    history_migrated_from = c.Type(str, default=DEFAULTS.history_migrated_from)
    """Where migrated items came from (a document management system, a share), shown with
    them so that an auditor knows what to sample them against."""

    pages_dir = c.Type(str, default=DEFAULTS.pages_dir)
    """Folder (inside the site) of the generated pages."""

    pages = c.ListOfItems(c.Choice(PAGES), default=list(DEFAULTS.pages))
    """Which generated pages to build: catalogue, registers, traceability, reviews, exports,
    print, packs."""

    register_page_limit = c.Type(int, default=PAGE_LIMIT)
    """Records shown on a register page; a larger register shows its first records and points
    to the JSON export (pages of tens of thousands of records help nobody)."""

    nav_section = c.Type(str, default=DEFAULTS.nav_section)
    """Title of the navigation section that lists the generated pages."""

    attachments = c.DictOfItems(c.Type(str), default={})
    """Classification of non-Markdown files in docs/ by glob pattern, for example
    `{"assets/**": public}`. Files matched by no pattern take `default_classification`."""

    nav_group_size = c.Type(int, default=DEFAULTS.nav_group_size)
    """Split navigation sections of more pages than this into groups of this many (0: never),
    so that long sections stay readable and builds stay linear."""

    prune_navigation = c.Type(bool, default=True)
    """Turn on material's `navigation.prune`: each page carries only the navigation it shows,
    which keeps builds of thousands of documents linear instead of quadratic."""

    allow_third_party = c.Type(bool, default=False)
    """Allow pages to load from third-party hosts (Google Fonts, repository facts). When off,
    the plugin turns those off; Mermaid and table sorting are always served from the site."""

    history = c.Type(bool, default=True)
    """Show each controlled document's revision history from git in its control block."""

    compare_with = c.Type(str, default="")
    """A git revision (a release tag, for example) to compare with on a generated "What
    changed" page; the environment variable `SMS_COMPARE_WITH` overrides it. Empty: no page."""

    verify_allow = c.ListOfItems(c.Type(str), default=[])
    """Texts that `sms-handbook build` may find in a site although hidden items contain them
    too (for example a generic title); identifiers of hidden items are never allowed. Also
    names of files that verification cannot read (an unknown binary format, an encrypted
    archive) and that you have checked: they are published unread."""

    access_groups = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Groups of the identity provider whose members may read each non-public audience's site,
    for example `{internal: [staff], restricted: [sms-core]}`; `sms-handbook server-config`
    writes the web server's rules from it. The public audience is for everyone and is not
    listed. Only the listed groups read a site: list a group under every audience it reads."""

    allow_python_names = c.ListOfItems(c.Type(str), default=[])
    """Functions, by exact dotted name, that `!!python/name:` and `!!python/object/apply:` tags
    of mkdocs.yml may name besides those Material and pymdown-extensions document (a fence
    format of your own, for example). Names in `os`, `subprocess`, `builtins` and a few other
    modules that run programs are never accepted."""

    on_undefined = c.Choice(UNDEFINED, default=DEFAULTS.on_undefined)
    """What a page template does with a variable nobody defines: `keep` prints it as written
    (`{{ companyShortName }}`, as mkdocs-macros does by default; `validate` warns, SMS315);
    `strict` fails the page (the build stops; `validate` reports an error, SMS316)."""

    staged_dot_files = c.ListOfItems(c.Type(str), default=[])
    """Names of dot files in `docs/` that other plugins read, staged like `.authors.yml`,
    `.meta.yml`, `.pages` and `.nav.yml` (for the audiences that see their folder)."""
