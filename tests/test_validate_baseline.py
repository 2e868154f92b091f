"""Baseline round trip: write a baseline, add a defect, only the new finding fails."""

from __future__ import annotations

from pathlib import Path

from test_validate_support import FakeRegistry, plan, row, tasks

from plancheck.validate.baseline import apply_baseline, baseline_text, load_baseline, write_baseline
from plancheck.validate.engine import validate_tasks
from plancheck.validate.rulebook import load_rulebook

BOOK = load_rulebook()


def _findings(frame):
    return validate_tasks(frame, plan(), BOOK, registry=FakeRegistry())


def test_round_trip_only_new_findings_remain(tmp_path: Path) -> None:
    before = tasks(row(task_id="1.1", units=["市卫健委"]), row(task_id="1.2", units=[]))
    path = tmp_path / "baseline.json"
    write_baseline(_findings(before), path)
    # The plan is edited: lines move, and a new defect appears in a new task.
    after = tasks(
        row(task_id="1.1", units=["市卫健委"], line_start=10),
        row(task_id="1.2", units=[], line_start=12),
        row(task_id="1.3", units=["市工商局"], line_start=14),
    )
    new, known = apply_baseline(_findings(after), load_baseline(path))
    assert [(f.code, f.task_id) for f in new] == [("PC104", "1.3")]
    assert known == 2


def test_counts_per_key_catch_a_second_defect_in_the_same_task(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(_findings(tasks(row(task_id="1.1", units=["市卫健委"]))), path)
    new, _ = apply_baseline(
        _findings(tasks(row(task_id="1.1", units=["市卫健委", "医保局"]))), load_baseline(path)
    )
    assert [(f.code, f.task_id) for f in new] == [("PC103", "1.1")]


def test_baseline_file_has_no_lines_and_is_stable() -> None:
    findings = _findings(tasks(row(task_id="1.1", units=["市卫健委"])))
    text = baseline_text(findings)
    assert '"line"' not in text and '"message"' not in text
    assert text == baseline_text(list(reversed(findings)))
