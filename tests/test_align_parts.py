"""The diff's building blocks: text, wording model, facts, units, similarity."""

from __future__ import annotations

import pytest

from plancheck.align.facts import sentence_facts
from plancheck.align.model import UnitChanges
from plancheck.align.similarity import PairSpace
from plancheck.align.text import (
    clause_body,
    jurisdiction_names,
    mask_all,
    mask_jurisdiction,
    split_sentences,
)
from plancheck.align.units import compare_units, compare_units_many, fallback_unit_key
from plancheck.align.wording import load_wording
from plancheck.errors import ConfigError


def test_clause_body_drops_number_and_unit_note() -> None:
    text = "3、落实主体责任。建立内部审计制度。（责任单位：市卫健委、医保局等相关部门）"
    assert clause_body(text) == "落实主体责任。建立内部审计制度。"
    assert split_sentences("建立制度；完善机制。加强监管") == [
        "建立制度；",
        "完善机制。",
        "加强监管",
    ]


def test_jurisdiction_masking() -> None:
    names = jurisdiction_names("辽宁省", "辽宁省凌源市")
    assert mask_jurisdiction("全省建成，建设健康辽宁", names) == mask_jurisdiction(
        "全市建成，建设健康凌源", names
    )


def test_masking_many_texts_with_a_separator_in_a_place_name() -> None:
    """A place name comes from plan metadata (untrusted): one holding the separator mask_all
    joins texts with must not merge or drop texts."""
    texts = ["全省建成凌源", "凌源推进", "加强监管"]
    names = ["源\x00凌", "凌源"]
    assert mask_all(texts, names) == [mask_jurisdiction(text, names) for text in texts]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("全省建成，本市推进", "全◇建成，本◇推进"),  # 全/我/本/各/该 + level word
        ("省级平台和县级机制", "◇级平台和◇级机制"),  # level word + 级
        ("各区、该县和我市", "各◇、该◇和我◇"),
        ("市场监管局和省卫生健康委", "市场监管局和省卫生健康委"),  # a level word in a name stays
        ("全省市县区级", "全◇市县◇级"),  # only the word next to 全 or before 级
    ],
)
def test_level_words_masked(text: str, masked: str) -> None:
    """Local adaptation of the level (全省 in the parent, 全市 in the city) is not a change."""
    assert mask_jurisdiction(text, []) == masked


@pytest.mark.parametrize(
    ("reference", "target", "expected"),
    [
        ("全◇建成综合监管制度", "全◇基本建成综合监管制度", [("hedge_gained", ("基本",))]),
        (
            "全面推行依法执业承诺制度",
            "逐步推行依法执业承诺制度",
            [("hedge_gained", ("逐步",)), ("degree_lost", ("全面",))],
        ),
        ("探索建立举报奖励制度", "建立举报奖励制度", [("hedge_dropped", ("探索",))]),
        ("全面实行电子化注册", "实行电子化注册", [("degree_lost", ("全面",))]),
        ("实行电子化注册", "全面实行电子化注册", [("degree_gained", ("全面",))]),
        ("实现信息互联互通", "推进信息互联互通", [("verb_softened", ("实现", "推进"))]),
        ("建立督查机制和责任追究机制", "建立责任追究机制", [("member_dropped", ("建立督查机制",))]),
        (
            "卫生健康部门会同有关部门落实",
            "各部门落实",
            [("body_generalised", ("卫生健康部门", "各部门"))],
        ),
        ("全◇医疗机构纳入监管", "重点医疗机构纳入监管", [("scope_narrowed", ("全◇", "重点"))]),
        ("基本建成监管制度", "基本建成监管制度", []),
        ("以习近平新时代中国特色社会主义思想为指导", "以党的十九大精神为指导", []),
    ],
)
def test_wording_rules(reference: str, target: str, expected: list) -> None:
    found = load_wording().explain(reference, target)
    assert [(f.rule, f.words) for f in found] == expected


