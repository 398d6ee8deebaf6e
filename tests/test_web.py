"""The HTML pages through Flask's test client, read with BeautifulSoup."""

import re

import pytest
from bs4 import BeautifulSoup

from kb import country_income

pytestmark = pytest.mark.slow


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return BeautifulSoup(response.data, "html.parser")


def test_home_has_search_counts_and_entry_points(client, inventory_size):
    soup = page(client, "/")
    assert soup.find("input", {"name": "q"})
    assert soup.find("label", {"for": "q"})
    text = soup.get_text(" ")
    assert f"{inventory_size} documented urban-safety practices" in text
    for heading in ("Practitioners", "Trainers", "City peers", "By region", "By evidence"):
        assert soup.find("h2", string=heading)


def test_search_results_have_badges_snippets_and_why(client):
    soup = page(client, "/search?q=buses+for+women+at+night")
    hits = soup.select("li.hit")
    assert len(hits) == 10
    first = hits[0]
    assert first.select_one(".badge") and first.select_one(".snippet mark")
    assert "Matched by" in first.select_one(".why").get_text()
    assert first.select_one(".why a[href^='/guidelines/']")
    assert soup.select("nav.pagination a[rel=next]")


def test_facets_link_to_filtered_urls_and_filters_apply(client):
    soup = page(client, "/search?q=police")
    link = soup.select_one("details.facet a[href*='region=']")
    filtered = page(client, link["href"])
    chosen = re.search(r"region=([a-z-]+)", link["href"]).group(1)
    assert filtered.select("li.hit")
    assert filtered.select_one(".active-filters")
    region_label = {
        "asia-pacific": "Asia-Pacific",
        "europe": "Europe",
        "africa": "Africa",
        "north-america": "North America",
        "latin-america-caribbean": "Latin America and the Caribbean",
        "arab-states": "Arab States",
    }[chosen]
    assert all(region_label in hit.select_one(".meta").get_text() for hit in filtered.select("li.hit"))


def test_empty_query_browses_everything(client, inventory_size):
    soup = page(client, "/search")
    assert f"{inventory_size} practices" in soup.select_one(".result-count").get_text()


def test_practice_page_has_everything_a_practitioner_needs(client):
    soup = page(client, "/practices/baltimore-safe-streets")
    assert soup.h1.get_text().startswith("City-funded violence interrupters")
    headings = [h.get_text() for h in soup.select(".practice-body h2")]
    for expected in (
        "Problem",
        "What was done",
        "How it works",
        "Implementation",
        "Results and evidence",
        "Lessons learned",
        "Transferability",
        "Guideline paragraphs it applies",
        "Sources",
        "Cite this entry",
    ):
        assert expected in headings
    assert soup.select_one(".evidence-box .badge").get_text() == "Mixed"
    assert soup.select_one(".lineage a[href='/practices/chicago-cure-violence']")
    assert "@misc{scKB-baltimore-safe-streets" in soup.select_one("#cite-bibtex").get_text()
    assert soup.select(".sources a[href^='http']")
    assert soup.select("#similar-h ~ ul a")


def test_original_practice_lists_its_adaptations(client):
    soup = page(client, "/practices/chicago-cure-violence")
    adapted = {a["href"] for a in soup.select(".lineage a")}
    assert {"/practices/baltimore-safe-streets", "/practices/port-of-spain-project-reason"} <= adapted


def test_markdown_is_sanitised():
    from web.rendering import render_markdown

    html = str(render_markdown("Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"))
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_guidelines_index_and_section(client):
    soup = page(client, "/guidelines/")
    assert soup.select_one("a[href='/guidelines/26.c.a.g']")
    section = page(client, "/guidelines/26.c.a.g")
    assert "Safe public transport" in section.select_one(".guideline-text").get_text()
    assert [a.get_text() for a in section.select(".breadcrumb a")][-1] == "¶26(c)(a)"
    assert section.select(".card")
    principle = page(client, "/guidelines/IV.C")
    assert principle.select(".card")


