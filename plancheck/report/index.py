"""The report index as a dashboard: one row per plan, one row per diff, and why a plan has none.

Pure functions of plain records, so the batch (or a plan tree built from scanned metadata) can
pass in whatever it knows: ``IndexPlan`` for every plan, ``IndexDiff`` for every diff written.
A plan that is the target of no diff gets a line saying why: its parent has no bundled source
(with the parent's document number), or it has no parent at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from plancheck.align.model import PlanDiff
from plancheck.report.diff_findings import check_count, diff_findings, finding_counts
from plancheck.report.diff_markdown import escape_cell, escape_inline
from plancheck.report.tree_markdown import render_tree_markdown

LEVEL_LABELS = {
    "national": "国家 national",
    "province": "省级 province",
    "city": "市级 city",
    "county": "县级 county",
}


@dataclass(frozen=True)
class IndexPlan:
    id: str
    title: str
    level: str
    doc_number: str = ""
    parent: str = ""  # parent plan id, "" when none
    parent_title: str = ""
    parent_doc_number: str = ""
    parent_has_source: bool = False
    peers: tuple[str, ...] = ()
    has_source: bool = True
    suggested: tuple[tuple[str, float, str], ...] = ()  # (id, score, parent|peer), never adopted


@dataclass(frozen=True)
class IndexDiff:
    reference: str
    target: str
    relation: str  # parent | peer
    filename: str  # the Markdown report; the HTML one has the same stem
    coverage: float
    omitted_clauses: int
    left_out: int
    weakened: int
    changed: int  # other changes a reviewer acts on (targets, dates, leads, units)
    requirement_coverage: float | None = None  # share of reference requirements carried
    unsure: int = 0  # findings in the "please check" list: never counted, never a gate


def index_diff(diff: PlanDiff, relation: str, filename: str) -> IndexDiff:
    """The index row of one diff: coverage and the counts of its findings."""
    findings = diff_findings(diff)
    counts = finding_counts(findings)
    # higher-level-only requirements are informational: never counted as a change
    main = (
        "omitted_clause",
        "omitted_requirement",
        "weakened",
        "reworded",
        "higher_level_requirement",
    )
    return IndexDiff(
        reference=diff.reference.id,
        target=diff.target.id,
        relation=relation,
        filename=filename,
        coverage=diff.summary.coverage,
        requirement_coverage=diff.summary.requirement_coverage,
        omitted_clauses=counts["omitted_clause"],
        left_out=counts["omitted_requirement"],
        weakened=counts["weakened"],
        changed=sum(n for kind, n in counts.items() if kind not in main),
        unsure=check_count(findings),
    )


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


def no_diff_reason(plan: IndexPlan, diffs: Sequence[IndexDiff]) -> str:
    """Why ``plan`` is compared with no parent ("" when it is)."""
    if any(d.target == plan.id and d.relation == "parent" for d in diffs):
        return ""
    if not plan.has_source:
        return "本方案没有收录原文 no bundled source for this plan"
    if not plan.parent:
        return "没有已知的上级方案 no parent plan known"
    if not plan.parent_has_source:
        number = f"（{plan.parent_doc_number}）" if plan.parent_doc_number else ""
        return f"上级方案 {plan.parent_title or plan.parent}{number} 没有收录原文，无法与上级比对 parent has no bundled source"
    return "未与上级比对 not compared with its parent"


def plan_note(plan: IndexPlan, diffs: Sequence[IndexDiff]) -> str:
    """The index's note on a plan: why it has no parent diff, and which peers it was compared with."""
    peer_diffs = [d for d in diffs if d.relation == "peer" and plan.id in (d.reference, d.target)]
    peers = sorted(d.reference if d.target == plan.id else d.target for d in peer_diffs)
    notes = [no_diff_reason(plan, diffs) or "已与上级比对 compared with its parent"]
    if peers:
        notes.append(f"已与同级 {'、'.join(peers)} 比对 compared with peers")
    return "；".join(notes)


