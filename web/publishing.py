"""Publishing and unpublishing practices from the site, so that a crash never leaves them half-done.

An approval is recorded as 'approving' before the file is written, and as 'approved' only once
the file is in place and the index rebuilt. `recover` runs at start: a file that was written is
finished (rebuilt, approved); one that was not is rolled back to pending. A build that fails
removes the file again, so the inventory and the queue always agree.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kb import loader
from kb.community import Community
from kb.config import Settings

UNPUBLISHED_DIR = "unpublished"


class PublishError(RuntimeError):
    """Nothing was published or unpublished; the message says why, in words for the curator."""


def write_atomically(target: Path, text: str) -> None:
    """Write beside the target and rename: the file is either absent or complete, never partial."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def rebuild(settings: Settings) -> str | None:
    """Rebuild and publish the search index; return an error message, or None when it worked."""
    from search import pipeline

    try:
        pipeline.build(
            settings.paths,
            setting=settings.model,
            hnsw_threshold=settings.hnsw_threshold,
            progress=lambda message: None,
            community=settings.community_location,
        )
    except pipeline.BuildRefused as refused:
        return str(refused)
    except OSError as exc:
        return f"the index could not be rebuilt ({exc.strerror}); run `kb build`"
    return None


def practice_path(settings: Settings, practice_id: str) -> Path:
    return settings.paths.practices / f"{practice_id}.md"


def approve_submission(community: Community, settings: Settings, number: int, curator: str, reason: str = "") -> Path:
    """Write the submission's entry, rebuild, and mark it approved; raise PublishError and change nothing on failure."""
    item = community.submissions.get(number)
    if item is None:
        raise LookupError(f"There is no submission {number}.")
    target = practice_path(settings, item["practice_id"])
    if target.exists():
        raise PublishError(f"{target.name} already exists in the inventory; the submission stays pending.")
    community.submissions.begin_approval(number, curator, str(target), reason)
    try:
        write_atomically(target, item["document"])
    except OSError as exc:
        community.submissions.roll_back_approval(number, curator, f"could not write the file ({exc.strerror})")
        raise PublishError(
            f"Could not write {target.name} ({exc.strerror}); nothing was published and the submission stays pending."
        ) from exc
    problem = rebuild(settings)
    if problem:
        target.unlink(missing_ok=True)
        community.submissions.roll_back_approval(number, curator, problem)
        raise PublishError(f"{target.name} was not published ({problem}); the submission stays pending.")
    community.submissions.finish_approval(number, curator, reason)
    return target


def unpublish_practice(community: Community, settings: Settings, practice_id: str, curator: str, reason: str) -> None:
    """Take a practice out of the inventory.

    Its file moves to var/unpublished/ (nothing is lost) and the index is rebuilt.
    """
    from kb.community.reviews import log_decision

    source = practice_path(settings, practice_id)
    if not source.exists():
        raise LookupError(f"There is no practice file {source.name}.")
    keep = settings.paths.data / UNPUBLISHED_DIR
    keep.mkdir(parents=True, exist_ok=True)
    kept = keep / source.name
    shutil.copy2(source, kept)
    source.unlink()
    problem = rebuild(settings)
    if problem:
        os.replace(kept, source)
        raise PublishError(f"{source.name} was not unpublished ({problem}).")
    with community.store.transaction() as conn:
        log_decision(conn, "practice", practice_id, "unpublished", curator, reason)
        conn.execute(
            "update submissions set status = 'unpublished', reason = ? where practice_id = ? and status = 'approved'",
            [reason, practice_id],
        )


def recover(community: Community, settings: Settings) -> list[str]:
    """Finish or roll back approvals that a crash left half-way; return what was done."""
    done = []
    for item in community.submissions.approving():
        target = Path(item["published_path"] or practice_path(settings, item["practice_id"]))
        practice, problems = loader.read_file(target) if target.exists() else (None, [])
        try:
            if practice is not None and not rebuild(settings):
                community.submissions.finish_approval(
                    item["id"], item["reviewed_by"] or "recovery", "completed after a restart"
                )
                done.append(f"submission {item['id']}: approval completed")
            else:
                target.unlink(missing_ok=True)
                community.submissions.roll_back_approval(
                    item["id"], item["reviewed_by"] or "recovery", "rolled back after a restart"
                )
                done.append(f"submission {item['id']}: approval rolled back")
        except ValueError:  # another worker finished it first
            continue
    return done
