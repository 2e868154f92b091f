"""A zip of attachments (a notice plus its annex table, as offices send them): every member
is a document of its own, named ``<archive>/<member>`` (``通知.zip/附件1.xlsx``).

    from plancheck.ingest.archive import archive_documents
    archive_documents(Path("通知.zip"))   # [Path("通知.zip/通知.docx"), Path("通知.zip/附件1.xlsx")]

Nothing is unpacked to disk: a member's bytes are read from the archive when the member is
read, under the archive limits of ``limits.check_archive`` (parts, unpacked sizes) and the
size limit of any source. What it assumes about the archives:
- member names without the UTF-8 flag were written by Windows tools in the local code page
  (GBK on zh-CN machines): read as UTF-8 when they decode as UTF-8, else as GB18030;
- folders, hidden members (``.x``, ``__MACOSX/``), names that climb out (``..``, absolute,
  drive letters) and members with a suffix that is no document are not documents;
- an archive inside an archive is not opened (say so, do not recurse).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from plancheck.errors import InputError

__all__ = ["archive_documents", "member_bytes", "member_names", "split_member"]


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:  # the UTF-8 flag: Python decoded it already
        return info.filename
    raw = info.filename.encode("cp437")  # what zipfile decoded: the bytes back
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _is_document(name: str) -> bool:
    from plancheck.ingest.formats import DOCUMENT_SUFFIXES

    path = PurePosixPath(name.replace("\\", "/"))
    if name.endswith("/") or not path.parts or path.is_absolute() or ":" in path.parts[0]:
        return False
    if any(part in ("", ".", "..") or part.startswith(".") for part in path.parts):
        return False
    if path.parts[0] == "__MACOSX":
        return False
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def _open(path: Path, data: bytes) -> zipfile.ZipFile:
    from plancheck.ingest.limits import check_archive

    # parts and unpacked sizes, before any member is read; a member whose name climbs out
    # is skipped by _is_document, not a reason to refuse the other attachments
    check_archive(path, data, refuse_unsafe_names=False)
    return zipfile.ZipFile(io.BytesIO(data))


def member_names(path: Path, data: bytes) -> list[str]:
    """The document members of the zip ``data`` (read from ``path``), in archive order."""
    with _open(path, data) as archive:
        names = [_name(info) for info in archive.infolist() if not info.is_dir()]
    return [name for name in names if _is_document(name)]


def member_bytes(path: Path, data: bytes, member: str, limit: int) -> bytes:
    """The bytes of ``member`` of the zip ``data``; at most ``limit`` (else refused)."""
    from plancheck.ingest.decode import check_size

    with _open(path, data) as archive:
        for info in archive.infolist():
            if not info.is_dir() and _name(info) == member and _is_document(member):
                check_size(path / member, info.file_size, limit)
                try:
                    with archive.open(info) as handle:
                        out = handle.read(limit + 1)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                    raise InputError(
                        f"{path / member}: this member of the archive is damaged or encrypted; "
                        "unpack the archive and give the document itself"
                    ) from None
                check_size(path / member, len(out), limit)
                return out
    raise InputError(
        f"{path / member}: the archive {path.name} holds no document {member!r}; "
        f"list it with: plancheck scan {path.parent.as_posix()}"
    )


def split_member(path: Path) -> tuple[Path, str] | None:
    """``(archive, member)`` when ``path`` names a member of an archive on disk (the nearest
    existing ancestor is a regular file), else None."""
    parts: list[str] = []
    current = Path(path)
    while not current.exists():
        if current.parent == current:
            return None
        parts.append(current.name)
        current = current.parent
    if not parts or not current.is_file():
        return None
    return current, "/".join(reversed(parts))


def archive_documents(path: Path, data: bytes | None = None) -> list[Path]:
    """The members of archive ``path`` as document paths ``<archive>/<member>``."""
    from plancheck.ingest.decode import read_source_bytes

    data = read_source_bytes(path) if data is None else data
    return [Path(path) / name for name in member_names(Path(path), data)]
