"""One task-division table written in every format offices circulate, read the same way.

Each fixture is built here (openpyxl, xlwt, python-docx, HTML, TSV, Markdown, the Word text
export) from one list of rows whose truth is known; the key task cell is merged down (or
left blank below its first row, as exports do), and so is a unit cell.
"""

from __future__ import annotations

import docx
import openpyxl
import pytest
import xlwt

from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.accounting import account_lines

# (序号, 重点任务, 具体任务, 牵头单位, 配合单位, 完成时限); None = merged with the cell above.
CONTENT = {
    "business": [
        (
            "1",
            "深化审批改革",
            "全面推行告知承诺制。",
            "区发改局",
            "区财政局、区市场监管局",
            "2023年6月",
        ),
        ("2", None, "压减审批时限。", "区政务服务中心", "区司法局", "2023年底前"),
        ("3", "优化政务服务", "推进一网通办。", "区大数据局", "区发改局", "持续推进"),
        ("4", None, "建设政务服务驿站。", None, "各街道办事处", "2024年3月"),
    ],
    "health": [
        ("1", "强化信用监管", "建立医疗机构信用记录。", "市卫生健康委", "市发展改革委", "2019年底"),
        ("2", None, "实施守信激励和失信惩戒。", None, "市市场监管局、市医保局", "持续开展"),
        ("3", "加强执法监督", "开展专项整治行动。", "市卫生健康委", "市公安局", "2020年6月底前"),
    ],
}
HEADER = ("序号", "重点任务", "具体任务", "牵头单位", "配合单位", "完成时限")
TITLE = "某地重点任务分工表"


def _filled(rows):
    """The rows with merged cells filled in: what the reader must produce."""
    out, above = [], None
    for row in rows:
        row = tuple(value if value is not None else above[i] for i, value in enumerate(row))
        out.append(row)
        above = row
    return out


def _expect(table, rows):
    assert list(table.index) == [row[0] for row in rows]
    for seq, key, text, lead, partners, deadline in _filled(rows):
        task = table.loc[seq]
        assert (task["heading"], task["text"], task["lead_unit"]) == (key, text, lead)
        assert task["units"] == [lead, *partners.split("、")]
        assert task["deadline"] == deadline
    merged_lead = [row[0] for row in rows if row[3] is None]
    assert table.loc[merged_lead, "units_inherited"].all()


def _xlsx(path, rows):
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "说明"
    cover.append(["本表由区政府办公室汇总。"])
    sheet = book.create_sheet("任务分工")
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(list(HEADER))
    for r, row in enumerate(rows, start=3):
        sheet.append([int(row[0]), *[value or "" for value in row[1:]]])
        for c, value in enumerate(row, start=1):
            if value is None:
                top = r - 1
                while sheet.cell(top, c).coordinate in sheet.merged_cells:
                    top -= 1
                sheet.merge_cells(start_row=top, start_column=c, end_row=r, end_column=c)
    book.save(path)


def _merged_runs(rows, column):
    """(first, last) row index of every run of a value and the Nones merged into it."""
    runs, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][column] is not None:
            if i - 1 > start:
                runs.append((start, i - 1))
            start = i
    return runs


def _xls(path, rows):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务分工")
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, TITLE)
    for c, name in enumerate(HEADER):
        sheet.write(1, c, name)
    merged = {(column, a) for column in range(6) for a, _ in _merged_runs(rows, column)}
    for column in range(6):
        for a, b in _merged_runs(rows, column):
            sheet.write_merge(a + 2, b + 2, column, column, rows[a][column])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            inside = any(a < r <= b for a, b in _merged_runs(rows, c))
            if value is not None and (c, r) not in merged and not inside:
                sheet.write(r + 2, c, int(value) if c == 0 else value)
    book.save(str(path))


def _docx(path, rows):
    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for c, name in enumerate(HEADER):
        table.cell(0, c).text = name
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = value
    for column in range(6):
        for a, b in _merged_runs(rows, column):
            table.cell(a + 1, column).merge(table.cell(b + 1, column))
    document.save(path)


