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


def build_dir() -> Path:
    if "kb_build" not in g:
        found = builds.current_build(paths())
        if found is None or not (found / config.DATABASE_FILE).exists():
            raise NotBuilt(f"nothing is built in {paths().data}: run `kb build`")
        g.kb_build = found
    return g.kb_build


def get_db():
    if "kb_db" not in g:
        g.kb_db = store.open_db(build_dir() / config.DATABASE_FILE)
    return g.kb_db


def get_engine() -> engine.Engine:
    if "kb_engine" not in g:
        g.kb_engine = engine.for_build(build_dir())
    return g.kb_engine


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
