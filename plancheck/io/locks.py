"""One writer at a time: a lock file beside what a run rewrites.

Two ``plancheck report --out X`` at once (two CI jobs, a reviewer and a hook), or two
``validate --fix`` on one CSV, would otherwise interleave: one swaps its set in while the
other copies from the folder, or both read the old table and the last write wins. Each takes
``held(target)`` first — an OS lock (``filelock``: fcntl on POSIX, msvcrt on Windows) on
``.<name>.plancheck-lock`` in the target's folder — so the second waits for the first and
then does its whole work; after ``timeout`` seconds it gives up with one line.

The lock file sits beside the target, not inside it: a report folder is replaced by a rename,
and a lock inside it would go with the old folder. The OS drops the lock when its holder
dies (kill -9 too), so a stale lock file never blocks; the file itself is left in place
(deleting it would race with a waiting run).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plancheck.errors import OutputError

__all__ = ["LOCK_SECONDS", "held", "lock_path"]

LOCK_SECONDS = 300.0  # a report of a large manifest is written in well under a minute


def lock_path(target: Path) -> Path:
    target = Path(target)
    return target.parent / f".{target.name}.plancheck-lock"


@contextmanager
def held(target: Path, doing: str, *, timeout: float = LOCK_SECONDS) -> Iterator[None]:
    """Hold the lock of ``target`` for the block; ``doing`` says what the holder does
    ("writing the reports"), for the message when the wait runs out."""
    from filelock import FileLock, Timeout

    path = lock_path(target)
    lock = FileLock(str(path), timeout=timeout)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise OutputError(
            f"{target}: another plancheck run is {doing} (it holds {path.name} for more than "
            f"{timeout:.0f} s); wait for it to end, or choose another output"
        ) from None
    except OSError as err:
        raise OutputError(
            f"{target}: cannot write here ({err.strerror}); choose another output"
        ) from None
    try:
        yield
    finally:
        lock.release()
