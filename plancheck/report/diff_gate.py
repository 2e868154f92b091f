"""Diff as a CI gate: does a diff fail ``--fail-on`` or ``--min-coverage``?

The levels form a ladder, like ``validate --fail-on error|warning``: ``omitted`` fails on an
omitted clause or a requirement left out; ``weakened`` also on a weakened requirement;
``changed`` also on any other change a reviewer acts on (targets, dates, lead and other units,
strengthenings) - rewordings never fail a gate; ``never`` never fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from plancheck.report.index import IndexDiff

FAIL_ON = ("omitted", "weakened", "changed", "never")


def gate_failures(
    diff: IndexDiff, fail_on: str = "never", min_coverage: float | None = None
) -> list[str]:
    """Why ``diff`` fails the gate, one Chinese/English sentence each ([] when it passes)."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}")
    name = f"{diff.target} vs {diff.reference}"
    reasons = []
    if min_coverage is not None and diff.coverage * 100 < min_coverage - 1e-9:
        reasons.append(
            f"{name}: 覆盖率 coverage {diff.coverage:.1%} 低于 below --min-coverage {min_coverage:g}%"
        )
    level = FAIL_ON.index(fail_on)
    checks = [
        (
            0,
            diff.omitted_clauses + diff.left_out,
            "缺失条款或遗漏要求 omitted clauses or requirements",
        ),
        (1, diff.weakened, "弱化的要求 weakened requirements"),
        (2, diff.changed, "其他变化 other changes"),
    ]
    for rank, count, label in checks:
        if level <= 2 and rank <= level and count:
            reasons.append(f"{name}: {count} 项{label} (--fail-on {fail_on})")
    return reasons


def gate_all(
    diffs: Sequence[IndexDiff], fail_on: str = "never", min_coverage: float | None = None
) -> list[str]:
    return [reason for diff in diffs for reason in gate_failures(diff, fail_on, min_coverage)]