def _html(path, rows):
    body = ["<tr>" + "".join(f"<th>{name}</th>" for name in HEADER) + "</tr>"]
    spans = {(a, c): b - a + 1 for c in range(6) for a, b in _merged_runs(rows, c)}
    for r, row in enumerate(rows):
        cells = [
            f'<td rowspan="{spans.get((r, c), 1)}">{value}</td>'
            for c, value in enumerate(row)
            if value is not None
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    page = f"<html><head><meta charset='utf-8'></head><body><h1>{TITLE}</h1><table>{''.join(body)}</table></body></html>"
    path.write_text(page, encoding="utf-8")


def _tsv(path, rows):
    lines = [TITLE, "", "\t".join(HEADER)] + ["\t".join(v or "" for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _markdown(path, rows):
    lines = [f"# {TITLE}", "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(v or "" for v in row) + " |" for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _word_export(path, rows):
    blocks = ["\n".join(f"\t{name}" for name in HEADER)]
    blocks += ["\n".join(f"\t{v or ''}" for v in row) for row in rows]
    path.write_text(TITLE + "\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")


WRITERS = {
    "xlsx": (_xlsx, "t.xlsx"),
    "xls": (_xls, "t.xls"),
    "docx": (_docx, "t.docx"),
    "html": (_html, "t.html"),
    "tsv": (_tsv, "t.txt"),
    "markdown": (_markdown, "t.md"),
    "word-export": (_word_export, "t.txt"),
}


@pytest.mark.parametrize("content", sorted(CONTENT))
@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_format_gives_the_same_tasks(tmp_path, fmt, content):
    write, name = WRITERS[fmt]
    path = tmp_path / name
    write(path, CONTENT[content])
    _expect(build_task_table(path).set_index("task_id"), CONTENT[content])


@pytest.mark.parametrize("fmt", ["xlsx", "tsv", "markdown"])
def test_every_table_line_is_accounted(tmp_path, fmt):
    write, name = WRITERS[fmt]
    path = tmp_path / name
    write(path, CONTENT["business"])
    doc = read_document(path)
    account = account_lines(doc)
    assert sorted(account.roles) == [n for n, line in enumerate(doc.lines, 1) if line.strip()]
    assert account.counts()["task"] == len(CONTENT["business"])


def test_spreadsheet_rows_know_their_sheet_and_row(tmp_path):
    path = tmp_path / "t.xlsx"
    _xlsx(path, CONTENT["health"])
    doc = read_document(path)
    assert [doc.locations[row.line_start] for row in doc.rows] == [
        "任务分工!3",
        "任务分工!4",
        "任务分工!5",
    ]
    assert doc.rows[0].section == "任务分工"


def test_table_among_prose_with_header_synonyms(tmp_path):
    text = (
        "某县工作方案\n一、工作目标\n到2024年底，全面完成改革任务。\n二、任务分工\n"
        "编号\t主要任务\t责任部门\t时间节点\n"
        "1\t建立工作专班。\t县政府办（牵头）、县发改局\t2024年3月\n"
        "2\t制定配套政策。\t县司法局\t2024年6月\n"
        "三、保障措施\n（一）加强组织领导。各部门要落实责任。\n"
    )
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    table = build_task_table(path).set_index("task_id")
    assert list(table.index) == ["1", "3.1", "A.1", "A.2"]
    assert table.loc["A.1", "units"] == ["县政府办", "县发改局"]
    assert table.loc["A.2", "deadline_parsed"] == "2024-06"


def test_workbook_without_a_task_table_is_refused_with_what_was_seen(tmp_path):
    from plancheck.errors import InputError

    book = openpyxl.Workbook()
    for row in (["姓名", "电话"], ["张三", "123"], ["李四", "456"]):
        book.active.append(row)
    path = tmp_path / "contacts.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="3 rows, none numbered; 1 table without a header"):
        build_task_table(path)
