"""The Markdown audit report of one plan diff: a pure function of the PlanDiff.

Findings first: the report opens with what a reviewer must act on (omitted clauses, requirements
left out, weakenings, changed leads, targets and dates), one line each with clause numbers,
source lines and a link to the clause section; rewordings are folded into a <details> block.
Then the coverage counts, the status of every reference clause, the clause sections with a
redline, added clauses and the provenance.

CommonMark-safe: no ``**``/``~~`` emphasis (CommonMark does not open it next to Chinese
punctuation); the redline uses <del>/<ins>, anchors are explicit <a id>, and text from
documents is escaped. Headings and labels are in Chinese with English glosses. Deterministic:
no timestamps, no absolute paths; the same diff gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from plancheck import __version__
from plancheck.align.model import ClauseDiff, ClauseRef, PlanDiff
from plancheck.report.diff_findings import (
    FINDING_LABELS,
    DiffFinding,
    clause_anchor,
    clause_findings,
    diff_findings,
    finding_counts,
    line_span,
    row_counts,
)
from plancheck.report.escape import markdown_cell as escape_cell
from plancheck.report.escape import markdown_inline as escape_inline
from plancheck.report.redline import redline_segments
from plancheck.report.sides import Sides, sides_for

STATUS_LABELS = {
    "kept": "保留 kept",
    "changed": "有变化 changed",
    "omitted": "缺失 omitted",
    "added": "新增 added",
}
_SUMMARY_WIDTH = 36
_FINDING_WIDTH = 60


def abbrev(text: str, width: int = _SUMMARY_WIDTH) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def short_hash(digest: str) -> str:
    """The first 12 hex digits, the full hash in a tooltip."""
    return f'<abbr title="{digest}">{digest[:12]}</abbr>' if digest else "—"


def _ids(clauses: Sequence[ClauseRef]) -> str:
    return "、".join(clause.task_id for clause in clauses) or "—"


def redline(reference: str, target: str) -> str:
    """Character-level redline: deleted text in <del>, inserted text in <ins>."""
    tags = {"delete": "del", "insert": "ins"}
    parts = []
    for tag, text in redline_segments(reference, target):
        body = escape_inline(text)
        parts.append(body if tag == "equal" else f"<{tags[tag]}>{body}</{tags[tag]}>")
    return "".join(parts)


def _where(ids: Sequence[str], lines: str, escape: Callable[[str], str]) -> str:
    return f"{escape('、'.join(ids) or '—')}（第 {lines} 行）" if ids else "—"


def _finding_text(finding: DiffFinding, sides: Sides, escape: Callable[[str], str]) -> str:
    """A finding as one line of text (without the link), with ``escape`` applied to documents."""
    where = f"{sides.reference} {_where(finding.reference_ids, finding.reference_lines, escape)}"
    if finding.target_ids:
        where += f" → {sides.target} {_where(finding.target_ids, finding.target_lines, escape)}"
    detail = f"（{escape(finding.detail)}）" if finding.detail else ""
    if finding.kind in ("omitted_clause", "omitted_requirement", "higher_level_requirement"):
        what = f"「{escape(abbrev(finding.reference_text, _FINDING_WIDTH * 2))}」"
    elif finding.kind in ("lead_changed",):
        what = f"{escape(finding.reference_text or '—')} → {escape(finding.target_text or '—')}"
    elif finding.kind == "units_changed":
        what = ""
    else:
        what = f"「{escape(abbrev(finding.reference_text, _FINDING_WIDTH))}」"
    rule = f" 规则 rule: {escape(finding.rule)}" if finding.rule else ""
    return f"{finding.label}{detail}：{where}{'：' + what if what else ''}{rule}"


def finding_line(finding: DiffFinding, sides: Sides) -> str:
    """One findings-list line: kind, clauses with lines, what changed, link to the section."""
    text = _finding_text(finding, sides, escape_inline)
    return f"- {text} [详见 details](#{finding.anchor})"


def _html_line(text: str) -> str:
    """HTML-escaped and on one line (a blank line would end the raw HTML block)."""
    return html.escape(" ".join(str(text).split()))


def _folded_findings(findings: Sequence[DiffFinding], sides: Sides, title: str) -> list[str]:
    """A <details> block written as one raw HTML block (no blank line inside), so CommonMark
    and Python-Markdown both pass it through as it is: its text is HTML-escaped."""
    items = [
        f'<li>{_finding_text(f, sides, _html_line)} <a href="#{f.anchor}">详见 details</a></li>'
        for f in findings
    ]
    return ["<details>", f"<summary>{title}</summary>", "<ul>", *items, "</ul>", "</details>"]


def _findings_section(findings: Sequence[DiffFinding], sides: Sides) -> list[str]:
    main = [f for f in findings if f.group not in ("reworded", "check")]
    reworded = [f for f in findings if f.group == "reworded"]
    check = [f for f in findings if f.group == "check"]
    out = [f'<a id="findings"></a>\n\n## 需要处理的问题 Findings（{len(main)}）', ""]
    out += [finding_line(f, sides) for f in main] or ["无 None."]
    if check:
        out += [
            "",
            f"### 请核对 Please check（{len(check)}）",
            "",
            "本地方案中没有找到同样的表述，但有相近的内容，可能已换一种说法承接，请人工核对。"
            " Not found as written, but near text exists: it may be carried in other words.",
            "",
        ]
        out += [f"{finding_line(f, sides)}；{escape_inline(f.closest)}" for f in check]
    if reworded:
        title = f"表述变化 reworded（{len(reworded)}）：意思不变的改写，默认折叠"
        out += ["", *_folded_findings(reworded, sides, title)]
    return out


def _coverage(diff: PlanDiff, findings: Sequence[DiffFinding], sides: Sides) -> list[str]:
    s = diff.summary
    counts = finding_counts(findings)
    kinds = "；".join(f"{FINDING_LABELS[k]} {n}" for k, n in counts.items())
    return [
        "## 覆盖情况 Coverage",
        "",
        f"- 覆盖率 coverage: {s.coverage:.1%}（{sides.reference}条款中被{sides.target}承接的比例）",
        f"- 要求覆盖率 requirement coverage: {s.requirement_coverage:.1%}（{sides.reference}的 {s.reference_requirements} 项要求中{sides.target}承接 {s.carried_requirements} 项）",
        f"- {sides.reference}条款 reference clauses: {s.reference_clauses}；{sides.target}条款 target clauses: {s.target_clauses}",
        f"- 条款 clauses: 保留 kept {s.kept}；有变化 changed {s.changed}；缺失 omitted {s.omitted}；{sides.target}新增 added {s.added}",
        f"- 要求层面的问题 requirement-level findings: {kinds}",
    ]


def _row_counts(clause: ClauseDiff) -> tuple[str, str, str]:
    left_out, weakened, other = row_counts(clause_findings(clause))
    return str(left_out), str(weakened), str(other)


def _status_table(clauses: Sequence[ClauseDiff], sides: Sides) -> list[str]:
    out = [
        f"## 逐条状态 Status of every {'peer' if sides.is_peer else 'reference'} clause",
        "",
        f"| {sides.reference}条款 | 摘要 summary | 状态 status | {sides.target}条款 | 相似度 | 遗漏要求 left out | 弱化 weakened | 其他变化 other | {sides.reference}行号 | {sides.target}行号 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for clause in clauses:
        if not clause.reference:
            continue
        counts = _row_counts(clause)
        for k, ref in enumerate(clause.reference):
            similarity = "—" if clause.similarity is None else f"{clause.similarity:.2f}"
            status = STATUS_LABELS[clause.status]
            if clause.status in ("changed", "omitted"):
                status = f"[{status}](#{clause_anchor(clause)})"
            cells = [escape_cell(ref.task_id), escape_cell(abbrev(ref.text)), status]
            cells += [escape_cell(_ids(clause.target)), similarity]
            cells += list(counts) if k == 0 else ["↑", "↑", "↑"]
            cells += [line_span([ref]), line_span(clause.target)]
            out.append("| " + " | ".join(cells) + " |")
    return out


def _quote(clauses: Sequence[ClauseRef]) -> list[str]:
    out: list[str] = []
    for clause in clauses:
        out += [
            f"> {escape_inline(clause.task_id)}　{escape_inline(line)}"
            for line in clause.text.splitlines() or [""]
        ]
        out.append(">")
    return out[:-1]


def _clause_findings(clause: ClauseDiff) -> list[str]:
    lines = []
    for f in clause_findings(clause):
        detail = f"（{escape_inline(f.detail)}）" if f.detail else ""
        if f.kind in ("omitted_requirement", "higher_level_requirement"):
            lines.append(f"- {f.label}{detail}：「{escape_inline(f.reference_text)}」")
        elif f.kind == "lead_changed":
            lines.append(
                f"- {f.label}：{escape_inline(f.reference_text or '—')} → {escape_inline(f.target_text or '—')}"
            )
        elif f.kind == "units_changed":
            lines.append(f"- {f.label}{detail}")
        elif f.kind != "omitted_clause":
            lines.append(
                f"- {f.label}{detail}：「{escape_inline(f.reference_text)}」→「{escape_inline(f.target_text)}」"
            )
        if f.evidence:
            lines.append(f"  - 依据 evidence: {escape_inline(f.evidence)}")
    return ["", "问题 Findings:", "", *lines] if lines else []


def _clause_section(clause: ClauseDiff, diff: PlanDiff, sides: Sides) -> list[str]:
    title = f"### {sides.reference} {escape_inline(_ids(clause.reference))} → {sides.target} {escape_inline(_ids(clause.target))}（{STATUS_LABELS[clause.status]}）"
    out = [
        f'<a id="{clause_anchor(clause)}"></a>',
        "",
        title,
        "",
        f"{sides.reference}原文（{escape_inline(diff.reference.id)}，第 {line_span(clause.reference)} 行）：",
        "",
        *_quote(clause.reference),
    ]
    if clause.target:
        ref_text = "\n".join(c.text for c in clause.reference)
        tgt_text = "\n".join(c.text for c in clause.target)
        out += [
            "",
            f"{sides.target}原文（{escape_inline(diff.target.id)}，第 {line_span(clause.target)} 行）：",
            "",
            *_quote(clause.target),
            "",
            "逐字对照 Redline（<del>删去</del> <ins>新增</ins>）：",
            "",
            redline(ref_text, tgt_text).replace("\n", "<br>"),
        ]
    else:
        out += [
            "",
            f"{sides.target}方案中没有承接这一条款的内容。No clause of the target carries it.",
        ]
    return out + _clause_findings(clause)


def _added_table(clauses: Sequence[ClauseDiff], sides: Sides) -> list[str]:
    added = [ref for clause in clauses if clause.status == "added" for ref in clause.target]
    heading = f"## {sides.target}新增条款 Added clauses"
    if not added:
        return [heading, "", "无 None."]
    out = [heading, "", f"| {sides.target}条款 | 摘要 summary | 行号 |", "|---|---|---|"]
    return out + [
        f"| {escape_cell(r.task_id)} | {escape_cell(abbrev(r.text))} | {line_span([r])} |"
        for r in added
    ]


def _provenance(diff: PlanDiff, version: str, sides: Sides) -> list[str]:
    ref, tgt = diff.reference, diff.target
    rows = [
        ("方案 plan id", escape_cell(ref.id), escape_cell(tgt.id)),
        ("标题 title", escape_cell(ref.title or "—"), escape_cell(tgt.title or "—")),
        (
            "来源文件 source",
            escape_cell(ref.source_file or "—"),
            escape_cell(tgt.source_file or "—"),
        ),
        ("SHA-256", short_hash(ref.sha256), short_hash(tgt.sha256)),
    ]
    return [
        "## 来源 Provenance",
        "",
        f"| | {sides.reference_plan} | {sides.target_plan} |",
        "|---|---|---|",
        *[f"| {label} | {a} | {b} |" for label, a, b in rows],
        "",
        f"- plancheck 版本 version: {escape_inline(version)}",
        f"- 规则版本 rules version: {escape_inline(diff.rules_version or '—')}（rules/wording.yaml 的 SHA-256 前缀）",
    ]


def render_diff_markdown(
    diff: PlanDiff, *, relation: str = "parent", version: str = __version__
) -> str:
    """The audit report for one pair (relation parent or peer), as Markdown ending in a newline."""
    sides = sides_for(relation)
    findings = diff_findings(diff)
    details = [c for c in diff.clauses if c.status in ("changed", "omitted")]
    lines = [
        f"# 方案比对报告 Plan diff: {escape_inline(diff.target.title or diff.target.id)}",
        "",
        f"{sides.against}: {escape_inline(diff.reference.title or diff.reference.id)}",
        "",
        *_findings_section(findings, sides),
        "",
        *_coverage(diff, findings, sides),
        "",
        *_status_table(diff.clauses, sides),
        "",
        "## 变化与缺失 Changed and omitted clauses",
        "",
    ]
    for clause in details:
        lines += _clause_section(clause, diff, sides) + [""]
    if not details:
        lines += ["无 None.", ""]
    lines += _added_table(diff.clauses, sides) + [""] + _provenance(diff, version, sides)
    return "\n".join(lines).rstrip("\n") + "\n"
