"""What a curriculum is: modules of guideline sections and case studies; and the starters shipped with the project."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

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
        modules = [
            Module(
                title=m["title"],
                position=p,
                questions=m.get("questions"),
                exercise=m.get("exercise"),
                minutes=m.get("minutes"),
                items=[Item(kind=k, ref=r, position=i) for i, (k, r) in enumerate(m["items"])],
            )
            for p, m in enumerate(data["modules"])
        ]
        found[path.stem] = Curriculum(
            id=path.stem,
            title=data["title"],
            audience=data.get("audience"),
            duration=data.get("duration"),
            objectives=data.get("objectives"),
            published=True,
            starter=True,
            modules=modules,
        )
    return found
