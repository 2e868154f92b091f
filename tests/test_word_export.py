"""The tab-indented Word text export read as a grid by the one table interpreter.

The export writes each cell on its own line (a leading tab) and leaves a blank line between
rows; a merged cell is written in its first row only: below it a blank cell ("\\t"), or no
cell at all when it is the leading column. Built here in two content sets whose truth is
known by construction.
"""

from __future__ import annotations

import pytest

from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.accounting import account_lines
from plancheck.ingest.grid import interpret
from plancheck.ingest.shapes.word_table import export_grid

HEADER = ("重点任务", "具体任务", "牵头单位", "完成时限")
# (banner: a one-cell row spanning the table, or None, key task or None = merged, task, lead unit or None = merged, deadline)
CONTENT = {
    "business": [
        ("营商环境", "深化审批改革", "1.全面推行告知承诺制。", "区发改局", "2023年6月"),
        (None, None, "2.压减审批时限。", None, "2023年底前"),
        ("政务服务", "优化政务服务", "1.推进一网通办。", "区大数据局", "持续推进"),
        (None, None, "2.建设政务服务驿站。", "区政务服务中心", "2024年3月"),
    ],
    "health": [
        ("综合监管", "强化信用监管", "1.建立医疗机构信用记录。", "市卫生健康委", "2019年底"),
        (None, None, "2.实施守信激励和失信惩戒。", None, "持续开展"),
        (None, None, "3.公开失信名单。", "市发展改革委", "2020年6月底前"),
    ],
}


def _export(rows) -> tuple[str, list[tuple[int, int]]]:
    """The export text and, per task row, the source lines of its first and last cell."""
    lines = ["某地任务分工表", "", *(f"\t{name}" for name in HEADER)]
    spans = []
    for banner, key, text, lead, deadline in rows:
        if banner:
            lines += ["", f"\t{banner}"]
        lines.append("")
        cells = ([] if key is None else [key]) + [text, lead or "", deadline]
        first = len(lines) + 1
        lines += [f"\t{cell}" for cell in cells]
        spans.append((first, len(lines)))
    return "\n".join(lines) + "\n", spans


@pytest.mark.parametrize("content", sorted(CONTENT))
def test_export_is_a_grid_with_cells_on_their_lines(tmp_path, content):
    text, spans = _export(CONTENT[content])
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    numbered = list(enumerate(text.split("\n"), start=1))[2:]  # from the header row on
    grid = export_grid(numbered)
    header = [cell.text for cell in grid.rows[0]]
    assert header[: len(HEADER)] == list(HEADER)
    for row in grid.rows:
        for cell in row:
            if cell.text and cell.line is not None:
                assert numbered[cell.line - 3][1] == "\t" + cell.text  # the cell's own line
    # a leading merged cell left out: the row's cells still sit under their columns
    reading = interpret(grid)
    assert [r.cells["deadline"] for r in reading.rows] == [r[4] for r in CONTENT[content]]
    doc = read_document(path)
    assert doc.shape == "word_table"
    assert [(r.line_start, r.line_end) for r in doc.rows] == spans


@pytest.mark.parametrize("content", sorted(CONTENT))
def test_export_merged_cells_are_inherited_and_marked(tmp_path, content):
    rows = CONTENT[content]
    text, _ = _export(rows)
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    table = build_task_table(path)
    key = lead = section = None
    for (banner, own_key, _, own_lead, deadline), task in zip(
        rows, table.itertuples(), strict=True
    ):
        key, lead, section = own_key or key, own_lead or lead, banner or section
        assert (task.heading, task.lead_unit, task.deadline) == (key, lead, deadline)
        assert task.section == section
        assert task.units_inherited == (own_lead is None)


def test_export_lines_are_all_accounted(tmp_path):
    text, _ = _export(CONTENT["business"])
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    account = account_lines(read_document(path))
    assert account.dropped_lines == 0
    filled = sum(1 for row in CONTENT["business"] for cell in row[1:] if cell)
    assert account.counts()["task"] == filled  # every filled cell line is in its task row
    assert account.counts()["heading"] == len(HEADER) + 2  # the header and two banners