def test_wording_rejects_bad_category(tmp_path) -> None:
    path = tmp_path / "wording.yaml"
    path.write_text("hedges: 逐步\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="hedges"):
        load_wording(path)


def test_sentence_facts() -> None:
    facts = sentence_facts("到2020年底，电子化注册率达到100%，每年开展考核")
    assert facts == {"dates": ("到2020年底",), "targets": ("100%", "每年")}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("省卫生健康委", "卫生健康"),
        ("市卫健委", "卫生健康"),
        ("县卫生健康局", "卫生健康"),
        ("市工商局", "市场监管"),
        ("凌源市司法局", "司法"),
    ],
)
def test_fallback_unit_key(name: str, key: str) -> None:
    assert fallback_unit_key(name, ["凌源市"]) == key


def test_compare_units() -> None:
    changes = compare_units(
        ["市卫健委", "市公安局"], ["市司法局", "市卫生健康委"], fallback_unit_key, fallback_unit_key
    )
    assert (changes.dropped, changes.added, changes.lead_changed) == (
        ("市公安局",),
        ("市司法局",),
        True,
    )
    assert not compare_units([], ["市卫健委"], fallback_unit_key, fallback_unit_key).any


def test_compare_units_many_by_each_sides_function() -> None:
    """Each side's units are keyed with its own lookup: a unit renamed at the other level is
    neither dropped nor added, the lead changes only when the first unit's function does, an
    unknown unit matches only its own name, and a side naming no units reports its lead only."""
    reference_key = {"省卫生健康委": "卫生健康", "省医保局": "医疗保障", "省公安厅": "公安"}.get
    target_key = {"市卫健委": "卫生健康", "市医保局": "医疗保障", "市司法局": "司法"}.get
    changes = compare_units_many(
        [
            (["省卫生健康委", "省医保局"], ["市卫健委", "市医保局"]),
            (["省卫生健康委", "省医保局"], ["市医保局", "市卫健委"]),
            (["省卫生健康委", "省公安厅", "省医保局"], ["市卫健委", "市司法局", "市医保局"]),
            (["示范中心", "省公安厅"], ["市司法局", "示范中心"]),
            ([], ["市卫健委"]),
            (["省公安厅"], []),
        ],
        reference_key,
        target_key,
    )
    assert changes == [
        UnitChanges((), (), "省卫生健康委", "市卫健委", lead_changed=False),
        UnitChanges((), (), "省卫生健康委", "市医保局", lead_changed=True),
        UnitChanges(("省公安厅",), ("市司法局",), "省卫生健康委", "市卫健委", lead_changed=False),
        UnitChanges(("省公安厅",), ("市司法局",), "示范中心", "市司法局", lead_changed=True),
        UnitChanges(reference_lead=None, target_lead="市卫健委"),
        UnitChanges(reference_lead="省公安厅", target_lead=None),
    ]
    assert [change.any for change in changes] == [False, True, True, True, False, False]


def test_group_cosine_is_exact_for_concatenation() -> None:
    space = PairSpace(["建立举报平台加强药品管理"], ["建立举报平台", "加强药品管理", "其他"])
    direct = PairSpace(["建立举报平台加强药品管理"], ["建立举报平台加强药品管理"])
    assert space.run_cos(0, 2)[0, 0] == pytest.approx(space.group_cos([0], [0, 1]))
    assert space.run_cos(0, 2).shape == (1, 2)  # runs of two start at 0 and 1 only
    assert space.group_cos([0], [0, 1]) > space.cos[0, 0]
    assert direct.cos[0, 0] == pytest.approx(1.0)


def test_changed_fields_flat_and_nested_records() -> None:
    """Flat records are compared field by field; nested ones go through DeepDiff, whose paths
    come back as plain field names."""
    from plancheck.align.facts import changed_fields_by_key

    before = {0: {"units": {"市卫健委"}, "lead": "市卫健委"}, 1: {"targets": {"by": ["2020年"]}}}
    after = {0: {"units": {"市卫健委"}, "lead": "市医保局"}, 1: {"targets": {"by": ["2022年"]}}}
    assert changed_fields_by_key(before, after) == {0: {"lead"}, 1: {"targets"}}
    assert changed_fields_by_key(before, before) == {0: set(), 1: set()}
