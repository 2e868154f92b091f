"""The outline parser and the unit grammar on plans built here, in several layouts.

Every document is written by the test from parts whose truth is known: task ids, texts,
lead units, partners and deadlines are pinned by construction.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.accounting import account_lines
from plancheck.normalise.units import extract_trailing_units, parse_unit_note

FAST = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

# Two content sets: a health-supervision plan and a business-environment plan.
CONTENT = {
    "health": [
        ("强化信用监管", "建立医疗机构信用记录，实施守信激励和失信惩戒。"),
        ("加强执法监督", "开展医疗卫生行业专项整治，依法查处违法违规行为。"),
        ("推进信息公开", "定期公布医疗机构监督检查结果。"),
    ],
    "business": [
        ("深化审批改革", "全面推行告知承诺制，压减审批时限。"),
        ("优化政务服务", "推进政务服务一网通办，实现高频事项就近可办。"),
        ("加强要素保障", "统筹保障重点项目用地和用能需求。"),
    ],
}
UNITS = [("区发改局", ["区财政局", "区市场监管局"]), ("市卫生健康委", ["市医保局"])]


def _table(text: str, name: str = "plan.txt"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return build_task_table(path, plan_id="p").set_index("task_id")


def _note_forms(lead: str, partners: list[str]) -> dict[str, tuple[str, str]]:
    """Each way of writing the same units: (text after the clause, lines under it)."""
    ps = "、".join(partners)
    return {
        "responsible": (f"（责任单位：{lead}、{ps}）", ""),
        "labelled": (f"（牵头单位：{lead}；配合单位：{ps}）", ""),
        "lead-last": (f"（配合单位：{ps}；牵头单位：{lead}）", ""),
        "duty": (f"（{lead}、{ps}负责）", ""),
        "suffix": (f"（{lead}牵头，{ps}配合）", ""),
        "by": (f"由{lead}牵头，{ps}配合。", ""),
        "lines": ("", f"牵头单位：{lead}\n配合单位：{ps}\n完成时限：2023年底前\n"),
        "lines-half": ("", f"责任单位:{lead}、{ps}\n时间节点:2024年6月\n"),
    }


@pytest.mark.parametrize("content", sorted(CONTENT))
@pytest.mark.parametrize("units", UNITS, ids=["district", "city"])
@pytest.mark.parametrize("form", sorted(_note_forms("A", ["B"])))
def test_unit_forms_give_lead_partners_and_deadline(content, units, form):
    lead, partners = units
    after, lines = _note_forms(lead, partners)[form]
    clauses = "".join(
        f"（{cn}）{title}。{body}{after}\n{lines}"
        for cn, (title, body) in zip("一二三", CONTENT[content], strict=True)
    )
    table = _table(f"某区工作方案\n为做好工作，制定本方案。\n一、重点任务\n{clauses}二、保障措施\n")
    assert list(table.index) == ["1.1", "1.2", "1.3"]
    for (title, body), (_, row) in zip(CONTENT[content], table.iterrows(), strict=True):
        assert row["text"].rstrip("。") == f"{title}。{body}".rstrip("。")
        assert row["lead_unit"] == lead
        assert row["units"] == [lead, *partners]
        assert not any(label in "".join(row["units"]) for label in ("单位", "牵头", "配合", "："))
    deadline = {"lines": "2023-12", "lines-half": "2024-06"}.get(form)
    assert set(table["deadline_parsed"].fillna("-")) == {deadline or "-"}


@pytest.mark.parametrize(
    ("note", "units", "deadline"),
    [
        ("牵头单位：区发改局；配合单位：区财政局、区住建局", ("区发改局", "区财政局", "区住建局"), None),
        ("区财政局配合，区发改局牵头", ("区发改局", "区财政局"), None),
        ("责任单位：市卫健委，市财政局；完成时限：2023年12月", ("市卫健委", "市财政局"), "2023年12月"),
        ("市卫健委（牵头）、市财政局", ("市卫健委", "市财政局"), None),
        ("各县（市、区）人民政府负责", ("各县（市、区）人民政府",), None),
        ("由市司法局牵头，市卫健委配合", ("市司法局", "市卫健委"), None),
    ],
)  # fmt: skip
def test_unit_grammar(note, units, deadline):
    parsed = parse_unit_note(note)
    assert (parsed.units, parsed.lead, parsed.deadline) == (units, units[0], deadline)


def test_by_sentence_only_when_it_names_bodies():
    assert extract_trailing_units("由群众评议，形成合力。") == ("由群众评议，形成合力。", None)


# --- numbering styles, full/half width, title on its own line --------------------------------

CN = "一二三四五六七八九十"
PART_STYLES = ["{cn}、", "{cn}．", "第{cn}部分 ", "第{cn}章 "]
CLAUSE_STYLES = ["（{cn}）", "({cn})", "（{cn})"]
ITEM_STYLES = ["{n}.", "{n}．", "{n}、", "第{cn}条 "]
SUB_STYLES = ["（{n}）", "({n})", "{circled}"]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _mark(style: str, n: int) -> str:
    return style.format(cn=CN[n - 1], n=n, circled=CIRCLED[n - 1])


LAYOUTS = st.sampled_from(["inline", "own-line", "own-line-stop"])


@FAST
@given(
    st.sampled_from(PART_STYLES),
    st.sampled_from(CLAUSE_STYLES),
    st.sampled_from(ITEM_STYLES),
    st.sampled_from(SUB_STYLES),
    st.lists(LAYOUTS, min_size=3, max_size=3),
    st.sampled_from(sorted(CONTENT)),
)
def test_numbering_styles_and_title_layouts(part, clause, item, sub, layouts, content):
    lines = ["某市实施方案", "为贯彻落实上级部署，制定本方案。", _mark(part, 1) + "重点任务"]
    expected = {}
    for c, ((title, body), layout) in enumerate(zip(CONTENT[content], layouts, strict=True), 1):
        head = _mark(clause, c) + title
        if layout == "inline":
            lines.append(f"{head}。{body}（责任单位：市卫健委）")
        else:
            lines += [
                head + ("。" if layout == "own-line-stop" else ""),
                f"{body}（责任单位：市卫健委）",
            ]
        expected[f"1.{c}"] = f"{title}。{body}"
    lines.append(_mark(part, 2) + "具体措施")
    lines.append(_mark(clause, 1) + "完善制度")
    for i, (title, body) in enumerate(CONTENT[content], 1):
        lines.append(f"{_mark(item, i)}{title}。{body}")
        expected[f"2.1.{i}"] = f"{title}。{body}"
    lines.append(f"{_mark(sub, 1)}细化措施。明确责任分工。")
    expected["2.1.3.1"] = "细化措施。明确责任分工。"
    table = _table("\n".join(lines) + "\n")
    assert table["text"].to_dict() == expected
    assert table.loc["1.1", "lead_unit"] == "市卫健委"


# --- targets, furniture and the end of the body ------------------------------------------------

PLAN = """某县改革完善综合监管制度实施方案

