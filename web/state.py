"""The settings and the published build, as the current request sees them.

The content database is opened once per request (read-only). The search engine is
loaded once per process per build: when `kb build` publishes a new build, the next
request loads it, and requests already running finish on the old one.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, g

from kb import builds, config, store
from search import engine


class NotBuilt(RuntimeError):
    """Nothing has been built yet."""


def settings() -> config.Settings:
    return current_app.extensions["kb_settings"]


def paths() -> config.Paths:
    return settings().paths


def serving_engine(found_paths: config.Paths) -> tuple[engine.Engine, list[str]]:
    """The engine of the published build, or, when its database is damaged, of the newest good build before it.

    Damaged vectors, ids, index or model only switch search by meaning off (see search/corpus.py);
    a damaged database falls back to an older build with a notice, and `kb build` repairs it.
    """
    current = builds.current_build(found_paths)
    candidates = ([current] if current else []) + [b for b in builds.published(found_paths) if b != current]
    problems: list[str] = []
    for candidate in candidates:
        try:
            loaded = engine.for_build(candidate)
        except engine.CorpusError as exc:
            problems.append(str(exc))
            continue
        notices = (
            [f"The latest build cannot be served ({problems[0]}); showing the build of {candidate.name[:15]}."]
            if problems
            else []
        )
        return loaded, notices
    raise NotBuilt(problems[0] if problems else f"nothing is built in {found_paths.data}: run `kb build`")


def get_engine() -> engine.Engine:
    if "kb_engine" not in g:
        g.kb_engine, notices = serving_engine(paths())
        for notice in notices:
            if notice not in g.kb_engine.status:
                g.kb_engine.status.append(notice)
    return g.kb_engine


def build_dir() -> Path:
    return get_engine().build_dir


def get_db():
    if "kb_db" not in g:
        g.kb_db = store.open_db(build_dir() / config.DATABASE_FILE)
    return g.kb_db


def close_db(exception=None):
    db = g.pop("kb_db", None)
    if db is not None:
        db.close()


def or_404(value, what: str):
    if value is None:
        abort(404, description=what)
    return value


def absolute_url(path: str) -> str:
    """An address to show or send outside the site: KB_BASE_URL plus the path, never the request's Host header."""
    base = settings().base_url
    return (base.rstrip("/") + path) if base else path


def init_app(app):
    app.teardown_appcontext(close_db)
