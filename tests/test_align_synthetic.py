"""Synthetic pairs whose differences are known by construction.

The reference is twelve clauses taken from the seed plans; each test perturbs a copy of it in
one known way (other diff tests import ``CLAUSES`` and ``table`` from here)."""

from __future__ import annotations

import pandas as pd
import pytest

from plancheck.align import diff_plans, prepare_plan
from plancheck.align.model import PlanDiff
from plancheck.table.schemas import TASK_COLUMNS

CLAUSES: list[tuple[str, list[str]]] = [
    (
        "加强党的领导。坚持和加强党对医疗卫生行业的全面领导。加强社会办医疗机构的党建工作。强化党风廉政建设和行风建设，加大医疗卫生行业反腐败力度。",
        ["市卫健委"],
    ),
    (
        "明确监管责任。建立综合监管督查机制和责任追究机制，并纳入重大事项督查范围。建立由卫生健康部门牵头，有关部门参与的综合监管协调机制。",
        ["市卫健委", "市政府督查室", "市场监管局"],
    ),
    (
        "落实医疗卫生机构主体责任。医疗卫生机构对本机构依法规范执业、保障服务质量安全、推进行风建设等承担主体责任。建立和完善医疗质量安全院、科两级责任制和内部审计制度。",
        ["市卫健委", "医保局"],
    ),
    (
        "发挥社会监督作用。医疗卫生机构自觉接受人大代表、政协委员以及新闻媒体在内社会各界广泛参与的监督。建立全市“三医联动”综合监管举报平台。完善舆情监测和处置机制。",
        ["市卫健委", "市委宣传部", "市委网信办"],
    ),
    (
        "加强医疗卫生服务要素准入。推进社会办医疗机构跨部门全流程综合网上审批，实现“一网通办”。全面实行医疗机构、医师和护士电子化注册，电子化注册率达到100%。",
        ["市卫健委", "市场监管局"],
    ),
    (
        "加强药品耗材医疗器械监管。组织开展药品、耗材集中采购。建立和完善临床用药超常预警、辅助用药和高值耗材跟踪监控、抗菌药物合理使用管理制度。",
        ["市卫健委", "医保局", "市场监管局"],
    ),
    (
        "加强医疗机构运行监管。强化公立医院经济运行和财务活动的会计和审计监督。每年对公立医院开展综合绩效考核。全面推开医疗保险智能监控。",
        ["市卫健委", "财政局", "审计局"],
    ),
    (
        "加强医疗卫生行业作风建设。完善医德医风考评制度，加强医务人员行风教育，严格执行“九不准”等相关制度。完善纠风联合惩戒“黑名单”制度。",
        ["市卫健委", "医保局"],
    ),
    (
        "加强公共卫生服务监管。依法加强对环境保护、食品安全、职业卫生、精神卫生、放射卫生、传染病防治等公共卫生服务的监管。严厉打击骗取、套取公共卫生资金行为。",
        ["市卫健委", "发改局", "财政局"],
    ),
    (
        "落实“双随机、一公开”抽查制度，提升监管效能。完善抽查事项清单，持续扩大随机抽查比例，不断提升事中事后监管效能。",
        ["市卫健委", "市场监管局"],
    ),
    (
        "推进综合监管信息化。到2020年，全市建成医疗卫生行业综合监管信息系统，实现与各医疗卫生机构监管信息互联互通。扩大在线监测应用范围。",
        ["市卫健委", "市委网信办"],
    ),
    (
        "推进监督执法体系规范化建设。加强卫生健康执法监督体系建设，完善依法履职所需的业务用房、设备购置以及执法经费等保障措施。加强医疗卫生行业执法监督队伍作风和纪律建设。",
        ["市卫健委", "财政局"],
    ),
]


def table(plan_id: str, items: list[tuple[str, list[str]]], kind: str = "item") -> pd.DataFrame:
    """A task table with one row per (text, units); task ids 1..n, two source lines each."""
    rows = []
    for k, (text, units) in enumerate(items, start=1):
        rows.append(
            {
                "plan_id": plan_id,
                "task_id": str(k),
                "seq": k,
                "kind": kind,
                "section": "重点任务",
                "heading": "",
                "text": text,
                "units": list(units),
                "units_raw": "、".join(units),
                "lead_unit": units[0] if units else None,
                "lead_by_order": False,
                "units_inherited": False,
                "deadline": None,
                "deadline_parsed": None,
                "source_file": f"{plan_id}.txt",
                "line_start": 2 * k,
                "line_end": 2 * k + 1,
            }
        )
    return pd.DataFrame(rows, columns=TASK_COLUMNS)


def reference() -> pd.DataFrame:
    return table("ref", CLAUSES)


def _diff(items: list[tuple[str, list[str]]]) -> PlanDiff:
    return diff_plans(reference(), table("tgt", items))


