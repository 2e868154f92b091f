"""Bounds on the work one input may cause: every limit in one place, each check cheap.

A plan arrives by mail or in a pull request, so a file may be hostile: a 30 KB .docx whose
``styles.xml`` unpacks to gigabytes, a table cell that claims to span 10^8 columns, a sheet
whose used range is a million rows by sixteen thousand columns, a web page nested 100,000
elements deep. Each check below runs before the expensive step it guards and refuses with an
InputError that says what was too large and what to do. The limits are far above any real
plan (a long plan is a few hundred KB of text, a task table a few hundred rows by ten columns).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from plancheck.errors import InputError

__all__ = [
    "MAX_ARCHIVE_MEMBERS",
    "MAX_HTML_BYTES",
    "MAX_HTML_DEPTH",
    "MAX_PDF_CONTENT_BYTES",
    "MAX_PDF_PAGES",
    "MAX_PDF_SECONDS",
    "MAX_SHARED_STRINGS",
    "MAX_SHEETS",
    "MAX_PART_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_SPAN",
    "MAX_TOTAL_BYTES",
    "check_archive",
    "check_html",
    "check_pdf_content",
    "check_pdf_pages",
    "check_pdf_time",
    "check_sheet",
    "check_workbook_cells",
    "clamp_span",
]

MAX_PART_BYTES = 48 * 2**20  # any one part of a .docx/.xlsx, unpacked
MAX_TOTAL_BYTES = 160 * 2**20  # all parts together, unpacked
MAX_ARCHIVE_MEMBERS = 5_000
MAX_SPAN = 100  # columns one table cell may cover (Word allows 63)
MAX_SHEET_CELLS = 2_000_000  # rows x columns of one sheet's used range
MAX_HTML_BYTES = 12 * 2**20
MAX_HTML_DEPTH = 256  # nested elements; real pages stay below 60
MAX_SHEETS = 1_000  # sheets one workbook declares; real task workbooks hold a handful
MAX_SHARED_STRINGS = 200_000  # a task table of 500 rows x 10 columns holds ~5,000
MAX_PDF_PAGES = 2_000  # a plan with its annexes is tens of pages; a yearbook is a few hundred
MAX_PDF_CONTENT_BYTES = 64 * 2**20  # page content streams, unpacked, all pages together
MAX_PDF_SECONDS = 60.0  # text extraction of one PDF, in all

_REDO = "open it and save it again, or give the plan document only"


_DTD_WORDS = (b"<!DOCTYPE", b"<!ENTITY")
# The words as UTF-8 and as UTF-16 (an XML part may be either), any case.
_DTD_RE = re.compile(
    b"|".join(
        re.escape(word.decode().encode(codec))
        for word in _DTD_WORDS
        for codec in ("utf-8", "utf-16-le", "utf-16-be")
    ),
    re.IGNORECASE,
)
_XML_PART = (".xml", ".rels", ".vml")


def _unsafe_name(name: str) -> bool:
    """A part name that would climb out of a folder it were unpacked into: absolute, a drive
    letter, backslashes or a ``..`` step (OPC part names are never any of these)."""
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"[A-Za-z]:", name) is not None
        or ".." in parts
        or "\0" in name
    )


def check_archive(path: Path, data: bytes, *, refuse_unsafe_names: bool = True) -> None:
    """Refuse a zip container (.docx/.xlsx) that is damaged or hostile, before any parser.
    A zip of attachments passes ``refuse_unsafe_names=False``: its reader skips a member
    whose name climbs out (``ingest/archive.py``) and reads the others.

    Too many parts, parts that unpack too large (the sizes the archive declares; Python's zip
    reader never returns more than the declared size of a part, so a lying header cannot get
    past this either), part names that climb out (``../../x``, ``/etc/x``), parts whose CRC
    does not match, and XML parts declaring a DTD or entities (expansion bombs, external
    entities: OPC forbids DTDs in a package, so no real Office file has one). Every part is
    read once, in 1 MB pieces; the size checks have already bounded that work.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(path, members, refuse_unsafe_names)
            for member in members:
                _check_part(path, archive, member)
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputError(
            f"{path}: this file is damaged or not a real Office file (文件已损坏); {_REDO}"
        ) from None


def _check_members(
    path: Path, members: list[zipfile.ZipInfo], refuse_unsafe_names: bool = True
) -> None:
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise InputError(
            f"{path}: holds {len(members):,} parts (limit {MAX_ARCHIVE_MEMBERS:,}); {_REDO}"
        )
    total = 0
    for member in members:
        if refuse_unsafe_names and _unsafe_name(member.filename):
            shown = member.filename[:100].encode("unicode_escape").decode("ascii")
            raise InputError(
                f"{path}: holds a part with an unsafe part name {shown!r} (it points outside "
                f"the document); {_REDO}"
            )
        total += member.file_size
        if member.file_size > MAX_PART_BYTES:
            raise InputError(
                f"{path}: part {member.filename} unpacks to {member.file_size / 2**20:,.0f} MB "
                f"(limit {MAX_PART_BYTES // 2**20} MB); {_REDO}"
            )
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"{path}: unpacks to {total / 2**20:,.0f} MB (limit {MAX_TOTAL_BYTES // 2**20} MB); {_REDO}"
        )


