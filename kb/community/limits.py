"""Sliding-window rate limits kept in the community store, so every worker and host sees the same counts."""

from __future__ import annotations

import time

from kb.community.store import Store


class RateLimits:
    def __init__(self, store: Store):
        self.store = store

    def allow(self, kind: str, subject: str, limit: int, window_seconds: float) -> bool:
        """Record one event for subject unless it already has `limit` in the window; True when recorded."""
        at = time.time()
        with self.store.transaction(lock=f"rate:{kind}:{subject}") as conn:
            conn.execute("delete from rate_events where kind = ? and at < ?", [kind, at - window_seconds])
            used = conn.value("select count(*) from rate_events where kind = ? and subject = ?", [kind, subject])
            if used >= limit:
                return False
            conn.insert("rate_events", {"kind": kind, "subject": subject, "at": at}, returning=None)
            return True

    def count(self, kind: str, subject: str, window_seconds: float) -> int:
        with self.store.read() as conn:
            return (
                conn.value(
                    "select count(*) from rate_events where kind = ? and subject = ? and at >= ?",
                    [kind, subject, time.time() - window_seconds],
                )
                or 0
            )

    def record(self, kind: str, subject: str) -> None:
        with self.store.transaction() as conn:
            conn.insert("rate_events", {"kind": kind, "subject": subject, "at": time.time()}, returning=None)

    def clear(self, kind: str, subject: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("delete from rate_events where kind = ? and subject = ?", [kind, subject])
