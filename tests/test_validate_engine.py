"""The validation engine: distinct-name resolution, pandera collection, ordering, errors."""

from __future__ import annotations

import pytest
from test_validate_support import FakeRegistry, plan, row, tasks

from plancheck.validate.checks import CHECKS, register_check
from plancheck.validate.engine import validate_tasks
from plancheck.validate.rulebook import Rule, RuleBook, load_rulebook

BOOK = load_rulebook()


def test_each_distinct_unit_is_resolved_once() -> None:
    registry = FakeRegistry()
    frame = tasks(*[row(task_id=f"1.{i}", units=["市卫健委", "医保局"]) for i in range(1, 201)])
    findings = validate_tasks(frame, plan(), BOOK, registry=registry)
    assert sorted(registry.calls) == ["医保局", "市卫健委"]
    assert len([f for f in findings if f.code == "PC103"]) == 400


def test_findings_are_sorted_and_deterministic() -> None:
    frame = tasks(
        row(task_id="1.2", units=[], line_start=9),
        row(task_id="1.1", units=["医保局"], line_start=3),
    )
    first = validate_tasks(frame, plan(), BOOK, registry=FakeRegistry())
    again = validate_tasks(frame.iloc[::-1], plan(), BOOK, registry=FakeRegistry())
    assert [f.sort_key() for f in first] == sorted(f.sort_key() for f in first)
    assert first == again


def test_a_crashing_check_is_an_error_not_a_finding() -> None:
    @register_check("always_crashes")
    def always_crashes(ctx):
        raise ZeroDivisionError("bug")

    rule = Rule(
        "PC999",
        "crash",
        "always_crashes",
        BOOK.rules[0].severity,
        {"zh": "x", "en": "x"},
        {"zh": "", "en": ""},
        "",
        "",
    )
    try:
        with pytest.raises(ZeroDivisionError):
            validate_tasks(tasks(row()), plan(), RuleBook((rule,)), registry=FakeRegistry())
    finally:
        CHECKS.pop("always_crashes")


def test_document_findings_point_at_the_task_holding_the_line() -> None:
    frame = tasks(
        row(task_id="1.1", line_start=1, line_end=2), row(task_id="1.2", line_start=4, line_end=5)
    )
    lines = ["加强监管。", "联系人：张三", "", "", "电子邮箱：a@b.cn", "联系电话：13912345678"]
    found = validate_tasks(
        frame, plan(), BOOK.select(["PC5"]), registry=FakeRegistry(), source_lines=lines
    )
    assert [(f.code, f.task_id, f.line) for f in found] == [
        ("PC503", "1.1", 2),
        ("PC502", "1.2", 5),
        ("PC501", None, 6),
    ]


def test_empty_table_gives_no_findings() -> None:
    frame = tasks(row()).iloc[0:0]
    assert validate_tasks(frame, plan(), BOOK, registry=FakeRegistry()) == []
