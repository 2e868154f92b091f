"""Path checks for untrusted names and files: where outputs may go, what inputs may be.

- ``inside(folder, name)``: the output path for a file named from input (a plan id) — refused
  unless it resolves to a direct child of ``folder``, so no id can write outside ``--out``.
- ``check_output_target(path, sources)``: an output never replaces a symlink, a FIFO, a device
  or a folder, and never one of the raw sources it was made from.
- ``repository_root(path)`` / ``resolves_inside(path, root)``: a manifest's sources must stay
  in the repository the manifest belongs to (a pull request can name ``../../secret.txt``, an
  absolute path or a symlink to one).
- ``require_regular_file(path)``: an input is a regular file of bounded size; devices
  (/dev/zero), FIFOs and sockets are refused *before* anything opens them, because opening a
  FIFO for reading blocks and reading /dev/zero never ends.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from plancheck.errors import InputError, OutputError, PlancheckError

__all__ = [
    "check_output_target",
    "inside",
    "repository_root",
    "require_regular_file",
    "resolves_inside",
]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def require_regular_file(
    path: Path,
    error: type[PlancheckError] = InputError,
    *,
    max_bytes: int | None = None,
) -> int:
    """The size of ``path``; raise ``error`` unless it is a regular file of at most ``max_bytes``."""
    path = Path(path)
    try:
        info = path.stat()  # follows links: a link to a regular file is fine to read
    except FileNotFoundError:
        raise error(f"{path}: file not found; check the path") from None
    except OSError as err:
        raise error(f"{path}: cannot read ({err.strerror}); check the path") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path}: is {_kind(info.st_mode)}, not a regular file; name a saved file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise error(
            f"{path}: {info.st_size:,} bytes is larger than the limit of {max_bytes:,}; "
            "split the file or check that it is the right one"
        )
    return info.st_size


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it stays a direct child of ``folder``."""
    folder = Path(folder)
    candidate = folder / name
    if (
        not name
        or Path(name).name != name
        or name in (".", "..")
        or os.sep in name
        or (os.altsep and os.altsep in name)
        or "\0" in name
    ):
        raise OutputError(f"{name!r}: not a plain file name; it would be written outside {folder}")
    resolved_folder = folder.resolve()
    if candidate.resolve().parent != resolved_folder:
        raise OutputError(f"{candidate}: resolves outside {folder}; refusing to write there")
    return candidate


def check_output_target(path: Path, sources: Iterable[Path] = ()) -> None:
    """Refuse to write ``path`` if it is a link, FIFO, device, folder, or one of ``sources``."""
    path = Path(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise OutputError(f"{path}: cannot check the output path ({err.strerror})") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"{path}: is {_kind(info.st_mode)}; plancheck only replaces regular files, "
            "choose another output path"
        )
    target = path.resolve()
    for source in sources:
        try:
            same = Path(source).resolve() == target
        except OSError:
            same = False
        if same:
            raise OutputError(
                f"{path}: is an input of this run; plancheck never overwrites a source, "
                "choose another output path"
            )


def repository_root(path: Path) -> Path:
    """The repository a file belongs to: the nearest folder above it holding ``.git`` (a
    folder, or the file a git worktree has), else the file's own folder. Resolved."""
    start = Path(path).resolve().parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def resolves_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link and ``..`` resolved, lies under ``root`` (resolved)."""
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):  # a link loop
        return False
