"""Plumbing for what people submit: the community store, CSRF, per-client limits, the editor token."""

from __future__ import annotations

from flask import current_app, request, session
from flask_wtf.csrf import CSRFProtect

from kb.community import Community
from kb.community.curricula import new_editor
from web.state import settings

csrf = CSRFProtect()


def get_community() -> Community:
    return current_app.extensions["kb_community"]


def client_id() -> str:
    """The client's address (behind KB_TRUSTED_PROXIES proxies, the one they forwarded)."""
    return request.remote_addr or "unknown"


def allow_submission() -> bool:
    return get_community().limits.allow(
        "submission", client_id(), settings().submission_limit, settings().submission_window_seconds
    )


def editor() -> str:
    """This browser's editor token (one short value in the session, whatever it edits)."""
    if "editor" not in session:
        session["editor"] = new_editor()
    return session["editor"]


def current_editor() -> str | None:
    return session.get("editor")


def init_app(app):
    app.extensions["kb_community"] = Community(app.extensions["kb_settings"].community_location)
    csrf.init_app(app)
