"""One read-only connection to the content database per request, closed at teardown."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, g

from kb import store


def database_path() -> Path:
    return Path(current_app.config["KB_DATA_DIR"]) / "kb.db"


def get_db():
    if "kb_db" not in g:
        g.kb_db = store.open_db(database_path())
    return g.kb_db


def close_db(exception=None):
    db = g.pop("kb_db", None)
    if db is not None:
        db.close()


def init_app(app):
    app.teardown_appcontext(close_db)
