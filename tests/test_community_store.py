"""The community store behind its small interface, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import http.cookiejar
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT, _free_port, fresh_postgres_database

from kb.community import Community
from kb.community.curricula import Item, LimitReached, Module
from kb.community.migrations import LATEST, MIGRATIONS

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    if request.param == "postgresql":
        return fresh_postgres_database(request.getfixturevalue("postgres_server"))
    return str(tmp_path / "community.db")


@pytest.fixture
def community(location):
    store = Community(location)
    yield store
    store.close()


def test_migrations_are_recorded_and_idempotent(community, location):
    with community.store.read() as conn:
        versions = [r["version"] for r in conn.all("select version from schema_version order by version")]
    assert versions == [v for v, _, _ in MIGRATIONS] and versions[-1] == LATEST
    again = Community(location)  # opening again applies nothing twice
    with again.store.read() as conn:
        assert conn.value("select count(*) from schema_version") == len(MIGRATIONS)
    again.close()


def test_a_round_one_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table curators (name text primary key, password_hash text not null, created_at text not null);
        create table curricula (id text primary key, title text not null, audience text, duration text,
            objectives text, edit_key_hash text, based_on text, created_at text not null, updated_at text not null);
        insert into curricula values
            ('old1', 'From round one', null, null, null, null, null, '2026-01-01', '2026-01-01');
    """)
    conn.close()
    community = Community(path)
    assert community.curricula.get("old1").published  # round one listed every curriculum publicly
    assert community.lessons.count("pending") == 0


def test_logout_and_password_change_end_sessions(community):
    community.curators.add("amina", "a long enough password")
    first, second = community.curators.start_session("amina"), community.curators.start_session("amina")
    assert community.curators.session_curator(first) == "amina"
    community.curators.end_session(first)
    assert community.curators.session_curator(first) is None and community.curators.session_curator(second) == "amina"
    community.curators.set_password("amina", "another long password")
    assert community.curators.session_curator(second) is None
    assert community.curators.check("amina", "another long password")


def test_unknown_curator_costs_as_much_as_a_wrong_password(community):
    community.curators.add("amina", "a long enough password")

    def timed(name):
        start = time.perf_counter()
        for _ in range(3):
            community.curators.check(name, "wrong password")
        return time.perf_counter() - start

    known, unknown = timed("amina"), timed("nobody-at-all")
    assert unknown > 0.5 * known  # both hash a password; without the dummy hash unknown names took ~2 % of the time


def test_rate_limits_count_per_subject_and_window(community):
    assert [community.limits.allow("login", "a", 2, 60) for _ in range(3)] == [True, True, False]
    assert community.limits.allow("login", "b", 2, 60)
    assert community.limits.count("login", "a", 60) == 2
    community.limits.clear("login", "a")
    assert community.limits.count("login", "a", 60) == 0


def test_approval_is_a_recorded_state_machine(community):
    number, token = community.submissions.add("x-practice", "---\nid: x\n---\n", "Tom", None)
    assert community.submissions.by_token(token)["status"] == "pending"
    community.submissions.begin_approval(number, "amina", "/p/x-practice.md")
    assert [s["id"] for s in community.submissions.approving()] == [number]
    with pytest.raises(ValueError):
        community.submissions.reject(number, "amina", "too late")  # only pending items can be rejected
    community.submissions.roll_back_approval(number, "amina", "crash")
    community.submissions.begin_approval(number, "amina", "/p/x-practice.md")
    community.submissions.finish_approval(number, "amina")
    actions = [d["action"] for d in community.submissions.decisions(number)]
    assert actions == ["approval started", "approval rolled back", "approval started", "approved"]


def test_curricula_are_private_until_published_and_bounded(community):
    curriculum_id, key = community.curricula.create({"title": "Audits"}, editor="browser-a")
    assert community.curricula.published() == ([], 0)
    assert community.curricula.can_edit(curriculum_id, "browser-a") and not community.curricula.can_edit(
        curriculum_id, "b"
    )
    assert not community.curricula.claim(curriculum_id, "wrong key", "browser-b")
    assert community.curricula.claim(curriculum_id, key, "browser-b") and community.curricula.can_edit(
        curriculum_id, "browser-b"
    )
    community.curricula.set_published(curriculum_id, True)
    rows, total = community.curricula.published()
    assert total == 1 and rows[0]["id"] == curriculum_id
    module_id = community.curricula.add_module(curriculum_id, Module(title="One", minutes=45))
    for i in range(30):
        community.curricula.add_item(curriculum_id, module_id, Item(kind="guideline", ref=f"s{i}"))
    with pytest.raises(LimitReached):
        community.curricula.add_item(curriculum_id, module_id, Item(kind="guideline", ref="one-too-many"))
    assert community.curricula.get(curriculum_id).minutes == 45
    community.curricula.delete(curriculum_id)
    assert community.curricula.get(curriculum_id) is None


SERVER = """
import sys
from werkzeug.serving import make_server
from web import create_app
server = make_server("127.0.0.1", int(sys.argv[1]), create_app(), threaded=True)
print("ready", flush=True)
server.serve_forever()
"""


def _post_lessons(base: str, worker: int, count: int, failures: list):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/lessons/new", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    for i in range(count):
        data = urllib.parse.urlencode(
            {
                "csrf_token": token,
                "practice_id": "bogota-ciclovia",
                "name": f"worker {worker} lesson {i}",
                "tried": "We closed avenues on Sundays.",
                "happened": "Families came.",
            }
        ).encode()
        try:
            opener.open(urllib.request.Request(f"{base}/lessons/new", data=data), timeout=30)
        except urllib.error.HTTPError as exc:
            failures.append(exc.code)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_200_submissions_from_8_threads_across_2_app_processes_are_all_stored(backend, community_kb, request):
    url = (
        fresh_postgres_database(request.getfixturevalue("postgres_server"))
        if backend == "postgresql"
        else str(community_kb.data / "shared-community.db")
    )
    env = {
        **os.environ,
        "KB_PRACTICES_DIR": str(community_kb.practices),
        "KB_DATA_DIR": str(community_kb.data),
        "KB_COMMUNITY_URL": url,
        "KB_SECRET_KEY": "shared-by-both-hosts",
        "KB_SUBMISSION_LIMIT": "100000",
        "PYTHONPATH": str(ROOT),
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for port in ports
    ]
    try:
        for server in servers:
            assert server.stdout.readline().strip() == "ready"
        failures: list[int] = []
        threads = [
            threading.Thread(target=_post_lessons, args=(f"http://127.0.0.1:{ports[n % 2]}", n, 25, failures))
            for n in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    assert failures == []
    store = Community(url)
    names = {lesson["name"] for lesson in store.lessons.list("pending", per_page=1000)}
    assert store.lessons.count("pending") == 200
    assert names == {f"worker {n} lesson {i}" for n in range(8) for i in range(25)}
    store.close()
