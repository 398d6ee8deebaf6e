"""Lessons that peers share: what they tried, what happened, what they would do differently."""

from __future__ import annotations

from kb.community.reviews import Queue, change_status, status_token
from kb.community.time import now

FIELDS = (
    "practice_id",
    "city_slug",
    "from_city_slug",
    "name",
    "organisation",
    "city",
    "country",
    "role",
    "email",
    "show_email",
    "tried",
    "happened",
    "differently",
)


class Lessons(Queue):
    kind = "lesson"

    def add(self, lesson: dict) -> tuple[int, str]:
        """Store a pending lesson; return its number and the secret of its status link."""
        token = status_token()
        record = {f: lesson.get(f) for f in FIELDS} | {"created_at": now(), "status_token": token}
        record["show_email"] = int(bool(record["show_email"]))
        with self.store.transaction() as conn:
            return conn.insert("lessons", record), token

    def published(self, practice_id: str | None = None, city_slug: str | None = None) -> list[dict]:
        """Approved lessons about a practice, or from or about a city, newest first."""
        sql, params = "select * from lessons where status = 'approved'", []
        if practice_id:
            sql += " and practice_id = ?"
            params.append(practice_id)
        if city_slug:
            sql += " and (city_slug = ? or from_city_slug = ?)"
            params += [city_slug, city_slug]
        with self.store.read() as conn:
            return conn.all(sql + " order by created_at desc, id desc", params)

    def approve(self, lesson_id: int, curator: str, reason: str = "") -> None:
        with self.store.transaction() as conn:
            change_status(conn, "lesson", lesson_id, ("pending",), "approved", curator, reason)

    def reject(self, lesson_id: int, curator: str, reason: str) -> None:
        with self.store.transaction() as conn:
            change_status(conn, "lesson", lesson_id, ("pending",), "rejected", curator, reason)

    def unpublish(self, lesson_id: int, curator: str, reason: str) -> None:
        with self.store.transaction() as conn:
            change_status(
                conn, "lesson", lesson_id, ("approved",), "unpublished", curator, reason, action="unpublished"
            )
