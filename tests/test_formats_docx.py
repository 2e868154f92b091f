"""Word (.docx) reader: paragraphs, tables with real merged cells, corrupt files."""

from __future__ import annotations

import zipfile

import docx
import pytest
from conftest import SEEDS

from plancheck.errors import InputError
from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.formats import sniff

COMPARED = ["task_id", "kind", "section", "heading", "text", "units", "lead_unit", "deadline"]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Rows of a tab-indented Word text export: runs of tab lines between blank lines."""
    blocks, current = [], []
    for line in lines:
        if line.startswith("\t"):
            current.append(line[1:].strip())
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


def _merge_down(table, column: int, start: int, end: int) -> None:
    if end > start:
        merged = table.cell(start, column).merge(table.cell(end, column))
        assert merged.text == table.cell(start, column).text


def _blank_runs(table, column: int, n_rows: int, banners: set[int]):
    """(first, last) rows of a filled cell and the blank cells below it in the same key task."""
    r = 1
    while r < n_rows:
        if r in banners or not table.cell(r, column).text:
            r += 1
            continue
        end, key = r, table.cell(r, 0).text
        while end + 1 < n_rows and end + 1 not in banners and not table.cell(end + 1, column).text:
            if table.cell(end + 1, 0).text not in ("", key):
                break  # the text export inherits units only within one key task
            end += 1
        yield r, end
        r = end + 1


def table_docx(path, preamble: list[str], blocks: list[list[str]]) -> None:
    """A Word file whose table has real merges where the text export shows blank cells:
    vertical merges (w:vMerge) for blank cells, a horizontal merge (gridSpan) for banners."""
    document = docx.Document()
    for text in preamble:
        document.add_paragraph(text)
    header, *body = blocks
    table = document.add_table(rows=len(blocks), cols=len(header))
    for r, cells in enumerate(blocks):
        padded = cells if len(cells) == len(header) else [""] * (len(header) - len(cells)) + cells
        for c, text in enumerate(padded if len(cells) > 1 else cells):
            table.cell(r, c).text = text
    banners = {r for r, cells in enumerate(blocks) if len(cells) == 1}
    for r in banners:
        table.cell(r, 0).merge(table.cell(r, len(header) - 1))
    for column in range(len(header)):
        for start, end in _blank_runs(table, column, len(blocks), banners):
            _merge_down(table, column, start, end)
    document.save(path)


def _leshan_excerpt(rows: int) -> tuple[list[str], list[str], list[list[str]]]:
    """The first ``rows`` data rows of the Leshan table: text lines, preamble, table blocks."""
    lines = SEEDS["leshan"].read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("\t"))
    blocks, end, seen = [], header, 0
    for i in range(header, len(lines)):
        if not lines[i].strip() and lines[i - 1].startswith("\t"):
            seen += 1
            if seen > rows + 1:  # the header block and ``rows`` data rows (banners count)
                end = i
                break
    blocks = [b for b in _blocks(lines[header:end]) if any(b)]
    preamble = [line for line in lines[:header] if line.strip()]
    return lines[:end], preamble, blocks


def test_docx_table_with_real_merges_matches_text_export(tmp_path):
    text_lines, preamble, blocks = _leshan_excerpt(28)
    (tmp_path / "leshan.txt").write_text("\n".join(text_lines) + "\n", encoding="utf-8")
    table_docx(tmp_path / "leshan.docx", preamble, blocks)
    from_text = build_task_table(tmp_path / "leshan.txt", plan_id="p")
    from_docx = build_task_table(tmp_path / "leshan.docx", plan_id="p")
    assert len(from_text) >= 20 and from_text["section"].nunique() == 2
    assert from_docx[COMPARED].equals(from_text[COMPARED])
    # Shared merged cells are recorded as inherited, as blank cells are in the text export.
    assert from_docx["units_inherited"].tolist() == from_text["units_inherited"].tolist()
    assert from_docx["units_inherited"].any()


def test_merged_cells_come_from_the_xml(tmp_path):
    path = tmp_path / "t.docx"
    blocks = [
        ["重点任务", "具体任务", "责任单位"],
        ["健全监管体系"],
        ["加强领导", "1.完善工作机制。", "市卫健委、市财政局"],
        ["", "2.落实责任。", ""],
        ["", "3.开展督查。", "市审计局"],
    ]
    table_docx(path, ["某市实施方案"], blocks)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "w:vMerge" in xml and "w:gridSpan" in xml
    doc = read_document(path)
    assert doc.shape == "docx" and doc.has_key_column
    second = doc.rows[1]
    assert second.cells["units"] == "市卫健委、市财政局"
    assert second.inherited == {"key", "units"}
    assert doc.rows[2].cells == {"key": "加强领导", "text": "3.开展督查。", "units": "市审计局"}
    assert doc.rows[2].inherited == {"key"}
    assert all(row.section == "健全监管体系" for row in doc.rows)
    # Lines are body blocks in order: the title paragraph is 1, the header row 2, the banner 3.
    assert [row.line_start for row in doc.rows] == [4, 5, 6]
    assert doc.lines[0] == "某市实施方案" and doc.lines[3].split("\t")[0] == "加强领导"


def test_docx_numbered_paragraphs_and_annex_table(tmp_path):
    document = docx.Document()
    for text in (
        "某市医疗卫生行业综合监管实施方案",
        "一、总体要求",
        "到2020年底，基本建成综合监管制度。",
        "二、重点任务",
        "（一）加强党的领导。坚持党的全面领导，建立卫生监督协调员制度。（责任单位：市卫健委、市财政局）",
        "（二）明确监管责任。建立督查机制。（责任单位：市卫健委）",
    ):
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=3)
    for c, text in enumerate(("具体任务", "责任单位", "完成时限")):
        table.cell(0, c).text = text
    for c, text in enumerate(("1.建立协调机制。", "市卫健委", "2019年9月")):
        table.cell(1, c).text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    tasks = build_task_table(path, plan_id="p").set_index("task_id")
    assert tasks.loc["2.1", "lead_unit"] == "市卫健委"
    assert tasks.loc["2.1", "units"] == ["市卫健委", "市财政局"]
    assert tasks.loc["A.1", "deadline"] == "2019年9月"
    assert tasks.loc["A.1", "line_start"] == 8  # 6 paragraphs, the header row, then this row


def test_multi_paragraph_unit_cell_is_a_list(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "具体任务", "责任单位"
    table.cell(1, 0).text = "1.开展专项检查。"
    cell = table.cell(1, 1)
    cell.text = "市卫健委"
    cell.add_paragraph("市公安局")
    document.save(tmp_path / "t.docx")
    row = build_task_table(tmp_path / "t.docx").iloc[0]
    assert row["units"] == ["市卫健委", "市公安局"]


def test_sniff_recognises_docx_by_bytes_not_name(tmp_path):
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    path = tmp_path / "plan.txt"  # the wrong extension does not matter
    document.save(path)
    assert sniff(path.read_bytes()) == "docx"
    assert read_document(path).shape == "docx"


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_docx_is_a_clear_input_error(tmp_path, cut):
    document = docx.Document()
    document.add_paragraph("一、总体要求。" * 50)
    document.save(tmp_path / "whole.docx")
    data = (tmp_path / "whole.docx").read_bytes()
    broken = tmp_path / "broken.docx"
    broken.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(InputError) as err:
        read_document(broken)
    assert "\n" not in str(err.value) and str(broken) in str(err.value)


def test_zip_with_damaged_document_xml(tmp_path):
    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(InputError, match="damaged"):
        read_document(path)


def test_legacy_doc_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    # With LibreOffice: it cannot convert junk; without it: the package to install.
    with pytest.raises(InputError, match=r"save it as \.docx|apt-get install libreoffice"):
        read_document(path)


def test_document_xml_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    import plancheck.ingest.formats.docx as reader

    document = docx.Document()
    document.add_paragraph("一、总体要求。" * 200)
    document.save(tmp_path / "big.docx")
    monkeypatch.setattr(reader, "MAX_BYTES", 2000)  # stands in for a zip bomb
    with pytest.raises(InputError, match="too large"):
        read_document(tmp_path / "big.docx")


def test_merged_value_is_shown_once_in_the_source_lines(tmp_path):
    blocks = [["具体任务", "责任单位"], ["1.开展检查。", "市卫健委"], ["2.落实整改。", ""]]
    table_docx(tmp_path / "t.docx", [], blocks)
    doc = read_document(tmp_path / "t.docx")
    assert doc.lines == ["具体任务\t责任单位", "1.开展检查。\t市卫健委", "2.落实整改。\t"]
    assert doc.rows[1].cells["units"] == "市卫健委" and doc.rows[1].inherited == {"units"}


def test_lines_after_a_table_are_the_paragraphs_they_number(tmp_path):
    """Line n is Document.lines[n - 1] after a table too (the end of a table is no line)."""
    document = docx.Document()
    document.add_paragraph("某市实施方案")
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text, grid.cell(1, 0).text = "联系人", "备注"
    document.add_paragraph("一、重点任务")
    document.add_paragraph("1．完善工作机制。")
    document.save(tmp_path / "t.docx")
    doc = read_document(tmp_path / "t.docx")
    assert len(doc.lines) == 5
    last = doc.paragraphs[-1]
    assert last.text == "1．完善工作机制。" and doc.lines[last.line_start - 1] == last.text
    assert last.line_start == 5
