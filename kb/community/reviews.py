"""What curators decide, shared by lessons and submissions: status changes with a logged decision."""

from __future__ import annotations

import secrets

from kb.community.store import Connection, Store
from kb.community.time import age_cutoff, now

KINDS = {"lesson": "lessons", "submission": "submissions"}
PAGE = 20


def status_token() -> str:
    """The secret in an author's private status link."""
    return secrets.token_urlsafe(18)


def change_status(
    conn: Connection,
    kind: str,
    item_id: int,
    allowed_from: tuple[str, ...],
    to: str,
    curator: str,
    reason: str = "",
    action: str | None = None,
    extra: dict | None = None,
) -> None:
    """Move an item from one of allowed_from to `to`, and log the decision, in the caller's transaction."""
    table = KINDS[kind]
    row = conn.one(f"select status from {table} where id = ?", [item_id])
    if row is None:
        raise LookupError(f"There is no {kind} {item_id}.")
    if row["status"] not in allowed_from:
        raise ValueError(f"{kind.capitalize()} {item_id} is {row['status']}; it cannot be {action or to} now.")
    sets = {"status": to, "reviewed_by": curator, "reviewed_at": now(), "reason": reason or None, **(extra or {})}
    conn.execute(f"update {table} set {', '.join(f'{k} = ?' for k in sets)} where id = ?", [*sets.values(), item_id])
    log_decision(conn, kind, item_id, action or to, curator, reason)


def log_decision(conn: Connection, kind: str, item_id, action: str, curator: str, reason: str | None = None) -> None:
    conn.insert(
        "decisions",
        {
            "kind": kind,
            "item_id": str(item_id),
            "action": action,
            "curator": curator,
            "reason": reason or None,
            "at": now(),
        },
    )


class Queue:
    """Listing, counting and finding one kind of reviewed item."""

    kind = ""

    def __init__(self, store: Store):
        self.store = store
        self.table = KINDS[self.kind]

    def get(self, item_id: int) -> dict | None:
        with self.store.read() as conn:
            return conn.one(f"select * from {self.table} where id = ?", [item_id])

    def by_token(self, token: str) -> dict | None:
        if not token:
            return None
        with self.store.read() as conn:
            return conn.one(f"select * from {self.table} where status_token = ?", [token])

    def list(
        self, status: str = "pending", older_than_days: int | None = None, page: int = 1, per_page: int = PAGE, **equal
    ) -> list[dict]:
        where, params = self._where(status, older_than_days, equal)
        order = "id" if status == "pending" else "reviewed_at desc, id desc"
        with self.store.read() as conn:
            return conn.all(
                f"select * from {self.table} where {where} order by {order} limit ? offset ?",
                [*params, per_page, (page - 1) * per_page],
            )

    def count(self, status: str = "pending", older_than_days: int | None = None, **equal) -> int:
        where, params = self._where(status, older_than_days, equal)
        with self.store.read() as conn:
            return conn.value(f"select count(*) from {self.table} where {where}", params) or 0

    @staticmethod
    def _where(status, older_than_days, equal) -> tuple[str, list]:
        clauses, params = ["status = ?"], [status]
        if older_than_days:
            clauses.append("created_at <= ?")
            params.append(age_cutoff(older_than_days))
        for column, value in equal.items():
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " and ".join(clauses), params

    def decisions(self, item_id: int) -> list[dict]:
        with self.store.read() as conn:
            return conn.all(
                "select * from decisions where kind = ? and item_id = ? order by id", [self.kind, str(item_id)]
            )


def recent_decisions(store: Store, limit: int = 50) -> list[dict]:
    with store.read() as conn:
        return conn.all("select * from decisions order by id desc limit ?", [limit])
