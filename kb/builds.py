"""Build folders and their atomic publication.

Each `kb build` writes a complete, self-contained folder (database, search index, domain
model) under var/builds/, then points the var/current symlink at it with one rename.
Readers always see either the old build or the new one, never half of one; a build
that fails or is killed is simply never published.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from kb.config import Paths

KEEP = 2  # the published build and the one before it


def new_build_dir(paths: Paths) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
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


def prune(paths: Paths, keep: int = KEEP) -> None:
    """Remove old and abandoned build folders, keeping the published one and its predecessor."""
    current = current_build(paths)
    folders = sorted((p for p in paths.builds.iterdir() if p.is_dir()), key=lambda p: p.name) if paths.builds.exists() else []
    published = [p for p in folders if (p / ".published").exists()]
    keep_set = {current} | set(published[-keep:])
    for folder in folders:
        if folder.resolve() not in {k.resolve() for k in keep_set if k} and (folder / ".published").exists():
            shutil.rmtree(folder, ignore_errors=True)
        elif not (folder / ".published").exists() and folder.resolve() != (current.resolve() if current else None):
            # a build that never finished: older than an hour means its process is gone
            age = dt.datetime.now().timestamp() - folder.stat().st_mtime
            if age > 3600:
                shutil.rmtree(folder, ignore_errors=True)


def mark_published(build_dir: Path) -> None:
    (Path(build_dir) / ".published").write_text(dt.datetime.now(dt.timezone.utc).isoformat(), encoding="utf-8")
