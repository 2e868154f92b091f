"""Ingest: a source document -> a normalised, traceable task table.

    from plancheck.ingest import build_task_table
    tasks = build_task_table("datasets/raw/002_82fb3db6e2e51aed.txt", plan_id="lingyuan-2021")

The reader is chosen by looking at the content (see ``detect_shape``), never the file name.
"""

from __future__ import annotations

import contextlib
import re
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
from plancheck.normalise.structure import DraftTask, Outline, parse_outline
from plancheck.normalise.units import extract_trailing_units, looks_like_units, parse_unit_note
from plancheck.table.schemas import TASK_COLUMNS, validate_task_table

__all__ = [
    "build_task_table",
    "detect_shape",
    "prepare_legacy",
    "read_document",
    "tasks_from_document",
]


def detect_shape(lines: list[str]) -> str | None:
    """Name of the reader whose content signature fits best, or None."""
    reader = best_reader(lines)
    return reader.NAME if reader else None


def read_document(path: Path | str, *, encoding: str | None = None, converter=None) -> Document:
    """Read and clean a source document with the reader its content calls for.

    ``converter`` (``formats.office.OfficeConverter``) converts legacy office files; a batch
    passes one it prepared so LibreOffice starts once for all of them."""
    path = Path(path)
    return document_from_bytes(
        path, read_source_bytes(path), encoding=encoding, converter=converter
    )


def document_from_bytes(
    path: Path | str, data: bytes, *, encoding: str | None = None, converter=None
) -> Document:
    """Read and clean a source document given as its bytes and its name (a worker of a
    cluster gets documents this way: it needs no file system shared with the client).
    ``converter`` as for ``read_document``."""
    path = Path(path)
    check_size(path, len(data), MAX_BYTES)
    kind = sniff(data)  # .docx / .pdf / .html are recognised by their bytes, not their name
    if kind is not None:
        return read_format(kind, path, data, encoding=encoding, converter=converter)
    check_size(path, len(data), TEXT_MAX_BYTES)
    lines = decode_bytes(data, name=str(path), encoding=encoding).split("\n")
    reader = best_reader(lines)
    if reader is not None:
        return with_tables(reader, path, lines)
    raise InputError(refusal(path, lines, tables=_untitled_tables(lines)))


def prepare_legacy(converter, paths: list[Path]) -> int:
    """Convert the legacy office files among ``paths`` (Word 97-2003, WPS) in one LibreOffice
    run of ``converter``, so that reading them afterwards (here or in worker processes that
    get a copy of the converter) starts no LibreOffice. Unreadable paths are left for the
    reader to refuse. Returns how many files were handed over."""
    from plancheck.errors import PlancheckError

    items, legacy = [], []
    for path in paths:
        try:
            data = read_source_bytes(Path(path))
        except PlancheckError:
            continue
        if sniff(data) == "doc":
            items.append((data, "docx"))
            legacy.append(str(path))
    if items:
        from plancheck.ingest.formats.office import find_soffice, missing_soffice

        if find_soffice() is None:  # the batch cannot be read: say so once, before any work
            more = f" and {len(legacy) - 1} more" if len(legacy) > 1 else ""
            raise missing_soffice(f"{legacy[0]}{more}", "docx")
        with contextlib.suppress(PlancheckError):  # each file is then refused on its own
            converter.prepare(items)
    return len(items)


def _untitled_tables(lines: list[str]) -> int:
    """Runs of table-like lines (cells split by tabs or pipes): tables whose header was not
    recognised, for the refusal message."""
    runs, inside = 0, False
    for line in lines:
        row = "\t" in line.strip("\t") or line.lstrip().startswith("|")
        runs += row and not inside
        inside = row
    return runs


def _record(
    draft: DraftTask, seq: int, plan_id: str, source: str, row=None, *, first_leads: bool = False
) -> tuple[dict, bool]:
    """(the task record, whether the notes below may take the first listed as lead).

    ``first_leads``: an earlier note said the first listed leads, 下同 (same below)."""
    text = "".join(draft.parts).strip()
    inherited = False
    if row is not None:
        units_raw = row.cells.get("units", "")
        co = row.cells.get("co_units", "")
        # A table with a 配合单位 column labels its 责任单位/牵头单位 column as the lead.
        parsed = parse_unit_note(
            units_raw, role="lead" if "co_units" in row.cells else "responsible"
        )
        partners = parse_unit_note(co, role="partner")
        units = list(parsed.units) + [u for u in partners.units if u not in parsed.units]
        units_raw = "；".join(part for part in (units_raw, co) if part)
        inherited = bool(row.inherited & {"units", "co_units"})
        deadline = row.cells.get("deadline") or parsed.deadline
    else:
        text, note = _note_of(draft.parts, text)
        units_raw = "；".join(n for n in (note, *draft.notes) if n)
        parsed = parse_unit_note(units_raw)
        units, deadline = list(parsed.units), parsed.deadline
    by_order = parsed.lead_by_order and not first_leads
    record = {
        "plan_id": plan_id, "task_id": draft.task_id, "seq": seq, "kind": draft.kind,
        "section": draft.section, "heading": draft.heading, "text": text, "units": units,
        "units_raw": units_raw, "lead_unit": units[0] if units else None, "lead_by_order": by_order,
        "units_inherited": inherited, "deadline": deadline, "deadline_parsed": parse_deadline(deadline),
        "source_file": source, "line_start": draft.line_start, "line_end": draft.line_end,
    }  # fmt: skip
    return record, first_leads or parsed.convention_below


