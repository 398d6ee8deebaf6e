"""What peers, curators and trainers add: lessons, proposed practices, curators, curricula, limits.

One store holds them all (SQLite by default, PostgreSQL for several servers), never replaced
by `kb build`. Each aggregate is a small class over that store:

    community = Community("var/community.db")      # or "postgresql://..."
    number, token = community.lessons.add({...})
    community.curators.check("amina", password)
"""

from __future__ import annotations

from pathlib import Path

from kb.community.curators import Curators
from kb.community.curricula import Curricula
from kb.community.lessons import Lessons
from kb.community.limits import RateLimits
from kb.community.migrations import migrate
from kb.community.reviews import recent_decisions
from kb.community.store import Store, open_store
from kb.community.submissions import Submissions

__all__ = ["Community", "open_store"]


class Community:
    def __init__(self, location: str | Path | Store):
        self.store = location if isinstance(location, Store) else open_store(location)
        migrate(self.store)
        self.lessons = Lessons(self.store)
        self.submissions = Submissions(self.store)
        self.curators = Curators(self.store)
        self.curricula = Curricula(self.store)
        self.limits = RateLimits(self.store)

    @property
    def location(self) -> str:
        return self.store.location

    def recent_decisions(self, limit: int = 50) -> list[dict]:
        return recent_decisions(self.store, limit)

    def close(self) -> None:
        self.store.close()
