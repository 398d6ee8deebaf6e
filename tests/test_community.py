"""Lessons, proposed practices, curators and curricula: stored, reviewed, safe against hostile input."""

import threading

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import csrf_token

from kb import loader
from kb.cli import cli
from kb.community import Community

pytestmark = pytest.mark.slow

XSS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "<a href='javascript:alert(1)'>x</a>",
]


def lesson_form(**changes):
    data = {
        "name": "Ana Pérez",
        "organisation": "Secretaría de Seguridad",
        "city": "Quito",
        "country": "Ecuador",
        "role": "Analyst",
        "email": "ana@example.org",
        "show_email": "1",
        "practice_id": "bogota-ciclovia",
        "city_slug": "",
        "tried": "We closed two avenues every Sunday morning, following the Bogotá example.",
        "happened": "Families came in large numbers and vendors asked for rules on where to sell.",
        "differently": "Agree the vendor rules with the market association before the first Sunday.",
    }
    return data | changes


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def community_backend(request) -> str:
    """Every test here runs on the embedded SQLite store and on a real PostgreSQL."""
    return request.param


@pytest.fixture
def client(community_app):
    return community_app.test_client()


@pytest.fixture
def curator(community_app):
    store = community_app.extensions["kb_community"]
    if not store.curators.check("amina", "a long enough password"):
        store.curators.add("amina", "a long enough password")
    client = community_app.test_client()
    token = csrf_token(client, "/curator/login")
    response = client.post(
        "/curator/login", data={"name": "amina", "password": "a long enough password", "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def post(client, url, data, form_url=None):
    return client.post(url, data=data | {"csrf_token": csrf_token(client, form_url or url)})


def test_post_without_csrf_token_is_rejected(client):
    assert client.post("/lessons/new", data=lesson_form()).status_code == 400
    assert client.post("/practices/propose", data={}).status_code == 400
    assert client.post("/curator/login", data={"name": "x", "password": "y"}).status_code == 400


def test_a_rejected_lesson_keeps_everything_typed(client):
    response = post(client, "/lessons/new", lesson_form(name="", tried="", email="not-an-email"))
    assert response.status_code == 422
    soup = BeautifulSoup(response.data, "html.parser")
    assert "Your name is required." in soup.select_one("#e-name").get_text()
    assert "does not look like an email" in soup.select_one("#e-email").get_text()
    assert soup.select_one("#f-happened").get_text() == lesson_form()["happened"]
    assert soup.select_one("#f-organisation")["value"] == "Secretaría de Seguridad"
    assert soup.select_one("#f-practice_id option[selected]")["value"] == "bogota-ciclovia"


def test_lesson_goes_through_review_and_becomes_visible_and_searchable(client, curator, community_kb):
    response = post(
        client, "/lessons/new", lesson_form(tried="We tested a zebrafinch method of Sunday street closures.")
    )
    assert response.status_code == 302
    number = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "zebrafinch" not in client.get("/practices/bogota-ciclovia").get_data(as_text=True)
    queue = curator.get("/curator/").get_data(as_text=True)
    assert f"Lesson {number}" in queue
    response = post(curator, f"/curator/lessons/{number}", {"decision": "approve", "reason": ""}, "/curator/")
    assert response.status_code == 302
    page = client.get("/practices/bogota-ciclovia").get_data(as_text=True)
    assert "zebrafinch" in page and "ana@example.org" in page
    hits = client.get("/api/search?q=zebrafinch&mode=lexical").get_json()["hits"]
    assert hits[0]["id"] == "bogota-ciclovia" and hits[0]["snippet_heading"].startswith("Lesson from Ana")


def test_rejection_needs_a_reason(client, curator):
    number = int(post(client, "/lessons/new", lesson_form()).headers["Location"].rsplit("/", 1)[1])
    post(curator, f"/curator/lessons/{number}", {"decision": "reject", "reason": ""}, "/curator/")
    assert f'id="lesson-{number}"' in curator.get("/curator/").get_data(as_text=True)
    post(curator, f"/curator/lessons/{number}", {"decision": "reject", "reason": "Duplicate"}, "/curator/")
    assert f'id="lesson-{number}"' not in curator.get("/curator/").get_data(as_text=True)


def test_xss_payloads_in_every_lesson_field_are_rendered_inert(client, curator):
    plain_fields = ("name", "organisation", "city", "country", "role")
    for field in plain_fields:  # names and places refuse markup outright
        refused = post(client, "/lessons/new", lesson_form(**{field: XSS[0]}))
        assert refused.status_code == 422 and "plain text" in refused.get_data(as_text=True)
    for payload in XSS:
        data = {k: (payload if k in ("tried", "happened", "differently") else v) for k, v in lesson_form().items()}
        response = post(client, "/lessons/new", data)
        number = int(response.headers["Location"].rsplit("/", 1)[1])
        if not payload.startswith("["):  # a markdown link is not markup until rendered; tags must never appear raw
            assert payload not in curator.get("/curator/").get_data(as_text=True)
        post(curator, f"/curator/lessons/{number}", {"decision": "approve"}, "/curator/")
    page = client.get("/practices/bogota-ciclovia").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.select("#lessons script, #lessons img, #lessons svg")
    assert not [a for a in soup.select("#lessons a[href]") if a["href"].strip().lower().startswith("javascript")]
    assert not [tag for tag in soup.select("#lessons *") if any(a.startswith("on") for a in tag.attrs)]


def test_curator_pages_refuse_anonymous_users(client):
    assert client.get("/curator/").status_code == 302
    assert "/curator/login" in client.get("/curator/").headers["Location"]
    assert client.get("/curator/submissions/1").status_code == 302
    token = csrf_token(client, "/lessons/new")
    assert client.post("/curator/lessons/1", data={"decision": "approve", "csrf_token": token}).status_code == 403


def test_wrong_password_and_no_default_curator(community_app, tmp_path):
    client = community_app.test_client()
    token = csrf_token(client, "/curator/login")
    assert (
        client.post("/curator/login", data={"name": "admin", "password": "admin", "csrf_token": token}).status_code
        == 401
    )
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "curator", "add", "bea"], input="short\nshort\n")
    assert result.exit_code == 1 and "at least 10 characters" in result.output
    result = CliRunner().invoke(
        cli, ["--data", str(tmp_path), "curator", "add", "bea"], input="correct horse battery\ncorrect horse battery\n"
    )
    assert result.exit_code == 0
    stored = Community(tmp_path / "community.db")
    assert stored.curators.check("bea", "correct horse battery") and not stored.curators.check("bea", "wrong")
    with stored.store.read() as conn:
        assert conn.value("select password_hash from curators").startswith(("scrypt:", "pbkdf2:"))