_MID_NOTE_RE = re.compile(r"[。；](?:（|\()([^（）()]{2,200})(?:）|\))(?=\S)")
_BOX_RE = re.compile(r"[\s　]*专栏\s*[0-9０-９一二三四五六七八九十]+")


def _note_of(parts: list[str], text: str) -> tuple[str, str | None]:
    """(task text without its units note, the note): the note closes the task, or else closes
    one of its paragraphs (a 专栏 box or an explanation may follow the note)."""
    rest, note = extract_trailing_units(text)
    if note is not None:
        return rest, note
    box = _BOX_RE.search(text)  # 1．…（责任单位：…）专栏1 …: the box that follows is context
    if box is not None:
        head, note = extract_trailing_units(text[: box.start()])
        if note is not None:
            return head + text[box.start() :], note
    for i, part in enumerate(parts[:-1]):
        head, note = extract_trailing_units(part)
        if note is not None:
            return "".join([*parts[:i], head, *parts[i + 1 :]]).strip(), note
    # A note right after a sentence, followed by text the line joiner glued on (the plan's
    # closing paragraph after its last item): the last such note is the item's.
    for match in reversed(list(_MID_NOTE_RE.finditer(text))):
        if looks_like_units(match.group(1)):
            return (text[: match.start() + 1] + text[match.end() :]).strip(), match.group(1)
    return text, None


def _annex_tasks(outline: Outline) -> list[DraftTask]:
    """The numbered items of an annex that is a task list: most of its items end with a units
    note (附件 包头市数字政府建设考评指标: 1．…（6月底完成，牵头考核单位：市工信局）). Another annex
    (a list of duties, a form) stays context."""
    paragraphs = [para for para, role in outline.roles if role == "annex"]
    if not paragraphs:
        return []
    drafts = parse_outline(paragraphs).tasks
    noted = sum(
        bool(draft.notes) or extract_trailing_units("".join(draft.parts))[1] is not None
        for draft in drafts
    )
    return drafts if drafts and noted * 2 >= len(drafts) and noted >= 3 else []


def _lowest_confidence(doc: Document, start: int, end: int) -> float | None:
    """The lowest OCR confidence of source lines ``start``..``end`` (None: not read by OCR).

    A task is only as trustworthy as its worst-read line: one misread character in a unit
    name is enough to name the wrong unit."""
    if not doc.confidence:
        return None
    scores = [doc.confidence[n] for n in range(start, end + 1) if n in doc.confidence]
    return min(scores) if scores else None


def tasks_from_document(
    doc: Document, plan_id: str, source_name: str | None = None
) -> pd.DataFrame:
    """The task table of a document already read."""
    source = source_name or doc.path.as_posix()
    outline = parse_outline(doc.paragraphs)
    body = outline.tasks
    annex = [] if doc.rows else _annex_tasks(outline)
    for draft in annex:
        draft.task_id = f"A.{draft.task_id}"
    body += annex
    used: dict[str, int] = {}
    for draft in body:  # a number repeated by mistake (two （一）) must not collide
        draft.task_id = unique_id(draft.task_id, used)
    prefix = "A." if body and doc.rows else ""
    table = rows_to_tasks(doc.rows, has_key_column=doc.has_key_column, prefix=prefix)
    records: list[dict] = []
    first_leads = False  # 列第一位的为牵头单位，下同 holds for every note after it
    for draft, row in [(d, None) for d in body] + list(zip(table, doc.rows, strict=True)):
        record, first_leads = _record(draft, 0, plan_id, source, row, first_leads=first_leads)
        records.append(record)
    for seq, record in enumerate(records, start=1):
        record["seq"] = seq
        record["ocr_confidence"] = _lowest_confidence(doc, record["line_start"], record["line_end"])
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
    converter=None,
) -> pd.DataFrame:
    """Read ``path`` and return its task table (plan_id defaults to the file's stem)."""
    doc = read_document(path, encoding=encoding, converter=converter)
    return tasks_from_document(doc, plan_id or Path(path).stem, source_name)
