"""The translation catalogs: what to translate, kept complete.

Messages come from the templates and the Python code (gettext calls, extracted with Babel),
and from data the site shows in the reader's language: the vocabularies' labels and
definitions, the body sections, the guideline headings, search notices and cautions.
`kb translations update` writes web/translations/messages.pot and merges it into each
language's messages.po; `kb translations check` lists every message missing in any language.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from web.i18n import CATALOGS, LANGUAGES

WEB = Path(__file__).resolve().parent
ROOT = WEB.parent
METHODS = [
    ("web/**.py", "python"),
    ("web/templates/**.html", "jinja2"),
    ("web/templates/**.md", "jinja2"),
    ("kb/mail.py", "python"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "lazy_gettext": None}
OPTIONS = {
    "web/templates/**.html": {"extensions": "jinja2.ext.i18n"},
    "web/templates/**.md": {"extensions": "jinja2.ext.i18n"},
}


def _vocabulary_messages():
    from web.rendering import VOCABULARIES

    for name in dict.fromkeys(VOCABULARIES):
        for term in VOCABULARIES[name].values():
            yield term.label, f"vocabulary {name}: {term.id}"
            yield term.definition, f"vocabulary {name}: {term.id}"


def _guideline_messages():
    """Headings of chapters, sections, subsections, terms and the items of ¶25 (the contents page shows them)."""
    from kb import guidelines

    for section in guidelines.load().in_order():
        if section.kind in ("chapter", "section", "subsection", "term") or (
            section.kind == "item" and section.id.count(".") == 1 and section.id.startswith("25.")
        ):
            yield section.heading, f"guideline heading {section.id}"


def data_messages() -> list[tuple[str, str]]:
    """(message, where it comes from) for the data the site translates, each message once."""
    from kb import vocab
    from search.filters import FILTERS
    from search.messages import TEMPLATES
    from search.results import CAUTIONS
    from web.errors import TITLES

    found = [
        *_vocabulary_messages(),
        *(
            (heading, "section heading of an entry")
            for heading in [*vocab.BODY_SECTIONS, "About", "Summary", "Lesson from"]
        ),
        *_guideline_messages(),
        *((spec.label, f"search filter {spec.name}") for spec in FILTERS),
        *((text, f"HTTP error {code}") for code, text in TITLES.items()),
        *((text, f"search notice {code}") for code, text in TEMPLATES.items()),
        *((text, f"caution on a {rating} result") for rating, text in CAUTIONS.items()),
    ]
    unique: dict[str, str] = {}
    for message, where in found:
        unique.setdefault(message, where)
    return list(unique.items())


def extract() -> Catalog:
    catalog = Catalog(project="safer-cities-kb", charset="utf-8")
    skip = (".venv", ".git", "tests", "bench", "var", "practices", "node_modules")
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        options_map=OPTIONS,
        keywords=KEYWORDS,
        strip_comment_tags=True,
        directory_filter=lambda path: not any(part in skip for part in Path(path).parts),
    ):
        if not filename.startswith(("web", "kb")):
            continue
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments)
    for message, where in data_messages():
        if message and message not in catalog:
            catalog.add(message, auto_comments=[where])
    return catalog


def update(languages=None) -> dict[str, int]:
    """Write the template and merge it into each language's catalog; return how many messages each lacks."""
    template = extract()
    CATALOGS.mkdir(parents=True, exist_ok=True)
    with open(CATALOGS / "messages.pot", "wb") as handle:
        write_po(handle, template, width=0, omit_header=False)
    missing = {}
    for lang in languages or [code for code in LANGUAGES if code != "en"]:
        path = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with open(path, "rb") as handle:
                catalog = read_po(handle, locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            catalog = Catalog(locale=lang, project="safer-cities-kb", charset="utf-8")
            catalog.update(template, no_fuzzy_matching=True)
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=0, ignore_obsolete=True)
        missing[lang] = sum(1 for m in catalog if m.id and not _translated(m))
    return missing


def _translated(message) -> bool:
    if message.fuzzy:
        return False
    if isinstance(message.string, tuple):
        return all(message.string)
    return bool(message.string)


def check() -> list[str]:
    """Every problem with the catalogs: a message missing or fuzzy in a language, or a catalog out of date."""
    template = extract()
    problems = []
    for lang in (code for code in LANGUAGES if code != "en"):
        path = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{path}: missing; run `kb translations update`")
            continue
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id)
            if found is None:
                problems.append(f"{path}: no entry for {str(message.id)[:70]!r}; run `kb translations update`")
            elif not _translated(found):
                problems.append(f"{path}: not translated: {str(message.id)[:70]!r}")
    return problems
