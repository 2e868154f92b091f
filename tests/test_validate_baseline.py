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
    new, known, stale = apply_baseline(_findings(after), load_baseline(path))
    assert [(f.code, f.task_id) for f in new] == [("PC104", "1.3")]
    assert known == 2
    assert stale == []


def test_counts_per_key_catch_a_second_defect_in_the_same_task(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(_findings(tasks(row(task_id="1.1", units=["市卫健委"]))), path)
    new, _, _ = apply_baseline(
        _findings(tasks(row(task_id="1.1", units=["市卫健委", "医保局"]))), load_baseline(path)
    )
    assert [(f.code, f.task_id) for f in new] == [("PC103", "1.1")]


def test_baseline_file_has_no_lines_and_is_stable() -> None:
    findings = _findings(tasks(row(task_id="1.1", units=["市卫健委"])))
    text = baseline_text(findings)
    assert '"line"' not in text and '"message"' not in text
    assert text == baseline_text(list(reversed(findings)))


def test_inserting_a_task_does_not_revive_known_findings(tmp_path: Path) -> None:
    """Every later task id shifts when a task is inserted; the findings stay known."""
    before = tasks(
        row(task_id="1", text="建立监管制度。", units=["市卫健委"]),
        row(task_id="2", text="开展专项整治。", units=[]),
        row(task_id="3", text="加强信用管理。", units=["医保局"]),
    )
    path = tmp_path / "baseline.json"
    write_baseline(_findings(before), path)
    after = tasks(
        row(task_id="1", text="建立监管制度。", units=["市卫健委"]),
        row(task_id="2", text="新增一项任务。", units=["市医保局"]),
        row(task_id="3", text="开展专项整治。", units=[]),
        row(task_id="4", text="加强 信用管理。", units=["医保局"]),  # spacing edited too
    )
    new, known, stale = apply_baseline(_findings(after), load_baseline(path))
    assert new == []
    assert known == 3 and stale == []


def test_fixed_findings_are_reported_as_stale_entries(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(_findings(tasks(row(task_id="1.1", units=["市卫健委"]))), path)
    new, known, stale = apply_baseline(
        _findings(tasks(row(task_id="1.1", units=["市卫生健康委"]))), load_baseline(path)
    )
    assert new == [] and known == 0
    assert [(e["plan_id"], e["code"], e["count"]) for e in stale] == [("demo", "PC103", 1)]


def test_a_baseline_of_the_old_positional_format_is_refused(tmp_path: Path) -> None:
    import pytest

    from plancheck.errors import ConfigError

    path = tmp_path / "baseline.json"
    path.write_text(
        '{"version": 1, "findings": [{"plan_id": "demo", "task_id": "1", "code": "PC103"}]}'
    )
    with pytest.raises(ConfigError, match="re-create it with --write-baseline"):
        load_baseline(path)
