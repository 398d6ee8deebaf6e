"""Peers and trainers in a real browser: share a lesson, a curator approves it, find it; build a curriculum."""

import threading

import pytest
from werkzeug.serving import make_server

from kb.community import Community

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def community_server(community_app, community_kb):
    store = Community(community_kb.community_database)
    if not store.curators.check("browser-curator", "a long enough password"):
        store.curators.add("browser-curator", "a long enough password")
    server = make_server("127.0.0.1", 0, community_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def context(browser, community_server):
    ctx = browser.new_context(base_url=community_server, viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def test_lesson_shared_approved_visible_and_searchable(context, browser, community_server, artifacts):
    peer = context.new_page()
    peer.goto("/practices/delhi-safetipin-app")
    peer.get_by_text("Share a lesson about this practice").click()  # the form sits on the practice page
    peer.get_by_label("What you tried").fill("We mapped dark bus stops with a quokkaglow audit before the monsoon.")
    peer.get_by_label("What happened").fill("The city fixed most lights within three months.")
    peer.get_by_label("Your name").fill("Priya")
    peer.screenshot(path=str(artifacts / "lesson-form.png"), full_page=True)
    peer.get_by_role("button", name="Send for review").click()
    assert "Thank you" in peer.locator("h1").inner_text()

    curator_context = browser.new_context(base_url=community_server)
    curator = curator_context.new_page()
    curator.goto("/curator/")
    assert "/curator/login" in curator.url
    curator.get_by_label("Name").fill("browser-curator")
    curator.get_by_label("Password").fill("a long enough password")
    curator.get_by_role("button", name="Log in").click()
    lesson = curator.locator("article.review-item", has_text="quokkaglow")
    lesson.get_by_role("button", name="Approve lesson").click()
    assert "searchable now" in curator.locator(".flash").inner_text()
    curator.screenshot(path=str(artifacts / "curator-queue.png"), full_page=True)
    curator_context.close()

    peer.goto("/practices/delhi-safetipin-app#lessons")
    assert "quokkaglow" in peer.locator("#lessons").inner_text()
    peer.goto("/search?q=quokkaglow")
    assert peer.locator("li.hit h2 a").first.get_attribute("href") == "/practices/delhi-safetipin-app"


def test_trainer_builds_and_exports_a_curriculum(context, artifacts):
    page = context.new_page()
    page.goto("/curricula/")
    page.get_by_role("link", name="Start a new curriculum").click()
    page.get_by_label("Title").fill("Safer transport for women: a one-day course")
    page.get_by_role("button", name="Create and add modules").click()
    assert "Keep this secret link" in page.content()
    page.get_by_label("Module title").fill("Harassment on buses")
    page.get_by_role("button", name="Add module").click()
    module = page.locator("section.edit-module").first
    module.get_by_label("Add a practice as a case study").fill("port-moresby-meri-seif-bus")
    module.get_by_role("button", name="Add case study").click()
    page.goto("/search?q=women+only+carriages")
    page.locator("li.hit").first.get_by_role("button", name="Add to").click()
    page.goto(page.url.split("/search")[0] + "/curricula/")
    page.locator("a", has_text="Safer transport for women").first.click()
    page.get_by_role("link", name="See it as trainees will").click()
    assert page.locator("section.module a[href='/practices/port-moresby-meri-seif-bus']").count() == 1
    page.screenshot(path=str(artifacts / "curriculum.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Markdown").click()
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert "# Safer transport for women" in markdown and "Meri Seif" in markdown
    page.get_by_role("link", name="Print-ready handout").click()
    page.pdf(path=str(artifacts / "curriculum-handout.pdf"))