一、工作目标
到2023年底，初步建立综合监管制度。
到2025年，全面建成综合监管体系。
二、重点任务
（一）强化信用监管
建立医疗机构信用记录，实施守信激励和失信惩戒。
（二）加强执法监督。开展专项整治。（责任单位：县卫健局）
---
（三）推进信息公开。定期公布监督检查结果。（责任单位：县卫健局）
附件：监督检查事项清单
（四）加强宣传引导。营造良好氛围。
责任单位：县委宣传部
抄送：县委办公室。
（五）强化考核。纳入绩效考核。（县政府办负责）

某县人民政府办公室
2023年3月1日
附件
监督检查事项清单
1.医疗机构依法执业情况。
2.公共场所卫生情况。
"""


def test_body_goes_on_after_a_rule_an_annex_label_and_a_distribution_line():
    table = _table(PLAN)
    assert list(table.index) == ["1", "2.1", "2.2", "2.3", "2.4", "2.5"]
    assert (
        table.loc["1", "text"]
        == "到2023年底，初步建立综合监管制度。到2025年，全面建成综合监管体系。"
    )
    assert (
        table.loc["2.1", "text"] == "强化信用监管。建立医疗机构信用记录，实施守信激励和失信惩戒。"
    )
    assert table.loc["2.4", "units"] == ["县委宣传部"]
    assert table.loc["2.5", "text"] == "强化考核。纳入绩效考核。"  # no signature, no date
    assert table.loc["2.5", "lead_unit"] == "县政府办"
    assert "医疗机构依法执业" not in "".join(table["text"])  # the annex is no task list


def test_every_line_is_a_task_furniture_or_preamble():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.txt"
        path.write_text(PLAN, encoding="utf-8")
        account = account_lines(read_document(path))
    source = [n for n, line in enumerate(PLAN.split("\n"), 1) if line.strip()]
    assert sorted(account.roles) == source
    counts = account.counts()
    assert counts == {
        "annex": 3, "annex-label": 2, "date": 1, "distribution": 1, "heading": 2, "preamble": 1,
        "rule": 1, "signature": 1, "task": 9,
    }  # fmt: skip
    assert account.dropped_lines == 6


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("今天天气晴朗。\n市民外出踏青。\n公园里游人如织。\n", "3 paragraphs, none numbered; no table with a task column"),
        ("会议通知\n1.时间：周一。\n姓名\t电话\n张三\t123\n", "4 paragraphs, only 1 numbered; 1 table without a header"),
    ],
)  # fmt: skip
def test_refusal_says_what_was_seen(tmp_path, text, seen):
    from plancheck.errors import InputError

    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        build_task_table(path)
    message = str(err.value)
    assert seen in message and "\n" not in message and "序号" in message


UNIT_NAMES = st.lists(
    st.sampled_from(["区发改局", "区财政局", "区卫健局", "市场监管局", "各街道办事处", "各县（市、区）人民政府"]),
    min_size=1, max_size=4, unique=True,
)  # fmt: skip


@FAST
@given(UNIT_NAMES, st.sampled_from(["：", ":"]), st.sampled_from(["、", "，"]), st.booleans())
def test_unit_lines_any_width_any_separator(units, colon, separator, lead_last):
    lead, partners = units[0], units[1:]
    lines = [f"牵头单位{colon}{lead}"]
    if partners:
        lines.insert(
            len(lines) if not lead_last else 0, f"配合单位{colon}{separator.join(partners)}"
        )
    text = "一、重点任务\n（一）强化信用监管。建立信用记录。\n" + "\n".join(lines)
    text += "\n（二）加强宣传。营造氛围。\n"
    table = _table(text)
    assert table.loc["1.1", "units"] == units
    assert table.loc["1.1", "text"] == "强化信用监管。建立信用记录。"


def test_regulation_items_sit_inside_their_article():
    # A 条例 in articles: （一） items belong to the article above them, a short last item is
    # text (not a heading), and articles keep their own numbers across chapters.
    text = "\n".join([
        "某市文明行为促进条例",
        "第一章　总则",
        "第一条　为了促进文明行为，制定本条例。",
        "第二条　精神文明建设委员会履行下列职责：",
        "（一）制定相关规划和计划；",
        "（二）其他工作。",
        "第三条　市人民政府应当制定相关政策措施。",
        "第二章　规范",
        "第四条　公民应当遵守下列规定：",
        "（一）文明用语；",
        "第五条　本条例自2022年1月1日起施行。",
    ]) + "\n"  # fmt: skip
    table = _table(text)
    assert table.index.tolist() == ["1.1", "1.2", "1.2.1", "1.2.2", "1.3", "2.4", "2.4.1", "2.5"]
    assert table.loc["1.2.2", "text"] == "其他工作。"