def _plan_rows(plans: Sequence[IndexPlan], diffs: Sequence[IndexDiff]) -> list[str]:
    out = [
        "| 方案 plan | 标题 title | 层级 level | 文号 number | 上级 / 同级 parent / peers | 说明 note |",
        "|---|---|---|---|---|---|",
    ]
    for plan in plans:
        related = [f"上级 {plan.parent}"] if plan.parent else []
        related += [f"同级 {peer}" for peer in plan.peers]
        cells = [
            plan.id,
            plan.title,
            LEVEL_LABELS.get(plan.level, plan.level),
            plan.doc_number or "—",
            "、".join(related) or "—",
            plan_note(plan, diffs),
        ]
        out.append("| " + " | ".join(escape_cell(c) for c in cells) + " |")
    return out


def _diff_rows(diffs: Sequence[IndexDiff], titles: Mapping[str, str]) -> list[str]:
    out = [
        "| 比对 diff | 关系 relation | 条款覆盖率 coverage | 要求覆盖率 requirements | 缺失条款 omitted | 遗漏要求 left out | 弱化 weakened | 其他变化 changed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in diffs:
        relation = "上级方案 parent" if d.relation == "parent" else "同级方案 peer"
        link = f"[{escape_inline(titles.get(d.target, d.target))} ↔ {escape_inline(titles.get(d.reference, d.reference))}]({d.filename})"
        cells = [link, relation, f"{d.coverage:.1%}", _percent(d.requirement_coverage)]
        cells.append(str(d.omitted_clauses))
        cells += [str(d.left_out), str(d.weakened), str(d.changed)]
        out.append("| " + " | ".join(cells) + " |")
    return out


def _matrix_lines(matrices: Sequence) -> list[str]:
    from plancheck.report.matrix_render import TOP_IN_MARKDOWN, render_matrix_markdown

    if not matrices:
        return []
    lines = [
        "## 覆盖矩阵 Coverage matrix",
        "",
        "上级方案的要求在各本地方案中的情况，最常被遗漏的在前；完整矩阵见 JSON / xlsx 文件"
        "（HTML 报告的索引页中为可筛选的热力图）。「请核对」不计入遗漏。 The parent's requirements "
        "in each local plan, most often left out first; the full matrix is in the JSON and xlsx "
        "files (a filterable heatmap in index.html). Please-check omissions are not counted.",
        "",
    ]
    for matrix in matrices:
        lines += render_matrix_markdown(matrix, top=TOP_IN_MARKDOWN)
        stem = f"matrix-{matrix.parent}"
        lines += [
            "",
            f"完整矩阵 Full matrix: [{stem}.json]({stem}.json)、[{stem}.xlsx]({stem}.xlsx)",
            "",
        ]
    return lines


def render_index_markdown(
    plans: Sequence[IndexPlan],
    diffs: Sequence[IndexDiff],
    validation: Mapping[str, int],
    matrices: Sequence = (),
) -> str:
    """index.md: validation summary, the diffs with their counts, every plan and its status."""
    titles = {plan.id: plan.title for plan in plans}
    held = sum(plan.has_source for plan in plans)
    lines = [
        "# plancheck 审查报告索引 Audit report index",
        "",
        f"- [校验结果 Validation](validation.md): {held} 个方案 plans，"
        f"{validation.get('errors', 0)} 个错误 errors，{validation.get('warnings', 0)} 个警告 warnings",
        "",
        "## 方案比对 Plan diffs",
        "",
        *(_diff_rows(diffs, titles) if diffs else ["无 None."]),
        "",
        *_matrix_lines(matrices),
        "## 方案 Plans",
        "",
        *_plan_rows(plans, diffs),
        "",
        "## 方案树 Plan tree",
        "",
        *render_tree_markdown(plans, diffs),
    ]
    return "\n".join(lines) + "\n"
