"""The whole build, as `kb build` runs it: database, search index, then atomic publication."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from kb import builds, loader, store
from kb.config import DEFAULT_HNSW_THRESHOLD, Paths
from search import index as search_index


class BuildRefused(RuntimeError):
    """The entries do not validate; nothing was written and the published build is untouched."""

    def __init__(self, result: loader.LoadResult, message: str):
        super().__init__(message)
        self.result = result


def approved_lessons(paths: Paths, community: str | None = None) -> list[dict]:
    """Lessons a curator approved: indexed with their practice so that search finds them."""
    location = community or paths.community_database
    if not community and not paths.community_database.exists():
        return []
    from kb.community import Community

    store = Community(location)
    try:
        return [lesson for lesson in store.lessons.published() if lesson.get("practice_id")]
    finally:
        store.close()


def build(
    paths: Paths,
    strict: bool = False,
    setting: str | None = None,
    retrain: bool = False,
    hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD,
    progress: Callable[[str], None] = print,
    community: str | None = None,
) -> dict:
    """Validate, build into a fresh folder, publish it; return the index manifest.

    setting is the model (KB_MODEL): None picks a pretrained model when one loads, else the domain model.
    Holds the build lock throughout, so builds from the command line and the site never interleave.
    """
    with builds.lock(paths):
        return _build(paths, strict, setting, retrain, hnsw_threshold, progress, community)


def _build(paths, strict, setting, retrain, hnsw_threshold, progress, community) -> dict:
    result = loader.load(paths.practices)
    if not result.ok(strict):
        raise BuildRefused(
            result,
            f"build refused: {len(result.errors)} errors, {len(result.warnings)} warnings; "
            f"the published build in {paths.data} is untouched",
        )
    if not result.practices:
        raise BuildRefused(result, f"build refused: no practices found in {paths.practices}")
    previous = builds.current_build(paths)
    build_dir = builds.new_build_dir(paths)
    progress(f"building {len(result.practices)} practices into {build_dir}")
    try:
        store.write_database(build_dir / "kb.db", result.practices, progress)
        manifest = search_index.build(
            build_dir,
            result.practices,
            paths.cache,
            setting=setting,
            previous_build=previous,
            retrain=retrain,
            hnsw_threshold=hnsw_threshold,
            progress=progress,
            lessons=approved_lessons(paths, community),
        )
        builds.mark_published(build_dir)
        builds.publish(paths, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)  # never published: nothing refers to it
        raise
    return {**manifest, "build_dir": str(build_dir), "warnings": [str(p) for p in result.warnings]}
