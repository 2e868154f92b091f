"""Container formats: Word (.docx), spreadsheets (.xlsx/.xls), PDF with a text layer, and
saved web pages (.html).

The format is recognised from the bytes (``sniff``), never from the file name, and each reader
returns the same ``Document`` the text readers do, so structure and normalisation are shared.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from types import ModuleType

from plancheck.errors import InputError
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import best_reader, plain_text

__all__ = ["FORMATS", "choose_reader", "read_format", "sniff"]

FORMATS = ("docx", "xlsx", "xls", "pdf", "html")  # the formats read (sniff names a few more)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
_HTML_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta)\b",
    re.IGNORECASE | re.DOTALL,
)


def _head_text(data: bytes) -> str:
    """The first few KB as text, for the HTML test (UTF-16 pages carry a BOM)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) & ~1].decode("utf-16", errors="ignore")
    return head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")


def _zip_kind(data: bytes) -> str:
    """'docx' or 'xlsx' by the parts the archive holds; 'zip' for a damaged archive, one that
    is neither or one that is both (read_format refuses those with the reason)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    word = "word/document.xml" in names
    excel = any(name.startswith("xl/workbook") for name in names)
    return "docx" if word and not excel else "xlsx" if excel and not word else "zip"


def _ole_kind(data: bytes) -> str:
    """An OLE2 compound file: 'encrypted' (a password-protected .docx/.xlsx: Office keeps the
    encrypted package in the EncryptionInfo and EncryptedPackage streams of an OLE container),
    'xls' (a Workbook stream) or 'doc' (legacy Word and anything else)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # a damaged directory: fall back to the names in the bytes
        streams = {
            name
            for name in ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book")
            if name.encode("utf-16-le") in data
        }
    if {"EncryptionInfo", "EncryptedPackage"} <= streams:
        return "encrypted"
    return "xls" if streams & {"Workbook", "Book"} else "doc"


def sniff(data: bytes) -> str | None:
    """'docx', 'xlsx', 'xls', 'pdf', 'html', 'doc' (legacy Word, unsupported), 'encrypted'
    (a password-protected Office file), 'zip' (an archive that is no Office file) or None for
    plain text/unknown."""
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    if _HTML_RE.match(_head_text(data).replace("\x00", "")):
        return "html"
    return None


# What a suffix promises, for the name check: a file whose name promises one office format and
# whose bytes are another is refused (a .docx that is a workbook is a mistake or a disguise).
# .xls and .xlsx are one family: Excel itself opens either under the other's name.
_FAMILY = {".docx": "word", ".docm": "word", ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel"}
_KIND_FAMILY = {"docx": "word", "doc": "word", "xlsx": "excel", "xls": "excel"}
_KIND_NAMES = {
    "docx": "a Word document (.docx)", "doc": "a legacy Word document (.doc)",
    "xlsx": "an Excel workbook (.xlsx)", "xls": "a legacy Excel workbook (.xls)",
}  # fmt: skip


def _check_name(path: Path, kind: str) -> None:
    promised = _FAMILY.get(path.suffix.lower())
    actual = _KIND_FAMILY.get(kind)
    if promised and actual and promised != actual:
        raise InputError(
            f"{path}: named {path.suffix.lower()} but holds {_KIND_NAMES[kind]} (扩展名与内容不符); "
            f"rename it to .{kind} if that is what it is, or give the right file"
        )


def _zip_refusal(path: Path, data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    if "word/document.xml" in names:
        return (
            f"{path}: holds both a Word document and an Excel workbook; give one of them, "
            "saved on its own"
        )
    return f"{path}: a zip archive that is not a real Word or Excel file; give the plan itself"


def choose_reader(lines: list[str], default: ModuleType) -> ModuleType:
    """The text reader whose content signature fits best, else ``default`` (the container's
    own reader knows more than the plain-text fallback, so that one never wins here)."""
    best = best_reader(lines)
    return best if best is not None and best is not plain_text else default


def read_format(kind: str, path: Path, data: bytes, *, encoding: str | None = None) -> Document:
    """Read ``data`` (the bytes of ``path``) as the container format ``kind`` from ``sniff``."""
    from plancheck.ingest import limits

    if kind == "encrypted":
        raise InputError(
            f"{path}: encrypted: remove the password and save again "
            "(文件已加密：请去掉密码后重新保存)"
        )
    _check_name(path, kind)
    if kind in ("docx", "xlsx", "zip"):
        limits.check_archive(path, data)
    if kind == "zip":
        raise InputError(_zip_refusal(path, data))
    if kind == "xlsx":
        limits.check_workbook_cells(path, data)
    elif kind == "html":
        limits.check_html(path, data)
    if kind == "docx":
        from plancheck.ingest.formats.docx import read_docx

        return read_docx(path, data)
    if kind in ("xlsx", "xls"):
        from plancheck.ingest.formats.spreadsheet import read_spreadsheet

        return read_spreadsheet(path, data)
    if kind == "pdf":
        from plancheck.ingest.formats.pdf import read_pdf

        return read_pdf(path, data)
    if kind == "html":
        from plancheck.ingest.formats.html import read_html

        return read_html(path, data, encoding=encoding)
    if kind == "doc":
        raise InputError(
            f"{path}: is a legacy Word/Office (.doc) file; open it in Word and save it as .docx"
        )
    raise ValueError(f"unknown format {kind!r}")
