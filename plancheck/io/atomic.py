"""Atomic writes: a failed or interrupted run never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from plancheck.errors import OutputError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder + rename."""
    path = Path(path)
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


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, line ends as given) to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))
