"""PDF reader: the text layer page by page, page furniture removed, hard wraps rejoined.

The PDFs are written by hand below: a Type0 font with the predefined CMap UniGB-UTF16-H
(codes are UTF-16BE) and the non-embedded Adobe font STSong-Light, so the CJK text layer
needs no font file - a valid PDF that viewers render with their own Song font.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from conftest import SEEDS

from plancheck.errors import InputError
from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.formats import sniff
from plancheck.ingest.formats.pdf import strip_furniture

COMPARED_OUT = ("source_file", "line_start", "line_end")
_FONTS = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H"
    b" /DescendantFonts [4 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 5 >>"
    b" /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 4"
    b" /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120"
    b" /CapHeight 880 /StemV 80 >> >>",
)


def cjk_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF: one text line per list item, one page per list."""
    objects: dict[int, bytes] = {3: _FONTS[0], 4: _FONTS[1]}
    kids = []
    for i, lines in enumerate(pages):
        page, content = 5 + 2 * i, 6 + 2 * i
        ops = ["BT", "/F1 12 Tf", "14 TL", "50 800 Td"]
        ops += [f"<{line.encode('utf-16-be').hex()}> Tj T*" for line in lines]
        stream = "\n".join([*ops, "ET"]).encode()
        objects[content] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(b"%d 0 R" % page)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _paginate(lines: list[str], per_page: int = 25) -> list[list[str]]:
    """Pages with a running header and a page number, as an office PDF has."""
    return [
        ["广元市人民政府办公室文件", *lines[i : i + per_page], f"- {i // per_page + 1} -"]
        for i in range(0, len(lines), per_page)
    ]


def test_generated_pdf_has_a_cjk_text_layer():
    data = cjk_pdf([["一、总体要求", "到2020年底。"]])
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "一、总体要求" in text and "到2020年底。" in text


def test_pdf_of_a_hard_wrapped_plan_matches_its_text_export(tmp_path):
    lines = [line for line in SEEDS["guangyuan"].read_text(encoding="utf-8").split("\n")]
    path = tmp_path / "plan.pdf"
    path.write_bytes(cjk_pdf(_paginate([line for line in lines if line.strip()])))
    from_text = build_task_table(SEEDS["guangyuan"], plan_id="p")
    from_pdf = build_task_table(path, plan_id="p")
    columns = [c for c in from_text.columns if c not in COMPARED_OUT]
    assert len(from_pdf) == len(from_text) > 20
    assert from_pdf[columns].equals(from_text[columns])
    doc = read_document(path)
    assert doc.shape == "pdf:pdf_text"
    assert not any(
        line == "广元市人民政府办公室文件" or line.startswith("- ") for line in doc.lines
    )


def test_sentence_broken_across_a_page_is_rejoined(tmp_path):
    pages = [
        ["某市实施方案", "一、重点任务", "（一）加强监管。建立健全医疗卫生行业综合", "- 1 -"],
        ["监管协调机制，明确部门职责。（责任单位：市卫健委）", "（二）强化执法。", "- 2 -"],
    ]
    path = tmp_path / "p.pdf"
    path.write_bytes(cjk_pdf(pages))
    tasks = build_task_table(path).set_index("task_id")
    assert (
        tasks.loc["1.1", "text"] == "加强监管。建立健全医疗卫生行业综合监管协调机制，明确部门职责。"
    )
    assert tasks.loc["1.1", "lead_unit"] == "市卫健委"
    assert tasks.loc["1.1", "line_start"] == 3 and tasks.loc["1.1", "line_end"] == 5


@pytest.mark.parametrize(
    "footer", ["- 3 -", "—3—", "第3页", "第 3 页 共 9 页", "3/9", "Page 3 of 9", "3"]
)
def test_page_numbers_are_dropped(footer):
    pages = [["正文第一行", "正文第二行", "正文第三行", footer]]
    assert strip_furniture(pages)[0] == ["正文第一行", "正文第二行", "正文第三行", ""]


def test_running_header_with_page_number_is_dropped_but_body_lines_stay():
    bodies = ("加强领导。", "明确责任。", "强化监管。")
    pages = [
        [f"某市卫健委文件 第{n}页", f"开头{body}", "重复的正文行", f"中间{body}", f"结尾{body}"]
        for n, body in enumerate(bodies, start=1)
    ]
    kept = strip_furniture(pages)
    assert all(page[0] == "" for page in kept)
    assert kept[1][1:] == ["开头明确责任。", "重复的正文行", "中间明确责任。", "结尾明确责任。"]


def test_pdf_recognised_by_bytes_not_name(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(cjk_pdf([["一、总体要求", "（一）加强领导。"]]))
    assert sniff(path.read_bytes()) == "pdf"
    assert read_document(path).shape.startswith("pdf:")


@pytest.mark.parametrize(
    "data",
    [
        cjk_pdf([["一、总体要求"] * 40])[:700],  # truncated
        b"%PDF-1.4\n" + bytes(range(256)) * 20,  # garbage after the signature
    ],
    ids=["truncated", "garbage"],
)
def test_damaged_pdf_is_one_line_input_error(tmp_path, data):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_pdf_without_text_layer_asks_for_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(cjk_pdf([[], []]))
    with pytest.raises(InputError, match="OCR"):
        read_document(path)


def test_password_protected_pdf(tmp_path):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(cjk_pdf([["一、总体要求"]]))))
    writer.encrypt("secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError, match="password"):
        read_document(path)
