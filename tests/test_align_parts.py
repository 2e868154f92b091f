"""The diff's building blocks: text, lexicon, facts, units, similarity."""

from __future__ import annotations

import numpy as np
import pytest

from plancheck.align.facts import sentence_facts
from plancheck.align.lexicon import load_lexicon
from plancheck.align.similarity import PairSpace
from plancheck.align.text import clause_body, jurisdiction_names, mask_jurisdiction, split_sentences
from plancheck.align.units import compare_units, fallback_unit_key
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


@pytest.mark.parametrize(
    ("reference", "target", "expected"),
    [
        (
            "到2020年，全省建成综合监管制度",
            "到2020年底，全市基本建成综合监管制度",
            [("weakened", "建成 → 基本建成")],
        ),
        (
            "全面推行依法执业承诺制度",
            "逐步推行依法执业承诺制度",
            [("weakened", "全面推行 → 逐步推行"), ("weakened", "全面 → 逐步")],
        ),
        ("探索建立举报奖励制度", "建立举报奖励制度", [("strengthened", "探索建立 → 建立")]),
        ("严禁租借执业证照", "规范执业证照管理", [("weakened", "严禁 → 规范")]),
        ("全面实行电子化注册", "实行电子化注册", [("weakened", "全面 → （删去）")]),
        ("基本建成监管制度", "基本建成监管制度", []),
        ("实行电子化注册", "全面实行电子化注册", []),  # adding 全面 is not read as firming up
    ],
)
def test_lexicon(reference: str, target: str, expected: list[tuple[str, str]]) -> None:
    assert load_lexicon().compare(reference, target) == expected


def test_lexicon_rejects_bad_entry(tmp_path) -> None:
    path = tmp_path / "wording.yaml"
    path.write_text("entries:\n  - strong: 建成\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="weak"):
        load_lexicon(path)


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


def test_group_cosine_is_exact_for_concatenation() -> None:
    space = PairSpace(["建立举报平台加强药品管理"], ["建立举报平台", "加强药品管理", "其他"])
    direct = PairSpace(["建立举报平台加强药品管理"], ["建立举报平台加强药品管理"])
    assert space.split_cos(2)[0, 0] == pytest.approx(space.group_cos([0], [0, 1]))
    assert np.isnan(space.split_cos(2)[0, 2])
    assert space.group_cos([0], [0, 1]) > space.cos[0, 0]
    assert direct.cos[0, 0] == pytest.approx(1.0)
