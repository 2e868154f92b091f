"""index.html: the report index as a self-contained dashboard (same records as index.md).

The coverage of every diff is drawn as an inline SVG bar chart; links go to the HTML report of
each diff (same stem as its Markdown file) and to validation.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath

from plancheck import __version__
from plancheck.report.diff_html import template_environment
from plancheck.report.index import LEVEL_LABELS, IndexDiff, IndexPlan, plan_note
from plancheck.report.svg import coverage_bars
from plancheck.report.tree_markdown import LEVEL_SHORT, suggestion_text, tree_rows


def _diff_view(d: IndexDiff, titles: Mapping[str, str], markdown: bool, word: bool) -> dict:
    stem = PurePosixPath(d.filename).with_suffix("")
    return {
        "html": str(stem.with_suffix(".html")),
        "markdown": d.filename if markdown else "",
        "word": f"{stem}.docx" if word else "",  # the batch's names (plans.batch.Pair.word_files)
        "redline": f"{stem}-redline.docx" if word else "",
        "target_title": titles.get(d.target, d.target),
        "reference_title": titles.get(d.reference, d.reference),
        "relation_label": "上级方案 parent" if d.relation == "parent" else "同级方案 peer",
        "coverage": d.coverage,
        "requirement_coverage": d.requirement_coverage,
        "omitted_clauses": d.omitted_clauses,
        "left_out": d.left_out,
        "weakened": d.weakened,
        "changed": d.changed,
    }


def _plan_view(plan: IndexPlan, diffs: Sequence[IndexDiff]) -> dict:
    related = [f"上级 {plan.parent}"] if plan.parent else []
    related += [f"同级 {peer}" for peer in plan.peers]
    return {
        "id": plan.id,
        "title": plan.title,
        "level": LEVEL_LABELS.get(plan.level, plan.level),
        "doc_number": plan.doc_number,
        "related": "、".join(related),
        "note": plan_note(plan, diffs),
    }


def _tree_view(plans: Sequence[IndexPlan], diffs: Sequence[IndexDiff]) -> list:
    titles = {plan.id: plan.title for plan in plans}

    def link(d: IndexDiff) -> str:
        return str(PurePosixPath(d.filename).with_suffix(".html"))

    return [
        {
            "indent": row.depth * 1.5,
            "level": LEVEL_SHORT.get(row.plan.level, row.plan.level),
            "title": row.plan.title,
            "id": row.plan.id,
            "doc_number": row.plan.doc_number,
            "held": row.plan.has_source,
            "parent_missing": row.parent_missing,
            "parent_diff": (
                {"coverage": row.parent_diff.coverage, "html": link(row.parent_diff)}
                if row.parent_diff
                else None
            ),
            "peers": [
                {"reference": d.reference, "coverage": d.coverage, "html": link(d)}
                for d in row.peer_diffs
            ],
            "suggested": suggestion_text(row.plan, titles) if row.plan.suggested else "",
        }
        for row in tree_rows(plans, diffs)
    ]


def render_index_html(
    plans: Sequence[IndexPlan],
    diffs: Sequence[IndexDiff],
    validation: Mapping[str, int],
    *,
    with_markdown: bool = True,
    with_word: bool = False,
    version: str = __version__,
    matrices: Sequence = (),
) -> str:
    from plancheck.report.matrix_render import matrix_context, matrix_view

    titles = {plan.id: plan.title for plan in plans}
    chart = coverage_bars([(f"{d.target} ↔ {d.reference}", d.coverage) for d in diffs])
    context = {
        "version": version,
        "held": sum(plan.has_source for plan in plans),
        "errors": validation.get("errors", 0),
        "warnings": validation.get("warnings", 0),
        "diffs": [_diff_view(d, titles, with_markdown, with_word) for d in diffs],
        "plans": [_plan_view(plan, diffs) for plan in plans],
        "chart": chart,
        "tree": _tree_view(plans, diffs),
        "matrices": [matrix_view(m, k) for k, m in enumerate(matrices)],
        **matrix_context(),
    }
    return template_environment().get_template("index.html.j2").render(context)
