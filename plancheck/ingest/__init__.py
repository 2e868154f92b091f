"""Ingest: a source document -> a normalised, traceable task table.

    from plancheck.ingest import build_task_table
    tasks = build_task_table("datasets/raw/002_82fb3db6e2e51aed.txt", plan_id="lingyuan-2021")

The reader is chosen by looking at the content (see ``detect_shape``), never the file name.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from plancheck.errors import InputError
from plancheck.ingest.decode import (
    MAX_BYTES,
    TEXT_MAX_BYTES,
    check_size,
    decode_bytes,
    read_source_bytes,
)
from plancheck.ingest.formats import read_format, sniff
from plancheck.ingest.model import Document
from plancheck.ingest.refusal import refusal
from plancheck.ingest.shapes import best_reader
from plancheck.ingest.shapes.text_table import with_tables
from plancheck.normalise.deadlines import parse_deadline
from plancheck.normalise.rows import rows_to_tasks, unique_id
from plancheck.normalise.structure import DraftTask, paragraphs_to_tasks
from plancheck.normalise.units import extract_trailing_units, parse_unit_note, split_units
from plancheck.table.schemas import TASK_COLUMNS, validate_task_table

__all__ = ["build_task_table", "detect_shape", "read_document", "tasks_from_document"]


def detect_shape(lines: list[str]) -> str | None:
    """Name of the reader whose content signature fits best, or None."""
    reader = best_reader(lines)
    return reader.NAME if reader else None


def read_document(path: Path | str, *, encoding: str | None = None) -> Document:
    """Read and clean a source document with the reader its content calls for."""
    path = Path(path)
    return document_from_bytes(path, read_source_bytes(path), encoding=encoding)


def document_from_bytes(path: Path | str, data: bytes, *, encoding: str | None = None) -> Document:
    """Read and clean a source document given as its bytes and its name (a worker of a
    cluster gets documents this way: it needs no file system shared with the client)."""
    path = Path(path)
    check_size(path, len(data), MAX_BYTES)
    kind = sniff(data)  # .docx / .pdf / .html are recognised by their bytes, not their name
    if kind is not None:
        return read_format(kind, path, data, encoding=encoding)
    check_size(path, len(data), TEXT_MAX_BYTES)
    lines = decode_bytes(data, name=str(path), encoding=encoding).split("\n")
    reader = best_reader(lines)
    if reader is not None:
        return with_tables(reader, path, lines)
    raise InputError(refusal(path, lines, tables=_untitled_tables(lines)))


def _untitled_tables(lines: list[str]) -> int:
    """Runs of table-like lines (cells split by tabs or pipes): tables whose header was not
    recognised, for the refusal message."""
    runs, inside = 0, False
    for line in lines:
        row = "\t" in line.strip("\t") or line.lstrip().startswith("|")
        runs += row and not inside
        inside = row
    return runs


def _record(draft: DraftTask, seq: int, plan_id: str, source: str, row=None) -> dict:
    text = "".join(draft.parts).strip()
    inherited = False
    deadline = None
    if row is not None:
        units_raw = row.cells.get("units", "")
        co = row.cells.get("co_units", "")
        units = split_units(units_raw)
        units += [u for u in split_units(co) if u not in units]
        units_raw = "；".join(part for part in (units_raw, co) if part)
        inherited = bool(row.inherited & {"units", "co_units"})
        deadline = row.cells.get("deadline") or None
    else:
        text, note = extract_trailing_units(text)
        units_raw = "；".join(n for n in (note, *draft.notes) if n)
        parsed = parse_unit_note(units_raw)
        units, deadline = list(parsed.units), parsed.deadline
    return {
        "plan_id": plan_id, "task_id": draft.task_id, "seq": seq, "kind": draft.kind,
        "section": draft.section, "heading": draft.heading, "text": text, "units": units,
        "units_raw": units_raw, "lead_unit": units[0] if units else None,
        "units_inherited": inherited, "deadline": deadline, "deadline_parsed": parse_deadline(deadline),
        "source_file": source, "line_start": draft.line_start, "line_end": draft.line_end,
    }  # fmt: skip


def tasks_from_document(
    doc: Document, plan_id: str, source_name: str | None = None
) -> pd.DataFrame:
    """The task table of a document already read."""
    source = source_name or doc.path.as_posix()
    body = paragraphs_to_tasks(doc.paragraphs)
    used: dict[str, int] = {}
    for draft in body:  # a number repeated by mistake (two （一）) must not collide
        draft.task_id = unique_id(draft.task_id, used)
    prefix = "A." if body and doc.rows else ""
    table = rows_to_tasks(doc.rows, has_key_column=doc.has_key_column, prefix=prefix)
    records = [_record(d, 0, plan_id, source) for d in body]
    records += [_record(d, 0, plan_id, source, row) for d, row in zip(table, doc.rows, strict=True)]
    for seq, record in enumerate(records, start=1):
        record["seq"] = seq
    if not records:
        unit = "row" if doc.locations else "paragraph"  # a workbook's lines are its rows
        raise InputError(
            refusal(doc.path, doc.lines, tables=_untitled_tables(doc.lines), unit=unit)
        )
    return validate_task_table(pd.DataFrame(records, columns=TASK_COLUMNS))


def build_task_table(
    path: Path | str,
    *,
    plan_id: str | None = None,
    source_name: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read ``path`` and return its task table (plan_id defaults to the file's stem)."""
    doc = read_document(path, encoding=encoding)
    return tasks_from_document(doc, plan_id or Path(path).stem, source_name)
