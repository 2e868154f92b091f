"""Text report: a tabulate table that lines up Chinese characters, then a summary line."""

from __future__ import annotations

from typing import Any

from plancheck.validate.findings import Finding

HEADERS = {
    "zh": ["位置", "代码", "级别", "方案", "任务", "说明", "修复"],
    "en": ["location", "code", "severity", "plan", "task", "message", "fix"],
}
SEVERITY = {
    "zh": {"error": "错误", "warning": "警告"},
    "en": {"error": "error", "warning": "warning"},
}


def location(finding: Finding) -> str:
    return (
        f"{finding.source_file}:{finding.line}" if finding.line is not None else finding.source_file
    )


def table_rows(findings: list[Finding], lang: str) -> list[list[str]]:
    return [
        [
            location(f),
            f.code,
            SEVERITY[lang][f.severity.value],
            f.plan_id,
            f.task_id or "",
            f.message,
            f.fix or "",
        ]
        for f in findings
    ]


def summary_line(summary: dict[str, Any], lang: str) -> str:
    """One sentence: plans and tasks checked, errors and warnings, fixable, baseline, fixes."""
    plans, tasks = len(summary["plans"]), summary["tasks"]
    errors, warnings = summary["errors"], summary["warnings"]
    fixable, baselined = summary.get("fixable", 0), summary.get("baselined", 0)
    stale, fixed = summary.get("stale", 0), summary.get("fixed", 0)
    if lang == "zh":
        parts = [f"共检查 {plans} 个方案、{tasks} 项任务：{errors} 个错误，{warnings} 个警告"]
        parts += [f"其中 {fixable} 个可用 --fix 修复"] if fixable else []
        parts += [f"基线中已知 {baselined} 个"] if baselined else []
        parts += [f"基线中 {stale} 条已不再出现，请重写基线"] if stale else []
        parts += [f"已修复 {fixed} 个"] if fixed else []
        return "；".join(parts) + "。"
    parts = [f"checked {plans} plan(s), {tasks} task(s): {errors} error(s), {warnings} warning(s)"]
    parts += [f"{fixable} fixable with --fix"] if fixable else []
    parts += [f"{baselined} known from the baseline"] if baselined else []
    parts += [f"{stale} baseline entries no longer match (rewrite the baseline)"] if stale else []
    parts += [f"{fixed} fixed"] if fixed else []
    return "; ".join(parts) + "."


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    import tabulate

    tabulate.WIDE_CHARS_MODE = True  # wcwidth: a Chinese character takes two columns
    if not findings:
        return (
            ("未发现问题。" if lang == "zh" else "No findings.")
            + "\n"
            + summary_line(summary, lang)
            + "\n"
        )
    # disable_numparse: task ids such as 3.10 are text, not the number 3.1.
    table = tabulate.tabulate(
        table_rows(findings, lang), headers=HEADERS[lang], tablefmt="simple", disable_numparse=True
    )
    return table + "\n\n" + summary_line(summary, lang) + "\n"
