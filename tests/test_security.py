"""The weaknesses an attack test found, each reproduced: every test here failed before its fix."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import stat
import threading
import time

import pytest
from conftest import csrf_token

from kb import builds, config, loader
from kb.community.curricula import MAX_MODULES
from web import create_app
from web.api import spreadsheet_safe
from web.safety import same_site_path

pytestmark = pytest.mark.slow


@pytest.fixture
def client(community_app):
    return community_app.test_client()


def post(client, url, data, form_url=None):
    return client.post(url, data=data | {"csrf_token": csrf_token(client, form_url or url)})


def login(community_app, name="sentinel", password="a long enough password"):
    store = community_app.extensions["kb_community"]
    if not store.curators.check(name, password):
        store.curators.add(name, password)
    client = community_app.test_client()
    assert post(client, "/curator/login", {"name": name, "password": password}).status_code == 302
    return client


# 1. request bodies over the limit are refused before they are read -----------------------------


def test_a_large_body_gets_413_before_it_is_read(community_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, community_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as conn:
            conn.sendall(
                b"POST /lessons/new HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 314572800\r\n\r\nname=x"
            )  # announces 300 MB, sends 6 bytes
            reply = conn.recv(200).decode("latin-1")
        assert reply.startswith("HTTP/1.1 413")  # answered at once: the server never waited for the body
    finally:
        server.shutdown()
    assert community_app.test_client().post("/lessons/new", data={"x": "a" * 300_000}).status_code == 413


# 2. cookies and headers -----------------------------------------------------------------------


def test_every_response_carries_the_security_headers(client):
    for url in ("/", "/search?q=bus", "/api/practices", "/curator/login", "/nowhere"):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_samesite_and_secure_when_configured(community_kb):
    plain = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "KB_DATA_DIR": str(community_kb.data),
            "KB_PRACTICES_DIR": str(community_kb.practices),
        }
    )
    cookie = plain.test_client().get("/lessons/new").headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie
    secure = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "KB_DATA_DIR": str(community_kb.data),
            "KB_PRACTICES_DIR": str(community_kb.practices),
            "KB_SECURE_COOKIES": True,
        }
    )
    response = secure.test_client().get("/lessons/new")
    assert "Secure" in response.headers["Set-Cookie"] and "Strict-Transport-Security" in response.headers


# 3. curator login: throttled, and unknown names cost as much as known ones ------------------


def test_failed_logins_are_throttled_per_account_and_per_client(community_app):
    community_app.extensions["kb_community"].curators.add("target", "the right long password")
    attacker = community_app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "10.66.0.1"
    codes = [
        post(attacker, "/curator/login", {"name": "target", "password": f"guess {i}"}).status_code for i in range(7)
    ]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    # the right password is refused too while the account is throttled
    assert (
        post(attacker, "/curator/login", {"name": "target", "password": "the right long password"}).status_code == 429
    )
    elsewhere = community_app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.66.0.2"  # another client, another account: the client limit
    codes = [post(elsewhere, "/curator/login", {"name": f"nobody{i}", "password": "x"}).status_code for i in range(6)]
    assert codes[-1] == 429


def test_an_unknown_name_costs_the_same_password_check_as_a_known_one(community_app, monkeypatch):
    from kb.community import curators as module

    checked = []
    real = module.check_password_hash
    monkeypatch.setattr(
        module, "check_password_hash", lambda stored, given: checked.append(stored) or real(stored, given)
    )
    curators = community_app.extensions["kb_community"].curators
    curators.add("known", "a long enough password")
    assert not curators.check("known", "wrong guess") and not curators.check("nobody", "wrong guess")
    # both paths run one full hash of the same kind, so the answer time does not tell names apart
    assert len(checked) == 2 and checked[1] == module._UNKNOWN_NAME_HASH
    assert checked[0].split("$")[0] == checked[1].split("$")[0]


# 4. logout revokes the session server-side ----------------------------------------------------


def test_a_copied_cookie_stops_working_after_logout(community_app):
    curator = login(community_app, "leaver")
    stolen = curator.get_cookie("session").value
    assert curator.get("/curator/").status_code == 200
    token = csrf_token(curator, "/curator/")
    assert curator.post("/curator/logout", data={"csrf_token": token}).status_code == 302
    thief = community_app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/curator/")
    assert response.status_code == 302 and "/curator/login" in response.headers["Location"]


def test_curator_pages_are_never_cached(community_app):
    curator = login(community_app, "cautious")
    for path in ("/curator/", "/curator/login"):
        response = curator.get(path)
        assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Robots-Tag"] == "noindex"
    assert "no-store" not in community_app.test_client().get("/").headers.get("Cache-Control", "")


# 5. one lock for every build path -------------------------------------------------------------


def test_a_command_line_build_waits_for_a_running_build(community_kb):
    from search import pipeline

    done = threading.Event()
    with builds.lock(community_kb):
        worker = threading.Thread(
            target=lambda: (pipeline.build(community_kb, setting="domain", progress=lambda m: None), done.set())
        )
        worker.start()
        time.sleep(1.5)
        assert not done.is_set()  # waiting for the lock held by the 'web' build
    worker.join(timeout=120)
    assert done.is_set()


# 6. a crash during an approval is completed or rolled back at the next start ------------------

ENTRY_ID = "crashville-night-markets"


def _entry(community_kb) -> str:
    source = loader.entry_files(community_kb.practices)[0].read_text(encoding="utf-8")
    original_id = source.split("id: ", 1)[1].split("\n", 1)[0].strip()
    return source.replace(f"id: {original_id}", f"id: {ENTRY_ID}", 1)


def test_an_approval_killed_after_writing_is_completed_at_start(community_app, community_kb):
    community = community_app.extensions["kb_community"]
    number, _ = community.submissions.add(ENTRY_ID, _entry(community_kb), "Tom", None)
    target = community_kb.practices / f"{ENTRY_ID}.md"
    community.submissions.begin_approval(number, "amina", str(target))
    target.write_text(community.submissions.get(number)["document"], encoding="utf-8")  # then the process died
    restarted = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "KB_DATA_DIR": str(community_kb.data),
            "KB_PRACTICES_DIR": str(community_kb.practices),
            "KB_COMMUNITY_URL": community.location,
        }
    )
    assert community.submissions.get(number)["status"] == "approved"
    assert restarted.test_client().get(f"/practices/{ENTRY_ID}").status_code == 200
    target.unlink()


def test_an_approval_killed_before_writing_is_rolled_back_at_start(community_app, community_kb):
    community = community_app.extensions["kb_community"]
    number, _ = community.submissions.add("crash-before-write", "---\nid: crash-before-write\n---\n", "Tom", None)
    community.submissions.begin_approval(number, "amina", str(community_kb.practices / "crash-before-write.md"))
    create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "KB_DATA_DIR": str(community_kb.data),
            "KB_PRACTICES_DIR": str(community_kb.practices),
            "KB_COMMUNITY_URL": community.location,
        }
    )
    assert community.submissions.get(number)["status"] == "pending"


def test_a_killed_build_leaves_no_folder_once_its_process_is_gone(community_kb):
    abandoned = community_kb.builds / "20990101T000000000000-999999"  # no process has that id
    abandoned.mkdir(parents=True)
    builds.prune(community_kb)
    assert not abandoned.exists()


# 7. corrupt build files never stop the server --------------------------------------------------


@pytest.fixture
def fragile_kb(built_kb, tmp_path):
    shutil.copytree(built_kb.data, tmp_path / "var", symlinks=True)
    paths = config.paths(built_kb.practices, tmp_path / "var")
    from search import pipeline

    pipeline.build(paths, setting="domain", progress=lambda m: None)  # a second build to fall back on
    return paths


def _app(paths):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "KB_DATA_DIR": str(paths.data),
            "KB_PRACTICES_DIR": str(paths.practices),
            "KB_BASE_URL": "http://kb.test",
        }
    )


@pytest.mark.parametrize("damage", ["truncated vectors", "garbled ids", "empty database"])
def test_damaged_build_files_fall_back_and_kb_build_repairs(fragile_kb, damage):
    current = builds.current_build(fragile_kb)
    if damage == "truncated vectors":
        path = current / "index" / "practice_vectors.npy"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "garbled ids":
        (current / "index" / "practice_ids.json").write_text("[not json", encoding="utf-8")
    else:
        (current / "kb.db").write_bytes(b"")
    from search import engine as engine_module

    engine_module._engines.clear()
    client = _app(fragile_kb).test_client()  # the app starts
    data = client.get("/api/search?q=buses+for+women").get_json()
    assert data["hits"]
    if damage == "empty database":
        assert any("cannot be served" in n for n in data["notices"])  # the previous build serves
    else:
        assert any("keyword search only" in n for n in data["notices"])
    from search import pipeline

    pipeline.build(fragile_kb, setting="domain", progress=lambda m: None)
    engine_module._engines.clear()
    repaired = _app(fragile_kb).test_client().get("/api/search?q=buses+for+women").get_json()
    assert not any("keyword search only" in n or "cannot be served" in n for n in repaired["notices"])


# 8. spreadsheet formulas are neutralised in the CSV ---------------------------------------------


def test_csv_cells_cannot_start_a_formula(client):
    for value in ('=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert spreadsheet_safe(value).startswith("'")
    assert spreadsheet_safe("Bogotá") == "Bogotá"
    import csv
    import io

    body = client.get("/api/practices.csv").get_data(as_text=True)
    assert body.startswith("\ufeff")  # spreadsheets read it as UTF-8

    def number(cell):
        try:
            return float(cell) is not None
        except ValueError:
            return False

    rows = list(csv.reader(io.StringIO(body[1:])))
    text_cells = [cell for row in rows for cell in row if not number(cell)]  # -33.87 is a latitude, not a formula
    assert len(rows) > 2 and all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in text_cells)


# 9. curricula are bounded, and the session cookie stays small --------------------------------


def test_curricula_creation_is_limited_and_the_cookie_stays_small(community_app):
    original = community_app.extensions["kb_settings"]
    community_app.extensions["kb_settings"] = original.updated(curriculum_limit=3)
    try:
        trainer = community_app.test_client()
        trainer.environ_base["REMOTE_ADDR"] = "10.77.0.1"
        codes = [
            post(trainer, "/curricula/new", {"title": f"Course {i}"}, "/curricula/new").status_code for i in range(4)
        ]
        assert codes == [302, 302, 302, 422]
        assert len(trainer.get_cookie("session").value) < 300  # one editor token, however many curricula
    finally:
        community_app.extensions["kb_settings"] = original
    edit_url = post(community_app.test_client(), "/curricula/new", {"title": "Bounded"}, "/curricula/new").headers[
        "Location"
    ]
    assert edit_url


def test_a_curriculum_holds_a_bounded_number_of_modules(community_app):
    trainer = community_app.test_client()
    edit_url = post(trainer, "/curricula/new", {"title": "Many modules"}, "/curricula/new").headers["Location"]
    curriculum_id = edit_url.split("/")[2]
    token = csrf_token(trainer, edit_url)
    codes = [
        trainer.post(
            f"/curricula/{curriculum_id}/modules", data={"module_title": f"M{i}", "csrf_token": token}
        ).status_code
        for i in range(MAX_MODULES + 1)
    ]
    assert codes[:MAX_MODULES] == [302] * MAX_MODULES and codes[-1] == 409


def test_the_curator_queue_is_paginated(community_app):
    community = community_app.extensions["kb_community"]
    for i in range(45):
        community.lessons.add({"name": f"queue filler {i}", "tried": "x", "happened": "y", "practice_id": None})
    curator = login(community_app, "pager")
    page = curator.get("/curator/?kind=lessons").get_data(as_text=True)
    assert page.count('class="review-item"') == 20 and "Page 1 of" in page


# 10. no open redirect ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/\n/evil.example",
        "javascript:alert(1)",
        "/%09/evil.example",
    ],
)
def test_redirect_targets_stay_on_the_site(target):
    assert same_site_path(target) in (None, "/%09/evil.example")  # percent-escaped stays a path on this site
    assert same_site_path("/practices/x?y=1") == "/practices/x?y=1"


def test_add_to_curriculum_back_field_cannot_leave_the_site(community_app):
    trainer = community_app.test_client()
    edit_url = post(trainer, "/curricula/new", {"title": "Redirects"}, "/curricula/new").headers["Location"]
    curriculum_id = edit_url.split("/")[2]
    response = post(
        trainer,
        f"/curricula/{curriculum_id}/items",
        {"kind": "guideline", "ref": "26.c.a.g", "module_id": "new", "back": "/\t/evil.example/"},
        edit_url,
    )
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


# 11. reserved ids are refused everywhere ids are accepted ----------------------------------------


def test_reserved_ids_are_refused(client, tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    result = CliRunner().invoke(cli, ["--practices", str(tmp_path), "new", "readme"])
    assert result.exit_code != 0 and "reserved" in result.output
    response = post(client, "/practices/propose", {"id": "readme", "title": "x"})
    assert response.status_code == 422 and "reserved" in response.get_data(as_text=True)


# 12. the Host header is never trusted -------------------------------------------------------------


def test_absolute_links_come_from_the_configured_base_url(community_kb):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "KB_DATA_DIR": str(community_kb.data),
            "KB_PRACTICES_DIR": str(community_kb.practices),
            "KB_BASE_URL": "https://kb.example.org",
        }
    )
    client = app.test_client()
    hostile = {"Host": "evil.example"}
    listing = client.get("/api/practices", headers=hostile).get_json()
    assert listing["practices"][0]["url"].startswith("https://kb.example.org/practices/")
    spec = client.get("/api/openapi.json", headers=hostile).get_json()
    assert spec["servers"] == [{"url": "https://kb.example.org"}]
    page = client.get("/practices/" + listing["practices"][0]["id"], headers=hostile).get_data(as_text=True)
    assert "evil.example" not in page
    response = post(client, "/curricula/new", {"title": "Links"}, "/curricula/new")
    edit_page = client.get(response.headers["Location"]).get_data(as_text=True)  # the request's own host is localhost
    assert "https://kb.example.org/curricula/" in edit_page and "http://localhost" not in edit_page


# also: the secret key, the community file's mode, Allow with 405, honest source URLs ---------------


def _read_key(instance: str, queue):
    from kb.config import Settings
    from web.security import secret_key

    queue.put(secret_key(Settings.from_env({}), instance))


def test_four_processes_racing_agree_on_one_generated_secret_key(tmp_path):
    queue = multiprocessing.get_context("fork").Queue()
    workers = [
        multiprocessing.get_context("fork").Process(target=_read_key, args=(str(tmp_path), queue)) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    keys = [queue.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_the_community_database_is_readable_by_its_owner_only(tmp_path):
    from kb.community import Community

    Community(tmp_path / "fresh.db")
    assert stat.S_IMODE(os.stat(tmp_path / "fresh.db").st_mode) == 0o600


def test_method_not_allowed_says_which_are(client):
    response = client.put("/api/practices")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_source_urls_must_show_their_real_host():
    from kb.evidence import web_address

    assert not web_address("https://evil.example\\@example.org/")
    assert not web_address("https://user@evil.example/")
    assert web_address("https://www.example.org/report.pdf")
