"""Findings: what a check reports about a plan. Plain data, no pandas or pandera types
(pandas and numpy only help to build many findings at once from a validation's columns;
they are imported there, so that listing the rules stays fast).

A finding carries everything a report needs (code, severity, plan, task, where, message,
fix) so renderers stay pure functions of a list of findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
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


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """Where a finding points: a source file and 1-based line (None when unknown)."""

    source_file: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
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
    fingerprint: str = ""  # content key (plan, rule, task text, subject): see validate.engine
    fixable: bool = False  # `plancheck validate --fix` fixes it
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
        """Identity that survives edits that move lines or renumber tasks: plan, rule code and
        the content fingerprint (the task id only when no fingerprint was computed)."""
        return (self.plan_id, self.code, self.fingerprint or f"task:{self.task_id or ''}")

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


def findings_from_columns(
    codes: Sequence[Any],
    names: Sequence[Any],
    severities: Sequence[Any],
    plan_ids: Sequence[Any],
    task_ids: Sequence[Any],
    source_files: Sequence[Any],
    lines: Sequence[Any],
    messages: Sequence[Any],
    fixes: Sequence[Any],
    fingerprints: Sequence[Any] | None = None,
    fixables: Sequence[Any] | None = None,
) -> list[Finding]:
    """Findings from parallel columns (a validation's columnar result).

    Missing task ids and fixes (None or NaN) become None; findings at the same place share one
    (immutable) Location.
    """
    import numpy as np

    by_value = {s.value: s for s in Severity} | {s: s for s in Severity}
    severity = [by_value[s] for s in severities]
    tasks = _none_for_missing(task_ids)
    fix = _none_for_missing(fixes)
    prints = [""] * len(codes) if fingerprints is None else fingerprints
    can_fix = [False] * len(codes) if fixables is None else fixables
    locations = _locations(np.asarray(source_files, dtype=object), np.asarray(lines))
    return [
        Finding(code, name, sev, plan, task, loc, msg, fix_, key, bool(fixable))
        for code, name, sev, plan, task, loc, msg, fix_, key, fixable in zip(
            codes,
            names,
            severity,
            plan_ids,
            tasks,
            locations,
            messages,
            fix,
            prints,
            can_fix,
            strict=True,
        )
    ]


def _locations(sources: Any, lines: Any) -> Any:
    """One shared Location per distinct (source file, line), for each finding."""
    import numpy as np
    import pandas as pd

    if not len(sources):
        return np.zeros(0, dtype=object)
    source_codes, source_values = pd.factorize(sources, use_na_sentinel=False)
    line_codes, line_values = pd.factorize(lines, use_na_sentinel=False)
    place_codes, _ = pd.factorize(source_codes.astype("int64") * len(line_values) + line_codes)
    firsts = np.empty(int(place_codes.max()) + 1, dtype="intp")
    firsts[place_codes[::-1]] = np.arange(len(place_codes) - 1, -1, -1)
    places = [
        Location(str(source_values[source_codes[i]]), int(line_values[line_codes[i]]))
        for i in firsts
    ]
    return np.fromiter(places, dtype=object, count=len(places))[place_codes]


def _none_for_missing(values: Sequence[Any]) -> Any:
    import numpy as np
    import pandas as pd

    array = np.asarray(values, dtype=object)
    missing = pd.isna(array)
    return np.where(missing, np.array(None, dtype=object), array) if missing.any() else array


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in their deterministic report order."""
    return sorted(findings, key=Finding.sort_key)


def fails(findings: list[Finding], fail_on: str) -> bool:
    """True when any finding is at or above the ``--fail-on`` threshold."""
    threshold = FAIL_ON_RANK[fail_on]
    severities = getattr(findings, "severities", None)  # a FindingStream keeps counts
    if severities is not None:
        return any(Severity(s).rank >= threshold for s, n in severities.items() if n)
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
        "fixable": sum(f.fixable for f in findings),
        "by_code": dict(sorted(by_code.items())),
        **counts,
    }


def redact_findings(findings: list[Finding], redact: Callable[[str], str]) -> list[Finding]:
    """Findings with ``redact`` applied to their texts (message, fix, task id, file).

    Findings share their texts (a message is rendered once per distinct set of fields), so
    each distinct text is redacted once and a finding is rebuilt only when a text changed.
    """
    done: dict[str, str] = {}

    def clean(text: str | None) -> str | None:
        if text is None:
            return None
        if text not in done:
            done[text] = redact(text)
        return done[text]

    out = []
    for f in findings:
        message, fix, task = clean(f.message) or "", clean(f.fix), clean(f.task_id)
        source = clean(f.source_file)
        if (message, fix, task, source) == (f.message, f.fix, f.task_id, f.source_file):
            out.append(f)
        else:
            where = Location(source or "", f.location.line)
            out.append(replace(f, message=message, fix=fix, task_id=task, location=where))
    return out
