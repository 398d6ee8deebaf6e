"""Build folders and their atomic publication.

Each `kb build` writes a complete, self-contained folder (database, search index, domain
model) under var/builds/, then points the var/current symlink at it with one rename.
Readers always see either the old build or the new one, never half of one; a build
that fails or is killed is simply never published.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.config import Paths

KEEP = 2  # the published build and the one before it
ABANDONED_AFTER_SECONDS = 600  # an unfinished build this old, whose process cannot be checked, is abandoned


@contextmanager
def lock(paths: Paths) -> Iterator[None]:
    """One build at a time, whoever starts it: `kb build`, the site's rebuild after an approval, tests."""
    paths.data.mkdir(parents=True, exist_ok=True)
    with open(paths.build_lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _builder_alive(folder: Path) -> bool | None:
    """Whether the process that wrote an unfinished build folder still runs (None when unknown)."""
    try:
        pid = int(folder.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def new_build_dir(paths: Paths) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    folder = paths.builds / f"{stamp}-{os.getpid()}"
    folder.mkdir(parents=True)
    return folder


def current_build(paths: Paths) -> Path | None:
    """The published build folder, or None when nothing has been built yet."""
    if paths.current.is_symlink() or paths.current.exists():
        target = paths.current.resolve()
        return target if target.is_dir() else None
    return None


def publish(paths: Paths, build_dir: Path) -> None:
    """Point var/current at build_dir atomically, then remove builds no longer needed."""
    link = paths.current.with_name(f".current.{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(Path(build_dir).resolve().relative_to(paths.data.resolve()))
    os.replace(link, paths.current)
    prune(paths)


def _abandoned(folder: Path) -> bool:
    """An unfinished build: gone as soon as its process is, or after a while when that cannot be told."""
    alive = _builder_alive(folder)
    age = dt.datetime.now().timestamp() - folder.stat().st_mtime
    return alive is False or (alive is None and age > ABANDONED_AFTER_SECONDS)


def prune(paths: Paths, keep: int = KEEP) -> None:
    """Remove old and abandoned build folders, keeping the published one and its predecessor."""
    if not paths.builds.exists():
        return
    current = current_build(paths)
    folders = sorted((p for p in paths.builds.iterdir() if p.is_dir()), key=lambda p: p.name)
    finished = [p for p in folders if (p / ".published").exists()]
    kept = {p.resolve() for p in finished[-keep:]} | ({current.resolve()} if current else set())
    for folder in folders:
        if folder.resolve() in kept:
            continue
        if folder in finished or _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)


def published(paths: Paths) -> list[Path]:
    """Every finished build folder, newest first (the current one and those kept before it)."""
    if not paths.builds.exists():
        return []
    return sorted(
        (p for p in paths.builds.iterdir() if (p / ".published").exists()), key=lambda p: p.name, reverse=True
    )


def mark_published(build_dir: Path) -> None:
    (Path(build_dir) / ".published").write_text(dt.datetime.now(dt.UTC).isoformat(), encoding="utf-8")