def _groups(diff: PlanDiff) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [
        (c.status, tuple(r.task_id for r in c.reference), tuple(t.task_id for t in c.target))
        for c in diff.clauses
    ]


def _clause(diff: PlanDiff, ref_id: str):
    return next(c for c in diff.clauses if ref_id in [r.task_id for r in c.reference])


def test_unchanged_copy_has_no_differences() -> None:
    diff = _diff(CLAUSES)
    assert _groups(diff) == [("kept", (str(k),), (str(k),)) for k in range(1, 13)]
    assert all(
        not c.omitted_requirements and not c.changed_requirements and not c.units.any
        for c in diff.clauses
    )
    assert diff.summary.coverage == 1.0


def test_rows_out_of_seq_order_are_read_in_seq_order() -> None:
    shuffled = table("tgt", CLAUSES).iloc[::-1].reset_index(drop=True)  # seq 12, 11, ..., 1
    assert [c.task_id for c in prepare_plan(shuffled).clauses] == [str(k) for k in range(1, 13)]
    diff = diff_plans(reference(), shuffled)
    assert _groups(diff) == [("kept", (str(k),), (str(k),)) for k in range(1, 13)]


def test_removed_clause_is_omitted() -> None:
    diff = _diff(CLAUSES[:5] + CLAUSES[6:])
    assert ("omitted", ("6",), ()) in _groups(diff)
    assert diff.summary.omitted == 1 and diff.summary.kept == 11


def test_split_clause_is_one_group() -> None:
    first, second = CLAUSES[3][0].split("建立全市")
    items = (
        CLAUSES[:3] + [(first, CLAUSES[3][1]), ("建立全市" + second, CLAUSES[3][1])] + CLAUSES[4:]
    )
    assert ("kept", ("4",), ("4", "5")) in _groups(_diff(items))


def test_merged_clauses_are_one_group() -> None:
    merged = (
        CLAUSES[5][0] + CLAUSES[6][0],
        CLAUSES[5][1] + [u for u in CLAUSES[6][1] if u not in CLAUSES[5][1]],
    )
    groups = _groups(_diff(CLAUSES[:5] + [merged] + CLAUSES[7:]))
    assert any(refs == ("6", "7") and tgts == ("6",) for _, refs, tgts in groups)


def test_moved_clause_is_still_found() -> None:
    diff = _diff(CLAUSES[1:] + CLAUSES[:1])
    assert ("kept", ("1",), ("12",)) in _groups(diff)
    assert diff.summary.omitted == 0 and diff.summary.added == 0


def test_weakened_wording() -> None:
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), items[10][1])
    clause = _clause(_diff(items), "11")
    assert clause.status == "changed"
    assert [(c.kind, c.rule, c.evidence) for c in clause.changed_requirements] == [
        ("weakened", "hedge_gained", ("基本",))
    ]


def test_redated_target() -> None:
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("到2020年", "到2022年底"), items[10][1])
    kinds = [(c.kind, c.detail) for c in _clause(_diff(items), "11").changed_requirements]
    assert kinds == [("deadline_changed", "到2020年 → 到2022年底")]


def test_changed_percentage_and_frequency() -> None:
    items = list(CLAUSES)
    items[4] = (items[4][0].replace("100%", "90%"), items[4][1])
    items[6] = (items[6][0].replace("每年", "定期"), items[6][1])
    diff = _diff(items)
    assert {c.kind for c in _clause(diff, "5").changed_requirements} == {"target_changed"}
    changes = _clause(diff, "7").changed_requirements
    assert [(c.kind, c.detail) for c in changes] == [("target_changed", "每年 → 定期")]


def test_requirement_copied_word_for_word_is_not_paired_with_a_dated_restatement() -> None:
    # the target keeps 扩大在线监测应用范围。 as it was, and also restates it after a date:
    # the requirement is carried unchanged, so no deadline change is reported for it
    items = list(CLAUSES)
    items[10] = (
        items[10][0].replace("到2020年，全市建成", "到2021年，扩大在线监测应用范围，建设"),
        items[10][1],
    )
    clause = _clause(_diff(items), "11")
    assert all(c.reference != "扩大在线监测应用范围。" for c in clause.changed_requirements)
    assert "扩大在线监测应用范围。" not in clause.omitted_requirements


def test_left_out_platform() -> None:
    items = list(CLAUSES)
    items[3] = (items[3][0].replace("建立全市“三医联动”综合监管举报平台。", ""), items[3][1])
    clause = _clause(_diff(items), "4")
    assert clause.omitted_requirements == ("建立全市“三医联动”综合监管举报平台。",)


def test_unit_dropped_and_lead_changed() -> None:
    items = list(CLAUSES)
    items[1] = (items[1][0], ["市卫健委", "市场监管局"])
    items[8] = (items[8][0], ["财政局", "市卫健委", "发改局"])
    diff = _diff(items)
    assert _clause(diff, "2").units.dropped == ("市政府督查室",)
    units = _clause(diff, "9").units
    assert (units.lead_changed, units.reference_lead, units.target_lead) == (
        True,
        "市卫健委",
        "财政局",
    )


