"""What a city peer, a curator and a trainer do, in a real browser, at desktop and phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(community_app):
    import threading

    from werkzeug.serving import make_server

    community_app.config["SERVER_NAME"] = None
    served = make_server("127.0.0.1", 0, community_app, threaded=True)
    threading.Thread(target=served.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{served.server_port}"
    served.shutdown()


@pytest.fixture
def desk(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    yield context.new_page()
    context.close()


def login(page, community_app, name="editor"):
    store = community_app.extensions["kb_community"]
    if not store.curators.check(name, "a long enough password"):
        store.curators.add(name, "a long enough password")
    page.goto("/curator/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/curator/")


def test_a_rejected_proposal_shows_every_problem_at_once_in_plain_words(desk, artifacts):
    desk.goto("/practices/propose")
    desk.get_by_label("Title: what was done").fill("<script>alert(1)</script>")
    desk.locator("#f-section_problem").fill("Too short.")
    desk.get_by_label("Evidence rating").select_option("effective")
    desk.get_by_label("Evaluation design").select_option("none")
    desk.get_by_role("button", name="Send for review").click()
    errors = desk.locator(".error-message").all_inner_texts()
    text = " ".join(errors)
    assert "plain text" in text  # markup refused in a plain field
    assert "The Problem section needs at least 40 words; it has 2." in text
    assert "cannot rest on" in text  # the evidence scale's rule
    assert "City is required." in text and "Your name is required." in text
    assert len(errors) >= 10  # every problem in one pass, each beside its field
    assert desk.locator("#f-section_problem").input_value() == "Too short."
    desk.screenshot(path=str(artifacts / "propose-errors.png"), full_page=False)


def test_the_author_follows_a_lesson_from_submission_to_publication(desk, browser, server, community_app):
    desk.goto("/lessons/new")
    assert desk.locator("#f-practice_id").input_value() == ""  # no default that is then rejected
    desk.get_by_label("The practice your lesson is about").select_option("medellin-metrocable")
    desk.get_by_label("Your city, if it is not in the list").fill("Manizales")
    desk.get_by_label("Its country").fill("Colombia")
    desk.get_by_label("What you tried").fill("We built a cable car with **stations** that hold a library.")
    desk.get_by_label("What happened").fill("Ridership grew and the stations became meeting places.")
    desk.get_by_label("Your name").fill("Lucía")
    desk.get_by_role("button", name="Send for review").click()
    status_link = desk.locator(".notice a").get_attribute("href")
    desk.goto(status_link)
    assert "Waiting for a curator" in desk.content()
    curator_context = browser.new_context(base_url=server)
    curator = curator_context.new_page()
    login(curator, community_app)
    curator.locator("article.review-item", has_text="Lucía").get_by_role("button", name="Approve lesson").click()
    curator_context.close()
    desk.goto(status_link)
    assert "Approved and published" in desk.content()
    desk.goto("/practices/medellin-metrocable#lessons")
    lesson = desk.locator("#lessons article.lesson").filter(has_text="Lucía")
    assert "Lessons from Manizales on" in lesson.locator("h3").inner_text()
    assert lesson.locator("strong").inner_text() == "stations"  # markdown rendered, not shown raw


def test_a_curator_edits_before_approving_and_can_unpublish(desk, community_app, community_kb):
    community = community_app.extensions["kb_community"]
    source = sorted(community_kb.practices.glob("*.md"))[1].read_text(encoding="utf-8")
    original_id = source.split("id: ", 1)[1].split("\n", 1)[0].strip()
    document = source.replace(f"id: {original_id}", "id: edited-in-review", 1)
    number, token = community.submissions.add("edited-in-review", document, "Tom", None)
    login(desk, community_app, "reviewer")
    desk.goto(f"/curator/submissions/{number}")
    desk.get_by_role("link", name="Edit before approving").click()
    desk.get_by_label("Title: what was done").fill("A title the curator corrected")
    desk.get_by_role("button", name="Save changes").click()
    assert "A title the curator corrected" in desk.locator("pre.diff").inner_text()
    desk.get_by_role("button", name="Approve and publish").click()
    desk.goto("/practices/edited-in-review")
    assert desk.locator("h1").inner_text() == "A title the curator corrected"
    desk.get_by_label("Reason for unpublishing this practice").fill("Duplicate of an existing entry.")
    desk.get_by_role("button", name="Unpublish this practice").click()
    assert desk.goto("/practices/edited-in-review").status == 404
    assert (community_kb.data / "unpublished" / "edited-in-review.md").exists()  # nothing lost


def test_the_queue_filters_and_pages(desk, community_app):
    community = community_app.extensions["kb_community"]
    for i in range(25):
        community.lessons.add({"name": f"pager {i}", "tried": "x", "happened": "y", "practice_id": "bogota-ciclovia"})
    login(desk, community_app, "queue-keeper")
    desk.goto("/curator/?kind=lessons")
    assert desk.locator("article.review-item").count() == 20
    assert desk.get_by_role("link", name="Next").count() == 1
    desk.get_by_label("Show").select_option("submissions")
    desk.get_by_role("button", name="Filter").click()
    assert desk.locator("article.review-item").count() == 0


def test_a_trainer_builds_a_private_curriculum_on_a_phone(phone, artifacts):
    phone.goto("/curricula/new")
    phone.get_by_role("button", name="Create and add modules").click()
    assert "Title is required." in phone.locator("#e-title").inner_text()  # reported beside the field
    phone.get_by_label("Title").fill("Night-time safety for planners")
    phone.get_by_role("button", name="Create and add modules").click()
    edit_url = phone.url
    phone.get_by_label("Module title").fill("Lighting and design")
    phone.get_by_label("Time (minutes)").last.fill("45")
    phone.get_by_role("button", name="Add module").click()
    expect(phone.locator("section.edit-module")).to_have_count(1)
    phone.get_by_label("Module title").last.fill("Buses at night")
    phone.get_by_role("button", name="Add module").click()
    expect(phone.locator("section.edit-module")).to_have_count(2)
    first = phone.locator("section.edit-module").first
    first.get_by_label("Add a guideline section").fill("26.c.a.g")
    first.get_by_role("button", name="Add section").click()
    first = phone.locator("section.edit-module").first
    first.get_by_label("Add a practice as a case study").fill("dudley-street-lighting")
    first.get_by_role("button", name="Add case study").click()
    first = phone.locator("section.edit-module").first
    first.get_by_label("Note for this case study").fill("Compare with the control estate.")
    first.get_by_role("button", name="Save note").click()
    first = phone.locator("section.edit-module").first
    first.locator("li.item").filter(has_text="Dudley").get_by_role("button", name="Move", exact=True).click()
    second = phone.locator("section.edit-module").nth(1)
    assert second.locator("li.item").filter(has_text="Dudley").count() == 1  # moved between modules
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(artifacts / "curriculum-editor-phone.png"), full_page=True)
    second.locator("li.item").filter(has_text="Dudley").get_by_role("button", name="Remove").click()
    phone.get_by_role("button", name="Undo").click()
    assert phone.locator("li.item").filter(has_text="Dudley").count() == 1
    curriculum_id = edit_url.split("/curricula/")[1].split("/")[0]
    phone.goto("/curricula/")
    assert phone.locator(f"a[href='/curricula/{curriculum_id}']").count() == 0  # private: not on the shared list
    phone.goto(edit_url)
    phone.get_by_role("button", name="Publish to the shared list").click()
    phone.goto("/curricula/")
    assert phone.locator(f"a[href='/curricula/{curriculum_id}']").count() == 1
    with phone.expect_download() as download:
        phone.goto(f"/curricula/{curriculum_id}")
        phone.get_by_role("link", name="Download Markdown").click()
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert "## Module 1. Lighting and design (45 min)" in markdown and "evidence: Effective" in markdown
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download Word (.docx)").click()
    assert open(download.value.path(), "rb").read(2) == b"PK"  # a .docx is a zip


def test_add_to_curriculum_asks_which_module(desk):
    desk.goto("/curricula/new")
    desk.get_by_label("Title").fill("Picking modules")
    desk.get_by_role("button", name="Create and add modules").click()
    for count, title in enumerate(("First", "Second"), start=1):
        desk.get_by_label("Module title").last.fill(title)
        desk.get_by_role("button", name="Add module").click()
        expect(desk.locator("section.edit-module")).to_have_count(count)
    desk.goto("/practices/medellin-metrocable")
    desk.get_by_label("Add to which curriculum and module").select_option(label="Picking modules › Second")
    desk.get_by_role("button", name="Add to curriculum").click()
    assert "Added to" in desk.locator(".flash").inner_text()


def test_compare_keeps_ticks_beyond_three(desk, artifacts):
    desk.goto(
        "/compare?ids=chicago-cure-violence,boston-operation-ceasefire,medellin-metrocable,dudley-street-lighting"
    )
    assert desk.locator("input[name=pick]:checked").count() == 4
    desk.locator("input[name=pick]").last.uncheck()
    desk.get_by_role("button", name="Compare").click()
    assert desk.locator("table.compare thead th").count() == 4  # three practices and the row headings
    desk.emulate_media(media="print")
    desk.pdf(path=str(artifacts / "compare-print.pdf"), landscape=True)


def test_phone_search_collapses_filters_and_skips_to_results(phone, desk, artifacts):
    phone.goto("/search?q=street+lighting")
    assert not phone.locator("details.facet").first.is_visible()  # the filters are folded above the results
    assert phone.locator("#results").bounding_box()["y"] < 900  # results start on the first screen
    phone.get_by_text("Filters and sorting").click()
    assert phone.locator("details.facet").first.is_visible()
    phone.screenshot(path=str(artifacts / "search-phone-filters.png"))
    desk.goto("/search?q=street+lighting")
    assert desk.locator("details.facet").first.is_visible()  # side by side on a wide screen
    desk.keyboard.press("Tab")
    desk.keyboard.press("Tab")  # the second stop is 'Skip to results', before 60-odd filter links
    focused = desk.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to results", "#results"]
    phone.screenshot(path=str(artifacts / "search-phone.png"))


def test_gap_map_does_not_count_missing_harm_as_a_gap(desk):
    desk.goto("/gaps?columns=ratings")
    assert desk.locator(".none-cell").count() > 0
    assert "not a gap" in desk.locator(".lead").inner_text()
    desk.goto("/guidelines/IV.K")
    headings = desk.locator("h2").all_inner_texts()
    assert any(h.startswith("Practices that apply") for h in headings)


def test_peer_cities_state_a_reason_on_every_row(desk):
    desk.goto("/cities/medellin-co")
    rows = desk.locator("ol.peers li")
    assert rows.count() >= 3
    assert all(reason.strip() for reason in rows.locator(".reason").all_inner_texts())