def proposal(**changes):
    body = (
        "This paragraph is written for the test of the proposal form and describes, in neutral words, a "
        "municipal programme of night markets with better lighting, trained stewards and shared rules "
        "agreed with traders so that streets stay busy and safe after dark for everyone who uses them."
    )
    data = {
        "id": "testville-night-markets",
        "title": "Night markets with lighting and stewards",
        "city": "Testville",
        "country": "Testland",
        "country_code": "tl",
        "region": "europe",
        "lat": "48.2",
        "lon": "16.37",
        "year_start": "2015",
        "year_end": "",
        "scale": "neighbourhood",
        "lead": "Testville City Council",
        "partners": "Traders association\nPolice",
        "themes": ["street-management", "public-space"],
        "prevention": ["situational"],
        "levels": ["primary"],
        "target_groups": ["street-traders"],
        "guideline_refs": ["26.c.b.e", "IV.H"],
        "rating": "not-evaluated",
        "design": "none",
        "summary": (
            "Testville opened night markets with better lighting, trained stewards and rules agreed with traders, "
            "so that streets stay busy and safe after dark; nobody has evaluated it, and the council reports "
            "attendance only."
        ),
        "evidence_summary": "Nobody has evaluated it; the council reports attendance only.",
        "cost": "No cost figure is published. The council paid for the lighting.",
        "cost_band": "",
        "adapted_from": "",
        "source_title_0": "Night markets report",
        "source_publisher_0": "Testville City Council",
        "source_year_0": "2020",
        "source_url_0": "https://example.org/night-markets",
        "submitter_name": "Tom",
        "submitter_email": "tom@example.org",
    }
    for field in (
        "section_problem",
        "section_what_was_done",
        "section_how_it_works",
        "section_implementation",
        "section_results_and_evidence",
        "section_lessons_learned",
        "section_transferability",
    ):
        data[field] = body
    return data | changes


