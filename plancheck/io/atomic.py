"""Atomic writes: a failed or interrupted run never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from plancheck.errors import OutputError
from plancheck.io.paths import check_output_target


def atomic_write_bytes(path: Path, data: bytes, *, sources: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder + rename.

    A symlink, FIFO, device or folder at ``path``, or a path among ``sources`` (the inputs
    of the run), is refused rather than replaced.
    """
    path = Path(path)
    check_output_target(path, sources)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(
            f"{path}: cannot write here ({err.strerror}); choose another output path"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
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
