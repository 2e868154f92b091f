"""Atomic writes: a failed or interrupted run never leaves half a file behind.

The data goes to a temporary file in the target's folder, is flushed to disk (fsync), gets
the mode a plain ``open()`` would give it (0666 less the umask; the mode of the file it
replaces, if there is one), and is renamed over the target; the folder is synced so the
rename survives a crash.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from plancheck.errors import OutputError
from plancheck.io.paths import check_output_target


def _mode_for(path: Path) -> int:
    """The permission bits ``path`` should get: its current ones, else 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux); setting
    and restoring it would race with other threads creating files."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


STALE_SECONDS = 600  # a temporary file this old belongs to a run that was killed


def is_stale(path: Path) -> bool:
    """Whether ``path`` was last changed more than STALE_SECONDS ago (False if it is gone)."""
    try:
        return time.time() - path.lstat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def atomic_write_bytes(path: Path, data: bytes, *, sources: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder + rename.

    A symlink, FIFO, device or folder at ``path``, or a path among ``sources`` (the inputs
    of the run), is refused rather than replaced.
    """
    atomic_write_chunks(path, [data], sources=sources)


def atomic_write_chunks(
    path: Path, chunks: Iterable[bytes | str], *, sources: Iterable[Path] = ()
) -> None:
    """``atomic_write_bytes`` for data made piece by piece (str pieces as UTF-8): a large
    report is written as it is rendered, never held whole in memory."""
    path = Path(path)
    check_output_target(path, sources)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            if is_stale(leftover):  # a killed run's temporary file
                leftover.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(
            f"{path}: cannot write here ({err.strerror}); choose another output path"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(
                f"{path}: cannot write ({err.strerror}); choose another output path"
            ) from None
        raise


def atomic_write_text(path: Path, text: str, *, sources: Iterable[Path] = ()) -> None:
    """Write ``text`` (UTF-8, line ends as given) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"), sources=sources)


def _sync_folder(folder: Path) -> None:
    """fsync the folder so the rename itself is on disk (not possible on every system)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
