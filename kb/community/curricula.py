"""Curricula for trainers: modules of guideline sections and case studies, private until published.

A browser that creates a curriculum (or opens its secret edit link) becomes one of its editors:
the session holds one random editor token, and the store keeps only its hash beside each
curriculum, so the cookie stays small however many curricula a trainer keeps.
"""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from kb.community.curriculum_content import MAX_ITEMS, MAX_MODULES, CurriculumContent  # noqa: F401
from kb.community.curriculum_types import (  # noqa: F401  (the types callers import from here)
    STARTERS,
    Curriculum,
    Item,
    LimitReached,
    Module,
    editor_hash,
    new_editor,
    starters,
)
from kb.community.store import Store
from kb.community.time import now

KINDS = ("guideline", "practice")


class Curricula(CurriculumContent):
    def __init__(self, store: Store):
        self.store = store

    # -- whole curricula ----------------------------------------------------------------

    def create(
        self, details: dict, editor: str, modules: list[Module] = (), based_on: str | None = None
    ) -> tuple[str, str]:
        """Create a private curriculum edited by `editor`; return (id, secret edit key)."""
        curriculum_id = secrets.token_urlsafe(6).replace("_", "x").replace("-", "y").lower()
        edit_key = secrets.token_urlsafe(16)
        with self.store.transaction() as conn:
            conn.insert(
                "curricula",
                {
                    "id": curriculum_id,
                    "title": details["title"],
                    "audience": details.get("audience"),
                    "duration": details.get("duration"),
                    "objectives": details.get("objectives"),
                    "edit_key_hash": generate_password_hash(edit_key),
                    "based_on": based_on,
                    "published": 0,
                    "created_at": now(),
                    "updated_at": now(),
                },
                returning=None,
            )
            conn.insert(
                "curriculum_editors",
                {"curriculum_id": curriculum_id, "editor_hash": editor_hash(editor)},
                returning=None,
            )
            for position, module in enumerate(list(modules)[:MAX_MODULES]):
                module_id = self._insert_module(conn, curriculum_id, position, module)
                for item_position, item in enumerate(module.items[:MAX_ITEMS]):
                    conn.insert(
                        "module_items",
                        {
                            "module_id": module_id,
                            "position": item_position,
                            "kind": item.kind,
                            "ref": item.ref,
                            "note": item.note,
                        },
                        returning=None,
                    )
        return curriculum_id, edit_key

    def get(self, curriculum_id: str) -> Curriculum | None:
        with self.store.read() as conn:
            row = conn.one("select * from curricula where id = ?", [curriculum_id])
            if row is None:
                return None
            modules = [
                Module(
                    title=m["title"],
                    id=m["id"],
                    position=m["position"],
                    questions=m["questions"],
                    exercise=m["exercise"],
                    minutes=m["minutes"],
                )
                for m in conn.all(
                    "select * from modules where curriculum_id = ? order by position, id", [curriculum_id]
                )
            ]
            by_module: dict[int, list[Item]] = {module.id: [] for module in modules}
            for i in conn.all(  # one query for every module's items, not one per module
                "select module_items.* from module_items join modules on modules.id = module_items.module_id "
                "where modules.curriculum_id = ? order by module_items.position, module_items.id",
                [curriculum_id],
            ):
                by_module[i["module_id"]].append(
                    Item(kind=i["kind"], ref=i["ref"], id=i["id"], position=i["position"], note=i["note"])
                )
            for module in modules:
                module.items = by_module[module.id]
        return Curriculum(
            id=row["id"],
            title=row["title"],
            audience=row["audience"],
            duration=row["duration"],
            objectives=row["objectives"],
            based_on=row["based_on"],
            published=bool(row["published"]),
            updated_at=row["updated_at"],
            modules=modules,
        )

    def published(self, page: int = 1, per_page: int = 20) -> tuple[list[dict], int]:
        with self.store.read() as conn:
            total = conn.value("select count(*) from curricula where published = 1") or 0
            rows = conn.all(
                "select id, title, audience, duration, based_on, updated_at from curricula "
                "where published = 1 order by updated_at desc, id limit ? offset ?",
                [per_page, (page - 1) * per_page],
            )
        return rows, total

    def editable_by(self, editor: str | None) -> list[dict]:
        if not editor:
            return []
        with self.store.read() as conn:
            return conn.all(
                "select c.id, c.title, c.published, c.updated_at from curricula c join curriculum_editors e "
                "on e.curriculum_id = c.id where e.editor_hash = ? order by c.updated_at desc",
                [editor_hash(editor)],
            )

    def can_edit(self, curriculum_id: str, editor: str | None) -> bool:
        if not editor:
            return False
        with self.store.read() as conn:
            return bool(
                conn.value(
                    "select 1 from curriculum_editors where curriculum_id = ? and editor_hash = ?",
                    [curriculum_id, editor_hash(editor)],
                )
            )

    def claim(self, curriculum_id: str, edit_key: str, editor: str) -> bool:
        """Make `editor` an editor when edit_key is the curriculum's secret; True when it was."""
        with self.store.transaction() as conn:
            stored = conn.value("select edit_key_hash from curricula where id = ?", [curriculum_id])
            if not (stored and edit_key and check_password_hash(stored, edit_key)):
                return False
            if not conn.value(
                "select 1 from curriculum_editors where curriculum_id = ? and editor_hash = ?",
                [curriculum_id, editor_hash(editor)],
            ):
                conn.insert(
                    "curriculum_editors",
                    {"curriculum_id": curriculum_id, "editor_hash": editor_hash(editor)},
                    returning=None,
                )
        return True

    def update(self, curriculum_id: str, details: dict) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "update curricula set title = ?, audience = ?, duration = ?, objectives = ?, updated_at = ? "
                "where id = ?",
                [
                    details["title"],
                    details.get("audience"),
                    details.get("duration"),
                    details.get("objectives"),
                    now(),
                    curriculum_id,
                ],
            )

    def set_published(self, curriculum_id: str, published: bool) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "update curricula set published = ?, updated_at = ? where id = ?",
                [int(published), now(), curriculum_id],
            )

    def delete(self, curriculum_id: str) -> None:
        with self.store.transaction() as conn:
            module_ids = [r["id"] for r in conn.all("select id from modules where curriculum_id = ?", [curriculum_id])]
            for module_id in module_ids:
                conn.execute("delete from module_items where module_id = ?", [module_id])
            conn.execute("delete from modules where curriculum_id = ?", [curriculum_id])
            conn.execute("delete from curriculum_editors where curriculum_id = ?", [curriculum_id])
            conn.execute("delete from curricula where id = ?", [curriculum_id])
