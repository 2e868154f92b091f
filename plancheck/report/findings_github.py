"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding.

GitHub shows only the first 10 annotations of each kind per step, so errors come first
and, within a severity, the report order (plan, file, line). A ``::notice`` with the summary
line closes the output; ``step_summary`` is the Markdown the command appends to the file
named by ``GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

from typing import Any

from plancheck.report import findings_markdown
from plancheck.report.findings_text import summary_line
from plancheck.validate.findings import Finding


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    props = [f"file={_prop(finding.source_file)}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
    props.append(f"title={_prop(f'{finding.code} {finding.name}')}")
    fix = f" (fix: {finding.fix})" if finding.fix else ""
    task = f"[{finding.plan_id} {finding.task_id}] " if finding.task_id else f"[{finding.plan_id}] "
    return f"::{finding.severity.value} {','.join(props)}::{_data(task + finding.message + fix)}"


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    ordered = sorted(findings, key=lambda f: -f.severity.rank)  # stable: report order kept
    lines = [annotation(f) for f in ordered]
    lines.append(f"::notice title=plancheck::{_data(summary_line(summary, lang))}")
    return "".join(f"{text}\n" for text in lines)


def step_summary(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    """The job summary: the Markdown report, errors first."""
    ordered = sorted(findings, key=lambda f: -f.severity.rank)
    return findings_markdown.render(ordered, summary, lang)
