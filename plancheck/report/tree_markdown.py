"""The plan tree of the index: every plan under the plan it implements, the coverage of each
edge's diff, the cited plans that are not available, and suggested relatives as suggestions.

A pure function of the index's plain records (``IndexPlan``, ``IndexDiff``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plancheck.report.diff_markdown import escape_inline

if TYPE_CHECKING:
    from plancheck.report.index import IndexDiff, IndexPlan

LEVEL_SHORT = {"national": "国家", "province": "省级", "city": "市级", "county": "县级"}
ORDER = {level: i for i, level in enumerate(LEVEL_SHORT)}


@dataclass(frozen=True)
class TreeRow:
    """One plan of the tree at its depth, with what its edges say (plain data for any format)."""

    depth: int
    plan: IndexPlan
    parent_diff: IndexDiff | None
    parent_missing: bool  # its parent is cited but not available, so it has no parent diff
    peer_diffs: tuple[IndexDiff, ...]


def tree_rows(plans: Sequence[IndexPlan], diffs: Sequence[IndexDiff]) -> list[TreeRow]:
    """Depth-first rows: roots are plans with no parent among the plans listed; each plan once."""
    ids = {plan.id for plan in plans}
    children: dict[str, list[IndexPlan]] = {}
    for plan in plans:
        children.setdefault(plan.parent if plan.parent in ids else "", []).append(plan)
    for group in children.values():
        group.sort(key=lambda p: (ORDER.get(p.level, 9), p.id))
    rows: list[TreeRow] = []
    shown: set[str] = set()

    def show(plan: IndexPlan, depth: int) -> None:
        shown.add(plan.id)
        parent_diff = next(
            (d for d in diffs if d.target == plan.id and d.relation == "parent"), None
        )
        missing = bool(plan.parent and not plan.parent_has_source and plan.has_source)
        peers = tuple(d for d in diffs if d.target == plan.id and d.relation == "peer")
        rows.append(TreeRow(depth, plan, parent_diff, missing and parent_diff is None, peers))
        for child in children.get(plan.id, []):
            if child.id not in shown:  # a manifest may loop: each plan is shown once
                show(child, depth + 1)

    for plan in children.get("", []):
        show(plan, 0)
    for plan in plans:  # plans in a parent loop have no root above them
        if plan.id not in shown:
            show(plan, 0)
    return rows


def _edge(row: TreeRow) -> str:
    """What the edges of a plan say: the parent diff's coverage (or why there is none), and
    the coverage of the peer diffs in which this plan is the target."""
    text = ""
    if row.parent_diff is not None:
        diff = row.parent_diff
        text = f" — 覆盖率 coverage {diff.coverage:.1%}，[比对报告 diff]({diff.filename})"
    elif row.parent_missing:
        text = " — 上级未收录原文，无比对 parent not available, no diff"
    for peer in row.peer_diffs:
        text += (
            f"；与同级 `{peer.reference}` 比对 vs peer: 覆盖率 coverage {peer.coverage:.1%}，"
            f"[比对报告 diff]({peer.filename})"
        )
    return text


def _label(plan: IndexPlan) -> str:
    number = f"（{plan.doc_number}）" if plan.doc_number else ""
    level = LEVEL_SHORT.get(plan.level, plan.level)
    text = f"{level} {escape_inline(plan.title)}{number} `{plan.id}`"
    if not plan.has_source:
        text += " — 未收录原文 not available"
    return text


def suggestion_text(plan: IndexPlan, titles: dict[str, str]) -> str:
    """The suggested relatives of a plan, marked as not adopted (plain text)."""
    shown = "，".join(
        f"{titles.get(pid, pid)} {score:.3f}（{'同级 peer' if rel == 'peer' else '上级 parent'}）"
        for pid, score, rel in plan.suggested
    )
    return f"建议（未采用）suggested, not adopted: {shown}"


def render_tree_markdown(plans: Sequence[IndexPlan], diffs: Sequence[IndexDiff]) -> list[str]:
    """Nested list lines of the tree."""
    titles = {plan.id: escape_inline(plan.title) for plan in plans}
    lines: list[str] = []
    for row in tree_rows(plans, diffs):
        lines.append("  " * row.depth + f"- {_label(row.plan)}{_edge(row)}")
        if row.plan.suggested:
            lines.append("  " * (row.depth + 1) + f"- {suggestion_text(row.plan, titles)}")
    return lines
