"""The self-contained HTML report of one plan diff: a pure function of the PlanDiff.

One file, no network: CSS, the filter script and the coverage chart (SVG) are inline. The
page carries the same findings as the Markdown report (``diff_findings``), the status of every
reference clause, each changed or omitted clause side by side with a coloured redline, and a
print stylesheet (A4, wrapping tables, short hashes with the full one in a tooltip).
Templates are Jinja2 files shipped in ``plancheck/report/templates``; autoescape is on, so
text from documents is always escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

import jinja2

from plancheck import __version__
from plancheck.align.model import ClauseDiff, PlanDiff
from plancheck.report.diff_findings import (
    FINDING_KINDS,
    DiffFinding,
    clause_anchor,
    clause_findings,
    diff_findings,
    finding_counts,
    line_span,
    row_counts,
)
from plancheck.report.diff_markdown import STATUS_LABELS, abbrev
from plancheck.report.redline import redline_segments
from plancheck.report.sides import sides_for
from plancheck.report.svg import status_bar

FILTERS = (
    ("omitted", "缺失与遗漏 omitted", True),
    ("weakened", "弱化 weakened", True),
    ("changed", "其他变化 changed", True),
    ("info", "仅供参考 info", True),
    ("check", "请核对 please check", True),
    ("reworded", "表述变化 reworded", False),
)
HEADLINE = ("omitted_clause", "omitted_requirement", "weakened")
HEADLINE_LABELS = {
    "omitted_clause": "缺失条款 omitted",
    "omitted_requirement": "遗漏要求 left out",
    "weakened": "弱化 weakened",
}
_GROUP_RANK = ("omitted", "weakened", "changed")


def template_environment() -> jinja2.Environment:
    """A fresh environment over the packaged templates (autoescape on for every template)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("plancheck.report", "templates"),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _row_group(findings: Sequence[DiffFinding]) -> str:
    groups = {f.group for f in findings}
    return next((g for g in _GROUP_RANK if g in groups), "")


def _status_rows(clauses: Sequence[ClauseDiff]) -> list[dict]:
    rows = []
    for clause in clauses:
        if not clause.reference:
            continue
        found = clause_findings(clause)
        left_out, weakened, other = row_counts(found)
        linked = clause.status in ("changed", "omitted")
        for k, ref in enumerate(clause.reference):
            rows.append(
                {
                    "id": ref.task_id,
                    "summary": abbrev(ref.text),
                    "status": clause.status,
                    "status_label": STATUS_LABELS[clause.status],
                    "anchor": clause_anchor(clause) if linked else "",
                    "targets": "、".join(c.task_id for c in clause.target) or "—",
                    "similarity": "—" if clause.similarity is None else f"{clause.similarity:.2f}",
                    "left_out": left_out if k == 0 else "↑",
                    "weakened": weakened if k == 0 else "↑",
                    "other": other if k == 0 else "↑",
                    "ref_lines": line_span([ref]),
                    "tgt_lines": line_span(clause.target),
                    "group": _row_group(found),
                }
            )
    return rows


def _clause_view(clause: ClauseDiff) -> dict:
    ref_text = "\n".join(c.text for c in clause.reference)
    tgt_text = "\n".join(c.text for c in clause.target)
    return {
        "anchor": clause_anchor(clause),
        "status": clause.status,
        "status_label": STATUS_LABELS[clause.status],
        "reference_ids": "、".join(c.task_id for c in clause.reference) or "—",
        "target_ids": "、".join(c.task_id for c in clause.target) or "—",
        "reference_lines": line_span(clause.reference),
        "target_lines": line_span(clause.target),
        "reference": clause.reference,
        "target": clause.target,
        "redline": redline_segments(ref_text, tgt_text) if clause.target else [],
        "findings": clause_findings(clause),
    }


def diff_context(diff: PlanDiff, relation: str = "parent", version: str = __version__) -> dict:
    """Everything the template shows, as plain values."""
    findings = diff_findings(diff)
    counts = finding_counts(findings)
    group_counts = {group: 0 for group, _, _ in FILTERS}
    for f in findings:
        group_counts[f.group] += 1
    s = diff.summary
    return {
        "version": version,
        "rules_version": diff.rules_version,
        "reference": diff.reference,
        "target": diff.target,
        "sides": sides_for(relation),
        "summary": s,
        "chart": status_bar(s.kept, s.changed, s.omitted, s.reference_clauses),
        "findings": findings,
        "main_count": sum(f.group != "reworded" for f in findings),
        "counts": counts,
        "headline": [(kind, HEADLINE_LABELS[kind]) for kind in HEADLINE],
        "filters": FILTERS,
        "group_counts": group_counts,
        "kinds": FINDING_KINDS,
        "status_rows": _status_rows(diff.clauses),
        "clauses": [_clause_view(c) for c in diff.clauses if c.status in ("changed", "omitted")],
        "added": [
            {"task_id": r.task_id, "text": r.text, "lines": line_span([r])}
            for c in diff.clauses
            if c.status == "added"
            for r in c.target
        ],
    }


def render_diff_html(
    diff: PlanDiff, *, relation: str = "parent", version: str = __version__
) -> str:
    """The report as one self-contained HTML page (a str ending in a newline)."""
    template = template_environment().get_template("diff.html.j2")
    return template.render(diff_context(diff, relation, version))
