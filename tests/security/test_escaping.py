"""Text from documents and manifests renders literally: Markdown/HTML escaped, no CSV formulas."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from plancheck.report.escape import markdown_cell, markdown_inline
from plancheck.table.io import neutralise_formulas, restore_formulas
from security.probes import manifest

HOSTILE_UNIT = "<img src=x onerror=alert(1)>"
HOSTILE_PLAN = f"""\
某市改革完善医疗卫生行业综合监管制度实施方案

一、重点任务
（一）加强医疗机构监管。（{HOSTILE_UNIT}负责）
（二）推进信息公开。（[点我](javascript:alert(1))负责）
（三）=HYPERLINK("http://evil.example/","x")强化药品监管。（市医保局负责）
（四）@SUM(1+1)推进综合监管。（市卫生健康委负责）
"""


@pytest.mark.parametrize(
    "text",
    [HOSTILE_UNIT, "<script>alert(1)</script>", "[x](javascript:alert(1))", "**b** | c\nd", "&lt;"],
)
def test_markdown_escape_leaves_no_live_markup(text):
    for out in (markdown_inline(text), markdown_cell(text)):
        assert "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
        assert "](" not in out.replace("\\]", "") and "*" not in out.replace("\\*", "")
        assert "|" not in out.replace("\\|", "")
    assert "\n" not in markdown_cell(text)


def test_validate_markdown_and_report_escape_unit_names(cli, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    run = cli("validate", plan, "--format", "markdown")
    assert run.code in (0, 1), run.err
    assert "onerror" in run.out  # the finding is there...
    assert "<img" not in run.out  # ...but not as a live tag
    man = manifest(
        tmp_path, "plans:\n  - {id: p1, title: '<b>标题</b>', level: city, source: plan.txt}\n"
    )
    run = cli("report", "--manifest", man, "--out", tmp_path / "out", "--format", "both")
    assert run.code in (0, 1), run.err
    for path in (tmp_path / "out").iterdir():
        text = path.read_text("utf-8")
        assert "<img" not in text and "<b>标题" not in text, path.name


def test_task_csv_cells_are_not_formulas_and_round_trip(cli, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    csv_run = cli("tasks", plan, "--format", "csv")
    json_run = cli("tasks", plan, "--format", "json")
    assert csv_run.code == 0 and json_run.code == 0, csv_run.err + json_run.err
    records = json.loads(json_run.out)
    texts = [r["text"] for r in records]
    assert any(t.startswith("=HYPERLINK") for t in texts)  # JSON keeps the text as written
    rows = list(csv.DictReader(io.StringIO(csv_run.out)))
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r", value
    written = tmp_path / "tasks.csv"
    written.write_text(csv_run.out, encoding="utf-8")
    back = cli("tasks", written, "--format", "json")
    assert back.code == 0, back.err
    assert [r["text"] for r in json.loads(back.out)] == texts


def test_ingest_csvs_are_neutralised(cli, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    run = cli("ingest", plan, "--out", tmp_path / "tasks", "--manifest", tmp_path / "none.yaml")
    assert run.code == 0, run.err
    text = (tmp_path / "tasks" / "plan.csv").read_text("utf-8")
    assert ",'=HYPERLINK" in text or "\"'=HYPERLINK" in text


@pytest.mark.parametrize(
    "values",
    [
        ["=1+1", "+x", "-a", "@b", "\tt", "\rr", "ok", "'=x", "''-y", "'plain", None, "2020-12"],
        ["", "'", "''", "=", "'''@"],
    ],
)
def test_neutralise_round_trip_is_exact(values):
    series = pd.Series(values, dtype=object)
    written = neutralise_formulas(series)
    for value in written:
        assert value is None or not value or value[0] not in "=+-@\t\r"
    assert list(restore_formulas(written)) == values
