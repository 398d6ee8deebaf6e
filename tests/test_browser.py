"""The site in a real browser (Debian's chromium driven by Playwright) on a real server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def test_practitioner_journey(page, artifacts):
    page.goto("/")
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)
    page.get_by_label("Describe your problem or idea").fill("how do we make buses safer for women at night")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("li.hit").count() == 10
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)

    page.locator("details.facet").filter(has_text="Region").get_by_role(
        "link", name="Latin America and the Caribbean"
    ).click()
    page.wait_for_url("**region=latin-america-caribbean**")
    metas = page.locator("li.hit .meta").all_inner_texts()
    assert metas and all("Latin America" in m for m in metas)

    page.go_back()
    page.wait_for_url("**/search?q=*")
    assert "region=" not in page.url

    page.locator("li.hit h2 a").first.click()
    page.wait_for_url("**/practices/**")
    assert page.locator("h2", has_text="Transferability").count() == 1
    page.screenshot(path=str(artifacts / "practice.png"), full_page=True)

    page.locator("#guidelines a").first.click()
    page.wait_for_url("**/guidelines/**")
    assert page.locator(".guideline-text").is_visible()
    page.screenshot(path=str(artifacts / "guideline.png"), full_page=True)

    page.locator(".card .meta a[href^='/cities/']").first.click()
    page.wait_for_url("**/cities/**")
    city = page.locator("h1").inner_text()
    page.screenshot(path=str(artifacts / "city.png"), full_page=True)
    page.locator("ol.peers a").first.click()
    page.wait_for_url("**/cities/**")
    assert page.locator("h1").inner_text() != city


def test_maps_and_gaps_render_offline(page, artifacts, inventory_size):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/map")
    assert page.locator("svg.world circle.pin").count() == inventory_size
    page.screenshot(path=str(artifacts / "map.png"), full_page=True)
    page.goto("/gaps")
    page.screenshot(path=str(artifacts / "gaps.png"), full_page=True)
    page.goto("/cities/")
    assert all(url.startswith(page.url.split("/cities")[0]) for url in requests), "a page fetched something off-site"


def test_keyboard_users_can_skip_to_content_and_see_focus(page):
    page.goto("/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q'")  # home focuses its search box
    page.goto("/methodology")  # a page without autofocus: the first Tab reaches the skip link
    page.wait_for_load_state()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"


def test_phone_layout_has_no_horizontal_scroll(browser, live_server, artifacts):
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 740}, is_mobile=True)
    tab = context.new_page()
    for url in ("/", "/search?q=police", "/practices/medellin-metrocable"):
        tab.goto(url)
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    tab.screenshot(path=str(artifacts / "phone-practice.png"), full_page=True)
    context.close()


def test_compare_from_search_results(page):
    page.goto("/search?q=violence+interrupters")
    boxes = page.locator("input[name=pick]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Keep my ticks").click()
    page.wait_for_url("**pick=**")
    page.get_by_role("link", name="Compare the 2 ticked").click()
    page.wait_for_url("**/compare?**")
    assert page.locator("table.compare thead th").count() == 3


def test_no_page_breaks_the_content_security_policy(page):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    for url in (
        "/",
        "/search?q=buses",
        "/practices/medellin-metrocable",
        "/guidelines/",
        "/cities/",
        "/map",
        "/gaps",
        "/compare?ids=chicago-cure-violence,boston-operation-ceasefire",
        "/curricula/",
        "/lessons/new",
        "/practices/propose",
        "/methodology",
        "/curator/login",
    ):
        page.goto(url)
    assert violations == []


def test_practice_prints_without_navigation(page, artifacts):
    page.goto("/practices/philadelphia-vacant-lot-greening")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("h1").is_visible()
    page.pdf(path=str(artifacts / "practice-print.pdf"))
    assert (artifacts / "practice-print.pdf").stat().st_size > 10_000
