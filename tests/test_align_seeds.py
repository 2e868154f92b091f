"""The diff on the seed pairs: what the issue's "done when" asks for."""

from __future__ import annotations

import pytest

from plancheck.align import diff_plans
from plancheck.align.model import PlanDiff


@pytest.fixture(scope="module")
def lingyuan(seed_tables) -> PlanDiff:
    info = (
        {"id": "liaoning-2019", "jurisdiction": "辽宁省"},
        {"id": "lingyuan-2021", "jurisdiction": "辽宁省凌源市"},
    )
    return diff_plans(
        seed_tables["liaoning-2019"],
        seed_tables["lingyuan-2021"],
        reference_info=info[0],
        target_info=info[1],
    )


@pytest.fixture(scope="module")
def leshan(seed_tables) -> PlanDiff:
    return diff_plans(seed_tables["guangyuan"], seed_tables["leshan"])


def _pairs(diff: PlanDiff) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    return {
        (tuple(r.task_id for r in c.reference), tuple(t.task_id for t in c.target))
        for c in diff.clauses
    }


def test_every_liaoning_clause_is_carried(lingyuan: PlanDiff) -> None:
    assert lingyuan.summary.omitted == 0 and lingyuan.summary.added == 0
    assert (("2.1.4",), ("2.1.4", "2.1.5")) in _pairs(lingyuan)  # split over two clauses
    assert (("2.2.4", "2.2.5"), ("2.2.4",)) in _pairs(lingyuan)  # two merged into one


def test_lingyuan_left_out_and_weakened(lingyuan: PlanDiff) -> None:
    omitted = [text for c in lingyuan.clauses for text in c.omitted_requirements]
    assert any("三医联动" in text and "举报平台" in text for text in omitted)
    assert any("黑名单" in text for text in omitted)
    changes = [
        (c.kind, c.rule, c.evidence)
        for clause in lingyuan.clauses
        for c in clause.changed_requirements
    ]
    assert ("weakened", "hedge_gained", ("基本",)) in changes  # 全省建成 -> 全市基本建成
    assert ("deadline_changed", "deadline_changed", ("到2020年", "到2020年底")) in changes


def test_every_leshan_row_maps_to_a_guangyuan_clause(leshan: PlanDiff) -> None:
    assert leshan.summary.added == 0
    omitted = [c.reference[0].text for c in leshan.clauses if c.status == "omitted"]
    assert any("督察" in text for text in omitted)  # Leshan has no row for the inspection clause
    assert leshan.summary.unit_changes > 0
