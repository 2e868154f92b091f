"""Rule cases kept as data (tests/rule_cases/*.yaml): rows in, expected findings out."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_validate_support import FakeRegistry, numbered, plan, row, tasks

from plancheck.validate.engine import validate_tasks
from plancheck.validate.rulebook import load_rulebook

CASES_DIR = Path(__file__).parent / "rule_cases"
BOOK = load_rulebook()


def _load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases += [(entry["rule"], case) for case in entry["cases"]]
    return cases


CASES = _load_cases()


def _run(code: str, case: dict) -> list:
    frame = numbered(*case["ids"]) if "ids" in case else tasks(*[row(**r) for r in case["rows"]])
    plan_fields = {"issued": "2021-02-17", **case.get("plan", {})}
    return validate_tasks(
        frame,
        plan(**plan_fields),
        BOOK.select([code]),
        registry=FakeRegistry(),
        source_lines=case.get("source_lines"),
    )


@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{c}-{case['name']}" for c, case in CASES])
def test_rule_case(code: str, case: dict) -> None:
    findings = _run(code, case)
    assert [(f.code, f.task_id, f.line) for f in findings] == [tuple(e) for e in case["expect"]]
    if "fixes" in case:
        assert [f.fix for f in findings] == case["fixes"]
    for finding in findings:
        assert case.get("message_contains", "") in finding.message
        assert not any(value in finding.message for value in case.get("message_excludes", []))


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    for rule in BOOK.rules:
        mine = [case for code, case in CASES if code == rule.code]
        assert any(case["expect"] for case in mine), f"{rule.code} has no failing case"
        assert any(not case["expect"] for case in mine), f"{rule.code} has no passing case"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_render_in_both_languages(lang: str) -> None:
    frame = tasks(row(task_id="1.1", units=["市卫健委"]))
    findings = validate_tasks(
        frame, plan(), BOOK.select(["PC103"]), registry=FakeRegistry(), lang=lang
    )
    expected = "规范名称" if lang == "zh" else "canonical name"
    assert expected in findings[0].message and "{" not in findings[0].message


def test_the_rule_and_the_stderr_note_share_one_confidence_bar():
    from plancheck.ingest.formats import ocr
    from plancheck.validate.checks import text

    (rule,) = [r for r in BOOK.rules if r.code == "PC308"]
    assert text.LOW_CONFIDENCE == ocr.LOW_CONFIDENCE == rule.params["below"]
