"""Requirement phrases (align.phrases): where a sentence is cut and what is joined back.

Every expected phrase below is worked out by hand from the rules in the module docstring."""

from __future__ import annotations

import pytest

from plancheck.align.phrases import Phrase, clause_phrases, phrases_of
from plancheck.align.text import jurisdiction_names, score_key


def _texts(body: str) -> list[str]:
    return [p.text for p in phrases_of(body)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # commas inside brackets, quotes and book titles do not cut
        (
            "建立（含县、区，乡镇）监管制度，完善“双随机，一公开”机制。",
            ["建立（含县、区，乡镇）监管制度，", "完善“双随机，一公开”机制。"],
        ),
        # nested: the inner bracket is blanked first, then the book title around it
        (
            "落实《关于（试行，修订）的意见》，建立工作台账，定期通报进展。",
            ["落实《关于（试行，修订）的意见》，", "建立工作台账，", "定期通报进展。"],
        ),
        # an opening bracket never closed does not protect its commas
        (
            "建立（含县区，乡镇监管制度，完善机制。",
            ["建立（含县区，", "乡镇监管制度，", "完善机制。"],
        ),
        # lead-ins go with the phrase they introduce
        (
            "对存在突出问题的地方，要约谈主要负责人，限期整改到位。",
            ["对存在突出问题的地方，要约谈主要负责人，", "限期整改到位。"],
        ),
        (
            "按照国家统一部署要求，完善监督制度，根据工作需要，健全考核机制。",
            ["按照国家统一部署要求，完善监督制度，", "根据工作需要，健全考核机制。"],
        ),
        # lead-ins known by their end (…基础上, 以…为重点, 按照…要求) keep their comma
        (
            "在此基础上，上级部门可确定重点监管机构，完善监督制度。",
            ["在此基础上，上级部门可确定重点监管机构，", "完善监督制度。"],
        ),
        (
            "完善监督制度，以医疗服务质量安全为重点，加强日常监管。",
            ["完善监督制度，", "以医疗服务质量安全为重点，加强日常监管。"],
        ),
        # a year lead-in, and a short purpose tail joined to the phrase before it
        (
            "到2020年，全市建成综合监管制度，确保监管到位。",
            ["到2020年，全市建成综合监管制度，确保监管到位。"],
        ),
        # a purpose tail longer than TAIL_MAX is a requirement of its own
        (
            "建成综合监管制度，确保各项改革措施落地见效取得实际成效。",
            ["建成综合监管制度，", "确保各项改革措施落地见效取得实际成效。"],
        ),
        # a lead-in at the end of a sentence has nothing to introduce: it stays alone
        ("完善制度机制，对存在问题的地方。", ["完善制度机制，", "对存在问题的地方。"]),
        # short pieces: forward inside the sentence, backward at its end
        ("加强监管工作，严，规范执业行为。", ["加强监管工作，", "严，规范执业行为。"]),
        ("规范执业行为，好。", ["规范执业行为，好。"]),
        ("好。", ["好。"]),
        # a piece without a letter is not a phrase
        ("加强监管工作，，完善制度机制。", ["加强监管工作，", "完善制度机制。"]),
        # ； ends a sentence; the phrases of each sentence are cut on their own
        ("建立制度；完善机制，加强日常监管。", ["建立制度；", "完善机制，", "加强日常监管。"]),
    ],
)
def test_phrase_cuts(body: str, expected: list[str]) -> None:
    assert _texts(body) == expected


def test_phrase_positions_are_in_the_sentence_and_text_is_stripped() -> None:
    phrases = phrases_of("提高行政审批效能。优化审批流程， 压缩办理时限。")
    assert phrases == [
        Phrase("提高行政审批效能。", 0, 0, 9, True),
        Phrase("优化审批流程，", 1, 0, 7, False),
        Phrase("压缩办理时限。", 1, 7, 15, False),
    ]


def test_title_only_when_more_sentences_follow() -> None:
    assert [p.title for p in phrases_of("提高行政审批效能。")] == [False]
    # a first sentence with a comma is not a title
    assert [p.title for p in phrases_of("提高效能，优化流程。压缩时限。")] == [False] * 3


def test_clause_phrases_keys_are_the_phrases_scoring_keys() -> None:
    body = "到2020年，全市（含县、区）建成“互联网+监管”系统；Ａ级 机构占比达到 80%。"
    clause = clause_phrases(body)
    assert clause.sentences == (
        "到2020年，全市（含县、区）建成“互联网+监管”系统；",
        "Ａ级 机构占比达到 80%。",
    )
    assert [p.text for p in clause.phrases] == list(clause.sentences)
    assert clause.keys == tuple(score_key(p.text) for p in clause.phrases)
    assert clause.keys[1] == "Ａ级机构占比达到80"


def test_empty_and_punctuation_only_bodies_have_no_phrases() -> None:
    for body in ("", "  ", "。；，", "（）"):
        clause = clause_phrases(body)
        assert clause.sentences == () and clause.phrases == () and clause.keys == ()


def test_masked_phrases_keep_their_keys_in_step() -> None:
    clause = clause_phrases("全市建成监管制度，加强凌源市卫生监督。完善工作机制。")
    texts, keys = clause.masked(jurisdiction_names("辽宁省凌源市"))
    assert texts == ["全◇建成监管制度，", "加强◇卫生监督。", "完善工作机制。"]
    assert keys == ["全建成监管制度", "加强卫生监督", "完善工作机制"]
    # no place named: the texts and keys as read
    assert clause_phrases("建立制度，完善机制。").masked(["凌源"]) == (
        ["建立制度，", "完善机制。"],
        ["建立制度", "完善机制"],
    )
