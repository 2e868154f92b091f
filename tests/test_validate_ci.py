"""The bugs a CI engineer hit with `plancheck validate`, each reproduced on data built here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_validate_support import FakeRegistry, plan, row, tasks
from test_validate_support import invoke_validate as invoke
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.report import findings_text
from plancheck.table.io import read_tasks_csv, write_tasks_csv
from plancheck.validate.engine import validate_tasks
from plancheck.validate.findings import Finding, Location, Severity, summarise
from plancheck.validate.rulebook import load_rulebook

REPO = Path(__file__).resolve().parent.parent
TASKS = REPO / "datasets" / "tasks"
BOOK = load_rulebook()
runner = CliRunner()


def combined_table(folder: Path) -> Path:
    """A repository's combined table: every seed plan in one CSV (task ids and seq repeat)."""
    frames = [read_tasks_csv(path) for path in sorted(TASKS.glob("*.csv"))]
    path = folder / "all-plans.csv"
    write_tasks_csv(pd.concat(frames, ignore_index=True), path)
    return path


# ---------------------------------------------------------------- many plans in one CSV
def test_a_csv_of_many_plans_validates_each_plan_as_a_plan(scratch: Path) -> None:
    combined = combined_table(scratch)
    one = json.loads(invoke(str(combined), "--format", "json").stdout)
    apart = json.loads(invoke(*map(str, sorted(TASKS.glob("*.csv"))), "--format", "json").stdout)
    assert (
        one["summary"]["plans"] == apart["summary"]["plans"] and len(one["summary"]["plans"]) == 5
    )
    key = lambda f: (f["plan_id"], f["code"], f["task_id"], f["line"], f["message"])  # noqa: E731
    assert sorted(map(key, one["findings"])) == sorted(map(key, apart["findings"]))


def test_numbering_is_checked_within_each_plan() -> None:
    """Plan b restarts at 1: no duplicate, order or gap finding across the plan boundary."""
    frame = tasks(
        row(plan_id="a", task_id="1"),
        row(plan_id="a", task_id="2"),
        row(plan_id="b", task_id="1"),
        row(plan_id="b", task_id="3"),
    )
    frame["seq"] = [1, 2, 1, 2]
    plans = {"a": plan(plan_id="a"), "b": plan(plan_id="b")}
    found = validate_tasks(frame, plans, BOOK.select(["PC2"]), registry=FakeRegistry())
    assert [(f.plan_id, f.code, f.task_id) for f in found] == [("b", "PC201", "3")]


def test_units_are_judged_by_each_plans_own_date() -> None:
    """市工商局 was abolished in 2018-10: a 2017 plan may name it, a 2021 plan may not."""
    frame = tasks(
        row(plan_id="old", task_id="1", units=["市工商局"]),
        row(plan_id="new", task_id="1", units=["市工商局"]),
    )
    frame["seq"] = [1, 1]
    plans = {"old": plan("2017-05-01", plan_id="old"), "new": plan("2021-02-17", plan_id="new")}
    found = validate_tasks(frame, plans, BOOK.select(["PC104"]), registry=FakeRegistry())
    assert [(f.plan_id, f.code) for f in found] == [("new", "PC104")]


def test_a_task_id_repeated_within_one_plan_is_a_one_line_error(scratch: Path) -> None:
    frame = read_tasks_csv(TASKS / "leshan.csv")
    frame.loc[5, "task_id"] = frame.loc[4, "task_id"]
    write_tasks_csv(frame, scratch / "bad.csv")
    result = invoke(str(scratch / "bad.csv"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "bad.csv" in result.stderr and "task_id" in result.stderr
    assert "CSV line(s) 6, 7" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [("seq", "-3", 4), ("kind", "bogus", 4), ("line_start", "abc", 4)],
)
def test_a_csv_breaking_the_schema_names_file_column_and_rows(
    scratch: Path, column: str, value: str, line: int
) -> None:
    frame = pd.read_csv(TASKS / "leshan.csv", dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = value
    frame.to_csv(scratch / "broken.csv", index=False)
    result = invoke(str(scratch / "broken.csv"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    message = result.stderr
    assert "broken.csv" in message and f"column {column}" in message and f" {line}" in message
    assert "internal error" not in message and "{" not in message


# ---------------------------------------------------------------- what people see
def test_text_table_keeps_task_ids_as_written() -> None:
    found = [
        Finding("PC202", "dup", Severity.WARNING, "p", tid, Location("a.txt", i), "重复")
        for i, tid in enumerate(["3.10", "5.20", "2.1.10"], start=1)
    ]
    text = findings_text.render(found, summarise(found, plans=["p"], tasks=3), "zh")
    assert " 3.10 " in text and " 5.20 " in text and " 2.1.10 " in text


def test_tasks_command_keeps_task_ids_as_written(scratch: Path) -> None:
    frame = read_tasks_csv(TASKS / "leshan.csv")
    frame.loc[0, "task_id"] = "3.10"
    write_tasks_csv(frame, scratch / "t.csv")
    result = runner.invoke(app, ["tasks", str(scratch / "t.csv")])
    assert result.exit_code == 0, result.output
    assert "3.10" in result.stdout


def test_concise_lines_fit_80_columns_and_mark_fixable(scratch: Path) -> None:
    from wcwidth import wcswidth

    shutil.copy(TASKS / "lingyuan-2021.csv", scratch / "l.csv")
    result = invoke("l.csv", "--format", "concise", "--lang", "en")
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("checked 1 plan(s)") and "fixable with --fix" in lines[-1]
    assert all(wcswidth(line) <= 80 for line in lines[:-1])
    assert any(line.endswith("[*]") and " PC103 " in line for line in lines)
    assert "\033[" not in result.stdout  # no colour when not on a terminal


def test_statistics_count_findings_per_rule(scratch: Path) -> None:
    shutil.copy(TASKS / "lingyuan-2021.csv", scratch / "l.csv")
    found = json.loads(invoke("l.csv", "--format", "json").stdout)["findings"]
    stats = invoke("l.csv", "--statistics").stdout.splitlines()
    pc103 = next(line for line in stats if " PC103 " in line)
    assert int(pc103.split()[0]) == sum(f["code"] == "PC103" for f in found)
    assert pc103.endswith("[*]")


def test_github_step_summary_is_written(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(TASKS / "leshan.csv", scratch / "l.csv")
    summary = scratch / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = invoke("l.csv", "--format", "github")
    assert result.stdout.splitlines()[-1].startswith("::notice title=plancheck::")
    assert summary.read_text(encoding="utf-8").startswith("## plancheck 校验结果")


def test_validate_reports_never_copy_a_contact_detail(scratch: Path) -> None:
    """A unit cell that carries a phone number is reported with the number masked."""
    write_tasks_csv(
        tasks(row(task_id="1", units=["市卫健委（电话13812345678）"])), scratch / "p.csv"
    )
    for fmt in ("json", "text", "sarif", "github"):
        result = invoke("p.csv", "--format", fmt)
        assert "PC10" in result.stdout and "13812345678" not in result.stdout, fmt
