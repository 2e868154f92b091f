"""Hostile PDFs and web pages: each is refused with one line (exit 2) in bounded time and
memory, or read right — a password-protected PDF, 5,000 empty pages, a compressed-stream
bomb, a page that is only an image (it needs OCR), 10^6 nested tags, a ``<meta charset>``
that lies. The files are built here."""

from __future__ import annotations

import io
import zlib

import pypdf
import pytest
from test_formats_pdf import cjk_pdf

from security.probes import refusal

SECONDS = 45
PLAN_LINES = ["某市实施方案", "一、重点任务", "（一）加强医疗机构监管。市卫生健康委负责。"]


def _pdf(page_objects: list[tuple[bytes, bytes]]) -> bytes:
    """A PDF of one page per (resources, content-stream object) pair, objects written by hand."""
    objects: dict[int, bytes] = {}
    kids = []
    for i, (resources, stream_object) in enumerate(page_objects):
        page, content = 3 + 2 * i, 4 + 2 * i
        objects[content] = stream_object
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s"
            b" /Contents %d 0 R >>" % (resources, content)
        )
        kids.append(b"%d 0 R" % page)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_password_protected_pdf_is_refused(cli, tmp_path):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(cjk_pdf([PLAN_LINES]))))
    writer.encrypt("secret", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, "locked.pdf", buffer.getvalue())
    line = cli("tasks", path, timeout=SECONDS).one_line_error()
    assert "encrypted: remove the password and save again" in line and "加密" in line


def test_a_pdf_with_only_an_owner_password_is_read(tmp_path):
    """No password is needed to open it (only to edit): its text is read."""
    from plancheck.ingest import read_document

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(cjk_pdf([PLAN_LINES]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, "owner.pdf", buffer.getvalue())
    assert "一、重点任务" in read_document(path).lines


def test_five_thousand_empty_pages_are_refused_fast(cli, tmp_path):
    writer = pypdf.PdfWriter()
    for _ in range(5_000):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    run = cli("tasks", _write(tmp_path, "blank.pdf", buffer.getvalue()), timeout=SECONDS)
    assert "5,000 pages" in run.one_line_error()


def test_compressed_stream_bomb_is_refused(cli, tmp_path):
    squeeze = zlib.compressobj(9)
    chunk = b" " * 2**20
    bomb = b"".join(squeeze.compress(chunk) for _ in range(200)) + squeeze.flush()  # 200 MB
    assert len(bomb) < 2**20
    data = _pdf([(b"<< >>", _stream(bomb, b"/Filter /FlateDecode "))])
    run = cli("tasks", _write(tmp_path, "bomb.pdf", data), timeout=SECONDS)
    line = run.one_line_error()
    assert "compressed" in line and "limit" in line


def test_image_only_pdf_says_it_needs_ocr(cli, tmp_path):
    pixels = bytes(range(64))  # an 8x8 grey image: a scan, to a PDF reader
    image = b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
    image += b" /BitsPerComponent 8 /Length 64 >>\nstream\n" + pixels + b"\nendstream"
    draw = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
    data = _pdf([(b"<< /XObject << /Im1 99 0 R >> >>", _stream(draw))])
    # the image object, appended: the reader finds it by the cross-reference table
    data = _pdf_with_object(data, 99, image)
    line = cli("tasks", _write(tmp_path, "scan.pdf", data), timeout=SECONDS).one_line_error()
    # read by OCR (the formats issue): an 8x8 grey square holds no text; without the OCR
    # component the PDF is said to need it
    assert "OCR" in line and ("no text" in line or "text layer" in line)


def _pdf_with_object(data: bytes, number: int, body: bytes) -> bytes:
    """``data`` with object ``number`` added by an incremental update (a second xref)."""
    previous = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    size = int(data.split(b"/Size ", 1)[1].split(b" ", 1)[0])
    out = bytearray(data)
    offset = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        max(size, number + 1),
        previous,
        xref,
    )
    return bytes(out)


def test_a_million_nested_tags_are_refused(cli, tmp_path):
    page = "<html><body>" + "<span>" * 1_000_000 + "一、任务" + "</span>" * 1_000_000
    path = tmp_path / "deep.html"
    path.write_text(page, "utf-8")
    line = cli("tasks", path, timeout=SECONDS).one_line_error()
    assert "nested" in line


@pytest.mark.parametrize("tag", ["p", "li", "td"])
def test_a_million_unclosed_blocks_are_bounded(tmp_path, tag):
    """Tags the depth scan does not count (end tags are optional) end fast too."""
    path = tmp_path / "flat.html"
    path.write_text(f"<html><body><{tag}>加强监管。" * 200_000, "utf-8")
    try:
        refusal(path, SECONDS)
    except AssertionError as err:  # read, not refused: fine as long as it ended in time
        assert "still running" not in str(err)


PAGE = (
    '<html><head><meta charset="{charset}"><title>某市实施方案</title></head><body>'
    "<h1>某市改革完善医疗卫生行业综合监管制度实施方案</h1><p>一、重点任务</p>"
    "<p>（一）加强医疗机构监管。市卫生健康委负责，2020年底前完成。</p>"
    "<p>（二）推进信息公开。市市场监管局负责，持续推进。</p></body></html>"
)


@pytest.mark.parametrize(
    "declared, actual",
    [("gbk", "utf-8"), ("utf-8", "gb18030"), ("iso-8859-1", "gb18030"), ("big5", "utf-8")],
)
def test_a_meta_charset_that_lies_is_overruled_by_the_bytes(tmp_path, declared, actual):
    from plancheck.ingest import read_document

    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset=declared).encode(actual))
    text = "\n".join(read_document(path).lines)
    assert "加强医疗机构监管" in text and "市卫生健康委" in text


def test_text_extraction_has_a_time_budget(tmp_path):
    """Many pages each slow to read stop at the budget (zero here, so the first page ends it)."""
    from plancheck.errors import InputError
    from plancheck.ingest.formats.pdf import _pages

    with pytest.raises(InputError, match=r"took more than 0 s"):
        _pages(tmp_path / "slow.pdf", cjk_pdf([PLAN_LINES] * 3), budget=0.0)
