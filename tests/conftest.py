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
    from kb import builds, config
    from search import pipeline

    data = tmp_path_factory.mktemp("var")
    paths = config.paths(ROOT / "practices", data)
    pipeline.build(paths, setting="domain", progress=lambda message: None)
    return paths


@pytest.fixture(scope="session")
def engine(built_kb):
    from kb import builds
    from search.engine import Engine

    return Engine(builds.current_build(built_kb))
