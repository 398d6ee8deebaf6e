"""Curator accounts and their sessions, kept server-side so that logging out revokes them."""

from __future__ import annotations

import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from kb.community.store import Store
from kb.community.time import now

MIN_PASSWORD = 10
# Checked when the name is unknown, so that an unknown name costs as much as a wrong password.
_UNKNOWN_NAME_HASH = generate_password_hash(secrets.token_hex(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Curators:
    def __init__(self, store: Store):
        self.store = store

    def add(self, name: str, password: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password: use at least {MIN_PASSWORD} characters")
        with self.store.transaction(lock=f"curator:{name}") as conn:
            if conn.value("select 1 from curators where name = ?", [name]):
                raise ValueError(f"name: a curator called '{name}' already exists")
            conn.insert(
                "curators",
                {"name": name, "password_hash": generate_password_hash(password), "created_at": now()},
                returning=None,
            )

    def check(self, name: str, password: str) -> bool:
        with self.store.read() as conn:
            stored = conn.value("select password_hash from curators where name = ?", [name])
        matches = check_password_hash(stored or _UNKNOWN_NAME_HASH, password)
        return bool(stored) and matches

    def set_password(self, name: str, password: str) -> None:
        """Change a password and end every session of that curator."""
        if len(password) < MIN_PASSWORD:
            raise ValueError(f"password: use at least {MIN_PASSWORD} characters")
        with self.store.transaction() as conn:
            if not conn.execute(
                "update curators set password_hash = ? where name = ?", [generate_password_hash(password), name]
            ):
                raise LookupError(f"name: there is no curator called '{name}'")
            conn.execute("delete from curator_sessions where curator = ?", [name])

    def start_session(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        with self.store.transaction() as conn:
            conn.insert(
                "curator_sessions", {"token_hash": _digest(token), "curator": name, "created_at": now()}, returning=None
            )
        return token

    def session_curator(self, token: str | None) -> str | None:
        """The curator a session token belongs to, or None once it was ended."""
        if not token:
            return None
        with self.store.read() as conn:
            return conn.value("select curator from curator_sessions where token_hash = ?", [_digest(token)])

    def end_session(self, token: str | None) -> None:
        if token:
            with self.store.transaction() as conn:
                conn.execute("delete from curator_sessions where token_hash = ?", [_digest(token)])
