"""One writer at a time: a lock per output folder or table that a run rewrites.

Two ``plancheck report --out X`` at once (two CI jobs, a reviewer and a hook), or two
``validate --fix`` on one CSV, would otherwise interleave: one swaps its set in while the
other copies from the folder, or both read the old table and the last write wins. Each takes
``held(target)`` first — an OS lock (``filelock``: fcntl on POSIX, msvcrt on Windows) — so
the second waits for the first and then does its whole work; after ``timeout`` seconds it
gives up with one line. The OS drops a lock when its holder dies (kill -9 too), so a killed
run never blocks the next.

The lock file is not in the target's folder: a report folder is replaced by a rename (a lock
inside it would leave with the old folder, and two later runs could then both hold "the"
lock), and one beside it would litter the repository. It lives in a folder of the user's
own in the system's temporary folder (``plancheck-locks-<uid>``, mode 0700, refused if
someone else owns it), named by a hash of the target's resolved path.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plancheck.errors import OutputError

__all__ = ["LOCK_SECONDS", "held", "lock_path"]

LOCK_SECONDS = 300.0  # a report of a large manifest is written in well under a minute


def _lock_folder() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = Path(tempfile.gettempdir()) / f"plancheck-locks-{uid if uid is not None else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    if uid is not None and (folder.is_symlink() or folder.stat().st_uid != uid):
        raise OutputError(
            f"{folder}: belongs to another user; remove it (plancheck keeps its locks there)"
        )
    return folder


def lock_path(target: Path) -> Path:
    """The lock file of ``target`` (the same for every spelling of its path)."""
    key = hashlib.sha256(str(Path(target).resolve()).encode("utf-8", "surrogateescape"))
    return _lock_folder() / f"{key.hexdigest()[:32]}.lock"


@contextmanager
def held(target: Path, doing: str, *, timeout: float = LOCK_SECONDS) -> Iterator[None]:
    """Hold the lock of ``target`` for the block; ``doing`` says what the holder does
    ("writing the reports"), for the message when the wait runs out."""
    from filelock import FileLock, Timeout

    try:
        path = lock_path(target)
        lock = FileLock(str(path), timeout=timeout)
        lock.acquire()
    except Timeout:
        raise OutputError(
            f"{target}: another plancheck run is {doing} (still, after {timeout:.0f} s); "
            "wait for it to end, or choose another output"
        ) from None
    except OSError as err:
        raise OutputError(
            f"{target}: cannot take the lock for writing ({err.strerror}); check the "
            "system's temporary folder"
        ) from None
    try:
        yield
    finally:
        lock.release()
