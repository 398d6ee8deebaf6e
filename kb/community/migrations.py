"""Versioned schema of the community store, the same for SQLite and PostgreSQL.

Each migration is a list of statements; `{id}`, `{real}` and `{bigint}` become the dialect's
types. `migrate(store)` applies the ones a database has not seen yet, in order, each in its own
transaction, and records them in `schema_version`; `kb` runs it whenever it opens the store.
A database from before versioning (round one) already has version 1's tables, which use
`if not exists`, so it is upgraded in place.
"""

from __future__ import annotations

import datetime as dt

from kb.community.store import Store

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "lessons, submissions, curators, curricula",
        [
            "create table if not exists curators (name text primary key, password_hash text not null, "
            "created_at text not null)",
            """create table if not exists lessons (
            id {id}, status text not null default 'pending', practice_id text, city_slug text,
            name text not null, organisation text, city text, role text, email text,
            show_email integer not null default 0, tried text not null, happened text not null, differently text,
            created_at text not null, reviewed_by text, reviewed_at text, reason text)""",
            "create index if not exists lessons_by_status on lessons(status)",
            """create table if not exists submissions (
            id {id}, status text not null default 'pending', practice_id text not null, document text not null,
            submitter_name text not null, submitter_email text, created_at text not null,
            reviewed_by text, reviewed_at text, reason text, published_path text)""",
            "create index if not exists submissions_by_status on submissions(status)",
            """create table if not exists curricula (
            id text primary key, title text not null, audience text, duration text, objectives text,
            edit_key_hash text, based_on text, created_at text not null, updated_at text not null)""",
            """create table if not exists modules (
            id {id}, curriculum_id text not null references curricula(id) on delete cascade,
            position integer not null, title text not null, questions text, exercise text)""",
            """create table if not exists module_items (
            id {id}, module_id integer not null references modules(id) on delete cascade,
            position integer not null, kind text not null check (kind in ('guideline', 'practice')),
            ref text not null)""",
        ],
    ),
    (
        2,
        "sessions, rate limits, decisions, status links, private curricula",
        [
            "create table if not exists curator_sessions (token_hash text primary key, curator text not null, "
            "created_at text not null)",
            "create table if not exists rate_events (kind text not null, subject text not null, at {real} not null)",
            "create index if not exists rate_events_by_subject on rate_events(kind, subject, at)",
            """create table if not exists decisions (
            id {id}, kind text not null, item_id text not null, action text not null,
            curator text not null, reason text, at text not null)""",
            "alter table lessons add column status_token text",
            "alter table lessons add column from_city_slug text",
            "alter table lessons add column country text",
            "alter table submissions add column status_token text",
            "alter table submissions add column original_document text",
            "alter table curricula add column published integer not null default 0",
            "create table if not exists curriculum_editors (curriculum_id text not null references "
            "curricula(id) on delete cascade, editor_hash text not null, primary key (curriculum_id, editor_hash))",
            "alter table modules add column minutes integer",
            "alter table module_items add column note text",
            "update curricula set published = 1",  # round one listed every curriculum publicly
        ],
    ),
]

LATEST = MIGRATIONS[-1][0]


def current_version(store: Store) -> int:
    with store.transaction(lock="schema") as conn:
        conn.execute(
            "create table if not exists schema_version (version integer primary key, description text, applied_at text)"
        )
        return conn.value("select coalesce(max(version), 0) from schema_version") or 0


def migrate(store: Store) -> list[int]:
    """Apply every migration the store has not seen yet; return the versions applied."""
    applied = []
    for version, description, statements in MIGRATIONS:
        with store.transaction(lock="schema") as conn:
            conn.execute(
                "create table if not exists schema_version (version integer primary key, description text, "
                "applied_at text)"
            )
            if conn.value("select 1 from schema_version where version = ?", [version]):
                continue
            for statement in statements:
                sql = statement.format(**store.types)
                if sql.startswith("alter table") and _column_exists(conn, store, sql):
                    continue
                conn.execute(sql)
            conn.insert(
                "schema_version",
                {
                    "version": version,
                    "description": description,
                    "applied_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
                returning=None,
            )
            applied.append(version)
    return applied


def _column_exists(conn, store: Store, alter: str) -> bool:
    """An added column may exist already in a database upgraded by hand; adding it twice would fail."""
    words = alter.split()
    table, column = words[2], words[5]
    if store.dialect == "sqlite":
        return any(row["name"] == column for row in conn.all(f"pragma table_info({table})"))
    return bool(
        conn.value("select 1 from information_schema.columns where table_name = ? and column_name = ?", [table, column])
    )
