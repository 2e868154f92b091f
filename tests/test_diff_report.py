"""The Markdown report and `plancheck diff`: escaping, determinism, JSON contract, exit codes."""

from __future__ import annotations

import json

from test_align_synthetic import CLAUSES, table
from typer.testing import CliRunner

from plancheck.align import diff_plans
from plancheck.cli import app
from plancheck.report.diff_markdown import escape_cell, redline, render_diff_markdown
from plancheck.table.io import write_tasks_csv

CLAUSE_KEYS = {
    "status",
    "reference",
    "target",
    "similarity",
    "omitted_requirements",
    "changed_requirements",
    "units",
    "omitted_details",
    "higher_level_requirements",
    "requirements",
    "carried_requirements",
    "carried",
}


def _pair():
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), ["市卫健委"])
    del items[6]
    return table("ref", CLAUSES), table("tgt", items)


def test_redline_marks_deletions_and_insertions() -> None:
    assert (
        redline("全省建成监管制度", "全市基本建成监管制度")
        == "全<del>省</del><ins>市基本</ins>建成监管制度"
    )


def test_table_cells_are_escaped() -> None:
    assert escape_cell("甲|乙\n丙") == "甲\\|乙<br>丙"


def test_report_is_deterministic_and_complete() -> None:
    reference, target = _pair()
    first = render_diff_markdown(diff_plans(reference, target))
    assert first == render_diff_markdown(diff_plans(reference, target))
    assert "| 7 |" in first and "缺失 omitted" in first
    assert "弱化 weakened（增加限定词「基本」）" in first
    assert "弱化 weakened（增加限定词「基本」）" in first.split("## 覆盖情况")[0]  # findings first
    assert "责任单位变化 units changed（减少 市委网信办）" in first


def test_pipe_in_clause_text_does_not_break_table() -> None:
    reference = table("ref", [("建立甲|乙机制。\n加强监管。", ["市卫健委"])] + CLAUSES[1:])
    report = render_diff_markdown(diff_plans(reference, table("tgt", CLAUSES[1:])))
    row = next(line for line in report.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 9 and "\\|" in row


def test_json_contract() -> None:
    data = diff_plans(*_pair()).to_dict()
    assert set(data) == {"reference", "target", "summary", "clauses"}
    assert set(data["reference"]) == {"id", "title", "source_file", "sha256"}
    assert all(set(clause) == CLAUSE_KEYS for clause in data["clauses"])
    assert set(data["clauses"][0]["reference"][0]) == {"task_id", "text", "line_start", "line_end"}
    assert set(data["clauses"][0]["units"]) == {
        "dropped",
        "added",
        "reference_lead",
        "target_lead",
        "lead_changed",
    }
    json.dumps(data)


def test_cli_json_equals_library_result(tmp_path) -> None:
    reference, target = _pair()
    ref_csv, tgt_csv = (
        write_tasks_csv(reference, tmp_path / "ref.csv"),
        write_tasks_csv(target, tmp_path / "tgt.csv"),
    )
    out = tmp_path / "diff.json"
    result = CliRunner().invoke(
        app, ["diff", str(ref_csv), str(tgt_csv), "--format", "json", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    from plancheck.plans.loading import diff_specs
    from plancheck.report.diff_json import diff_document

    assert json.loads(out.read_text(encoding="utf-8")) == diff_document(
        diff_specs(str(ref_csv), str(tgt_csv))
    )


def test_cli_markdown_to_stdout(tmp_path) -> None:
    reference, target = _pair()
    paths = [
        str(write_tasks_csv(df, tmp_path / f"{name}.csv"))
        for name, df in (("ref", reference), ("tgt", target))
    ]
    result = CliRunner().invoke(app, ["diff", *paths])
    assert result.exit_code == 0 and result.stdout.startswith("# 方案比对报告")


def test_cli_errors_exit_2(tmp_path) -> None:
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "missing.csv"), "lingyuan-2021"])
    assert result.exit_code == 2 and "plancheck: error:" in result.stderr
    result = CliRunner().invoke(app, ["diff", "a", "b", "--format", "xml"])
    assert result.exit_code == 2
