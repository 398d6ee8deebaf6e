"""Faults: a build killed midway, a corrupt index or manifest, a missing model: the site keeps serving."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from kb import builds, config, loader
from search import faiss_index, pipeline
from search.engine import Engine

pytestmark = pytest.mark.slow


@pytest.fixture
def kb_copy(built_kb, tmp_path):
    practices, data = tmp_path / "practices", tmp_path / "var"
    shutil.copytree(built_kb.practices, practices)
    shutil.copytree(built_kb.data, data, symlinks=True)
    return config.paths(practices, data)


def test_sigkill_during_build_leaves_the_previous_build_serving(kb_copy):
    published = builds.current_build(kb_copy)
    before = set(kb_copy.builds.iterdir())
    env = {**os.environ, "KB_MODEL": "domain"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from kb.cli import cli; cli()",
            "--practices",
            str(kb_copy.practices),
            "--data",
            str(kb_copy.data),
            "build",
            "--retrain",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not (set(kb_copy.builds.iterdir()) - before):
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the build: writing the database or training the model
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert builds.current_build(kb_copy) == published
    engine = Engine(published)
    assert engine.dense_available and engine.search("safer buses for women").hits
    manifest = pipeline.build(kb_copy, setting="domain", progress=lambda m: None)  # the next build still works
    assert builds.current_build(kb_copy) != published and manifest["practices"] == len(
        loader.entry_files(kb_copy.practices)
    )


@pytest.mark.parametrize("damage", ["index", "manifest", "manifest-missing"])
def test_corruption_is_detected_at_start_and_kb_build_repairs_it(kb_copy, damage, caplog):
    from web import create_app

    index_dir = builds.current_build(kb_copy) / "index"
    if damage == "index":
        (index_dir / faiss_index.INDEX_FILE).write_bytes(b"not a faiss index")
    elif damage == "manifest":
        manifest = json.loads((index_dir / faiss_index.MANIFEST_FILE).read_text())
        manifest["dimension"] = 3
        (index_dir / faiss_index.MANIFEST_FILE).write_text(json.dumps(manifest))
    else:
        (index_dir / faiss_index.MANIFEST_FILE).unlink()
    caplog.set_level("WARNING")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "KB_PRACTICES_DIR": str(kb_copy.practices),
            "KB_DATA_DIR": str(kb_copy.data),
        }
    )
    assert any("search by meaning is unavailable" in r.message and "kb build" in r.message for r in caplog.records)
    client = app.test_client()
    data = client.get("/api/search?q=vacant+lots").get_json()
    assert data["hits"] and any("keyword search only" in n for n in data["notices"])
    pipeline.build(kb_copy, setting="domain", progress=lambda m: None)
    assert Engine(builds.current_build(kb_copy)).dense_available
    assert not client.get("/api/search?q=vacant+lots").get_json()["notices"]


def test_start_up_reports_a_broken_index_clearly_and_keyword_search_serves(kb_copy):
    index_dir = builds.current_build(kb_copy) / "index"
    (index_dir / faiss_index.INDEX_FILE).write_bytes(b"broken")
    from click.testing import CliRunner

    from kb.cli import cli
    from web import create_app, report_search_health

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "KB_PRACTICES_DIR": str(kb_copy.practices),
            "KB_DATA_DIR": str(kb_copy.data),
        }
    )
    problems = report_search_health(app)
    assert problems and "checksum" in problems[0] and "run `kb build`" in problems[0]
    assert CliRunner().invoke(cli, ["--data", str(kb_copy.data), "search", "vacant lots"]).exit_code == 0
