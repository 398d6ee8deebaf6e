"""Where things live, read from the environment with sensible defaults.

| variable            | default         | meaning                                             |
|---------------------|-----------------|-----------------------------------------------------|
| KB_PRACTICES_DIR    | ./practices     | the curated markdown entries                        |
| KB_DATA_DIR         | ./var           | built database, index, domain model, community data |
| KB_MODEL            | (unset)         | a sentence-transformers folder or hub name          |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    practices: Path
    data: Path

    @property
    def builds(self) -> Path:
        """Every build is written into a folder of its own here, then published."""
        return self.data / "builds"

    @property
    def current(self) -> Path:
        """A symlink to the published build; swapping it is how a build goes live atomically."""
        return self.data / "current"

    @property
    def database(self) -> Path:
        """The content database of the published build."""
        return self.current / "kb.db"

    @property
    def cache(self) -> Path:
        """Embeddings by model and passage hash, kept across builds."""
        return self.data / "cache" / "embeddings.sqlite"

    @property
    def community_database(self) -> Path:
        """Lessons, submissions, curators and curricula: never rebuilt, never replaced."""
        return self.data / "community.db"


def paths(practices: str | Path | None = None, data: str | Path | None = None) -> Paths:
    """Resolve the folders from arguments, then the environment, then the defaults."""
    practices = practices or os.environ.get("KB_PRACTICES_DIR") or PROJECT_ROOT / "practices"
    data = data or os.environ.get("KB_DATA_DIR") or PROJECT_ROOT / "var"
    return Paths(Path(practices), Path(data))
