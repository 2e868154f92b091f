"""The diff as an Excel/WPS workbook: findings, clauses, unit changes (same findings as the
Markdown, HTML and JSON reports, from ``diff_findings``)."""

from __future__ import annotations

from plancheck.align.model import PlanDiff
from plancheck.report.diff_findings import FINDING_LABELS, diff_findings, line_span
from plancheck.report.diff_markdown import STATUS_LABELS
from plancheck.report.sides import sides_for
from plancheck.report.xlsx import Sheet, workbook_bytes


def _findings_sheet(diff: PlanDiff, ref: str, tgt: str) -> Sheet:
    headers = [
        "类型 kind", "说明 label", f"{ref}条款", f"{ref}行号", f"{tgt}条款", f"{tgt}行号",
        "变化 detail", f"{ref}原文 reference text", f"{tgt}原文 target text", "规则 rule",
        "依据 evidence", "请核对 please check",
    ]  # fmt: skip
    rows = [
        [
            f.kind,
            FINDING_LABELS.get(f.kind, f.kind),
            f.reference_ids,
            f.reference_lines,
            f.target_ids,
            f.target_lines,
            f.detail,
            f.reference_text,
            f.target_text,
            f.rule,
            f.evidence,
            "" if f.confident else f.closest or "请核对",
        ]  # fmt: skip
        for f in diff_findings(diff)
    ]
    return Sheet("问题 findings", headers, rows)


def _clauses_sheet(diff: PlanDiff, ref: str, tgt: str) -> Sheet:
    headers = [
        "状态 status", f"{ref}条款", f"{ref}行号", f"{tgt}条款", f"{tgt}行号", "相似度 similarity",
        f"{ref}原文", f"{tgt}原文",
    ]  # fmt: skip
    rows = [
        [
            STATUS_LABELS[c.status],
            [r.task_id for r in c.reference],
            line_span(c.reference),
            [t.task_id for t in c.target],
            line_span(c.target),
            "" if c.similarity is None else round(c.similarity, 3),
            "\n".join(r.text for r in c.reference),
            "\n".join(t.text for t in c.target),
        ]
        for c in diff.clauses
    ]
    return Sheet("条款 clauses", headers, rows)


def _units_sheet(diff: PlanDiff, ref: str, tgt: str) -> Sheet:
    headers = [
        f"{ref}条款", f"{tgt}条款", "减少 dropped", "增加 added", f"{ref}牵头 lead",
        f"{tgt}牵头 lead", "牵头变化 lead changed",
    ]  # fmt: skip
    rows = [
        [
            [r.task_id for r in c.reference],
            [t.task_id for t in c.target],
            c.units.dropped,
            c.units.added,
            c.units.reference_lead or "",
            c.units.target_lead or "",
            c.units.lead_changed,
        ]  # fmt: skip
        for c in diff.clauses
        if c.units.any
    ]
    return Sheet("责任单位 units", headers, rows)


def render_diff_xlsx(diff: PlanDiff, *, relation: str = "parent") -> bytes:
    sides = sides_for(relation)
    ref, tgt = sides.reference, sides.target
    sheets = [_findings_sheet(diff, ref, tgt), _clauses_sheet(diff, ref, tgt)]
    sheets.append(_units_sheet(diff, ref, tgt))
    return workbook_bytes(sheets, title=f"方案比对 {diff.target.id} vs {diff.reference.id}")
