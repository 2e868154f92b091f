"""Bad input gets one clear line (InputError/OutputError) and loses nothing."""

from __future__ import annotations

import hashlib
import time

import pandas as pd
import pytest
from conftest import RAW, SEEDS

from plancheck.errors import InputError, OutputError
from plancheck.ingest import build_task_table, read_document
from plancheck.io.atomic import atomic_write_text
from plancheck.table.io import read_tasks_csv, write_tasks_csv


def _one_line_error(error_type, call, *args, **kwargs) -> str:
    with pytest.raises(error_type) as err:
        call(*args, **kwargs)
    message = str(err.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    "data", [b"", b"   \n\r\n\t ", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\n\n"]
)
def test_empty_file(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    assert "empty" in _one_line_error(InputError, build_task_table, path)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        b"\x7fELF\x02\x01\x01" + bytes(4000),
        bytes((i * 7919) % 256 for i in range(20000)),
        b"PK\x03\x04" + bytes(range(256)) * 8,  # a zip that is not a Word file
    ],
    ids=["png", "elf", "noise", "zip"],
)
def test_binary_file(tmp_path, data):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    message = _one_line_error(InputError, build_task_table, path)
    assert str(path) in message and "binary" in message


def test_truncated_table_keeps_every_complete_row(tmp_path, seed_tables):
    data = SEEDS["leshan"].read_bytes()
    cut = data[: len(data) // 2]
    while True:  # end in the middle of a character, as a broken download does
        try:
            cut.decode("utf-8")
        except UnicodeDecodeError:
            break
        cut = cut[:-1]
    path = tmp_path / "truncated.txt"
    path.write_bytes(cut)
    tasks = build_task_table(path, plan_id="leshan")
    full = seed_tables["leshan"]
    assert 20 < len(tasks) < len(full)
    complete = tasks.iloc[:-1]  # the last row may be cut short
    columns = ["task_id", "text", "units", "lead_unit", "line_start"]
    assert complete[columns].equals(full[columns].iloc[: len(complete)])
    assert full["text"].iloc[len(complete)].startswith(tasks["text"].iloc[-1].rstrip("\ufffd"))


def test_document_without_clauses(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("今天天气晴朗，市民纷纷外出踏青。\n公园里游人如织。\n", encoding="utf-8")
    assert "plan" in _one_line_error(InputError, build_task_table, path)


@pytest.mark.parametrize("kind", ["sparse", "repeated text"])
def test_fifty_megabytes_is_refused_quickly(tmp_path, kind):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        if kind == "sparse":
            handle.truncate(50 * 2**20)  # no data written: the file system fills in zeros
        else:
            chunk = SEEDS["guangyuan"].read_bytes()
            for _ in range(50 * 2**20 // len(chunk) + 1):
                handle.write(chunk)
    start = time.perf_counter()
    message = _one_line_error(InputError, build_task_table, path)
    assert time.perf_counter() - start < 2
    assert "too large" in message and "50 MB" in message


def test_folder_and_missing_path(tmp_path):
    assert "folder" in _one_line_error(InputError, build_task_table, tmp_path)
    assert "no such file" in _one_line_error(InputError, read_document, tmp_path / "nope.txt")


@pytest.fixture()
def tasks_csv(tmp_path, seed_tables):
    return write_tasks_csv(seed_tables["chongqing-2019"], tmp_path / "tasks.csv")


@pytest.mark.parametrize(
    "change, word",
    [
        (lambda df: df.drop(columns=["lead_unit", "units"]), "missing units, lead_unit"),
        (lambda df: df.assign(colour="red"), "unexpected colour"),
        (lambda df: df.drop(columns=["seq"]).assign(extra=1), "missing seq; unexpected extra"),
    ],
    ids=["missing", "extra", "both"],
)
def test_csv_with_missing_or_extra_columns(tasks_csv, change, word):
    change(pd.read_csv(tasks_csv, dtype=str)).to_csv(tasks_csv, index=False)
    assert word in _one_line_error(InputError, read_tasks_csv, tasks_csv)


def test_csv_that_is_not_a_csv(tmp_path):
    path = tmp_path / "tasks.csv"
    path.write_bytes(b"")
    _one_line_error(InputError, read_tasks_csv, path)
    _one_line_error(InputError, read_tasks_csv, tmp_path / "missing.csv")


def test_output_path_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    _one_line_error(OutputError, atomic_write_text, blocker / "report.md", "text")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    _one_line_error(OutputError, atomic_write_text, folder, "text")
    assert list(folder.iterdir()) == [] and blocker.read_text() == "x"


def test_failed_write_leaves_the_previous_report_intact(tmp_path):
    report = tmp_path / "report.md"
    atomic_write_text(report, "previous report\n")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(report, "half a report \ud800 that cannot be encoded")
    assert report.read_text(encoding="utf-8") == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left


def _fingerprint() -> dict[str, tuple[str, int]]:
    return {
        path.name: (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(RAW.iterdir())
    }


def test_raw_sources_are_never_modified():
    before = _fingerprint()
    for path in SEEDS.values():
        build_task_table(path)
        read_document(path, encoding="utf-8")
    assert _fingerprint() == before


def test_repeated_clause_number_is_not_a_crash(tmp_path):
    path = tmp_path / "typo.txt"
    path.write_text(
        "某市实施方案\n一、重点任务\n（一）加强领导。建立机制。\n（一）明确责任。建立督查机制。\n"
        "（二）强化执法。开展检查。\n",
        encoding="utf-8",
    )
    tasks = build_task_table(path)
    assert tasks["task_id"].tolist() == ["1.1", "1.1~2", "1.2"]  # the repeat is kept and marked
