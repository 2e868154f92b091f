"""A sample of the accuracy benchmark's single edits, pinned: the diff of a clause against a copy
with one known edit reports exactly that edit (benchmarks/bench_accuracy.py runs all of them)."""

from __future__ import annotations

import pytest
from test_align_synthetic import CLAUSES, reference, table

from plancheck.align import diff_plans
from plancheck.align.text import score_key

EDITS = [
    # (clause number, old, new, expected (kind, rule); "omitted" for a left-out phrase)
    (2, "，并纳入重大事项督查范围", "", "omitted"),
    (8, "加强医务人员行风教育，", "", "omitted"),
    (11, "扩大在线监测应用范围", "扩大在线监测应用范围", None),
    (7, "强化公立医院", "逐步强化公立医院", ("weakened", "hedge_gained")),
    (7, "全面推开医疗保险智能监控", "推开医疗保险智能监控", ("weakened", "degree_lost")),
    (11, "实现与各医疗卫生机构", "推进与各医疗卫生机构", ("weakened", "verb_softened")),
    (9, "环境保护、食品安全、职业卫生", "环境保护、职业卫生", ("weakened", "member_dropped")),
    (5, "电子化注册率达到100%", "电子化注册率达到90%", ("target_changed", "target_changed")),
    (11, "到2020年", "到2021年", ("deadline_changed", "deadline_changed")),
]


@pytest.mark.parametrize(("row", "old", "new", "expected"), EDITS)
def test_single_edit_is_reported_and_nothing_else(row, old, new, expected) -> None:
    items = list(CLAUSES)
    text, units = items[row - 1]
    assert old in text
    items[row - 1] = (text.replace(old, new, 1), units)
    diff = diff_plans(reference(), table("tgt", items))
    changed = [(c.kind, c.rule) for cl in diff.clauses for c in cl.changed_requirements]
    omitted = [t for cl in diff.clauses for t in cl.omitted_requirements]
    if expected is None:
        assert not changed and not omitted
    elif expected == "omitted":
        assert [score_key(t) for t in omitted] == [score_key(old)] and not changed
    else:
        assert changed == [expected] and not omitted
