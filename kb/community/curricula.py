"""Curricula for trainers: modules of guideline sections and case studies, private until published.

A browser that creates a curriculum (or opens its secret edit link) becomes one of its editors:
the session holds one random editor token, and the store keeps only its hash beside each
curriculum, so the cookie stays small however many curricula a trainer keeps.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from kb.community.store import Connection, Store
from kb.community.time import now

MAX_MODULES = 30
MAX_ITEMS = 30  # per module
KINDS = ("guideline", "practice")
STARTERS = Path(__file__).resolve().parent.parent / "data" / "curricula"


class LimitReached(ValueError):
    """A curriculum already holds as much as it may."""


@dataclass
class Item:
    kind: str
    ref: str
    id: int | None = None
    position: int = 0
    note: str | None = None
    section: object = None  # the guideline section or practice it points to, attached for display
    practice: dict | None = None


@dataclass
class Module:
    title: str
    id: int | None = None
    position: int = 0
    questions: str | None = None
    exercise: str | None = None
    minutes: int | None = None
    items: list[Item] = field(default_factory=list)

    @property
    def guideline_items(self) -> list[Item]:
        return [i for i in self.items if i.kind == "guideline"]

    @property
    def practice_items(self) -> list[Item]:
        return [i for i in self.items if i.kind == "practice"]


@dataclass
class Curriculum:
    id: str
    title: str
    audience: str | None = None
    duration: str | None = None
    objectives: str | None = None
    based_on: str | None = None
    published: bool = False
    starter: bool = False
    updated_at: str | None = None
    modules: list[Module] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(m.minutes or 0 for m in self.modules)


def editor_hash(editor: str) -> str:
    return hashlib.sha256(editor.encode()).hexdigest()


def new_editor() -> str:
    """The random token a browser keeps in its session to be recognised as an editor."""
    return secrets.token_urlsafe(18)


def starters(folder: Path = STARTERS) -> dict[str, Curriculum]:
    """The curricula shipped with the project (kb/data/curricula/*.json), read-only."""
    found = {}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        modules = [Module(title=m["title"], position=p, questions=m.get("questions"), exercise=m.get("exercise"),
                          minutes=m.get("minutes"),
                          items=[Item(kind=k, ref=r, position=i) for i, (k, r) in enumerate(m["items"])])
                   for p, m in enumerate(data["modules"])]
        found[path.stem] = Curriculum(id=path.stem, title=data["title"], audience=data.get("audience"),
                                      duration=data.get("duration"), objectives=data.get("objectives"),
                                      published=True, starter=True, modules=modules)
    return found


class Curricula:
    def __init__(self, store: Store):
        self.store = store

    # -- whole curricula ----------------------------------------------------------------

    def create(self, details: dict, editor: str, modules: list[Module] = (), based_on: str | None = None) -> tuple[str, str]:
        """Create a private curriculum edited by `editor`; return (id, secret edit key)."""
        curriculum_id = secrets.token_urlsafe(6).replace("_", "x").replace("-", "y").lower()
        edit_key = secrets.token_urlsafe(16)
        with self.store.transaction() as conn:
            conn.insert("curricula", {
                "id": curriculum_id, "title": details["title"], "audience": details.get("audience"),
                "duration": details.get("duration"), "objectives": details.get("objectives"),
                "edit_key_hash": generate_password_hash(edit_key), "based_on": based_on, "published": 0,
                "created_at": now(), "updated_at": now()}, returning=None)
            conn.insert("curriculum_editors", {"curriculum_id": curriculum_id, "editor_hash": editor_hash(editor)},
                        returning=None)
            for position, module in enumerate(list(modules)[:MAX_MODULES]):
                module_id = self._insert_module(conn, curriculum_id, position, module)
                for item_position, item in enumerate(module.items[:MAX_ITEMS]):
                    conn.insert("module_items", {"module_id": module_id, "position": item_position, "kind": item.kind,
                                                 "ref": item.ref, "note": item.note}, returning=None)
        return curriculum_id, edit_key

    def get(self, curriculum_id: str) -> Curriculum | None:
        with self.store.read() as conn:
            row = conn.one("select * from curricula where id = ?", [curriculum_id])
            if row is None:
                return None
            modules = [Module(title=m["title"], id=m["id"], position=m["position"], questions=m["questions"],
                              exercise=m["exercise"], minutes=m["minutes"])
                       for m in conn.all("select * from modules where curriculum_id = ? order by position, id",
                                         [curriculum_id])]
            for module in modules:
                module.items = [Item(kind=i["kind"], ref=i["ref"], id=i["id"], position=i["position"], note=i["note"])
                                for i in conn.all("select * from module_items where module_id = ? order by position, id",
                                                  [module.id])]
        return Curriculum(id=row["id"], title=row["title"], audience=row["audience"], duration=row["duration"],
                          objectives=row["objectives"], based_on=row["based_on"], published=bool(row["published"]),
                          updated_at=row["updated_at"], modules=modules)

    def published(self, page: int = 1, per_page: int = 20) -> tuple[list[dict], int]:
        with self.store.read() as conn:
            total = conn.value("select count(*) from curricula where published = 1") or 0
            rows = conn.all("select id, title, audience, duration, based_on, updated_at from curricula "
                            "where published = 1 order by updated_at desc, id limit ? offset ?",
                            [per_page, (page - 1) * per_page])
        return rows, total

    def editable_by(self, editor: str | None) -> list[dict]:
        if not editor:
            return []
        with self.store.read() as conn:
            return conn.all("select c.id, c.title, c.published, c.updated_at from curricula c join curriculum_editors e "
                            "on e.curriculum_id = c.id where e.editor_hash = ? order by c.updated_at desc",
                            [editor_hash(editor)])

    def can_edit(self, curriculum_id: str, editor: str | None) -> bool:
        if not editor:
            return False
        with self.store.read() as conn:
            return bool(conn.value("select 1 from curriculum_editors where curriculum_id = ? and editor_hash = ?",
                                   [curriculum_id, editor_hash(editor)]))

    def claim(self, curriculum_id: str, edit_key: str, editor: str) -> bool:
        """Make `editor` an editor when edit_key is the curriculum's secret; True when it was."""
        with self.store.transaction() as conn:
            stored = conn.value("select edit_key_hash from curricula where id = ?", [curriculum_id])
            if not (stored and edit_key and check_password_hash(stored, edit_key)):
                return False
            if not conn.value("select 1 from curriculum_editors where curriculum_id = ? and editor_hash = ?",
                              [curriculum_id, editor_hash(editor)]):
                conn.insert("curriculum_editors", {"curriculum_id": curriculum_id, "editor_hash": editor_hash(editor)},
                            returning=None)
        return True

    def update(self, curriculum_id: str, details: dict) -> None:
        with self.store.transaction() as conn:
            conn.execute("update curricula set title = ?, audience = ?, duration = ?, objectives = ?, updated_at = ? "
                         "where id = ?", [details["title"], details.get("audience"), details.get("duration"),
                                          details.get("objectives"), now(), curriculum_id])

    def set_published(self, curriculum_id: str, published: bool) -> None:
        with self.store.transaction() as conn:
            conn.execute("update curricula set published = ?, updated_at = ? where id = ?",
                         [int(published), now(), curriculum_id])

    def delete(self, curriculum_id: str) -> None:
        with self.store.transaction() as conn:
            module_ids = [r["id"] for r in conn.all("select id from modules where curriculum_id = ?", [curriculum_id])]
            for module_id in module_ids:
                conn.execute("delete from module_items where module_id = ?", [module_id])
            conn.execute("delete from modules where curriculum_id = ?", [curriculum_id])
            conn.execute("delete from curriculum_editors where curriculum_id = ?", [curriculum_id])
            conn.execute("delete from curricula where id = ?", [curriculum_id])

    # -- modules and items --------------------------------------------------------------

    @staticmethod
    def _insert_module(conn: Connection, curriculum_id: str, position: int, module: Module) -> int:
        return conn.insert("modules", {"curriculum_id": curriculum_id, "position": position, "title": module.title,
                                       "questions": module.questions, "exercise": module.exercise,
                                       "minutes": module.minutes})

    def add_module(self, curriculum_id: str, module: Module) -> int:
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            count = conn.value("select count(*) from modules where curriculum_id = ?", [curriculum_id])
            if count >= MAX_MODULES:
                raise LimitReached(f"A curriculum holds at most {MAX_MODULES} modules.")
            position = conn.value("select coalesce(max(position) + 1, 0) from modules where curriculum_id = ?",
                                  [curriculum_id])
            module_id = self._insert_module(conn, curriculum_id, position, module)
            conn.execute("update curricula set updated_at = ? where id = ?", [now(), curriculum_id])
            return module_id

    def update_module(self, curriculum_id: str, module_id: int, module: Module) -> None:
        with self.store.transaction() as conn:
            if not conn.execute("update modules set title = ?, questions = ?, exercise = ?, minutes = ? "
                                "where id = ? and curriculum_id = ?",
                                [module.title, module.questions, module.exercise, module.minutes, module_id, curriculum_id]):
                raise LookupError(f"There is no module {module_id} in curriculum {curriculum_id}.")
            conn.execute("update curricula set updated_at = ? where id = ?", [now(), curriculum_id])

    def delete_module(self, curriculum_id: str, module_id: int) -> None:
        with self.store.transaction() as conn:
            if not conn.value("select 1 from modules where id = ? and curriculum_id = ?", [module_id, curriculum_id]):
                raise LookupError(f"There is no module {module_id} in curriculum {curriculum_id}.")
            conn.execute("delete from module_items where module_id = ?", [module_id])
            conn.execute("delete from modules where id = ?", [module_id])

    def add_item(self, curriculum_id: str, module_id: int, item: Item) -> None:
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            if not conn.value("select 1 from modules where id = ? and curriculum_id = ?", [module_id, curriculum_id]):
                raise LookupError(f"There is no module {module_id} in curriculum {curriculum_id}.")
            if conn.value("select 1 from module_items where module_id = ? and kind = ? and ref = ?",
                          [module_id, item.kind, item.ref]):
                return
            if conn.value("select count(*) from module_items where module_id = ?", [module_id]) >= MAX_ITEMS:
                raise LimitReached(f"A module holds at most {MAX_ITEMS} sections and case studies.")
            position = conn.value("select coalesce(max(position) + 1, 0) from module_items where module_id = ?",
                                  [module_id])
            conn.insert("module_items", {"module_id": module_id, "position": position, "kind": item.kind,
                                         "ref": item.ref, "note": item.note}, returning=None)
            conn.execute("update curricula set updated_at = ? where id = ?", [now(), curriculum_id])

    def _item_row(self, conn: Connection, curriculum_id: str, item_id: int) -> dict:
        row = conn.one("select i.id, i.module_id, i.position from module_items i join modules m on m.id = i.module_id "
                       "where i.id = ? and m.curriculum_id = ?", [item_id, curriculum_id])
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
            if not conn.value("select 1 from modules where id = ? and curriculum_id = ?", [module_id, curriculum_id]):
                raise LookupError(f"There is no module {module_id} in curriculum {curriculum_id}.")
            if conn.value("select count(*) from module_items where module_id = ?", [module_id]) >= MAX_ITEMS:
                raise LimitReached(f"A module holds at most {MAX_ITEMS} sections and case studies.")
            position = conn.value("select coalesce(max(position) + 1, 0) from module_items where module_id = ?",
                                  [module_id])
            conn.execute("update module_items set module_id = ?, position = ? where id = ?", [module_id, position, item_id])

    def move(self, curriculum_id: str, kind: str, target_id: int, direction: int) -> None:
        """Swap a module (or an item within its module) with its neighbour: direction -1 up, +1 down."""
        with self.store.transaction(lock=f"curriculum:{curriculum_id}") as conn:
            if kind == "module":
                row = conn.one("select id, curriculum_id as scope from modules where id = ? and curriculum_id = ?",
                               [target_id, curriculum_id])
                table, scope = "modules", "curriculum_id"
            else:
                row = conn.one("select i.id, i.module_id as scope from module_items i join modules m on m.id = i.module_id "
                               "where i.id = ? and m.curriculum_id = ?", [target_id, curriculum_id])
                table, scope = "module_items", "module_id"
            if row is None:
                raise LookupError(f"There is no {kind} {target_id} in curriculum {curriculum_id}.")
            siblings = [r["id"] for r in conn.all(f"select id from {table} where {scope} = ? order by position, id",
                                                  [row["scope"]])]
            index = siblings.index(row["id"])
            target = index + direction
            if 0 <= target < len(siblings):
                siblings[index], siblings[target] = siblings[target], siblings[index]
                for position, sibling in enumerate(siblings):
                    conn.execute(f"update {table} set position = ? where id = ?", [position, sibling])
