"""Hostile Word and Excel files: each is refused with one line (exit 2) in bounded time and
memory, before a parser allocates anything for it.

Every file is built here, small on disk: zip entries that climb out (``../../x``), parts
whose CRC does not match, archives cut short, password-protected files in their OLE
container, XML parts declaring entities (expansion bombs, external entities) in any part, a
Word file named .xlsx and the reverse, 10^5 sheets and 10^6 shared strings."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from security.probes import refusal
from security.test_bounded_inputs import _docx_bytes

SECONDS = 45


def _xlsx_bytes() -> bytes:
    """A small task-division workbook with a shared-strings part (as Excel writes it)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("任务分工")
    for r, row in enumerate(
        (("序号", "重点任务", "牵头单位"), ("1", "加强监管。", "市卫生健康委"))
    ):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _rezip(data: bytes, edit=None, extra=(), stored=False) -> bytes:
    """``data``'s zip with each part passed through ``edit(name, bytes)`` and ``extra`` added."""
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", method) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            dst.writestr(item.filename, edit(item.filename, body) if edit else body)
        for name, body in extra:
            dst.writestr(name, body)
    return out.getvalue()


@pytest.fixture(params=["docx", "xlsx"])
def office(request):
    """(suffix, the bytes of a small valid file of that kind)."""
    return request.param, _docx_bytes() if request.param == "docx" else _xlsx_bytes()


def _run(cli, tmp_path, name: str, data: bytes) -> str:
    """As a user runs it: a subprocess, exit 2 and one line on stderr."""
    path = tmp_path / name
    path.write_bytes(data)
    run = cli("tasks", path, timeout=SECONDS)
    assert run.seconds < SECONDS
    return run.one_line_error()


def _read(tmp_path, name: str, data: bytes) -> str:
    """In this process (for the many variants of one probe): the one-line refusal."""
    path = tmp_path / name
    path.write_bytes(data)
    return refusal(path, SECONDS)


def test_valid_files_are_read(tmp_path, office):
    """The probes below are refused for what they hold, not because the test files are bad."""
    from plancheck.ingest import read_document

    suffix, data = office
    path = tmp_path / f"plan.{suffix}"
    path.write_bytes(data)
    assert any("加强监管" in line for line in read_document(path).lines)


@pytest.mark.parametrize("name", ["../../x", "/etc/x", "word/../../x", "C:/x", "..\\..\\x"])
def test_entries_that_climb_out_are_refused(cli, tmp_path, office, name):
    suffix, data = office
    hostile = _rezip(data, extra=[(name, b"x")])
    if name == "../../x":  # once as a user runs it, the variants in this process
        line = _run(cli, tmp_path, f"plan.{suffix}", hostile)
    else:
        line = _read(tmp_path, f"plan.{suffix}", hostile)
    assert "unsafe part name" in line
    assert not (tmp_path.parent / "x").exists()


def test_bad_crc_is_refused(cli, tmp_path, office):
    suffix, data = office
    stored = _rezip(data, stored=True)
    marker = "加强监管".encode()
    at = stored.index(marker)  # the part's bytes are stored as they are: change one
    broken = stored[:at] + "减弱".encode() + stored[at + len("减弱".encode()) :]
    line = _run(cli, tmp_path, f"plan.{suffix}", broken)
    assert "damaged" in line


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_archive_is_refused(tmp_path, office, keep):
    suffix, data = office
    line = _read(tmp_path, f"plan.{suffix}", data[: int(len(data) * keep)])
    assert "damaged" in line or "not a real" in line


def test_encrypted_file_is_refused_with_what_to_do(cli, tmp_path, office):
    from msoffcrypto.format.ooxml import OOXMLFile

    suffix, data = office
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("secret", out)
    encrypted = out.getvalue()
    assert encrypted.startswith(b"\xd0\xcf\x11\xe0")  # an OLE container, not a zip
    line = _run(cli, tmp_path, f"plan.{suffix}", encrypted)
    assert "encrypted: remove the password and save again" in line
    assert "加密" in line  # the Chinese gloss


_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([ord("b") + i]), (b"&%s;" % bytes([ord("a") + i])) * 10)
        for i in range(9)
    )
    + b"]>"
)
_EXTERNAL = b'<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'


