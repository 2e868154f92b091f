"""The coverage matrix as JSON, an xlsx workbook, a Markdown summary and an HTML section.

The HTML section is a heatmap table (one coloured cell per requirement and plan, with a symbol
so it reads in print and without colour) with inline filters: requirement text, plan id, the
least number of plans leaving a requirement out, and rows with a given state. Styles and script
are inline (no network). Every format shows the rows in ``CoverageMatrix.order()``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from plancheck import __version__
from plancheck.report.escape import markdown_cell, markdown_inline
from plancheck.report.matrix import (
    STATE_LABELS,
    STATE_SYMBOLS,
    STATES,
    CoverageMatrix,
    share_carried,
)
from plancheck.report.xlsx import Sheet, workbook_bytes

# cell colours of the heatmap and the workbook (worst darkest; "check" dashed in HTML)
STATE_COLOURS = {
    "omitted": "#F04438",
    "check": "#67E3F9",
    "weakened": "#FDB022",
    "higher": "#D9D6FE",
    "carried": "#D1FADF",
    "none": "#F2F4F7",
}
TOP_IN_MARKDOWN = 10  # requirements listed per parent in index.md (the rest: JSON, xlsx, HTML)


def render_matrix_json(matrices: Sequence[CoverageMatrix]) -> str:
    """{"matrices": [{"parent", "states", "plans": [{id, title, totals, requirement_coverage}],
    "requirements": [{clause, line, text, left_out_by, weakened_by, check_by, states}]}]}"""
    data = {"matrices": [matrix.to_dict() for matrix in matrices]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def matrix_sheets(matrix: CoverageMatrix, suffix: str = "") -> list[Sheet]:
    """The matrix sheet (requirements x plans, state labels) and the totals per plan."""
    plans = [column.plan for column in matrix.columns]
    headers = [
        "条款 clause", "行号 line", "要求 requirement", "遗漏方案数 left out by",
        "弱化方案数 weakened by", "请核对方案数 check by", *plans,
    ]  # fmt: skip
    rows = [
        [
            matrix.requirements[k].clause,
            matrix.requirements[k].line,
            matrix.requirements[k].text,
            matrix.count(k, "omitted"),
            matrix.count(k, "weakened"),
            matrix.count(k, "check"),
            *(STATE_LABELS[column.states[k]] for column in matrix.columns),
        ]
        for k in matrix.order()
    ]
    total_headers = [
        "方案 plan",
        "标题 title",
        *(STATE_LABELS[s] for s in STATES),
        "要求覆盖率 coverage",
    ]
    totals = [
        [
            column.plan,
            column.title,
            *column.totals().values(),
            round(share_carried(column), 3),
        ]
        for column in matrix.columns
    ]
    colours = {STATE_LABELS[state]: colour for state, colour in STATE_COLOURS.items()}
    return [
        Sheet(f"矩阵 matrix{suffix}", headers, rows, colours),
        Sheet(f"合计 totals{suffix}", total_headers, totals),
    ]


def render_matrix_xlsx(matrix: CoverageMatrix) -> bytes:
    return workbook_bytes(matrix_sheets(matrix), title=f"覆盖矩阵 coverage matrix: {matrix.parent}")


def render_matrix_markdown(matrix: CoverageMatrix, *, top: int | None = None) -> list[str]:
    """A parent's matrix in Markdown lines: totals per plan, then the most dropped requirements
    (all of them when ``top`` is None) with the plans that leave each out."""
    lines = [
        f"### {markdown_inline(matrix.parent_title or matrix.parent)}：{len(matrix.columns)} 个本地方案 local plans，"
        f"{len(matrix.requirements)} 项要求 requirements",
        "",
        "| 方案 plan | " + " | ".join(STATE_LABELS[s] for s in STATES) + " | 要求覆盖率 coverage |",
        "|---|" + "---|" * (len(STATES) + 1),
    ]
    for column in matrix.columns:
        counts = " | ".join(str(n) for n in column.totals().values())
        lines.append(f"| {markdown_cell(column.plan)} | {counts} | {share_carried(column):.1%} |")
    order = matrix.order()
    shown = [k for k in order if matrix.count(k, "omitted")][: top if top is not None else None]
    lines += ["", "| 条款 clause | 要求 requirement | 遗漏 left out | 弱化 weakened | 请核对 check | 遗漏的方案 left out by |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for k in shown:
        row = matrix.requirements[k]
        who = _some([c.plan for c in matrix.columns if c.states[k] == "omitted"])
        cells = [
            markdown_cell(f"{row.clause}（第 {row.line} 行）"),
            markdown_cell(row.text),
            str(matrix.count(k, "omitted")),
            str(matrix.count(k, "weakened")),
            str(matrix.count(k, "check")),
            markdown_cell(who),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if not shown:
        lines.append("| — | 没有本地方案遗漏的要求 no requirement is left out | 0 | — | — | — |")
    rest = sum(1 for k in order if matrix.count(k, "omitted")) - len(shown)
    if rest > 0:
        lines += [
            "",
            f"另有 {rest} 项要求被遗漏，见矩阵文件 {rest} more requirements left out: see the matrix files.",
        ]
    return lines


WHO_MAX = 10  # plans named in a Markdown cell; the rest are counted


def _some(plans: list[str]) -> str:
    """Plan ids joined with 、, the first WHO_MAX of them and how many more."""
    more = f" 等 {len(plans)} 个 ({len(plans)} plans)" if len(plans) > WHO_MAX else ""
    return "、".join(plans[:WHO_MAX]) + more


def matrix_view(matrix: CoverageMatrix, index: int = 0) -> dict:
    """What the HTML section's template needs for one parent."""
    return {
        "id": f"matrix-{index}",
        "parent": matrix.parent,
        "parent_title": matrix.parent_title or matrix.parent,
        "plans": [
            {
                "id": column.plan,
                "title": column.title,
                "html": f"{column.diff_file}.html" if column.diff_file else "",
                "totals": column.totals(),
                "coverage": share_carried(column),
            }
            for column in matrix.columns
        ],
        "rows": [
            {
                "clause": matrix.requirements[k].clause,
                "line": matrix.requirements[k].line,
                "text": matrix.requirements[k].text,
                "dropped": matrix.count(k, "omitted"),
                "weakened": matrix.count(k, "weakened"),
                "check": matrix.count(k, "check"),
                "states": "".join(STATE_CODES[column.states[k]] for column in matrix.columns),
            }
            for k in matrix.order()
        ],
    }


# one letter per state: the cell's class and the rows' data-states (what the filter reads)
STATE_CODES = {
    "omitted": "o",
    "check": "c",
    "weakened": "w",
    "higher": "h",
    "carried": "k",
    "none": "n",
}


def matrix_context() -> dict:
    """The legend and codes the section's template shares with every matrix."""
    return {
        "states": [
            {
                "name": s,
                "code": STATE_CODES[s],
                "label": STATE_LABELS[s],
                "symbol": STATE_SYMBOLS[s],
                "colour": STATE_COLOURS[s],
            }
            for s in STATES
        ],
        "symbols": {STATE_CODES[s]: STATE_SYMBOLS[s] for s in STATES},
        "labels": {STATE_CODES[s]: STATE_LABELS[s] for s in STATES},
    }


def render_matrix_html(matrices: Sequence[CoverageMatrix], *, version: str = __version__) -> str:
    """A self-contained page of the matrices alone (``plancheck matrix --format html``)."""
    from plancheck.report.diff_html import template_environment

    context = {
        "version": version,
        "matrices": [matrix_view(m, k) for k, m in enumerate(matrices)],
        **matrix_context(),
    }
    return template_environment().get_template("matrix.html.j2").render(context)
