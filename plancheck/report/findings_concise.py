"""Concise report, one finding per line as ruff and compilers print them:

    datasets/raw/plan.txt:12: PC103 部门名称“市卫健委”不是规范名称 [*]

``[*]`` marks a finding that ``--fix`` can fix. Long messages are cut to fit 80 columns
(a Chinese character takes two); a summary line closes the report. On a terminal the codes
are coloured (``colour=True``; the command turns it off for files and when NO_COLOR is set).
"""

from __future__ import annotations

from typing import Any

from plancheck.report.findings_text import location, summary_line
from plancheck.validate.findings import Finding

WIDTH = 80
COLOURS = {"error": "\033[31m", "warning": "\033[33m"}
RESET, BOLD = "\033[0m", "\033[1m"


def _width(text: str) -> int:
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def _cut(text: str, room: int) -> str:
    """``text`` cut to ``room`` display columns, ending in … when cut."""
    if _width(text) <= room:
        return text
    out, used = [], 1
    for char in text:
        used += _width(char)
        if used > room:
            break
        out.append(char)
    return "".join(out) + "…"


def line(finding: Finding, colour: bool = False) -> str:
    head = f"{location(finding)}: "
    mark = " [*]" if finding.fixable else ""
    message = " ".join(finding.message.split())
    room = max(WIDTH - _width(head) - len(finding.code) - 1 - len(mark), 16)
    body = _cut(message, room)
    code = finding.code
    if colour:
        head = f"{BOLD}{head}{RESET}"
        code = f"{COLOURS.get(finding.severity.value, '')}{code}{RESET}"
    return f"{head}{code} {body}{mark}"


def render(
    findings: list[Finding], summary: dict[str, Any], lang: str = "zh", colour: bool = False
) -> str:
    lines = [line(f, colour) for f in findings]
    return "".join(f"{text}\n" for text in [*lines, summary_line(summary, lang)])