def _with_doctype(part: str, doctype: bytes, reference: bytes):
    def edit(name, body):
        if name != part:
            return body
        head, sep, rest = body.partition(b"?>")  # after the XML declaration
        if not sep:
            head, rest = b"", body
        else:
            head += sep
        # the entity is used where text is: inside the first text node, else as a comment
        return (
            head
            + doctype
            + rest.replace(b"</w:t>", reference + b"</w:t>", 1).replace(
                b"</t>", reference + b"</t>", 1
            )
        )

    return edit


@pytest.mark.parametrize(
    "suffix, part",
    [
        ("docx", "word/document.xml"),
        ("docx", "word/styles.xml"),
        ("docx", "[Content_Types].xml"),
        ("docx", "_rels/.rels"),
        ("xlsx", "xl/workbook.xml"),
        ("xlsx", "xl/sharedStrings.xml"),
        ("xlsx", "xl/worksheets/sheet1.xml"),
    ],
)
@pytest.mark.parametrize("kind", ["expansion", "external"])
def test_entity_declarations_in_any_part_are_refused(cli, tmp_path, suffix, part, kind):
    data = _docx_bytes() if suffix == "docx" else _xlsx_bytes()
    doctype, ref = (_LAUGHS, b"&j;") if kind == "expansion" else (_EXTERNAL, b"&ext;")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert part in archive.namelist()
    hostile = _rezip(data, _with_doctype(part, doctype, ref))
    if part == "word/document.xml":
        line = _run(cli, tmp_path, f"plan.{suffix}", hostile)
    else:
        line = _read(tmp_path, f"plan.{suffix}", hostile)
    assert "DTD" in line and part in line


@pytest.mark.parametrize("real, named", [("docx", "xlsx"), ("xlsx", "docx")])
def test_a_file_whose_name_says_another_format_is_refused(cli, tmp_path, real, named):
    data = _docx_bytes() if real == "docx" else _xlsx_bytes()
    line = _run(cli, tmp_path, f"plan.{named}", data)
    assert f"named .{named}" in line and f".{real}" in line  # what it is, what to rename it to


def test_a_zip_that_is_both_or_neither_is_refused(tmp_path):
    both = _rezip(_docx_bytes(), extra=[("xl/workbook.xml", b"<workbook/>")])
    assert "both" in _read(tmp_path, "both.docx", both)
    neither = io.BytesIO()
    with zipfile.ZipFile(neither, "w") as archive:
        archive.writestr("word/document.xml.txt", "一、任务")  # the name only mentions it
    line = _read(tmp_path, "neither.docx", neither.getvalue())
    assert "not a real" in line or "damaged" in line


def test_a_hundred_thousand_sheets_are_refused(cli, tmp_path):
    """Declared in workbook.xml (all pointing at one part, so the archive itself is small)."""

    def many(name, body):
        if name != "xl/workbook.xml":
            return body
        start = body.index(b"<sheet ")
        end = body.index(b"/>", start) + 2
        one = body[start:end].decode()
        sheets = "".join(
            one.replace('name="任务分工"', f'name="s{i}"').replace('sheetId="1"', f'sheetId="{i}"')
            for i in range(1, 100_001)
        )
        return body[:start] + sheets.encode() + body[end:]

    data = _rezip(_xlsx_bytes(), many)
    assert len(data) < 2 * 2**20
    line = _run(cli, tmp_path, "sheets.xlsx", data)
    assert "100,000 sheets" in line


def test_ten_thousand_sheet_parts_are_refused(tmp_path):
    extra = [(f"xl/worksheets/sheet{i}.xml", b"<worksheet/>") for i in range(2, 10_002)]
    line = _read(tmp_path, "parts.xlsx", _rezip(_xlsx_bytes(), extra=extra))
    assert "parts" in line


def test_a_million_shared_strings_are_refused(cli, tmp_path):
    def strings(name, body):
        if name != "xl/sharedStrings.xml":
            return body
        items = b"".join(b"<si><t>%d</t></si>" % i for i in range(1_000_000))
        head, _, _ = body.partition(b"<si>")
        head = re.sub(rb'(?i)count="\d+"', b'count="1000000"', head)
        return head + items + b"</sst>"

    with zipfile.ZipFile(io.BytesIO(_xlsx_bytes())) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    line = _run(cli, tmp_path, "strings.xlsx", _rezip(_xlsx_bytes(), strings))
    assert "1,000,000 shared strings" in line
