"""What peers and trainers add: lessons, proposed practices, curators, curricula.

Kept in its own SQLite database (var/community.db), never replaced by `kb build`, with WAL
and a busy timeout so several workers can write at once without losing anything.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

SCHEMA = """
create table if not exists curators (
    name text primary key, password_hash text not null, created_at text not null);
create table if not exists lessons (
    id integer primary key autoincrement, status text not null default 'pending',
    practice_id text, city_slug text, name text not null, organisation text, city text, role text,
    email text, show_email integer not null default 0,
    tried text not null, happened text not null, differently text,
    created_at text not null, reviewed_by text, reviewed_at text, reason text);
create index if not exists lessons_by_status on lessons(status);
create table if not exists submissions (
    id integer primary key autoincrement, status text not null default 'pending',
    practice_id text not null, document text not null, submitter_name text not null, submitter_email text,
    created_at text not null, reviewed_by text, reviewed_at text, reason text, published_path text);
create index if not exists submissions_by_status on submissions(status);
create table if not exists submission_events (client text not null, at real not null);
create index if not exists submission_events_by_client on submission_events(client, at);
create table if not exists curricula (
    id text primary key, title text not null, audience text, duration text, objectives text,
    edit_key_hash text, based_on text, created_at text not null, updated_at text not null);
create table if not exists modules (
    id integer primary key autoincrement, curriculum_id text not null references curricula(id) on delete cascade,
    position integer not null, title text not null, questions text, exercise text);
create table if not exists module_items (
    id integer primary key autoincrement, module_id integer not null references modules(id) on delete cascade,
    position integer not null, kind text not null check (kind in ('guideline', 'practice')), ref text not null);
