"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding."""

from __future__ import annotations

from typing import Any

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
    return "".join(annotation(f) + "\n" for f in findings)
