"""A walk through the site in Spanish, French and Portuguese in a real browser: no English interface text."""

from __future__ import annotations

import pytest
from test_i18n import english_phrases, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERIES = {
    "es": "transporte público seguro para mujeres",
    "fr": "violence des jeunes dans les quartiers",
    "pt": "violência contra a mulher",
}


@pytest.mark.parametrize("lang", ["es", "fr", "pt"])
def test_home_search_practice_guideline_city_lesson_in_each_language(browser, live_server, artifacts, lang):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    phrases = english_phrases(lang)
    visited = []

    def check(name):
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang, name
        left = [p for p in phrases if p in visible_text(page.content())]
        assert left == [], (name, page.url, left[:5])
        page.screenshot(path=str(artifacts / f"i18n-{lang}-{name}.png"), full_page=False)
        visited.append(name)

    page.goto(f"/?lang={lang}")
    check("home")
    page.locator("#q").fill(QUERIES[lang])
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    check("search")
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url("**/practices/**")
    check("practice")
    page.locator("#guidelines a").first.click()
    page.wait_for_url("**/guidelines/**")
    check("guideline")
    page.goto(page.url.split("/guidelines")[0] + "/cities/medellin-co")
    check("city")
    page.goto(page.url.split("/cities")[0] + "/lessons/new")
    check("lesson-form")
    assert visited == ["home", "search", "practice", "guideline", "city", "lesson-form"]
    context.close()