def test_units_compared_by_function() -> None:
    items = [
        (text, [u.replace("市卫健委", "县卫生健康局") for u in units]) for text, units in CLAUSES
    ]
    assert all(not c.units.any for c in _diff(items).clauses)


def test_added_local_clause() -> None:
    local = (
        "加强核酸检测实验室建设，保障核酸检测实验室正常规范运行，不断提升核酸检测能力。",
        ["市卫健委"],
    )
    diff = _diff(CLAUSES + [local])
    assert _groups(diff)[-1] == ("added", (), ("13",))
    assert diff.summary.added == 1


@pytest.mark.parametrize("rows", [0, 1])
def test_degenerate_tables(rows: int) -> None:
    diff = _diff(CLAUSES[:rows])
    assert diff.summary.omitted == 12 - rows


UNRELATED: list[tuple[str, list[str]]] = [
    (
        "推进农村生活垃圾治理。建立村收集、镇转运、县处理的收运体系，到2022年覆盖所有行政村。",
        ["县住建局"],
    ),
    (
        "开展厕所革命。因地制宜推进农村户用厕所改造，同步实施粪污治理，加强后续管护。",
        ["县农业农村局"],
    ),
    (
        "加强农村生活污水治理。以乡镇政府驻地和中心村为重点，梯次推进污水处理设施建设。",
        ["生态环境分局"],
    ),
    (
        "提升村容村貌。加快推进通村组道路硬化，整治公共空间和庭院环境，清理私搭乱建。",
        ["县交通运输局"],
    ),
    (
        "完善建设和管护机制。明确地方政府和职能部门运行管理责任，推行环境治理依效付费制度。",
        ["县财政局"],
    ),
    ("加强组织领导。把农村人居环境整治纳入乡村振兴实绩考核，强化督导检查。", ["县委农办"]),
]


def test_unrelated_plans_have_low_coverage() -> None:
    # a village-environment work plan against the health-supervision plan: same genre (加强…,
    # 建立…机制, 组织领导), no shared requirement, so nearly nothing is carried
    diff = diff_plans(reference(), table("tgt", UNRELATED))
    assert diff.summary.coverage <= 0.2
    assert diff.summary.requirement_coverage <= 0.2


def test_unchanged_copy_reports_nothing() -> None:
    diff = diff_plans(reference(), table("tgt", CLAUSES))
    assert {c.status for c in diff.clauses} == {"kept"}
    assert diff.summary.requirement_coverage == 1.0


def test_deadline_column_changed() -> None:
    ref, tgt = reference(), table("tgt", CLAUSES)
    for frame, written, parsed in ((ref, "2019年9月", "2019-09"), (tgt, "2019年底", "2019-12")):
        frame.loc[2, ["deadline", "deadline_parsed"]] = [written, parsed]
    changes = _clause(diff_plans(ref, tgt), "3").changed_requirements
    assert [(c.kind, c.rule, c.reference, c.target, c.detail) for c in changes] == [
        ("deadline_changed", "deadline_column", "2019年9月", "2019年底", "2019-09 → 2019-12")
    ]


def test_each_carried_phrase_keeps_its_evidence() -> None:
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), items[10][1])
    clause = _clause(_diff(items), "11")
    evidence = {c.reference: (c.target, c.similarity) for c in clause.carried}
    assert clause.carried_requirements == clause.requirements == len(evidence)
    assert evidence["扩大在线监测应用范围。"] == ("扩大在线监测应用范围。", 1.0)
    target, similarity = evidence["到2020年，全市建成医疗卫生行业综合监管信息系统，"]
    assert target == "到2020年，全市基本建成医疗卫生行业综合监管信息系统，" and 0.6 < similarity < 1


@pytest.mark.parametrize(
    ("clause", "kept", "dropped"),
    [
        (0, "建立风险分级管控机制。", "实施风险管控。"),
        (1, "加强对非营利性医疗机构资金使用的审计监督。", "加强资金使用监管。"),
    ],
)
def test_a_phrase_copied_for_another_requirement_does_not_carry_a_dropped_one(
    clause, kept, dropped
) -> None:
    """A target phrase that restates one reference requirement word for word is that
    requirement's carrier, not a paraphrase of a dropped sibling sharing its words."""
    ref_items = list(CLAUSES)
    text, units = ref_items[clause]
    ref_items[clause] = (text + kept + dropped, units)
    target_items = list(CLAUSES)
    target_items[clause] = (text + kept, units)
    diff = diff_plans(table("ref", ref_items), table("tgt", target_items))
    omitted = _clause(diff, str(clause + 1)).omitted_requirements
    assert [t.rstrip("。") for t in omitted] == [dropped.rstrip("。")]
