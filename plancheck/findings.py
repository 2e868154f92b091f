"""Findings: what a check reports about a plan. Plain data, no pandas or pandera types.

A finding carries everything a report needs (code, severity, plan, task, where, message,
fix) so renderers stay pure functions of a list of findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is; ``--fail-on`` compares against ``rank``."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return 2 if self is Severity.ERROR else 1


FAIL_ON_RANK = {"error": 2, "warning": 1, "never": 99}


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points: a source file and 1-based line (None when unknown)."""

    source_file: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found in one plan. ``message`` is already rendered in the chosen language."""

    code: str
    name: str
    severity: Severity
    plan_id: str
    task_id: str | None
    location: Location
    message: str
    fix: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def line(self) -> int | None:
        return self.location.line

    @property
    def source_file(self) -> str:
        return self.location.source_file

    def sort_key(self) -> tuple:
        """Stable report order: plan, file, line, code, task, message."""
        line = self.location.line if self.location.line is not None else 0
        return (self.plan_id, self.source_file, line, self.code, self.task_id or "", self.message)

    def baseline_key(self) -> tuple[str, str, str]:
        """Identity that survives edits that move lines: plan, task and rule code."""
        return (self.plan_id, self.task_id or "", self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "plan_id": self.plan_id,
            "task_id": self.task_id,
            "source_file": self.source_file,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in their deterministic report order."""
    return sorted(findings, key=Finding.sort_key)


def fails(findings: list[Finding], fail_on: str) -> bool:
    """True when any finding is at or above the ``--fail-on`` threshold."""
    threshold = FAIL_ON_RANK[fail_on]
    return any(f.severity.rank >= threshold for f in findings)


def summarise(
    findings: list[Finding], *, plans: list[str], tasks: int, **counts: int
) -> dict[str, Any]:
    """The report summary: plans checked, task count, findings by severity and by code."""
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    return {
        "plans": sorted(plans),
        "tasks": tasks,
        "findings": len(findings),
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "by_code": dict(sorted(by_code.items())),
        **counts,
    }