def _check_part(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Read one part through (the zip reader checks its CRC at the end) and, for an XML
    part, look for a DTD across the pieces."""
    xml = member.filename.lower().endswith(_XML_PART)
    tail = b""
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(2**20):
                if xml and _DTD_RE.search(tail + chunk):
                    raise InputError(
                        f"{path}: part {member.filename} declares a DTD or entities "
                        f"(<!DOCTYPE/<!ENTITY), which Office files never hold (expansion or "
                        f"external-entity attack?); {_REDO}"
                    )
                tail = chunk[-24:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        # BadZipFile: "Bad CRC-32"; RuntimeError: a part encrypted with a zip password
        raise InputError(
            f"{path}: part {member.filename} is damaged (its checksum or data is wrong; 文件已损坏); "
            f"{_REDO}"
        ) from None


def check_pdf_pages(path: Path, pages: int) -> None:
    if pages > MAX_PDF_PAGES:
        raise InputError(
            f"{path}: {pages:,} pages (limit {MAX_PDF_PAGES:,}); give the plan itself, "
            "without the collection it is bound in"
        )


def check_pdf_content(path: Path, unpacked: int) -> None:
    """Refuse a PDF whose page contents unpack past MAX_PDF_CONTENT_BYTES (a compressed-stream
    bomb: a few KB that inflate to gigabytes)."""
    if unpacked > MAX_PDF_CONTENT_BYTES:
        raise InputError(
            f"{path}: its compressed page contents unpack to more than "
            f"{MAX_PDF_CONTENT_BYTES // 2**20} MB (the limit; a compression bomb?); "
            "re-export the PDF or save the text instead"
        )


def check_pdf_time(path: Path, seconds: float, budget: float) -> None:
    if seconds > budget:
        raise InputError(
            f"{path}: reading its text took more than {budget:.0f} s (the limit); "
            "re-export the PDF or save the text instead"
        )


def clamp_span(value: int) -> int:
    """A cell's column span, at least 1 and at most MAX_SPAN."""
    return min(max(1, value), MAX_SPAN)


_CELL_REF_RE = re.compile(rb'<(?:[A-Za-z]+:)?c\b[^>]{0,200}?\br="([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def check_workbook_cells(path: Path, data: bytes) -> None:
    """Refuse an .xlsx whose sheets reach far beyond their data (a cell at XFD1048576).

    The spreadsheet reader allocates a sheet's whole used range at once — 1,048,576 rows x
    16,384 columns asked it for 512 GB and aborted the process — so the cell references of
    each worksheet part are scanned first (one regex pass; parts are already size-bounded).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_workbook_parts(path, archive)
        for member in archive.infolist():
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
                continue
            rows = cols = 0
            low_row = low_col = 2**31
            for letters, digits in _CELL_REF_RE.findall(archive.read(member)):
                row, col = int(digits), _column_number(letters)
                rows, cols = max(rows, row), max(cols, col)
                low_row, low_col = min(low_row, row), min(low_col, col)
            if rows and (rows - low_row + 1) * (cols - low_col + 1) > MAX_SHEET_CELLS:
                check_sheet(path, member.filename, rows - low_row + 1, cols - low_col + 1)


_SHEET_RE = re.compile(rb"<(?:[A-Za-z]+:)?sheet[\s/>]")
_SHARED_RE = re.compile(rb"<(?:[A-Za-z]+:)?si[\s/>]")


def _check_workbook_parts(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook declaring more than MAX_SHEETS sheets (10^5 entries may all point at
    one small part) or more than MAX_SHARED_STRINGS shared strings: the reader builds every
    sheet and every string before anything is read from them. Counted with one regex pass
    over the parts (already size-bounded); the counts the parts declare are not trusted."""
    for member in archive.infolist():
        name = member.filename
        if re.fullmatch(r"xl/workbook[^/]*\.xml", name):
            count, limit, what = len(_SHEET_RE.findall(archive.read(member))), MAX_SHEETS, "sheets"
        elif re.fullmatch(r"xl/sharedStrings[^/]*\.xml", name):
            count, limit = len(_SHARED_RE.findall(archive.read(member))), MAX_SHARED_STRINGS
            what = "shared strings"
        else:
            continue
        if count > limit:
            raise InputError(
                f"{path}: holds {count:,} {what} (limit {limit:,}); give the task table only, "
                "in a workbook of its own"
            )


def check_sheet(path: Path, name: str, height: int, width: int) -> None:
    """Refuse a sheet whose used range is larger than MAX_SHEET_CELLS before it is read."""
    if height * width > MAX_SHEET_CELLS:
        raise InputError(
            f"{path}: sheet {name!r} spans {height:,} rows x {width:,} columns (limit "
            f"{MAX_SHEET_CELLS:,} cells); delete the empty rows and columns and save it again"
        )


_TAG_RE = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]{0,20})\b[^<>]{0,4096}?(/?)>")
# Elements that never hold others, or whose end tag pages routinely leave out.
_NOT_NESTING = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li td th tr option dt dd".split()
)


def check_html(path: Path, data: bytes) -> None:
    """Refuse a web page larger than MAX_HTML_BYTES or nested deeper than MAX_HTML_DEPTH.

    One linear pass over the tags before any parser sees them: the parser and the article
    finder cost more per level of nesting, and a 100,000-deep page ran for minutes.
    """
    if len(data) > MAX_HTML_BYTES:
        raise InputError(
            f"{path}: {len(data) / 2**20:,.0f} MB is too large for a web page "
            f"(limit {MAX_HTML_BYTES // 2**20} MB); save the page without images or scripts"
        )
    depth = 0
    for match in _TAG_RE.finditer(data.replace(b"\x00", b"")):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NOT_NESTING:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > MAX_HTML_DEPTH:
            raise InputError(
                f"{path}: web page nested more than {MAX_HTML_DEPTH} elements deep; "
                "save the article as plain text or simpler HTML"
            )
