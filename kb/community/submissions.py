"""Practices that peers propose, and the recorded steps of publishing one.

Approval is a state machine kept in the store, so a crash at any point can be completed or
rolled back at the next start: pending -> approving (the file is about to be written) ->
approved (written and published). `recover` finishes or undoes any approval left half-way.
"""

from __future__ import annotations

from kb.community.reviews import Queue, change_status, log_decision, status_token
from kb.community.time import now


class Submissions(Queue):
    kind = "submission"

    def add(self, practice_id: str, document: str, name: str, email: str | None) -> tuple[int, str]:
        token = status_token()
        with self.store.transaction() as conn:
            number = conn.insert(
                "submissions",
                {
                    "practice_id": practice_id,
                    "document": document,
                    "submitter_name": name,
                    "submitter_email": email,
                    "created_at": now(),
                    "status_token": token,
                },
            )
        return number, token

    def pending_ids(self) -> set[str]:
        with self.store.read() as conn:
            return {
                r["practice_id"]
                for r in conn.all("select practice_id from submissions where status in ('pending', 'approving')")
            }

    def edit(self, number: int, practice_id: str, document: str, curator: str) -> None:
        """A curator's correction before approving; the author's original is kept for the diff."""
        with self.store.transaction() as conn:
            row = conn.one("select status, document, original_document from submissions where id = ?", [number])
            if row is None:
                raise LookupError(f"There is no submission {number}.")
            if row["status"] != "pending":
                raise ValueError(f"Submission {number} is {row['status']}; only pending submissions can be edited.")
            conn.execute(
                "update submissions set document = ?, practice_id = ?, original_document = ? where id = ?",
                [document, practice_id, row["original_document"] or row["document"], number],
            )
            log_decision(conn, "submission", number, "edited", curator)

    def begin_approval(self, number: int, curator: str, path: str, reason: str = "") -> None:
        with self.store.transaction() as conn:
            change_status(
                conn,
                "submission",
                number,
                ("pending",),
                "approving",
                curator,
                reason,
                action="approval started",
                extra={"published_path": path},
            )

    def finish_approval(self, number: int, curator: str, reason: str = "") -> None:
        with self.store.transaction() as conn:
            change_status(conn, "submission", number, ("approving",), "approved", curator, reason)

    def roll_back_approval(self, number: int, curator: str, reason: str) -> None:
        with self.store.transaction() as conn:
            change_status(
                conn,
                "submission",
                number,
                ("approving",),
                "pending",
                curator,
                reason,
                action="approval rolled back",
                extra={"published_path": None},
            )

    def reject(self, number: int, curator: str, reason: str) -> None:
        with self.store.transaction() as conn:
            change_status(conn, "submission", number, ("pending",), "rejected", curator, reason)

    def unpublish(self, number: int, curator: str, reason: str) -> None:
        with self.store.transaction() as conn:
            change_status(
                conn, "submission", number, ("approved",), "unpublished", curator, reason, action="unpublished"
            )

    def approving(self) -> list[dict]:
        """Approvals that a crash left half-way."""
        with self.store.read() as conn:
            return conn.all("select * from submissions where status = 'approving' order by id")
