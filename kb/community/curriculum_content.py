"""The modules of a curriculum and the guideline sections and case studies in them."""

from __future__ import annotations

from kb.community.curriculum_types import Item, LimitReached, Module
from kb.community.store import Connection, Store
from kb.community.time import now

MAX_MODULES = 30
MAX_ITEMS = 30  # per module


def _check_module(conn: Connection, curriculum_id: str, module_id: int) -> None:
    if not conn.value("select 1 from modules where id = ? and curriculum_id = ?", [module_id, curriculum_id]):
        raise LookupError(f"There is no module {module_id} in curriculum {curriculum_id}.")


def _next_item_position(conn: Connection, module_id: int) -> int:
    if conn.value("select count(*) from module_items where module_id = ?", [module_id]) >= MAX_ITEMS:
        raise LimitReached(f"A module holds at most {MAX_ITEMS} sections and case studies.")
    return conn.value("select coalesce(max(position) + 1, 0) from module_items where module_id = ?", [module_id])


def _touch(conn: Connection, curriculum_id: str) -> None:
    conn.execute("update curricula set updated_at = ? where id = ?", [now(), curriculum_id])


class CurriculumContent:
    """Modules and items; Curricula (kb/community/curricula.py) adds whole curricula on top."""

    store: Store

    @staticmethod
    def _insert_module(conn: Connection, curriculum_id: str, position: int, module: Module) -> int:
        return conn.insert(
            "modules",
            {
                "curriculum_id": curriculum_id,
                "position": position,
                "title": module.title,
                "questions": module.questions,
                "exercise": module.exercise,
                "minutes": module.minutes,
            },
        )

    def add_module(self, curriculum_id: str, module: Module) -> int:
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            count = conn.value("select count(*) from modules where curriculum_id = ?", [curriculum_id])
            if count >= MAX_MODULES:
                raise LimitReached(f"A curriculum holds at most {MAX_MODULES} modules.")
            position = conn.value(
                "select coalesce(max(position) + 1, 0) from modules where curriculum_id = ?", [curriculum_id]
            )
            module_id = self._insert_module(conn, curriculum_id, position, module)
            _touch(conn, curriculum_id)
            return module_id

    def update_module(self, curriculum_id: str, module_id: int, module: Module) -> None:
        with self.store.transaction() as conn:
            if not conn.execute(
                "update modules set title = ?, questions = ?, exercise = ?, minutes = ? "
                "where id = ? and curriculum_id = ?",
                [module.title, module.questions, module.exercise, module.minutes, module_id, curriculum_id],
            ):
                raise LookupError(f"There is no module {module_id} in curriculum {curriculum_id}.")
            _touch(conn, curriculum_id)

    def delete_module(self, curriculum_id: str, module_id: int) -> None:
        with self.store.transaction() as conn:
            _check_module(conn, curriculum_id, module_id)
            conn.execute("delete from module_items where module_id = ?", [module_id])
            conn.execute("delete from modules where id = ?", [module_id])

    def add_item(self, curriculum_id: str, module_id: int, item: Item) -> None:
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            _check_module(conn, curriculum_id, module_id)
            if conn.value(
                "select 1 from module_items where module_id = ? and kind = ? and ref = ?",
                [module_id, item.kind, item.ref],
            ):
                return
            position = _next_item_position(conn, module_id)
            conn.insert(
                "module_items",
                {"module_id": module_id, "position": position, "kind": item.kind, "ref": item.ref, "note": item.note},
                returning=None,
            )
            _touch(conn, curriculum_id)

    def _item_row(self, conn: Connection, curriculum_id: str, item_id: int) -> dict:
        row = conn.one(
            "select i.id, i.module_id, i.position from module_items i join modules m on m.id = i.module_id "
            "where i.id = ? and m.curriculum_id = ?",
            [item_id, curriculum_id],
        )
        if row is None:
            raise LookupError(f"There is no item {item_id} in curriculum {curriculum_id}.")
        return row

    def update_item(self, curriculum_id: str, item_id: int, note: str | None) -> None:
        with self.store.transaction() as conn:
            self._item_row(conn, curriculum_id, item_id)
            conn.execute("update module_items set note = ? where id = ?", [note or None, item_id])

    def remove_item(self, curriculum_id: str, item_id: int) -> Item:
        """Remove an item; return it, so that the removal can be undone."""
        with self.store.transaction() as conn:
            self._item_row(conn, curriculum_id, item_id)
            row = conn.one("select * from module_items where id = ?", [item_id])
            conn.execute("delete from module_items where id = ?", [item_id])
        return Item(kind=row["kind"], ref=row["ref"], note=row["note"])

    def move_item_to(self, curriculum_id: str, item_id: int, module_id: int) -> None:
        """Move an item to the end of another module of the same curriculum."""
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            self._item_row(conn, curriculum_id, item_id)
            _check_module(conn, curriculum_id, module_id)
            position = _next_item_position(conn, module_id)
            conn.execute(
                "update module_items set module_id = ?, position = ? where id = ?", [module_id, position, item_id]
            )

    def move(self, curriculum_id: str, kind: str, target_id: int, direction: int) -> None:
        """Swap a module (or an item within its module) with its neighbour: direction -1 up, +1 down."""
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            if kind == "module":
                row = conn.one(
                    "select id, curriculum_id as scope from modules where id = ? and curriculum_id = ?",
                    [target_id, curriculum_id],
                )
                table, scope = "modules", "curriculum_id"
            else:
                row = conn.one(
                    "select i.id, i.module_id as scope from module_items i join modules m on m.id = i.module_id "
                    "where i.id = ? and m.curriculum_id = ?",
                    [target_id, curriculum_id],
                )
                table, scope = "module_items", "module_id"
            if row is None:
                raise LookupError(f"There is no {kind} {target_id} in curriculum {curriculum_id}.")
            siblings = [
                r["id"]
                for r in conn.all(f"select id from {table} where {scope} = ? order by position, id", [row["scope"]])
            ]
            index = siblings.index(row["id"])
            target = index + direction
            if 0 <= target < len(siblings):
                siblings[index], siblings[target] = siblings[target], siblings[index]
                for position, sibling in enumerate(siblings):
                    conn.execute(f"update {table} set position = ? where id = ?", [position, sibling])
