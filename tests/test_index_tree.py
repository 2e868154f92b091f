"""The index's plan tree: nesting, coverage on each edge, cited plans not available, suggestions."""

from __future__ import annotations

from plancheck.report.index import IndexDiff, IndexPlan
from plancheck.report.tree_markdown import render_tree_markdown

PLANS = [
    IndexPlan("nat", "国务院办公厅关于某事的指导意见", "national", "国办发〔2018〕1号", has_source=False),
    IndexPlan("prov", "甲省某事实施方案", "province", parent="nat"),
    IndexPlan("city", "乙市某事实施方案", "city", "乙府发〔2020〕2号", parent="prov",
              parent_has_source=True),
    IndexPlan("lone", "丙市某事任务分工", "city", suggested=(("city", 0.8125, "peer"),)),
]  # fmt: skip
DIFFS = [IndexDiff("prov", "city", "parent", "diff-city-vs-prov.md", 0.875, 1, 2, 0, 0)]


def test_tree_nests_plans_and_labels_every_edge():
    assert render_tree_markdown(PLANS, DIFFS) == [
        "- 国家 国务院办公厅关于某事的指导意见（国办发〔2018〕1号） `nat` — 未收录原文 not available",
        "  - 省级 甲省某事实施方案 `prov` — 上级未收录原文，无比对 parent not available, no diff",
        "    - 市级 乙市某事实施方案（乙府发〔2020〕2号） `city` — 覆盖率 coverage 87.5%，"
        "[比对报告 diff](diff-city-vs-prov.md)",
        "- 市级 丙市某事任务分工 `lone`",
        "  - 建议（未采用）suggested, not adopted: 乙市某事实施方案 0.812（同级 peer）",
    ]


def test_a_parent_loop_in_a_manifest_does_not_hang():
    loop = [
        IndexPlan("a", "A方案", "city", parent="b"),
        IndexPlan("b", "B方案", "city", parent="a"),
    ]
    lines = render_tree_markdown(loop, [])
    assert [(line.index("-"), line.split("`")[1]) for line in lines] == [(0, "a"), (2, "b")]


def test_html_index_shows_the_same_tree_escaped():
    from plancheck.report.index_html import render_index_html

    plans = [*PLANS, IndexPlan("x", "<script>丁县</script>方案", "county", parent="city")]
    html = render_index_html(plans, DIFFS, {"errors": 0, "warnings": 0})
    tree = html.split('<ul id="tree">')[1]
    assert tree.count("<li ") == 5
    assert "未收录原文 not available" in tree and "覆盖率 coverage 87.5%" in tree
    assert 'href="diff-city-vs-prov.html"' in tree
    assert "建议（未采用）suggested, not adopted: 乙市某事实施方案 0.812（同级 peer）" in tree
    assert "<script>" not in tree and "&lt;script&gt;" in tree
