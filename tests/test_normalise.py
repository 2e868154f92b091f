"""Each normalisation step on its own."""

from __future__ import annotations

import pytest

from plancheck.normalise.deadlines import parse_deadline
from plancheck.normalise.numbering import CLAUSE, ITEM, PART, SUBITEM, chinese_numeral, parse_marker
from plancheck.normalise.text import (
    match_key,
    repair_gbk_shift,
    strip_pinyin,
    tidy_spaces,
    to_simplified,
)
from plancheck.normalise.units import extract_trailing_units, split_units


@pytest.mark.parametrize(
    ("text", "level", "number", "rest"),
    [
        ("一、总体要求", PART, 1, "总体要求"),
        ("十一、保障", PART, 11, "保障"),
        ("（二十四）加强宣传引导", CLAUSE, 24, "加强宣传引导"),
        ("(一)落实监管责任", CLAUSE, 1, "落实监管责任"),
        ("1、加强党的领导", ITEM, 1, "加强党的领导"),
        ("5.\xa0开展大型医用设备", ITEM, 5, "开展大型医用设备"),
        ("12．推进", ITEM, 12, "推进"),
        ("（3）细化", SUBITEM, 3, "细化"),
    ],
)
def test_markers(text, level, number, rest):
    marker, remainder = parse_marker(text)
    assert (marker.level, marker.number, remainder) == (level, number, rest)


@pytest.mark.parametrize("text", ["2019年底前完成", "1.5倍", "统一监管", "一是完善协同监管机制"])
def test_not_markers(text):
    assert parse_marker(text)[0] is None


@pytest.mark.parametrize(
    ("raw", "units"),
    [
        ("责任单位：市卫健委、市政府督查室、市场监管局、医保局等相关单位，列第一位的单位为牵头部门，下同",
         ["市卫健委", "市政府督查室", "市场监管局", "医保局"]),
        ("市委组织部、市卫生健康委、各县区人民政府负责。排在第一位的部门为牵头部门，下同",
         ["市委组织部", "市卫生健康委", "各县区人民政府"]),
        ("市委组织部、市卫生健康委（排在第一位的为牵头单位，下同）", ["市委组织部", "市卫生健康委"]),
        ("市市场监管局、市卫生健康委、市医保局按职能分工负责", ["市市场监管局", "市卫生健康委", "市医保局"]),
        ("市卫生健康委、各县（市、区）人民政府", ["市卫生健康委", "各县（市、区）人民政府"]),
        ("责任单位:市卫健委等相关部门", ["市卫健委"]),
        ("市卫健委、市发展改革委等", ["市卫健委", "市发展改革委"]),
    ],
)  # fmt: skip
def test_split_units(raw, units):
    assert split_units(raw) == units


def test_trailing_units_note_is_separated_from_text():
    text, note = extract_trailing_units("加大监管力度。(责任单位:市卫健委、营商局等相关部门)")
    assert (text, note) == ("加大监管力度。", "责任单位:市卫健委、营商局等相关部门")
    text, note = extract_trailing_units("依法向社会公开监管信息（责任单位：市卫健委、发改局）")
    assert note == "责任单位：市卫健委、发改局"


def test_ordinary_trailing_brackets_are_not_units():
    text = "实施联合惩戒措施。（试点区县：忠县）"
    assert extract_trailing_units(text) == (text, None)
    assert extract_trailing_units("加强医联体（医共体、医疗集团等）") == (
        "加强医联体（医共体、医疗集团等）",
        None,
    )


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("2019年7月", "2019-07"),
        ("持续开展", "ongoing"),
        ("2019年底", "2019-12"),
        ("2020年6月底前", "2020-06"),
        ("2019年8月至2020年8月", "2020-08"),
        ("2020年9月15日前", "2020-09-15"),
        ("2020年", "2020"),
        ("下月", None),
        ("2019年13月", None),
        ("", None),
    ],
)
def test_deadlines(text, parsed):
    assert parse_deadline(text) == parsed


def test_traditional_to_simplified_and_pinyin():
    assert to_simplified(strip_pinyin("醫(yī)療衛(wèi)生行業(yè)")) == "医疗卫生行业"
    assert strip_pinyin("附件(PDF)和(a)") == "附件(PDF)和(a)"  # no tone mark: not pinyin


def test_pdf_spaces_between_cjk_and_digits():
    assert tidy_spaces("到 2020 年，建立") == "到2020年，建立"
    assert tidy_spaces("\xa0 健全\u3000机制 ") == "健全机制"


def test_gbk_shift_repair_restores_clause_number():
    damaged = "?。ǘ\ue46a┩怀鲋攸c領域,深化"
    assert repair_gbk_shift(damaged) == "（二）突出重點領域,深化"
    assert repair_gbk_shift("是否?正常文本") == "是否?正常文本"


def test_match_key_unifies_punctuation_only():
    assert match_key("（一）加强，监管。") == match_key("(一)加强,监管.")
    assert match_key("加强监管") != match_key("加强管理")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("两", 2),
        ("九十九", 99),
        ("一百零一", 101),
    ],
)
def test_chinese_numerals_read_as_numbers(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize("text", ["", "一二", "十十", "二十十", "百百"])
def test_malformed_chinese_numerals_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        chinese_numeral(text)


def test_short_numerals_read_the_same_as_cn2an() -> None:
    """The plain-code reading of 一…九十九 agrees with cn2an on every short span."""
    import itertools

    import cn2an

    def by_cn2an(text: str) -> int | None:
        try:
            return int(cn2an.cn2an(text.replace("两", "二"), "strict"))
        except ValueError:
            return None

    def ours(text: str) -> int | None:
        try:
            return chinese_numeral(text)
        except ValueError:
            return None

    spans = ("".join(p) for n in (1, 2, 3) for p in itertools.product("一二五九十两零百", repeat=n))
    assert all(ours(t) == by_cn2an(t) for t in spans)
