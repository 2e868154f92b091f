"""The Markdown audit report of one plan diff: a pure function of the PlanDiff.

Headings and labels are in Chinese, the reviewers' language, with English glosses. The output
is deterministic: no timestamps, no absolute paths, and the same diff gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from plancheck import __version__
from plancheck.align.model import ClauseDiff, ClauseRef, PlanDiff, PlanInfo

STATUS_LABELS = {
    "kept": "保留 kept",
    "changed": "有变化 changed",
    "omitted": "缺失 omitted",
    "added": "新增 added",
}
KIND_LABELS = {
    "weakened": "弱化 weakened",
    "strengthened": "强化 strengthened",
    "target_changed": "目标变化 target changed",
    "deadline_changed": "时限变化 deadline changed",
    "reworded": "表述变化 reworded",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")
_SUMMARY_WIDTH = 36


def escape_inline(text: str) -> str:
    """Text that renders literally inside a paragraph (no emphasis, links or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_cell(text: str) -> str:
    """A table cell: Markdown escaped, line breaks as <br>, so the table row stays intact."""
    return "<br>".join(escape_inline(line) for line in str(text).splitlines()) or " "


def _abbrev(text: str, width: int = _SUMMARY_WIDTH) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _ids(clauses: Sequence[ClauseRef]) -> str:
    return "、".join(clause.task_id for clause in clauses) or "—"


def _lines(clauses: Sequence[ClauseRef]) -> str:
    return (
        "、".join(
            f"{c.line_start}–{c.line_end}" if c.line_end != c.line_start else str(c.line_start)
            for c in clauses
        )
        or "—"
    )


def _quote(clauses: Sequence[ClauseRef]) -> list[str]:
    out: list[str] = []
    for clause in clauses:
        out += [
            f"> **{escape_inline(clause.task_id)}** {escape_inline(line)}"
            for line in clause.text.splitlines() or [""]
        ]
        out.append(">")
    return out[:-1]


def _merge_short_equal(
    ops: list[tuple[str, str, str]], shortest: int = 2
) -> list[tuple[str, str, str]]:
    """Absorb one-character agreements between two edits, which make a Chinese redline choppy."""
    merged: list[tuple[str, str, str]] = []
    for k, (tag, old, new) in enumerate(ops):
        short_gap = tag == "equal" and 0 < k < len(ops) - 1 and len(old) < shortest
        if tag == "equal" and not short_gap:
            merged.append((tag, old, new))
        elif merged and merged[-1][0] == "replace":
            _, old0, new0 = merged.pop()
            merged.append(("replace", old0 + old, new0 + new))
        else:
            merged.append(("replace", old, new))
    return merged


def redline(reference: str, target: str) -> str:
    """Character-level redline of one pair: deleted ~~text~~, inserted **text**."""
    matcher = SequenceMatcher(None, reference, target, autojunk=False)
    ops = [(tag, reference[i1:i2], target[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    parts: list[str] = []
    for tag, old, new in _merge_short_equal(ops):
        if tag == "equal":
            parts.append(escape_inline(old))
            continue
        if old.strip():
            parts.append(f"~~{escape_inline(old.strip())}~~")
        if new.strip():
            parts.append(f"**{escape_inline(new.strip())}**")
    return "".join(parts)


def _plan_rows(reference: PlanInfo, target: PlanInfo) -> list[str]:
    rows = [
        ("方案 plan id", reference.id, target.id),
        ("标题 title", reference.title, target.title),
    ]
    rows += [
        ("来源文件 source", reference.source_file, target.source_file),
        ("SHA-256", reference.sha256, target.sha256),
    ]
    out = ["| | 上级方案 reference | 本级方案 target |", "|---|---|---|"]
    return out + [
        f"| {label} | {escape_cell(a or '—')} | {escape_cell(b or '—')} |" for label, a, b in rows
    ]


def _provenance(diff: PlanDiff, version: str) -> list[str]:
    return [
        "## 来源 Provenance",
        "",
        *_plan_rows(diff.reference, diff.target),
        "",
        f"- plancheck 版本 version: {escape_inline(version)}",
        f"- 规则版本 rules version: {escape_inline(diff.rules_version or '—')}（rules/wording.yaml 的 SHA-256 前缀）",
    ]


def _summary(diff: PlanDiff) -> list[str]:
    s = diff.summary
    kinds = "；".join(f"{KIND_LABELS[k]} {n}" for k, n in s.changed_requirements.items())
    return [
        "## 覆盖情况 Coverage",
        "",
        f"- 上级条款 reference clauses: {s.reference_clauses}；本级条款 target clauses: {s.target_clauses}",
        f"- 保留 kept {s.kept}；有变化 changed {s.changed}；缺失 omitted {s.omitted}；本级新增 added {s.added}",
        f"- 覆盖率 coverage: {s.coverage:.1%}（上级条款中被本级承接的比例）",
        f"- 条款内遗漏的要求 requirements left out: {s.omitted_requirements}",
        f"- 要求变化 changed requirements: {kinds}",
        f"- 责任单位有变化的条款 clauses with unit changes: {s.unit_changes}（牵头单位变化 lead changed: {s.lead_changes}）",
    ]


def _status_table(clauses: Iterable[ClauseDiff]) -> list[str]:
    out = [
        "## 逐条状态 Status of every reference clause",
        "",
        "| 上级条款 | 摘要 summary | 状态 status | 本级条款 | 相似度 | 上级行号 | 本级行号 |",
        "|---|---|---|---|---|---|---|",
    ]
    for clause in clauses:
        for ref in clause.reference:
            similarity = "—" if clause.similarity is None else f"{clause.similarity:.2f}"
            cells = (
                ref.task_id,
                _abbrev(ref.text),
                STATUS_LABELS[clause.status],
                _ids(clause.target),
                similarity,
                _lines([ref]),
                _lines(clause.target),
            )
            out.append("| " + " | ".join(escape_cell(cell) for cell in cells) + " |")
    return out


def _requirement_lines(clause: ClauseDiff) -> list[str]:
    out: list[str] = []
    if clause.omitted_requirements:
        out += ["", "**遗漏的要求 Left out:**", ""]
        out += [f"- {escape_inline(text)}" for text in clause.omitted_requirements]
    if clause.changed_requirements:
        out += ["", "**变化的要求 Changed requirements:**", ""]
        for change in clause.changed_requirements:
            detail = f"（{escape_inline(change.detail)}）" if change.detail else ""
            out.append(
                f"- {KIND_LABELS[change.kind]}{detail}：上级「{escape_inline(change.reference)}」→ 本级「{escape_inline(change.target)}」"
            )
    return out


def _unit_lines(clause: ClauseDiff) -> list[str]:
    units = clause.units
    if not units.any:
        return []
    out = ["", "**责任单位 Responsible units:**", ""]
    if units.dropped:
        out.append(f"- 减少 dropped: {escape_inline('、'.join(units.dropped))}")
    if units.added:
        out.append(f"- 增加 added: {escape_inline('、'.join(units.added))}")
    if units.lead_changed:
        out.append(
            f"- 牵头单位变化 lead changed: {escape_inline(units.reference_lead or '—')} → {escape_inline(units.target_lead or '—')}"
        )
    return out


def _clause_section(clause: ClauseDiff, diff: PlanDiff) -> list[str]:
    title = f"### 上级 {_ids(clause.reference)} → 本级 {_ids(clause.target)}（{STATUS_LABELS[clause.status]}）"
    out = [
        title,
        "",
        f"**上级原文 Reference**（{escape_inline(diff.reference.id)}，第 {_lines(clause.reference)} 行）：",
        "",
        *_quote(clause.reference),
    ]
    if clause.target:
        out += [
            "",
            f"**本级原文 Target**（{escape_inline(diff.target.id)}，第 {_lines(clause.target)} 行）：",
            "",
            *_quote(clause.target),
        ]
        ref_text = "\n".join(c.text for c in clause.reference)
        tgt_text = "\n".join(c.text for c in clause.target)
        out += [
            "",
            "**逐字对照 Redline**（~~删去~~ **新增**）：",
            "",
            redline(ref_text, tgt_text).replace("\n", "<br>"),
        ]
    else:
        out += [
            "",
            "本级方案中没有承接这一条款的内容。No clause of the target carries this clause.",
        ]
    return out + _requirement_lines(clause) + _unit_lines(clause)


def _added_table(clauses: Sequence[ClauseDiff]) -> list[str]:
    added = [ref for clause in clauses if clause.status == "added" for ref in clause.target]
    if not added:
        return ["## 本级新增条款 Added clauses", "", "无 None."]
    out = [
        "## 本级新增条款 Added clauses",
        "",
        "| 本级条款 | 摘要 summary | 行号 |",
        "|---|---|---|",
    ]
    return out + [
        f"| {escape_cell(r.task_id)} | {escape_cell(_abbrev(r.text))} | {_lines([r])} |"
        for r in added
    ]


def render_diff_markdown(diff: PlanDiff, *, version: str = __version__) -> str:
    """The audit report for one reference/target pair, as Markdown text ending in a newline."""
    title = diff.target.title or diff.target.id
    ref_title = diff.reference.title or diff.reference.id
    details = [c for c in diff.clauses if c.status in ("changed", "omitted")]
    lines = [
        f"# 方案比对报告 Plan diff: {escape_inline(title)}",
        "",
        f"对照上级方案 against: {escape_inline(ref_title)}",
        "",
    ]
    lines += (
        _provenance(diff, version)
        + [""]
        + _summary(diff)
        + [""]
        + _status_table(diff.clauses)
        + [""]
    )
    lines += ["## 变化与缺失 Changed and omitted clauses", ""]
    for clause in details:
        lines += _clause_section(clause, diff) + [""]
    if not details:
        lines += ["无 None.", ""]
    lines += _added_table(diff.clauses)
    return "\n".join(lines).rstrip("\n") + "\n"
