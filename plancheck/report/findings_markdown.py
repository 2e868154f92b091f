"""Markdown report: a summary line and a GitHub-flavoured table of findings."""

from __future__ import annotations

from typing import Any

from plancheck.report.escape import markdown_cell
from plancheck.report.findings_text import HEADERS, summary_line, table_rows
from plancheck.validate.findings import Finding

TITLE = {"zh": "## plancheck 校验结果", "en": "## plancheck validation findings"}


def _cell(text: str) -> str:
    flat = " ".join(str(text).split())
    return markdown_cell(flat) if flat else ""


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    lines = [TITLE[lang], "", summary_line(summary, lang), ""]
    if findings:
        lines.append("| " + " | ".join(HEADERS[lang]) + " |")
        lines.append("|" + "---|" * len(HEADERS[lang]))
        for row in table_rows(findings, lang):
            cells = [_cell(cell) for cell in row]
            cells[1] = f"`{row[1]}`"  # a rule code (PC101): ours, not input
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
