"""Requirements only a higher level can carry: the nation's and its ministries' own duties."""

from __future__ import annotations

import pytest

from plancheck.align.wording import load_wording

WORDING = load_wording()


@pytest.mark.parametrize(
    "sentence",
    [
        "国家建立医疗卫生行业综合监管协调机制。",
        "国务院有关部门应当加强指导。",
        "科技部组织专家对试验区建设方案开展综合论证。",
        "工业和信息化部会同有关部门制定标准。",
        "市场监管总局统一部署抽查。",
        "国家卫生健康委建设全国监管信息平台。",
    ],
)
def test_a_sentence_whose_subject_is_a_national_body_is_higher_level(sentence) -> None:
    phrase = sentence.split("。")[0]
    assert WORDING.is_higher_level(phrase, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "市科技局组织专家论证。",  # the local counterpart: a duty the plan can carry
        "各有关部门要加强协作。",
        "落实国家有关规定，完善监管制度。",
        "按照国家标准建设平台。",
    ],
)
def test_local_bodies_and_national_rules_are_not_higher_level(sentence) -> None:
    phrase = sentence.split("。")[0]
    assert not WORDING.is_higher_level(phrase, sentence)


def test_the_ministry_must_open_the_sentence() -> None:
    sentence = "支持企业参与，科技部给予指导。"
    assert not WORDING.is_higher_level("支持企业参与，", sentence)
