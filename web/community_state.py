"""Plumbing for what people submit: the community store, the secret key, CSRF, rate limits,
and publishing an approved practice without ever leaving a half-written file."""

from __future__ import annotations

import fcntl
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, request
from flask_wtf.csrf import CSRFProtect

from kb.community import Community

csrf = CSRFProtect()


def secret_key(app) -> str:
    """KB_SECRET_KEY from the environment, else a random key kept in the instance folder (never committed)."""
    if app.config.get("SECRET_KEY"):
        return app.config["SECRET_KEY"]
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def get_community() -> Community:
    store = current_app.extensions.get("kb_community")
    if store is None:
        store = current_app.extensions["kb_community"] = Community(Path(current_app.config["KB_DATA_DIR"]) / "community.db")
    return store


def client_id() -> str:
    return request.remote_addr or "unknown"


def allow_submission() -> bool:
    return get_community().allow_submission(client_id(), current_app.config["SUBMISSION_LIMIT"],
                                            current_app.config["SUBMISSION_WINDOW_SECONDS"])


@contextmanager
def build_lock(data_dir: Path):
    """One rebuild at a time across every worker process."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(data_dir) / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(target: Path, text: str) -> None:
    """Write beside the target and rename: the file is either absent or complete, never partial."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def rebuild() -> str | None:
    """Rebuild and publish the search index; return an error message, or None when it worked."""
    from search import pipeline
    from web.state import paths

    try:
        with build_lock(Path(current_app.config["KB_DATA_DIR"])):
            pipeline.build(paths(), progress=lambda message: None)
    except pipeline.BuildRefused as refused:
        return str(refused)
    except OSError as exc:
        return f"the index could not be rebuilt ({exc.strerror}); run `kb build`"
    return None


def init_app(app):
    app.config.setdefault("SUBMISSION_LIMIT", 20)
    app.config.setdefault("SUBMISSION_WINDOW_SECONDS", 600)
    app.config.setdefault("MAX_CONTENT_LENGTH", 256 * 1024)
    app.config["SECRET_KEY"] = secret_key(app)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    csrf.init_app(app)
