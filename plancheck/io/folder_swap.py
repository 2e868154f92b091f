"""All-or-nothing output folders: a set of files replaces the previous set in one step.

``replace_folder(out, files, is_ours)`` writes the new set into a temporary folder beside
``out`` (same file system), carries over every file in ``out`` that is not ours (a README a
user keeps there), then swaps the folders with two renames and deletes the old one. An error,
Ctrl-C or kill before the swap leaves ``out`` exactly as it was; the temporary folder is
removed on the way out, and a folder left behind by a killed run (``.<out>.*.plancheck-tmp``)
is removed — or, if the kill fell between the two renames, put back — by the next run.

Two runs on one ``out`` take turns (``io/locks.py``, a lock file beside ``out``), so the
folder always holds one run's whole set.

Files of ours in ``out`` that the new set does not hold (reports of plans no longer in the
manifest) are not carried over; their names are returned so the caller can list them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from plancheck.errors import OutputError
from plancheck.io.atomic import is_stale
from plancheck.io.locks import LOCK_SECONDS, held
from plancheck.io.paths import check_output_target, inside

__all__ = ["replace_folder"]

_TMP = ".plancheck-tmp"
_OLD = ".plancheck-old"


def _write_file(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(path, "xb") as handle:  # x: never through a link planted in the new folder
        handle.write(data)


def _recover(out: Path) -> None:
    """Undo what a killed run left beside ``out``: restore a moved-away set, drop temp folders.

    Only leftovers older than ``STALE_SECONDS`` are touched, so a run writing the same folder
    at the same moment keeps its own temporary folder.
    """
    leftovers = sorted(p for p in out.parent.glob(f".{out.name}.*{_OLD}") if is_stale(p))
    if leftovers and not out.exists():
        os.rename(leftovers.pop(), out)  # killed between the two renames: the old set returns
    temps = [p for p in out.parent.glob(f".{out.name}.*{_TMP}") if is_stale(p)]
    for path in [*leftovers, *temps]:
        shutil.rmtree(path, ignore_errors=True)


def _carry_over(out: Path, new: Path, names: set[str], is_ours: Callable[[str], bool]) -> list[str]:
    """Copy what is not ours into ``new``; return the names of our files that are now stale."""
    stale = []
    for item in sorted(out.iterdir()):
        if item.name in names:
            continue
        if is_ours(item.name) and item.is_file() and not item.is_symlink():
            stale.append(item.name)
        elif item.is_dir() and not item.is_symlink():
            shutil.copytree(item, new / item.name, symlinks=True)
        else:
            shutil.copy2(item, new / item.name, follow_symlinks=False)
    return stale


def replace_folder(
    out: Path,
    files: Mapping[str, str | bytes],
    is_ours: Callable[[str], bool],
    *,
    sources: Iterable[Path] = (),
    lock_timeout: float = LOCK_SECONDS,
) -> list[str]:
    """Make ``out`` hold ``files`` (plus whatever in it is not ours), all at once.

    Returns the names of stale files of ours that were dropped. Every name must be a plain
    file name; an existing entry of that name must be a regular file and not one of
    ``sources``. Runs writing the same ``out`` take turns (``io.locks``): the second waits
    up to ``lock_timeout`` seconds, then refuses.
    """
    out = Path(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{out}: is not a folder; choose a folder for the reports")
    sources = list(sources)
    for name in files:
        check_output_target(inside(out, name) if out.exists() else out / name, sources)
    with held(out, "writing the reports", timeout=lock_timeout):  # one run swaps at a time
        return _replace(out, files, is_ours)


def _replace(
    out: Path, files: Mapping[str, str | bytes], is_ours: Callable[[str], bool]
) -> list[str]:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _recover(out)
        new = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=_TMP, dir=out.parent))
        os.chmod(new, out.stat().st_mode & 0o7777 if out.exists() else 0o755)
    except OSError as err:
        raise OutputError(
            f"{out}: cannot write here ({err.strerror}); choose another folder"
        ) from None
    old = new.with_name(new.name[: -len(_TMP)] + _OLD)
    try:
        for name, content in sorted(files.items()):
            _write_file(inside(new, name), content)
        stale = _carry_over(out, new, set(files), is_ours) if out.exists() else []
        if out.exists():
            os.rename(out, old)
            try:
                os.rename(new, out)
            except BaseException:
                os.rename(old, out)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(new, out)
        return stale
    except OSError as err:
        raise OutputError(
            f"{out}: cannot write the reports ({err.strerror}); nothing was changed"
        ) from None
    finally:
        shutil.rmtree(new, ignore_errors=True)
