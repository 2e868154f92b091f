"""Validation of task CSVs of any size: read in chunks, checked a batch of complete plans at a
time, findings streamed. Small files with a tiny chunk size exercise every chunk boundary: the
result must be the one a whole-table validation gives."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.errors import InputError
from plancheck.plans.validating import validate_specs
from plancheck.registry.lookup import load_registry
from plancheck.table import io as table_io
from plancheck.table.io import read_tasks_csv, tasks_to_csv_text
from plancheck.validate.rulebook import load_rulebook

BOOK = load_rulebook()
TASKS = ROOT / "datasets" / "tasks"


def seed_plans() -> list[pd.DataFrame]:
    """Each bundled task table twice, under two plan ids (repeats of one plan's rows)."""
    out = []
    for path in sorted(TASKS.glob("*.csv")):
        seed = read_tasks_csv(path)
        for copy in ("a", "b"):
            table = seed.copy()
            table["plan_id"] = f"{seed['plan_id'].iloc[0]}-{copy}"
            out.append(table)
    return out


def write_table(path, tables: list[pd.DataFrame]) -> None:
    texts = [tasks_to_csv_text(t) for t in tables]
    path.write_text(texts[0] + "".join(t.split("\n", 1)[1] for t in texts[1:]), encoding="utf-8")


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    """One CSV of ten plans, not in plan id order (the report order is)."""
    path = tmp_path_factory.mktemp("repo") / "all-plans.csv"
    write_table(path, seed_plans()[::-1])
    return path


def run(specs, chunk_rows):
    result = validate_specs([str(s) for s in specs], BOOK, registry=load_registry(), chunk_rows=chunk_rows)  # fmt: skip
    return list(result.findings), result.summary


@pytest.mark.parametrize("chunk_rows", [1, 7, 25, 60])
def test_any_chunk_size_gives_the_whole_table_result(repository, chunk_rows):
    whole, summary = run([repository], None)
    assert whole and summary["plans"] == sorted(p["plan_id"].iloc[0] for p in seed_plans())
    streamed, streamed_summary = run([repository], chunk_rows)
    assert streamed == whole
    assert streamed_summary == summary


def test_a_folder_of_csvs_streams_like_one_table(repository, tmp_path):
    for table in seed_plans():
        write_table(tmp_path / f"{table['plan_id'].iloc[0]}.csv", [table])
    files = sorted(tmp_path.glob("*.csv"))
    assert run(files, 40) == run([repository], None)


def test_a_plan_split_across_chunks_is_checked_whole(tmp_path):
    """A repeated task id whose two rows fall in different chunks is still found (the
    contract's uniqueness is per plan), with the CSV line of the repeat."""
    table = read_tasks_csv(TASKS / "guangyuan.csv")
    assert len(table) > 20
    broken = table.copy()
    broken.loc[len(table) - 1, "task_id"] = broken.loc[0, "task_id"]
    path = tmp_path / "one-plan.csv"
    write_table(path, [broken])
    for chunk_rows in (3, None):
        with pytest.raises(InputError, match=r"task_id .*unique within its plan.*CSV line"):
            run([path], chunk_rows)
    write_table(path, [table])
    assert run([path], 3) == run([path], None)


def test_a_bad_row_deep_in_a_file_is_named_by_its_csv_line(tmp_path):
    table = read_tasks_csv(TASKS / "leshan.csv")
    path = tmp_path / "bad.csv"
    text = tasks_to_csv_text(table).splitlines(keepends=True)
    row = 40  # CSV line 41
    cells = text[row].split(",")
    cells[2] = "x"  # seq
    text[row] = ",".join(cells)
    path.write_text("".join(text), encoding="utf-8")
    with pytest.raises(InputError, match=r"column seq must hold whole numbers; CSV line\(s\) 41 "):
        run([path], 8)


def test_a_plan_that_comes_back_after_its_batch_is_an_error_naming_the_line(tmp_path):
    a, b = seed_plans()[:2]
    path = tmp_path / "interleaved.csv"
    write_table(path, [a.iloc[:10], b, a.iloc[10:]])
    with pytest.raises(
        InputError, match=r"rows of plan .*-a go on at CSV line \d+.*sort the table"
    ):
        run([path], 5)
    whole, _ = run([path], None)  # read at once, the order of the rows does not matter
    assert whole


def test_size_is_never_an_error_but_a_file_that_is_not_a_csv_is(tmp_path):
    """A 3 GB file (sparse: no disk used) that is not a task table is refused by its first
    line, at once; no size limit is applied to task CSVs."""
    big = tmp_path / "huge.csv"
    with open(big, "wb") as handle:
        handle.truncate(3 * 2**30)
    runner = CliRunner()
    start = time.monotonic()
    result = runner.invoke(app, ["validate", str(big)])
    assert time.monotonic() - start < 20
    assert result.exit_code == 2 and "not a plancheck task table" in result.output
    assert "Traceback" not in result.output and "larger than the limit" not in result.output
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00PK\x03\x04" * 100)
    result = runner.invoke(app, ["validate", str(binary)])
    assert result.exit_code == 2 and "not a readable task-table CSV" in result.output


def test_the_command_streams_json_with_the_whole_table_bytes(repository, tmp_path, monkeypatch):
    runner = CliRunner()
    args = ["validate", str(repository), "--format", "json", "--fail-on", "never", "--output"]
    assert runner.invoke(app, [*args, str(tmp_path / "whole.json")]).exit_code == 0
    monkeypatch.setattr(table_io, "CHUNK_ROWS", 9)  # many batches, spilled to disk
    result = runner.invoke(app, [*args, str(tmp_path / "streamed.json")])
    assert result.exit_code == 0, result.output
    whole = (tmp_path / "whole.json").read_bytes()
    assert (tmp_path / "streamed.json").read_bytes() == whole
    assert json.loads(whole)["summary"]["findings"] > 0
    exit_one = runner.invoke(app, ["validate", str(repository), "--format", "concise"])
    assert exit_one.exit_code == 1  # errors found: the gate reads the stream's counts