"""

STATUSES = ("pending", "approved", "rejected")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Community:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as conn:
            conn.execute("pragma journal_mode = wal")  # persistent: set once, not on every connection
            conn.executescript(SCHEMA)

    @contextmanager
    def connect(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("pragma busy_timeout = 30000")
        conn.execute("pragma foreign_keys = on")
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self):
        with self.connect() as conn:
            conn.execute("begin immediate")
            try:
                yield conn
                conn.execute("commit")
            except BaseException:
                conn.execute("rollback")
                raise

    # -- curators -------------------------------------------------------------------

    def add_curator(self, name: str, password: str) -> None:
        if len(password) < 10:
            raise ValueError("password: use at least 10 characters")
        with self.transaction() as conn:
            if conn.execute("select 1 from curators where name = ?", [name]).fetchone():
                raise ValueError(f"name: a curator called '{name}' already exists")
            conn.execute("insert into curators values (?, ?, ?)", [name, generate_password_hash(password), now()])

    def check_curator(self, name: str, password: str) -> bool:
        with self.connect() as conn:
            row = conn.execute("select password_hash from curators where name = ?", [name]).fetchone()
        return bool(row) and check_password_hash(row["password_hash"], password)

    # -- rate limit -----------------------------------------------------------------

    def allow_submission(self, client: str, limit: int, window_seconds: float) -> bool:
        """Record one submission by client unless it already made `limit` in the window."""
        at = dt.datetime.now(dt.timezone.utc).timestamp()
        with self.transaction() as conn:
            conn.execute("delete from submission_events where at < ?", [at - window_seconds])
            used = conn.execute("select count(*) from submission_events where client = ?", [client]).fetchone()[0]
            if used >= limit:
                return False
            conn.execute("insert into submission_events values (?, ?)", [client, at])
            return True

    # -- lessons --------------------------------------------------------------------

    def add_lesson(self, lesson: dict) -> int:
        fields = ("practice_id", "city_slug", "name", "organisation", "city", "role", "email", "show_email",
                  "tried", "happened", "differently")
        with self.transaction() as conn:
            cursor = conn.execute(
                f"insert into lessons ({', '.join(fields)}, created_at) values ({', '.join('?' * len(fields))}, ?)",
                [lesson.get(f) for f in fields] + [now()])
            return cursor.lastrowid

    def lessons(self, status: str = "approved", practice_id: str | None = None, city_slug: str | None = None) -> list[dict]:
        sql, params = "select * from lessons where status = ?", [status]
        if practice_id:
            sql += " and practice_id = ?"
            params.append(practice_id)
        if city_slug:
            sql += " and city_slug = ?"
            params.append(city_slug)
        with self.connect() as conn:
            return [dict(r) for r in conn.execute(sql + " order by created_at desc, id desc", params)]

    def lesson(self, lesson_id: int) -> dict | None:
        with self.connect() as conn:
            row = conn.execute("select * from lessons where id = ?", [lesson_id]).fetchone()
        return dict(row) if row else None

    def review(self, table: str, item_id: int, status: str, curator: str, reason: str = "", published_path=None) -> None:
        if table not in ("lessons", "submissions") or status not in ("approved", "rejected"):
            raise ValueError("review: unknown table or status")
        with self.transaction() as conn:
            row = conn.execute(f"select status from {table} where id = ?", [item_id]).fetchone()
            if row is None:
                raise LookupError(f"no {table[:-1]} {item_id}")
            if row["status"] != "pending":
                raise ValueError(f"{table[:-1]} {item_id} was already {row['status']}")
            extra = ", published_path = ?" if table == "submissions" else ""
            params = [status, curator, now(), reason] + ([published_path] if table == "submissions" else []) + [item_id]
            conn.execute(f"update {table} set status = ?, reviewed_by = ?, reviewed_at = ?, reason = ?{extra} where id = ?",
                         params)

    # -- proposed practices ---------------------------------------------------------

    def add_submission(self, practice_id: str, document: str, name: str, email: str | None) -> int:
        with self.transaction() as conn:
            cursor = conn.execute(
                "insert into submissions (practice_id, document, submitter_name, submitter_email, created_at) "
                "values (?, ?, ?, ?, ?)", [practice_id, document, name, email, now()])
            return cursor.lastrowid

    def submissions(self, status: str = "pending") -> list[dict]:
        with self.connect() as conn:
            return [dict(r) for r in conn.execute("select * from submissions where status = ? order by id", [status])]

    def submission(self, submission_id: int) -> dict | None:
        with self.connect() as conn:
            row = conn.execute("select * from submissions where id = ?", [submission_id]).fetchone()
        return dict(row) if row else None

    def pending_counts(self) -> dict[str, int]:
        with self.connect() as conn:
            return {t: conn.execute(f"select count(*) from {t} where status = 'pending'").fetchone()[0]
                    for t in ("lessons", "submissions")}

    # -- curricula ------------------------------------------------------------------

    def create_curriculum(self, data: dict, based_on: str | None = None) -> tuple[str, str]:
        """Create a curriculum; return (id, edit key). Only the key's hash is stored."""
        curriculum_id = secrets.token_urlsafe(6).replace("_", "x").replace("-", "y").lower()
        edit_key = secrets.token_urlsafe(16)
        with self.transaction() as conn:
            conn.execute("insert into curricula values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [curriculum_id, data["title"], data.get("audience"), data.get("duration"),
                          data.get("objectives"), generate_password_hash(edit_key), based_on, now(), now()])
            for position, module in enumerate(data.get("modules") or []):
                cursor = conn.execute("insert into modules (curriculum_id, position, title, questions, exercise) "
                                      "values (?, ?, ?, ?, ?)", [curriculum_id, position, module["title"],
                                                                 module.get("questions"), module.get("exercise")])
                for item_position, (kind, ref) in enumerate(module.get("items") or []):
                    conn.execute("insert into module_items (module_id, position, kind, ref) values (?, ?, ?, ?)",
                                 [cursor.lastrowid, item_position, kind, ref])
        return curriculum_id, edit_key

    def can_edit(self, curriculum_id: str, edit_key: str | None) -> bool:
        with self.connect() as conn:
            row = conn.execute("select edit_key_hash from curricula where id = ?", [curriculum_id]).fetchone()
        return bool(row and edit_key and row["edit_key_hash"] and check_password_hash(row["edit_key_hash"], edit_key))

    def curriculum(self, curriculum_id: str) -> dict | None:
        with self.connect() as conn:
            row = conn.execute("select * from curricula where id = ?", [curriculum_id]).fetchone()
            if row is None:
                return None
            result = dict(row)
            result.pop("edit_key_hash")
            result["modules"] = []
            for module in conn.execute("select * from modules where curriculum_id = ? order by position, id", [curriculum_id]):
                items = [dict(i) for i in conn.execute(
                    "select * from module_items where module_id = ? order by position, id", [module["id"]])]
                result["modules"].append(dict(module) | {"items": items})
        return result

    def curricula(self) -> list[dict]:
        with self.connect() as conn:
            return [dict(r) for r in conn.execute(
                "select id, title, audience, duration, based_on, updated_at from curricula order by updated_at desc")]

    def update_curriculum(self, curriculum_id: str, data: dict) -> None:
        with self.transaction() as conn:
            conn.execute("update curricula set title = ?, audience = ?, duration = ?, objectives = ?, updated_at = ? "
                         "where id = ?", [data["title"], data.get("audience"), data.get("duration"),
                                          data.get("objectives"), now(), curriculum_id])

    def add_module(self, curriculum_id: str, title: str, questions: str = "", exercise: str = "") -> int:
        with self.transaction() as conn:
            position = conn.execute("select coalesce(max(position) + 1, 0) from modules where curriculum_id = ?",
                                    [curriculum_id]).fetchone()[0]
            cursor = conn.execute("insert into modules (curriculum_id, position, title, questions, exercise) "
                                  "values (?, ?, ?, ?, ?)", [curriculum_id, position, title, questions, exercise])
            conn.execute("update curricula set updated_at = ? where id = ?", [now(), curriculum_id])
            return cursor.lastrowid

    def update_module(self, curriculum_id: str, module_id: int, title: str, questions: str, exercise: str) -> None:
        with self.transaction() as conn:
            conn.execute("update modules set title = ?, questions = ?, exercise = ? where id = ? and curriculum_id = ?",
                         [title, questions, exercise, module_id, curriculum_id])

    def delete_module(self, curriculum_id: str, module_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("delete from modules where id = ? and curriculum_id = ?", [module_id, curriculum_id])

    def add_item(self, curriculum_id: str, module_id: int, kind: str, ref: str) -> None:
        with self.transaction() as conn:
            if not conn.execute("select 1 from modules where id = ? and curriculum_id = ?", [module_id, curriculum_id]).fetchone():
                raise LookupError(f"module {module_id} is not part of curriculum {curriculum_id}")
            if conn.execute("select 1 from module_items where module_id = ? and kind = ? and ref = ?",
                            [module_id, kind, ref]).fetchone():
                return
            position = conn.execute("select coalesce(max(position) + 1, 0) from module_items where module_id = ?",
                                    [module_id]).fetchone()[0]
            conn.execute("insert into module_items (module_id, position, kind, ref) values (?, ?, ?, ?)",
                         [module_id, position, kind, ref])
            conn.execute("update curricula set updated_at = ? where id = ?", [now(), curriculum_id])

    def remove_item(self, curriculum_id: str, item_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("delete from module_items where id = ? and module_id in "
                         "(select id from modules where curriculum_id = ?)", [item_id, curriculum_id])

    def move(self, curriculum_id: str, kind: str, item_id: int, direction: int) -> None:
        """Swap a module (or an item within its module) with its neighbour: direction -1 up, +1 down."""
        table, scope = ("modules", "curriculum_id") if kind == "module" else ("module_items", "module_id")
        with self.transaction() as conn:
            if kind == "module":
                row = conn.execute("select id, position, curriculum_id as scope from modules where id = ? and curriculum_id = ?",
                                   [item_id, curriculum_id]).fetchone()
            else:
                row = conn.execute("select i.id, i.position, i.module_id as scope from module_items i join modules m "
                                   "on m.id = i.module_id where i.id = ? and m.curriculum_id = ?",
                                   [item_id, curriculum_id]).fetchone()
            if row is None:
                raise LookupError(f"no {kind} {item_id} in curriculum {curriculum_id}")
            siblings = [r["id"] for r in conn.execute(
                f"select id from {table} where {scope} = ? order by position, id", [row["scope"]])]
            index = siblings.index(row["id"])
            target = index + direction
            if 0 <= target < len(siblings):
                siblings[index], siblings[target] = siblings[target], siblings[index]
                for position, sid in enumerate(siblings):
                    conn.execute(f"update {table} set position = ? where id = ?", [position, sid])


def starter_curricula(folder: Path) -> dict[str, dict]:
    """The curricula shipped with the project (kb/data/curricula/*.json), read-only."""
    found = {}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = data | {"id": path.stem, "starter": True}
    return found
