"""`plancheck ingest` / `plancheck tasks` as a user runs them, and their errors."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SEEDS
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.plans.loading import load_plan
from plancheck.table.io import read_tasks_csv, tasks_to_csv_text

runner = CliRunner()


def test_ingest_writes_every_manifest_plan_and_a_datapackage(tmp_path):
    result = runner.invoke(app, ["ingest", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert names == sorted(f"{plan_id}.csv" for plan_id in SEEDS)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in package["resources"]) == names
    table = read_tasks_csv(tmp_path / "leshan.csv")
    assert table.set_index("task_id").loc["2.2", "units"] == [
        "市卫生健康委",
        "各县（市、区）人民政府",
    ]


def test_committed_task_tables_are_current():
    """datasets/tasks/ is generated: it must equal a fresh ingest (re-run `plancheck ingest`)."""
    for plan_id in SEEDS:
        committed = (ROOT / "datasets" / "tasks" / f"{plan_id}.csv").read_text(encoding="utf-8")
        assert committed == tasks_to_csv_text(load_plan(plan_id).tasks), plan_id


def test_csv_round_trip_keeps_lists_and_flags():
    original = load_plan("leshan").tasks
    again = load_plan("datasets/tasks/leshan.csv").tasks
    assert again["units"].tolist() == original["units"].tolist()
    assert again["units_inherited"].tolist() == original["units_inherited"].tolist()


def _csv_without(text: str, column: str) -> str:
    """``text`` (a task CSV) as a table written before ``column`` was added."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
    return out.getvalue()


def test_ocr_confidence_round_trips_and_older_tables_without_it_still_read(tmp_path):
    tasks = load_plan("leshan").tasks.copy()
    tasks["ocr_confidence"] = [0.625 if i % 2 else None for i in range(len(tasks))]
    path = tmp_path / "scan.csv"
    path.write_text(tasks_to_csv_text(tasks), encoding="utf-8")
    again = read_tasks_csv(path)
    assert (
        again["ocr_confidence"].iloc[1] == 0.625 and again["ocr_confidence"].iloc[::2].isna().all()
    )
    older = tmp_path / "older.csv"
    older.write_text(_csv_without(path.read_text(encoding="utf-8"), "ocr_confidence"), "utf-8")
    table = read_tasks_csv(older)
    assert table["ocr_confidence"].isna().all() and len(table) == len(tasks)
    assert table["task_id"].tolist() == tasks["task_id"].tolist()
    result = runner.invoke(app, ["validate", str(older), "--only-plans"])
    assert "1 个方案" in result.output and "PC308" not in result.output, result.output


def test_a_bad_ocr_confidence_is_one_line_naming_the_column(tmp_path):
    text = tasks_to_csv_text(load_plan("leshan").tasks)
    header, first, *rest = text.split("\n")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join([header, first + "high", *rest]), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "ocr_confidence" in result.output, result.output


def test_tasks_json_is_an_array_of_records_unescaped():
    result = runner.invoke(app, ["tasks", "lingyuan-2021", "--format", "json"])
    assert result.exit_code == 0
    assert "市卫健委" in result.stdout  # UTF-8, not \\u escapes
    records = json.loads(result.stdout)
    assert len(records) == 26 and records[1]["units"] == ["市卫健委"]
    assert records[0]["lead_unit"] is None
    # The signature, dates, 抄送 and rules at the end are left out, and said so on stderr.
    assert "note: 11 lines left out as document furniture" in result.stderr
    assert "signature 2" in result.stderr


PLAN_BODY = (
    "某区{topic}工作方案\n\n一、主要任务\n"
    "（一）完善{topic}机制。（牵头单位：区发改局）\n"
    "（二）压减{topic}时限。（责任单位：区政务服务中心）\n"
    "（三）推进{topic}一网通办。（责任单位：区大数据局）\n"
)


def test_ingest_says_per_plan_what_furniture_it_left_out(tmp_path):
    """One stderr line per plan that had furniture, naming the plan; none for a clean plan."""
    signed = tmp_path / "signed.txt"
    signed.write_text(
        PLAN_BODY.format(topic="审批") + "\n某区人民政府办公室\n2023年5月6日\n", encoding="utf-8"
    )
    clean = tmp_path / "clean.txt"
    clean.write_text(PLAN_BODY.format(topic="医疗"), encoding="utf-8")
    out = tmp_path / "out"
    args = ["ingest", str(signed), str(clean), str(SEEDS["lingyuan-2021"]), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "document furniture" in line]
    assert notes == [
        "signed: note: 2 lines left out as document furniture (date 1, signature 1)",
        "lingyuan-2021: note: 11 lines left out as document furniture "
        "(date 1, distribution 1, letterhead 2, printing 3, rule 2, signature 2)",
    ]
    assert "furniture" not in result.stdout  # stdout keeps one line per written table
    assert sorted(p.name for p in out.glob("*.csv")) == [
        "clean.csv",
        "lingyuan-2021.csv",
        "signed.csv",
    ]


def test_tasks_accepts_a_raw_file_outside_the_manifest(tmp_path):
    path = tmp_path / "new-city.txt"
    path.write_text(SEEDS["guangyuan"].read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["tasks", str(path), "--format", "csv"])
    assert result.exit_code == 0 and result.output.count("\n") > 25


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plancheck", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_bad_inputs_give_one_line_and_status_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    letter = tmp_path / "letter.txt"
    letter.write_text("您好，附上会议通知。\n谢谢。\n", encoding="utf-8")
    for target in (empty, binary, letter, tmp_path, tmp_path / "missing.txt", "no-such-plan"):
        result = _run("tasks", str(target))
        assert result.returncode == 2, (target, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stdout == ""


def test_debug_shows_the_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = _run("--debug", "tasks", str(empty))
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_source_files_are_never_modified(tmp_path):
    before = {p: p.read_bytes() for p in SEEDS.values()}
    runner.invoke(app, ["ingest", "--out", str(tmp_path)])
    assert {p: p.read_bytes() for p in SEEDS.values()} == before