def test_proposal_errors_sit_beside_their_fields_and_keep_the_typing(client):
    data = proposal(
        id="Bad Id",
        region="",
        source_url_0="not a url",
        section_implementation="Too short.",
        themes=["public-space", "made-up-theme"],
    )
    response = post(client, "/practices/propose", data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.select_one("#e-region").get_text() == "Region is required."
    assert "not among the choices" in soup.select_one(".checkboxes.has-error .error-message").get_text()
    assert soup.select_one("#f-title")["value"] == "Night markets with lighting and stewards"
    assert soup.select_one("#f-section_problem").get_text() == proposal()["section_problem"]
    assert soup.select_one("input[name=themes][value=public-space]").has_attr("checked")
    response = post(client, "/practices/propose", proposal(id="Bad Id"))
    soup = BeautifulSoup(response.data, "html.parser")
    assert "lowercase" in soup.select_one("#e-id").get_text()
    response = post(client, "/practices/propose", proposal(section_implementation="Too short."))
    assert "it has 2" in BeautifulSoup(response.data, "html.parser").select_one("#e-section_implementation").get_text()
    response = post(client, "/practices/propose", proposal(source_url_0="not a url"))
    assert "web address" in BeautifulSoup(response.data, "html.parser").select_one("#e-source_url_0").get_text()


def test_an_approved_practice_is_written_valid_and_searchable(client, curator, community_kb):
    response = post(client, "/practices/propose", proposal())
    assert response.status_code == 302
    number = int(response.headers["Location"].rsplit("/", 1)[1])
    preview = curator.get(f"/curator/submissions/{number}").get_data(as_text=True)
    assert "Night markets with lighting and stewards" in preview
    response = post(
        curator, f"/curator/submissions/{number}", {"decision": "approve"}, f"/curator/submissions/{number}"
    )
    assert response.status_code == 302
    written = community_kb.practices / "testville-night-markets.md"
    assert written.exists()
    practice, problems = loader.read_file(written, None)
    assert practice is not None and [p for p in problems if p.severity == "error"] == []
    assert client.get("/practices/testville-night-markets").status_code == 200
    hits = client.get("/api/search?q=night+markets+stewards").get_json()["hits"]
    assert hits[0]["id"] == "testville-night-markets"


def test_approval_when_practices_cannot_be_written_leaves_it_pending(client, curator, community_app, tmp_path):
    """A real write failure (the practices path runs through a file: ENOTDIR even for root)."""
    number = int(
        post(client, "/practices/propose", proposal(id="unwritable-case")).headers["Location"].rsplit("/", 1)[1]
    )
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    original = community_app.extensions["kb_settings"]
    community_app.extensions["kb_settings"] = original.updated(practices_dir=blocker / "practices")
    try:
        response = post(
            curator, f"/curator/submissions/{number}", {"decision": "approve"}, f"/curator/submissions/{number}"
        )
    finally:
        community_app.extensions["kb_settings"] = original
    assert response.status_code == 302
    assert "stays pending" in curator.get(response.headers["Location"]).get_data(as_text=True)
    store = community_app.extensions["kb_community"]
    assert store.submissions.get(number)["status"] == "pending"


def test_a_write_that_fails_midway_leaves_no_file(tmp_path, monkeypatch):
    from web import publishing

    target = tmp_path / "entry.md"

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publishing.os, "fsync", disk_full)
    with pytest.raises(OSError):
        publishing.write_atomically(target, "---\nid: x\n---\n" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_rate_limit_keeps_the_typing(community_kb, community_app):
    original = community_app.extensions["kb_settings"]
    community_app.extensions["kb_settings"] = original.updated(submission_limit=2)
    try:
        client = community_app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.9.9.9"
        assert post(client, "/lessons/new", lesson_form()).status_code == 302
        assert post(client, "/lessons/new", lesson_form()).status_code == 302
        third = post(client, "/lessons/new", lesson_form(tried="The third lesson text."))
        assert third.status_code == 422
        assert "Too many submissions" in third.get_data(as_text=True)
        assert "The third lesson text." in third.get_data(as_text=True)
    finally:
        community_app.extensions["kb_settings"] = original


def test_200_submissions_from_8_threads_are_all_stored(community_app):
    store = community_app.extensions["kb_community"]
    before = store.lessons.count("pending")
    failures = []

    def worker(n):
        client = community_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"
        token = csrf_token(client, "/lessons/new")
        for i in range(25):
            response = client.post(
                "/lessons/new", data=lesson_form(name=f"worker {n} lesson {i}") | {"csrf_token": token}
            )
            if response.status_code != 302:
                failures.append(response.status_code)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    names = {lesson["name"] for lesson in store.lessons.list("pending", per_page=100_000)}
    assert store.lessons.count("pending") - before == 200
    assert all(f"worker {n} lesson {i}" in names for n in range(8) for i in range(25))


def test_curriculum_build_reorder_share_and_export(community_app):
    trainer = community_app.test_client()
    response = post(
        trainer,
        "/curricula/new",
        {
            "title": "Safety audits for planners",
            "audience": "Planners",
            "duration": "Half a day",
            "objectives": "- Run a safety audit",
        },
    )
    assert response.status_code == 302
    edit_url = response.headers["Location"]
    curriculum_id = edit_url.split("/")[2]
    page = trainer.get(edit_url).get_data(as_text=True)
    assert "Keep this secret link" in page
    post(trainer, f"/curricula/{curriculum_id}/modules", {"module_title": "Walking the route"}, edit_url)
    post(trainer, f"/curricula/{curriculum_id}/modules", {"module_title": "Reading the data"}, edit_url)
    community = community_app.extensions["kb_community"]
    modules = community.curricula.get(curriculum_id).modules
    first, second = modules[0].id, modules[1].id
    post(
        trainer,
        f"/curricula/{curriculum_id}/items",
        {"kind": "guideline", "ref": "25.a.d.iv", "module_id": first},
        edit_url,
    )
    post(
        trainer,
        f"/curricula/{curriculum_id}/items",
        {"kind": "practice", "ref": "toronto-metrac-womens-safety-audits", "module_id": first},
        edit_url,
    )
    # "add to curriculum" from a practice page adds to the last module
    post(
        trainer,
        f"/curricula/{curriculum_id}/items",
        {
            "kind": "practice",
            "ref": "cardiff-model-violence-prevention",
            "module_id": "last",
            "back": "/practices/cardiff-model-violence-prevention",
        },
        "/practices/cardiff-model-violence-prevention",
    )
    post(trainer, f"/curricula/{curriculum_id}/modules/{second}", {"action": "up"}, edit_url)
    titles = [m.title for m in community.curricula.get(curriculum_id).modules]
    assert titles == ["Reading the data", "Walking the route"]
    markdown = trainer.get(f"/curricula/{curriculum_id}.md").get_data(as_text=True)
    assert markdown.index("Reading the data") < markdown.index("Walking the route")
    assert "¶25(a)(d)(iv)" in markdown and "Women's safety audits" in markdown
    assert "(Cardiff, United Kingdom; evidence:" in markdown
    handout = trainer.get(f"/curricula/{curriculum_id}/handout").get_data(as_text=True)
    assert "Including qualitative data on people&#39;s perception of safety" in handout
    assert post(trainer, f"/curricula/{curriculum_id}/items/999999", {"action": "up"}, edit_url).status_code == 404
    assert post(trainer, f"/curricula/{curriculum_id}/modules/999999", {"action": "down"}, edit_url).status_code == 404
    assert post(trainer, f"/curricula/{curriculum_id}/items/1", {"action": "explode"}, edit_url).status_code == 400
    stranger = community_app.test_client()
    assert stranger.get(f"/curricula/{curriculum_id}").status_code == 200
    assert stranger.get(f"/curricula/{curriculum_id}/edit").status_code == 403
    token = csrf_token(stranger, "/curricula/new")
    assert (
        stranger.post(
            f"/curricula/{curriculum_id}/modules", data={"module_title": "x", "csrf_token": token}
        ).status_code
        == 403
    )


def test_starter_curricula_are_complete_and_copyable(community_app):
    client = community_app.test_client()
    for starter in ("foundations", "diagnosis-and-safety-audits", "women-and-girls-in-public-space"):
        page = BeautifulSoup(client.get(f"/curricula/{starter}").data, "html.parser")
        assert page.select("section.module") and page.select("section.module a[href^='/practices/']")
    response = post(client, "/curricula/foundations/copy", {}, "/curricula/foundations")
    assert response.status_code == 302 and client.get(response.headers["Location"]).status_code == 200
    assert client.get("/curricula/foundations/edit").status_code == 403
    principles = {f"IV.{c}" for c in "ABCDEFGHIJKLM"}
    text = client.get("/curricula/foundations.md").get_data(as_text=True)
    assert all(f"**{p}**" in text for p in principles)
