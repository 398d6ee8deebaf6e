"""The whole build, as `kb build` runs it: database, search index, then atomic publication."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable

from kb import builds, loader, store
from kb.config import Paths
from search import faiss_index
from search import index as search_index


class BuildRefused(RuntimeError):
    """The entries do not validate; nothing was written and the published build is untouched."""

    def __init__(self, result: loader.LoadResult, message: str):
        super().__init__(message)
        self.result = result


def approved_lessons(paths: Paths) -> list[dict]:
    """Lessons a curator approved: indexed with their practice so that search finds them."""
    if not paths.community_database.exists():
        return []
    from kb.community import Community

    return [lesson for lesson in Community(paths.community_database).lessons("approved") if lesson.get("practice_id")]


def build(paths: Paths, strict: bool = False, setting: str | None = None, retrain: bool = False,
          hnsw_threshold: int | None = None, progress: Callable[[str], None] = print) -> dict:
    """Validate, build into a fresh folder, publish it; return the index manifest."""
    result = loader.load(paths.practices)
    if not result.ok(strict):
        raise BuildRefused(result, f"build refused: {len(result.errors)} errors, {len(result.warnings)} warnings; "
                                   f"the published build in {paths.data} is untouched")
    if not result.practices:
        raise BuildRefused(result, f"build refused: no practices found in {paths.practices}")
    if setting is None:
        setting = os.environ.get("KB_MODEL") or None
    if hnsw_threshold is None:
        hnsw_threshold = int(os.environ.get("KB_HNSW_THRESHOLD", faiss_index.DEFAULT_HNSW_THRESHOLD))
    previous = builds.current_build(paths)
    build_dir = builds.new_build_dir(paths)
    progress(f"building {len(result.practices)} practices into {build_dir}")
    try:
        store.write_database(build_dir / "kb.db", result.practices, progress)
        manifest = search_index.build(build_dir, result.practices, paths.cache, setting=setting,
                                      previous_build=previous, retrain=retrain, hnsw_threshold=hnsw_threshold,
                                      progress=progress, lessons=approved_lessons(paths))
        builds.mark_published(build_dir)
        builds.publish(paths, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)  # never published: nothing refers to it
        raise
    return {**manifest, "build_dir": str(build_dir), "warnings": [str(p) for p in result.warnings]}
