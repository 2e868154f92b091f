"""A plan's task table as an Excel/WPS workbook: one row per task, units joined with 、,
contact details masked (a spreadsheet is handed on like a report)."""

from __future__ import annotations

import pandas as pd

from plancheck.normalise.contacts import redact
from plancheck.report.xlsx import Sheet, cell_text, workbook_bytes
from plancheck.table.schemas import TASK_COLUMNS

LABELS = {
    "plan_id": "方案 plan_id",
    "task_id": "任务编号 task_id",
    "seq": "序号 seq",
    "kind": "类型 kind",
    "section": "部分 section",
    "heading": "标题 heading",
    "text": "任务内容 text",
    "units": "责任单位 units",
    "units_raw": "单位原文 units_raw",
    "lead_unit": "牵头单位 lead_unit",
    "lead_by_order": "按排序定牵头 lead_by_order",
    "units_inherited": "单位沿用上行 units_inherited",
    "deadline": "完成时限 deadline",
    "deadline_parsed": "时限（规范）deadline_parsed",
    "source_file": "来源文件 source_file",
    "line_start": "起始行 line_start",
    "line_end": "结束行 line_end",
    "ocr_confidence": "OCR 置信度 ocr_confidence",
}


def _cell(value: object) -> object:
    value = cell_text(value)
    return redact(value) if isinstance(value, str) else value


def render_tasks_xlsx(tasks: pd.DataFrame) -> bytes:
    columns = [c for c in TASK_COLUMNS if c in tasks.columns]
    rows = [[_cell(v) for v in row] for row in tasks[columns].itertuples(index=False)]
    plan = str(tasks["plan_id"].iloc[0]) if len(tasks) else ""
    sheet = Sheet("任务 tasks", [LABELS.get(c, c) for c in columns], rows)
    return workbook_bytes([sheet], title=f"任务表 {plan}".strip())
