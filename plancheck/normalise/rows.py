"""Task-division table rows -> draft tasks.

With a key-task column (重点任务), ``task_id`` is "<key task>.<item>": key tasks are counted in
order of appearance (a key repeated after a page break is the same key), items use the row's
own number. A 序号 column numbers the rows of the whole table: its number is the id. Without
a key column, rows are numbered by their own numbers; when the table is an annex
to a plan that has numbered clauses of its own, its ids get the prefix "A." (annex).
"""

from __future__ import annotations

import re

from plancheck.ingest.model import TableRow
from plancheck.normalise.numbering import parse_marker
from plancheck.normalise.structure import DraftTask


def _row_number(row: TableRow, fallback: int) -> tuple[int, str]:
    """The number the row's task text starts with (else ``fallback``), and the text without it."""
    marker, rest = parse_marker(row.cells.get("text", ""))
    return (marker.number, rest) if marker is not None else (fallback, row.cells.get("text", ""))


def _seq(row: TableRow) -> str | None:
    """The row's 序号 cell, when it holds a number of its own."""
    seq = re.sub(r"[\s.、．]", "", row.cells.get("seq", ""))
    return seq if seq.isdigit() and "seq" not in row.inherited else None


def rows_to_tasks(
    rows: list[TableRow], *, has_key_column: bool, prefix: str = ""
) -> list[DraftTask]:
    tasks: list[DraftTask] = []
    keys: list[str] = []
    used: dict[str, int] = {}
    for index, row in enumerate(rows, start=1):
        key = row.cells.get("key", "")
        if has_key_column and (not keys or keys[-1] != key):
            keys.append(key)
        within = sum(
            int(True)
            for t in tasks
            if t.heading == key and t.task_id.startswith(f"{prefix}{len(keys)}.")
        )
        number, text = _row_number(row, within + 1 if has_key_column else index)
        task_id = f"{prefix}{len(keys)}.{number}" if has_key_column else f"{prefix}{number}"
        seq = _seq(row)
        if seq is not None:  # a 序号 column numbers the rows across the whole table
            task_id = f"{prefix}{int(seq)}"
        task_id = unique_id(task_id, used)
        tasks.append(
            DraftTask(task_id, "row", row.section, key, [text], row.line_start, row.line_end)
        )
    return tasks


def unique_id(task_id: str, used: dict[str, int]) -> str:
    """Keep ids unique even when the source repeats a number; "~2" marks the repeat.

    ``used`` maps each id given out to the last repeat number tried for it, so the n-th
    repeat of a number costs O(1), not O(n) (8,000 lines "1、" were quadratic).
    """
    if task_id not in used:
        used[task_id] = 1
        return task_id
    n = used[task_id]
    while True:
        n += 1
        candidate = f"{task_id}~{n}"
        if candidate not in used:
            break
    used[task_id] = n
    used[candidate] = 1
    return candidate
