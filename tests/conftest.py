"""Shared fixtures: real files, real SQLite, real models built locally (never downloaded)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Tests never reach a model hub, and run one thread per process as serving does.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_practices(tmp_path) -> Path:
    """A writable copy of the small valid fixture corpus."""
    target = tmp_path / "practices"
    shutil.copytree(FIXTURES / "practices", target)
    return target


@pytest.fixture
def broken_dir() -> Path:
    return FIXTURES / "broken"


@pytest.fixture(scope="session")
def bundled_practices() -> Path:
    return ROOT / "practices"


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory):
    """The bundled inventory built once per test session with the domain model (never downloads)."""
    from kb import config
    from search import pipeline

    data = tmp_path_factory.mktemp("var")
    paths = config.paths(ROOT / "practices", data)
    pipeline.build(paths, setting="domain", progress=lambda message: None)
    return paths


@pytest.fixture(scope="session")
def inventory_size(built_kb) -> int:
    """How many practices the bundled inventory holds: tests compare with this, never a fixed number."""
    from kb import loader

    return len(loader.entry_files(built_kb.practices))


@pytest.fixture(scope="session")
def engine(built_kb):
    from kb import builds
    from search.engine import Engine

    return Engine(builds.current_build(built_kb))


@pytest.fixture(scope="session")
def app(built_kb):
    from web import create_app

    return create_app(
        {
            "TESTING": True,
            "KB_PRACTICES_DIR": str(built_kb.practices),
            "KB_DATA_DIR": str(built_kb.data),
            "KB_BASE_URL": "http://kb.test",
            "SERVER_NAME": "kb.test",
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


def _chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.geteuid() == 0 and shutil.which("apt-get"):  # CI runs as root: install Debian's chromium once
        import subprocess

        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env, capture_output=True)
        return shutil.which("chromium")
    return None


@pytest.fixture(scope="session")
def live_server(app):
    """One real HTTP server (werkzeug, threaded) for the browser tests."""
    import threading

    from werkzeug.serving import make_server

    served = app  # SERVER_NAME is for url building in the test client only
    served.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required in CI: apt-get install -y chromium")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def community_kb(built_kb, tmp_path_factory, community_backend):
    """A private, writable copy of the built knowledge base for tests that submit, approve and rebuild."""
    from kb import config

    root = tmp_path_factory.mktemp("community")
    shutil.copytree(built_kb.practices, root / "practices")
    shutil.copytree(built_kb.data, root / "var", symlinks=True)
    return config.paths(root / "practices", root / "var")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL: KB_TEST_POSTGRES_URL (CI starts one), else a throwaway cluster started here."""
    import subprocess

    url = os.environ.get("KB_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kb-postgres-"))  # outside pytest's root-only folder: postgres must enter it
    script = ROOT / ".ci" / "postgres.sh"
    started = subprocess.run(
        ["bash", str(script), "start", str(folder), str(_free_port())], capture_output=True, text=True
    )
    if started.returncode != 0:
        message = f"no PostgreSQL to test against (set KB_TEST_POSTGRES_URL): {started.stderr.strip()[-300:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield started.stdout.strip()
    subprocess.run(["bash", str(script), "stop", str(folder)], capture_output=True)


def fresh_postgres_database(server_url: str) -> str:
    """A new, empty database on the test server, so each test module starts clean."""
    import secrets

    import psycopg

    name = f"kb_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"create database {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def community_backend() -> str:
    """Which community store the module's app uses; test_community.py runs on both."""
    return "sqlite"


@pytest.fixture(scope="module")
def community_url(community_backend, community_kb, request) -> str:
    if community_backend == "postgresql":
        return fresh_postgres_database(request.getfixturevalue("postgres_server"))
    return str(community_kb.community_database)


@pytest.fixture(scope="module")
def community_app(community_kb, community_url):
    from web import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "KB_PRACTICES_DIR": str(community_kb.practices),
            "KB_DATA_DIR": str(community_kb.data),
            "SUBMISSION_LIMIT": 10_000,
            "KB_COMMUNITY_URL": community_url,
        }
    )


def csrf_token(client, url: str) -> str:
    import re as _re

    html = client.get(url).get_data(as_text=True)
    return _re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