def test_cities_index_map_and_city_page(client):
    soup = page(client, "/cities/")
    assert soup.select("svg.world circle.pin")
    city = page(client, "/cities/chicago-us")
    assert len(city.select(".card")) >= 3
    peers = city.select("ol.peers li")
    assert len(peers) == 5 and peers[0].select_one("a[href^='/cities/']")
    context = city.select_one("dl.city-context").get_text(" ", strip=True)
    source = country_income.bundled().source
    assert f"Country income group High income ( {source.publisher}, {source.fiscal_year} )" in context
    assert city.select_one(f"dl.city-context a[href='{source.url}']")
    incomes = country_income.bundled()
    for peer in peers:  # the reason shows exactly where the peer's country is in Chicago's income group
        code = peer.select_one("a")["href"].rsplit("-", 1)[1]  # city slugs end in the country code
        same = incomes.of(code) == incomes.of("US")
        assert ("same country income group" in peer.get_text()) == same


def test_map_and_gaps(client, inventory_size):
    soup = page(client, "/map")
    assert len(soup.select("svg.world circle.pin")) == inventory_size
    assert soup.select_one("svg.world path.land")["d"].startswith("M")
    gaps = page(client, "/gaps")
    cells = gaps.select("table.gap-map td")
    assert len(cells) == 13 * 6
    assert gaps.select("td.level-0")  # the gaps show
    assert gaps.select_one("td a[href*='guideline=IV.']")
    page(client, "/gaps?rows=themes&columns=ratings")


def test_compare(client):
    soup = page(client, "/compare?ids=chicago-cure-violence,boston-operation-ceasefire")
    assert len(soup.select("table.compare thead th")) == 3
    page(client, "/compare?pick=chicago-cure-violence&pick=rahway-scared-straight")
    page(client, "/compare?ids=a,b,c,d", status=400)
    page(client, "/compare?ids=chicago-cure-violence,nope", status=404)


def test_methodology_defines_the_scale(client):
    soup = page(client, "/methodology")
    assert "randomized trial" in soup.get_text()


@pytest.mark.parametrize(
    "url, status",
    [
        ("/practices/no-such-practice", 404),
        ("/guidelines/26.c.a.z", 404),
        ("/cities/atlantis-xx", 404),
        ("/search?page=abc", 400),
        ("/search?per_page=0", 400),
        ("/search?region=mars", 400),
        ("/search?mode=fuzzy", 400),
        ("/search?year_from=soon", 400),
        ("/search?q=bus&page=9999", 404),
        ("/gaps?rows=cats", 400),
        ("/nowhere", 404),
    ],
)
def test_bad_input_gets_a_page_with_a_way_back(client, url, status):
    soup = page(client, url, status)
    assert soup.select_one("a[href='/']")
    assert soup.h1.get_text().startswith(str(status))


def test_unknown_filter_message_lists_allowed_values(client):
    soup = page(client, "/search?region=mars", 400)
    assert "allowed: africa" in soup.get_text()


def test_every_asset_is_served_by_the_app(client):
    soup = page(client, "/")
    for tag in soup.select("link[href], script[src], img[src]"):
        url = tag.get("href") or tag.get("src")
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200


def test_site_says_which_model_serves(client):
    assert "domain model built from this knowledge base" in page(client, "/methodology").get_text()
    assert "domain model" not in page(client, "/").get_text()  # the home page is for practitioners, not engineers


def test_practice_and_city_pages_carry_the_lesson_form(client):
    practice = page(client, "/practices/cardiff-model-violence-prevention")
    form = practice.select_one("#lessons form[action='/lessons/new']")
    assert form.select_one("input[name=practice_id]")["value"] == "cardiff-model-violence-prevention"
    assert form.select_one("input[name=csrf_token]") and form.select_one("textarea[name=tried]")
    city = page(client, "/cities/cardiff-gb")
    form = city.select_one("form[action='/lessons/new']")
    assert form.select_one("input[name=from_city_slug]")["value"] == "cardiff-gb"
    assert not form.select_one("input[name=practice_id]")
