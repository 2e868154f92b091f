"""Validation findings as an Excel/WPS workbook: one row per finding, and the summary."""

from __future__ import annotations

from typing import Any

from plancheck.report.xlsx import Sheet, workbook_bytes
from plancheck.validate.findings import Finding

COLUMNS = (
    ("code", "规则 code"),
    ("name", "名称 name"),
    ("severity", "级别 severity"),
    ("plan_id", "方案 plan"),
    ("task_id", "任务 task"),
    ("source_file", "来源文件 source"),
    ("line", "行号 line"),
    ("message", "问题 message"),
    ("fix", "修改建议 fix"),
)


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> bytes:
    rows = [[f.to_dict()[key] for key, _ in COLUMNS] for f in findings]
    sheets = [
        Sheet("问题 findings", [label for _, label in COLUMNS], rows),
        Sheet("汇总 summary", ["项目 key", "数量 value"], [[k, v] for k, v in summary.items()]),
    ]
    return workbook_bytes(sheets, title="plancheck validate")
