"""The interface in Spanish, French and Portuguese.

Complete catalogs, every string translatable, a choice that sticks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from web import catalogs
from web.i18n import CATALOGS

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
LANGUAGES = ("es", "fr", "pt")
PAGES = (
    "/",
    "/search?q=buses+for+women+at+night",
    "/practices/medellin-metrocable",
    "/guidelines/IV.C",
    "/cities/medellin-co",
    "/lessons/new",
    "/methodology",
    "/curricula/",
    "/practices/propose",
    "/map",
    "/gaps",
)


def english_phrases(lang: str) -> list[str]:
    """Interface messages long enough to be unmistakably English, whose translation differs."""
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=lang)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id or len(message.id) < 18:
            continue
        if message.string and message.string != message.id and not message.auto_comments:
            found.append(message.id)
    return found


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "textarea", "pre", "code"]):
        tag.decompose()
    for tag in soup.select("[lang]:not(html)"):  # text marked as another language (entries, examples)
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def test_every_message_is_translated_in_every_language():
    assert catalogs.check() == []


def test_no_template_holds_text_outside_the_translation_functions():
    offenders = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
        text = re.sub(r"<(code|pre)\b[^>]*>.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*\blang=\"[a-z]{2}\"[^>]*>.*?</a>", " ", text, flags=re.S)
        attributes = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"{]*[A-Za-z]{2,}[^"{]*)"', text)
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]+>|&[a-z]+;", " ", text))
        words = [w for w in words if w not in ("CSV", "JSON", "API", "BibTeX", "Markdown", "Word")]
        if words or attributes:
            offenders[path.name] = (words + attributes)[:8]
    assert offenders == {}


def test_compiled_catalogs_are_not_committed():
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text()
    assert "*.mo" in ignored


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_in_each_language_show_no_english_interface_text(client, lang):
    phrases = english_phrases(lang)
    assert len(phrases) > 100
    for url in PAGES:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}lang={lang}")
        assert response.status_code == 200, url
        text = visible_text(response.get_data(as_text=True))
        left = [p for p in phrases if p in text]
        assert left == [], (url, left[:5])
        assert f'<html lang="{lang}"' in response.get_data(as_text=True)


def test_the_language_choice_is_kept_and_the_browser_default_respected(client):
    client.get("/?lang=pt")
    assert '<html lang="pt"' in client.get("/methodology").get_data(as_text=True)  # the cookie keeps it
    fresh = client.application.test_client()
    page = fresh.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr"' in page and 'dir="ltr"' in page
    soup = BeautifulSoup(page, "html.parser")
    alternates = {link["hreflang"] for link in soup.select("link[rel=alternate][hreflang]")}
    assert alternates == {"en", "es", "fr", "pt", "x-default"}
    assert soup.select_one("nav.languages a[hreflang=es]")["href"].endswith("lang=es")


def test_practice_pages_show_the_translated_title_summary_and_cost(client):
    page = client.get("/practices/dudley-street-lighting?lang=es").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("h1").get_text().startswith("Nuevo alumbrado")
    assert "idioma original" in soup.select_one(".original-language").get_text()


def test_search_results_show_titles_in_the_readers_language(client):
    soup = BeautifulSoup(client.get("/search?q=alumbrado+de+calles&lang=es").get_data(as_text=True), "html.parser")
    titles = {a["href"].rsplit("/", 1)[1]: a.get_text() for a in soup.select("h2.hit-title a")}
    assert titles["dudley-street-lighting"].startswith("Nuevo alumbrado")
    english = BeautifulSoup(client.get("/search?q=street+lighting&lang=en").get_data(as_text=True), "html.parser")
    assert "Nuevo alumbrado" not in english.get_text()
    compare = client.get("/compare?ids=dudley-street-lighting,boston-operation-ceasefire&lang=es").get_data(
        as_text=True
    )
    heads = [a.get_text() for a in BeautifulSoup(compare, "html.parser").select("table.compare thead th a")]
    assert heads[0].startswith("Nuevo alumbrado")


def test_guideline_chapters_are_named_in_the_readers_language(client):
    page = client.get("/guidelines/26.c.a.g?lang=es").get_data(as_text=True)
    crumbs = BeautifulSoup(page, "html.parser").select_one("nav.breadcrumb").get_text(" ")
    assert "Capítulo V" in crumbs and "Chapter" not in crumbs
    index = visible_text(client.get("/guidelines/?lang=fr").get_data(as_text=True))
    assert "Chapitre V" in index and "Chapter V" not in index


def test_dates_follow_the_locale(client):
    page = client.get("/practices/dudley-street-lighting?lang=fr").get_data(as_text=True)
    assert re.search(
        r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}", page
    )
