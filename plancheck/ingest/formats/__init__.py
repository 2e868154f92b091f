"""Container formats: Word (.docx; .doc/.wps through LibreOffice, ``office.py``), spreadsheets
(.xlsx/.xls/.et), PDF with a text layer, OFD (``ofd.py``), saved web pages (.html), and zips
of attachments (``ingest/archive.py``).

The format is recognised from the bytes (``sniff``), never from the file name, and each reader
returns the same ``Document`` the text readers do, so structure and normalisation are shared.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from plancheck.errors import InputError
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import best_reader, plain_text

__all__ = ["DOCUMENT_SUFFIXES", "FORMATS", "choose_reader", "read_format", "sniff"]

FORMATS = ("docx", "xlsx", "xls", "pdf", "html", "doc", "zip", "ofd", "image")
# The names a folder's plan documents have (``plancheck report FOLDER``, ``validate FOLDER``);
# which reader reads a file is still decided by its bytes, never by these.
DOCUMENT_SUFFIXES = (
    ".txt", ".md", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".et", ".pdf", ".ofd", ".html",
    ".htm", ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)  # fmt: skip
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
    """'docx', 'xlsx' or 'ofd' by the parts the archive holds; 'zip' for a damaged archive,
    a zip of attachments, or one that is both a document and a workbook (read_format reads
    the attachments and refuses the others with the reason)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    word = "word/document.xml" in names
    excel = any(name.startswith("xl/workbook") for name in names)
    if "OFD.xml" in names and not (word or excel):
        return "ofd"
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
    """'docx', 'xlsx', 'xls', 'pdf', 'html', 'doc' (Word 97-2003 or Kingsoft WPS .wps; an
    .et is a BIFF workbook like .xls), 'encrypted' (a password-protected Office file), 'ofd',
    'zip' (attachments, or an archive that is no Office file), 'image' (a scan or photo: OCR)
    or None for plain text/unknown."""
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"  # a photo or scan of pages: PNG, JPEG, TIFF
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


def _zip_refusal(path: Path, data: bytes) -> str | None:
    """Why a zip that is no single Office package cannot be read: it holds both a document and
    a workbook, or it is named as a Word or Excel file and is none; None for a zip of
    attachments (each member then a document of its own, ``ingest/archive.py``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
    if "word/document.xml" in names:
        return (
            f"{path}: holds both a Word document and an Excel workbook; give one of them, "
            "saved on its own"
        )
    if path.suffix.lower() in _FAMILY:  # named as a Word or Excel file, and it is not one
        return f"{path}: a zip archive that is not a real Word or Excel file; give the plan itself"
    return None


def choose_reader(lines: list[str], default: ModuleType) -> ModuleType:
    """The text reader whose content signature fits best, else ``default`` (the container's
    own reader knows more than the plain-text fallback, so that one never wins here)."""
    best = best_reader(lines)
    return best if best is not None and best is not plain_text else default


def read_format(
    kind: str, path: Path, data: bytes, *, encoding: str | None = None, converter=None
) -> Document:
    """Read ``data`` (the bytes of ``path``) as the container format ``kind`` from ``sniff``.

    A legacy file (``doc``; an ``xls`` the spreadsheet reader cannot open) goes through
    ``converter`` (an ``office.OfficeConverter`` the caller made for its batch) or, without
    one, through a converter made for this file alone."""
    from plancheck.ingest import limits

    if kind == "encrypted":
        raise InputError(
            f"{path}: encrypted: remove the password and save again "
            "(文件已加密：请去掉密码后重新保存)"
        )
    _check_name(path, kind)
    if kind == "doc":
        return _legacy(path, data, "docx", converter)
    if kind == "zip":
        reason = _zip_refusal(path, data)
        if reason is None:  # attachments: read member by member under the archive's limits
            return _one_member(path, data, encoding=encoding, converter=converter)
        limits.check_archive(path, data)  # a damaged or hostile package says so first
        raise InputError(reason)
    if kind in ("docx", "xlsx", "ofd"):
        limits.check_archive(path, data)
    if kind == "image":
        from plancheck.ingest.formats.ocr import ocr_images

        return ocr_images(path, data)
    if kind == "ofd":
        from plancheck.ingest.formats.ofd import read_ofd

        return read_ofd(path, data)
    if kind == "xlsx":
        limits.check_workbook_cells(path, data)
    elif kind == "html":
        limits.check_html(path, data)
    if kind == "docx":
        from plancheck.ingest.formats.docx import read_docx

        return read_docx(path, data)
    if kind in ("xlsx", "xls"):
        from plancheck.ingest.formats.spreadsheet import read_spreadsheet

        try:
            return read_spreadsheet(path, data)
        except InputError:
            if kind == "xlsx":
                raise
            # An .xls or .et that python-calamine cannot open (some WPS files): LibreOffice.
            from plancheck.ingest.formats.office import find_soffice

            if find_soffice() is None and converter is None:
                raise
            return _legacy(path, data, "xlsx", converter)
    if kind == "pdf":
        from plancheck.ingest.formats.pdf import read_pdf

        return read_pdf(path, data)
    if kind == "html":
        from plancheck.ingest.formats.html import read_html

        return read_html(path, data, encoding=encoding)
    raise ValueError(f"unknown format {kind!r}")


def _one_member(path: Path, data: bytes, *, encoding: str | None, converter) -> Document:
    """A zip of attachments named as one plan: its only document, else a refusal that lists
    the members to name instead (each member is a document of its own)."""
    from plancheck.ingest.archive import member_bytes, member_names, split_member
    from plancheck.ingest.decode import MAX_BYTES

    if split_member(path) is not None:
        raise InputError(f"{path}: is an archive inside an archive; unpack the outer archive first")
    names = member_names(path, data)
    if len(names) != 1:
        listed = ", ".join(f"{path.as_posix()}/{name}" for name in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        raise InputError(
            f"{path}: is a zip of {len(names)} documents"
            + (f" ({listed}{more}); name one of them, or give the folder that holds the zip"
               if names else "; put the plan documents (.docx, .pdf, ...) in it")
        )  # fmt: skip
    member = path / names[0]
    inner = member_bytes(path, data, names[0], MAX_BYTES)
    kind = sniff(inner)
    if kind is None:
        from plancheck.ingest import read_document

        return read_document(member, encoding=encoding, converter=converter)
    return read_format(kind, member, inner, encoding=encoding, converter=converter)


def _legacy(path: Path, data: bytes, target: str, converter) -> Document:
    """A legacy file converted by LibreOffice, then read by the .docx/.xlsx reader (the
    converted package is checked against the archive limits like any other)."""
    from plancheck.ingest.formats.office import OfficeConverter

    if converter is None:
        with OfficeConverter() as own:
            converted = own.convert(data, target, name=str(path))
    else:
        converted = converter.convert(data, target, name=str(path))
    doc = read_format(target, path, converted)
    return replace(doc, shape=f"legacy:{doc.shape}")
