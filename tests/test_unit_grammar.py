"""The responsible-unit grammar on generated notes (truth by construction) and on real ones.

Every generated note is built from a lead, partners, a deadline and a leader in one of the
ways plans write them; the parse must give back exactly those units in order, the lead, the
deadline, and say when the lead is only the first listed (shared duty, no lead label).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.ingest import build_task_table
from plancheck.normalise.units import extract_trailing_units, parse_unit_note

FAST = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
BODIES = [
    "区民政局", "区财政局", "省工业和信息化厅", "省通信管理局", "市委网信办", "省国资委",
    "各县（市、区）人民政府", "市卫生健康委", "合肥海关", "省残疾人联合会", "人行乐山市中心支行",
    "市发展改革委", "县卫生健康局", "省委宣传部", "市总工会", "国家税务总局四川省税务局",
]  # fmt: skip
LABEL_WORDS = ("牵头", "配合", "参与", "负责", "分工", "会同", "协同", "单位：", "：", "按职责")
DEADLINES = ["2024年底前完成", "持续推进", "长期坚持", "每年开展", "2023年6月底前", "6月底完成"]
LEADERS = ["分管副市长", "市政府分管领导", "分管副县长"]


def _labelled(lead: str, partners: list[str]) -> list[tuple[str, bool]]:
    """(note, lead is only by order) for notes that give the lead a label or a distinct role."""
    ps = "、".join(partners)
    forms = [f"{lead}牵头", f"牵头单位：{lead}", f"由{lead}牵头", f"{lead}（牵头）", f"{lead}负责"]
    if not partners:
        return [(f, False) for f in forms]
    return [
        (f"{lead}牵头，{ps}配合", False),
        (f"{lead}牵头，{ps}按职责分工配合", False),
        (f"{lead}牵头，{ps}参与", False),
        (f"{lead}负责，{ps}参与", False),
        (f"{lead}会同{ps}负责", False),
        (f"{lead}牵头，{ps}协同", False),
        (f"牵头单位：{lead}；配合单位：{ps}", False),
        (f"配合单位：{ps}；牵头单位：{lead}", False),
        (f"牵头单位：{lead}\u3000配合单位：{ps}", False),
        (f"牵头单位：{lead} 责任单位：{ps}", False),
        (f"{ps}配合，{lead}牵头", False),
        (f"由{lead}牵头，{ps}配合", False),
        (f"{lead}（牵头）、{ps}", False),
        (f"责任单位：{lead}、{ps}，列第一位的单位为牵头部门", False),
        (f"{lead}、{ps}分工负责", True),
        (f"{lead}、{ps}按职责分工负责", True),
        (f"{lead}、{ps}按职能分工负责", True),
        (f"{lead}、{ps}负责", True),
        (f"{lead}、{ps}等负责", True),
        (f"{lead}、{ps}等相关部门按职责分工负责", True),
        (f"责任单位：{lead}、{ps}", True),
        (f"责任单位：{lead}，{ps}", True),
        (f"{lead}，{ps}按职责分工负责", True),
        (f"{lead}、{ps}", True),
    ]


@FAST
@given(
    units=st.lists(st.sampled_from(BODIES), min_size=1, max_size=4, unique=True),
    form=st.integers(min_value=0, max_value=200),
    deadline=st.none() | st.sampled_from(DEADLINES),
    leader=st.none() | st.sampled_from(LEADERS),
    deadline_first=st.booleans(),
)
def test_generated_notes_give_units_lead_deadline_and_order_flag(
    units, form, deadline, leader, deadline_first
):
    lead, partners = units[0], units[1:]
    forms = _labelled(lead, partners)
    note, by_order = forms[form % len(forms)]
    if leader:
        note = f"{leader}，{note}"
    if deadline:
        note = f"{deadline}，{note}" if deadline_first else f"{note}；{deadline}"
    parsed = parse_unit_note(note)
    assert parsed.units == tuple(units), note
    assert parsed.lead == lead
    assert parsed.lead_by_order == by_order, note
    assert parsed.deadline == deadline, note
    assert parsed.leaders == ((leader,) if leader else ())
    for unit in parsed.units:  # role words never stay inside a unit name
        assert not any(word in unit for word in LABEL_WORDS) or unit in BODIES, note


@pytest.mark.parametrize(
    ("note", "units", "by_order", "deadline"),
    [
        ("省工业和信息化厅、省通信管理局分工负责", ("省工业和信息化厅", "省通信管理局"), True, None),
        ("区民政局牵头，区财政局配合；2024年底前完成", ("区民政局", "区财政局"), False, "2024年底前完成"),
        ("持续推进，牵头考核单位：市住建局、审批服务局", ("市住建局", "审批服务局"), False, "持续推进"),
        ("5月底取得明显成效并持续推进，牵头考核单位：市审批服务局", ("市审批服务局",), False,
         "5月底取得明显成效并持续推进"),
        ("各有关部门和单位，各省级人民政府按职责分工负责", ("各有关部门和单位", "各省级人民政府"), True, None),
        ("商务部、发展改革委等和各有关省级人民政府负责", ("商务部", "发展改革委", "各有关省级人民政府"),
         True, None),
        ("国家发展改革委、财政部会同有关部门负责", ("国家发展改革委", "财政部", "有关部门"), False, None),
        ("负责部门：民航局，适用范围：陕西自贸试验区", ("民航局",), False, None),
        ("生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出",
         ("试点城市政府", "生态环境部"), False, None),
        ("责任领导：分管副县长；责任单位：县卫健局；完成时限：2023年底", ("县卫健局",), False, "2023年底"),
        ("省残疾人联合会、会同县人民政府负责", ("省残疾人联合会", "会同县人民政府"), True, None),
    ],
)  # fmt: skip
def test_real_note_forms(note, units, by_order, deadline):
    parsed = parse_unit_note(note)
    assert (parsed.units, parsed.lead_by_order, parsed.deadline) == (units, by_order, deadline)


def test_note_with_deadline_is_a_note_and_keeps_its_units():
    text, note = extract_trailing_units(
        "开展专项整治（区民政局牵头，区财政局配合；2024年底前完成）。"
    )
    assert text == "开展专项整治" and note == "区民政局牵头，区财政局配合；2024年底前完成"
    text, note = extract_trailing_units("开展整治（2024年底前完成，牵头单位：区民政局）")
    assert note == "2024年底前完成，牵头单位：区民政局"


def _ingest(tmp_path: Path, text: str):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return build_task_table(path, plan_id="p").set_index("task_id")


def test_task_table_records_lead_by_order(tmp_path):
    table = _ingest(
        tmp_path,
        "某市工作方案\n为做好工作，制定本方案。\n一、重点任务\n"
        "（一）推进信息共享。建立共享平台（市发展改革委、市财政局按职责分工负责）。\n"
        "（二）推进数据开放。编制开放目录（市发展改革委牵头，市财政局配合）。\n"
        "（三）推进网络建设。\n牵头单位：市通信管理局　责任单位：市经济和信息化局\n完成时限：2024年底前\n"
        "二、保障措施\n",
    )
    assert table.loc["1.1", "units"] == ["市发展改革委", "市财政局"]
    assert table.loc["1.1", "lead_by_order"] and not table.loc["1.2", "lead_by_order"]
    assert table.loc["1.3", "units"] == ["市通信管理局", "市经济和信息化局"]
    assert (
        table.loc["1.3", "deadline_parsed"] == "2024-12" and not table.loc["1.3", "lead_by_order"]
    )


def test_first_listed_leads_below_holds_for_later_notes(tmp_path):
    table = _ingest(
        tmp_path,
        "某市工作方案\n为做好工作，制定本方案。\n一、重点任务\n"
        "（一）推进信息共享。建立平台（市发展改革委、市财政局负责，列第一位的为牵头单位，下同）。\n"
        "（二）推进数据开放。编制目录（市财政局、市发展改革委负责）。\n二、保障措施\n",
    )
    assert table.loc["1.2", "lead_unit"] == "市财政局"
    assert not table["lead_by_order"].any()


# --- the real documents -----------------------------------------------------------------


def _corpus() -> Path | None:
    """../shared/corpus beside the checkout (or $PLANCHECK_SHARED/corpus), if present."""
    if os.environ.get("PLANCHECK_SHARED"):
        found = Path(os.environ["PLANCHECK_SHARED"]) / "corpus"
        return found if found.is_dir() else None
    for folder in Path(__file__).resolve().parents:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return None


CORPUS = _corpus()
NOTE_RE = re.compile(r"（([^（）]{2,160}(?:牵头|负责|配合|参与)[^（）]{0,60})）")


@pytest.mark.skipif(CORPUS is None, reason="../shared/corpus is absent (a fresh clone)")
@pytest.mark.parametrize("folder", ["unit-forms", "national"])
def test_real_notes_leave_no_role_word_in_a_unit(folder):
    assert CORPUS is not None
    notes = {
        m.group(1)
        for path in sorted((CORPUS / folder).iterdir())
        for m in NOTE_RE.finditer(path.read_text(encoding="utf-8", errors="replace"))
    }
    assert len(notes) >= 20
    for note in sorted(notes):
        parsed = parse_unit_note(note)
        assert parsed.units, note
        for unit in parsed.units:
            assert not re.search(r"(?:牵头|配合|参与|负责|分工|协同|[:：])$", unit), note
            assert not unit.endswith("等"), note


def test_an_annex_of_tasks_with_notes_is_read_as_tasks(tmp_path):
    items = "".join(
        f"{n}．完成第{n}项工作。（6月底完成，牵头考核单位：市工信局）\n" for n in range(1, 5)
    )
    table = _ingest(
        tmp_path,
        "某市考评办法\n为做好考评，制定本办法。\n一、考评对象\n（一）各旗县区人民政府。\n"
        f"附件：考评指标\n附件\n考评指标\n一、政务服务\n（一）平台建设\n{items}",
    )
    annex = table[table.index.str.startswith("A.")]
    assert len(annex) == 4 and set(annex["lead_unit"]) == {"市工信局"}
    assert set(annex["deadline"]) == {"6月底完成"}


def test_an_annex_without_notes_stays_context(tmp_path):
    table = _ingest(
        tmp_path,
        "某市工作方案\n为做好工作，制定本方案。\n一、重点任务\n（一）推进共享。建立平台（市财政局负责）。\n"
        "（二）推进开放。编制目录（市财政局负责）。\n二、保障措施\n（一）加强领导。\n附件：部门职责\n附件\n部门职责\n一、财政\n1．管理预算。\n2．管理国库。\n3．管理债务。\n",
    )
    assert not table.index.str.startswith("A.").any()


def test_a_note_before_a_box_still_belongs_to_its_item(tmp_path):
    table = _ingest(
        tmp_path,
        "某省行动计划\n为推进工作，制定本计划。\n一、行动步骤\n（一）网络体系强基行动。\n"
        "\u3000\u30001﹒推进外网建设。"
        + "支持企业建设网络，推动网络融合。"
        * 6
        + "（责任单位：省通信管理局，各市人民政府）\n\n"
        "专栏1  网络互联互通工程\n\n优化网络基础设施，建设新型网络。\n\n"
        "2﹒推进内网改造。支持企业改造内网。（责任单位：省经济和信息化厅）\n二、保障措施\n",
    )
    assert table.loc["1.1.1", "units"] == ["省通信管理局", "各市人民政府"]
    assert "专栏1" in table.loc["1.1.1", "text"] and "责任单位" not in table.loc["1.1.1", "text"]
    assert table.loc["1.1.2", "lead_unit"] == "省经济和信息化厅"


def test_unnumbered_paragraphs_closed_by_notes_are_tasks(tmp_path):
    table = _ingest(
        tmp_path,
        "某省若干政策\n\n为推动发展，制定以下政策。\n\n一、支持平台建设\n\n"
        "\u3000\u3000培育平台。对新认定的平台给予奖励。（责任单位：省经济和信息化厅、省财政厅）\n\n"
        "二、支持企业上云\n\n"
        "\u3000\u3000推动企业上云。对上云企业给予补助。（责任单位：省通信管理局、省财政厅）\n\n"
        "三、附则\n\n本政策自2021年起执行。\n\n四、行动步骤\n\n（一）强基行动。\n\n"
        "\u3000\u30001．推进外网建设。支持企业建设网络。（责任单位：省通信管理局）\n",
    )
    assert table.loc["1.p1", "units"] == ["省经济和信息化厅", "省财政厅"]
    assert table.loc["2.p1", "lead_unit"] == "省通信管理局"
    assert table.loc["4.1.1", "lead_unit"] == "省通信管理局"


def test_progress_words_are_a_deadline_not_a_unit():
    parsed = parse_unit_note("按进度推进，牵头考核单位：市发改委")
    assert parsed.units == ("市发改委",) and parsed.deadline == "按进度推进"


def test_a_note_glued_to_the_closing_paragraph_is_the_last_items(tmp_path):
    table = _ingest(
        tmp_path,
        "某部门意见\n为推进工作，提出以下意见。\n一、主要措施\n（一）完善机制。建立机制。（商务部负责）\n"
        "（二）加大投入。鼓励社会资本投入。（财政部、商务部负责）各地区要加强组织领导，务求实效。\n",
    )
    assert table.loc["1.2", "units"] == ["财政部", "商务部"]
