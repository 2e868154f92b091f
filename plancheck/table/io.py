"""Read and write normalised task tables as CSV.

Lists (``units``) are stored as JSON arrays so that a unit such as 各县（市、区）人民政府, which
contains 、, round-trips unambiguously. Writes are atomic: a temporary file is renamed into place.

Formula injection (OWASP "CSV injection"): a text cell that starts with ``= + - @``, a tab or
a carriage return would be run as a formula by Excel or WPS, so it is written with a leading
``'``. A cell that already starts with quotes before such a character gets one more quote, and
reading takes exactly one off, so a write-read round trip gives the text back exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plancheck.errors import InputError
from plancheck.io.atomic import atomic_write_text
from plancheck.io.paths import require_regular_file
from plancheck.table.schemas import OPTIONAL_COLUMNS, TASK_COLUMNS, TableProblem

_FORMULA_START = r"'*[=+\-@\t\r]"  # optional quotes, then what a spreadsheet reads as a formula
FLOAT_COLUMNS = ("ocr_confidence",)
TEXT_COLUMNS = tuple(
    c for c in TASK_COLUMNS if c not in ("seq", "line_start", "line_end", "units", *FLOAT_COLUMNS)
)


def neutralise_formulas(values: pd.Series) -> pd.Series:
    """Text cells a spreadsheet would run as formulas, prefixed with ``'`` (see module note)."""
    text = values.astype("string")
    risky = text.str.match(_FORMULA_START).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    out = values.astype(object).copy()
    out[risky] = "'" + text[risky].astype(str)
    return out


def restore_formulas(values: pd.Series) -> pd.Series:
    """The inverse of ``neutralise_formulas``: one leading quote off where it added one."""
    text = values.astype("string")
    quoted = text.str.match("'" + _FORMULA_START).fillna(False).to_numpy(dtype=bool)
    if not quoted.any():
        return values
    out = values.copy()
    out[quoted] = text[quoted].str.slice(1).astype(str)
    return out


def tasks_to_csv_text(df: pd.DataFrame) -> str:
    out = df[TASK_COLUMNS].copy()
    out["units"] = out["units"].map(lambda units: json.dumps(list(units), ensure_ascii=False))
    for column in TEXT_COLUMNS:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = neutralise_formulas(out[column])
    return out.to_csv(index=False, lineterminator="\n")


def write_tasks_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` to ``path`` atomically (UTF-8, JSON lists)."""
    atomic_write_text(Path(path), tasks_to_csv_text(df))
    return Path(path)


def _parse_units(value: object, path: Path) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return []
    try:
        units = json.loads(str(value))
    except json.JSONDecodeError:
        raise InputError(
            f"{path}: units column holds {value!r}, not a JSON list; re-run plancheck ingest"
        ) from None
    if not isinstance(units, list):
        raise InputError(f"{path}: units column must hold JSON lists; re-run plancheck ingest")
    return [str(unit) for unit in units]


INT_COLUMNS = ("seq", "line_start", "line_end")
FLAG_COLUMNS = ("lead_by_order", "units_inherited")
FILLED_COLUMNS = ("section", "heading", "text", "units_raw")  # missing -> ""


def _map_distinct(values: pd.Series, convert: Callable[[Any], Any]) -> np.ndarray:
    """``convert`` applied once per distinct value (missing values count as one), by code.

    Rows with equal values share the converted object: the ``units`` lists of a table read
    here are shared between rows with the same units, so treat them as read-only.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted = [convert(value) for value in uniques]
    converted.append(convert(None))  # code -1: missing
    return np.fromiter(converted, dtype=object, count=len(converted))[codes]


def read_tasks_csv(path: Path) -> pd.DataFrame:
    """Read a task table written by ``write_tasks_csv`` and check it against the schema.

    Each distinct ``units`` JSON text is parsed once and each distinct flag once; the
    string columns keep the reader's ``str`` dtype (missing values stay missing). A file
    that breaks the contract raises InputError naming the column and its first bad rows.
    """
    return read_tasks_csvs([path])


def read_tasks_csvs(paths: list[Path]) -> pd.DataFrame:
    """Several task-table CSVs as one table, checked against the schema once (not per file:
    the contract's fixed cost is paid once for a folder of a thousand plans)."""
    return read_task_tables(paths)[0]


def read_task_tables(paths: list[Path]) -> tuple[pd.DataFrame, list[int]]:
    """(``read_tasks_csvs(paths)``, the number of rows each file contributed, in order).

    The whole table in memory: for a table of any size, ``iter_task_batches`` hands it over
    complete plans at a time."""
    batches = list(iter_task_batches(paths, chunk_rows=None))
    if not batches:
        return _empty_table(), [0 for _ in paths]
    tables = [b.table for b in batches]
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    sizes = {Path(p): 0 for p in paths}
    for batch in batches:
        for segment in batch.segments:
            sizes[segment.path] += segment.rows
    return table, [sizes[Path(p)] for p in paths]


def _empty_table() -> pd.DataFrame:
    from plancheck.table.schemas import empty_task_table

    return empty_task_table()


def pa_errors() -> type[Exception]:
    import pandera.errors

    return pandera.errors.SchemaErrors


CHUNK_ROWS = 50_000  # rows read at a time: a streamed table's memory is a chunk's, not the file's
HEADER_MAX = 64 * 1024  # the header line of a task CSV is ~200 bytes; a file without one is refused


@dataclass(frozen=True)
class Segment:
    """Rows ``start`` .. ``start + rows`` (0 = the first data row) of one CSV."""

    path: Path
    start: int
    rows: int


@dataclass(frozen=True)
class TaskBatch:
    """Complete plans, checked against the contract: their table and where its rows are from
    (segments in table order)."""

    table: pd.DataFrame
    segments: tuple[Segment, ...]

    def parts(self) -> list[tuple[Path, pd.DataFrame]]:
        """The table cut at file boundaries: (file, its rows), in order."""
        ranges: list[list[Any]] = []  # [path, begin, end]
        at = 0
        for segment in self.segments:
            if ranges and ranges[-1][0] == segment.path:
                ranges[-1][2] = at + segment.rows
            else:
                ranges.append([segment.path, at, at + segment.rows])
            at += segment.rows
        if len(ranges) == 1:
            return [(ranges[0][0], self.table)]
        return [(path, self.table.iloc[begin:end]) for path, begin, end in ranges]


def iter_task_batches(
    paths: list[Path], chunk_rows: int | None = CHUNK_ROWS
) -> Iterator[TaskBatch]:
    """Task CSVs of any size as batches of complete plans of about ``chunk_rows`` rows, each
    checked against the contract (None: everything in one batch).

    A CSV is read ``chunk_rows`` rows at a time. The rows of the plan a chunk ends in may go
    on in the next chunk, so they wait for it; every other plan of the chunk is complete,
    because a table bigger than one chunk keeps each plan's rows together (as plancheck
    writes them): a plan that comes back after its batch was handed over is an error naming
    its CSV line. Small files are gathered into one batch (the contract's fixed cost is paid
    per batch, not per file). A file that is not a task CSV is refused by its first line."""
    ready: list[tuple[pd.DataFrame, Segment]] = []
    size = 0
    for path in map(Path, paths):
        done: set[str] = set()  # plans of this file already handed over
        held: tuple[pd.DataFrame, Segment] | None = None  # the plan that may go on
        for frame, start in _file_chunks(path, chunk_rows):
            if held is not None:
                frame = pd.concat([held[0], frame], ignore_index=True)
                start = held[1].start
            ids = frame["plan_id"].to_numpy(dtype=object)
            back = [i for i in pd.unique(ids) if i in done]
            if back:
                line = start + int(np.flatnonzero(ids == back[0])[0]) + 2
                raise InputError(
                    f"{path}: the rows of plan {back[0]} go on at CSV line {line}, after other "
                    "plans; keep each plan's rows together (sort the table by plan_id)"
                )
            cut = _last_run_start(ids) if chunk_rows is not None else len(ids)
            if cut:
                ready.append((frame.iloc[:cut], Segment(path, start, cut)))
                size += cut
            rest = frame.iloc[cut:].reset_index(drop=True)
            held = (rest, Segment(path, start + cut, len(rest))) if len(rest) else None
            if chunk_rows is not None and size >= chunk_rows:
                mine: set[str] = set()
                for part, segment in ready:
                    if segment.path == path:
                        mine.update(str(i) for i in pd.unique(part["plan_id"]))
                if held is not None and str(held[0]["plan_id"].iloc[0]) in mine:
                    raise InputError(
                        f"{path}: the rows of plan {held[0]['plan_id'].iloc[0]} go on at CSV line "
                        f"{held[1].start + 2}, after other plans; keep each plan's rows together "
                        "(sort the table by plan_id)"
                    )
                done |= mine
                yield _batch(ready)
                ready, size = [], 0
        if held is not None:  # the end of a file ends its last plan
            ready.append(held)
            size += held[1].rows
    if ready:
        yield _batch(ready)


def _last_run_start(ids: np.ndarray) -> int:
    """Where the run of the last plan id at the end of ``ids`` starts (0: all one plan)."""
    if not len(ids):
        return 0
    other = np.flatnonzero(ids != ids[-1])
    return int(other[-1]) + 1 if len(other) else 0


def _batch(parts: list[tuple[pd.DataFrame, Segment]]) -> TaskBatch:
    from plancheck.table.schemas import TableProblem, schema_problem, validate_task_table

    frames = [frame for frame, _ in parts]
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    table = table.reset_index(drop=True)
    segments = tuple(segment for _, segment in parts)
    try:
        return TaskBatch(validate_task_table(table[TASK_COLUMNS]), segments)
    except (TableProblem, pa_errors()) as err:
        raise InputError(_problem_sentence(segments, schema_problem(err))) from None


def _problem_sentence(segments: tuple[Segment, ...], problem: TableProblem) -> str:
    """``file: column X must be …; first bad rows: CSV lines 7, 9 (value …)``."""
    starts = np.cumsum([0] + [s.rows for s in segments])
    first = problem.rows[0] if problem.rows else 0
    index = int(np.searchsorted(starts, first, side="right") - 1)
    index = min(index, len(segments) - 1)
    segment = segments[index]
    mine = [
        r - starts[index] + segment.start
        for r in problem.rows
        if starts[index] <= r < starts[index + 1]
    ]
    lines = ", ".join(str(r + 2) for r in mine[:5]) + (" …" if len(mine) > 5 else "")
    value = f" (value {problem.values[0]!r})" if problem.values else ""
    return (
        f"{segment.path}: column {problem.column} breaks the task-table contract "
        f"({problem.check}) at CSV line(s) {lines}{value}; fix those rows or re-run plancheck ingest"
    )


def _check_header(path: Path) -> None:
    """Refuse a file whose first line is not a task table's header (read at most HEADER_MAX
    bytes: a file of any size that is not a CSV is refused without reading it)."""
    try:
        with open(path, "rb") as handle:
            head = handle.readline(HEADER_MAX)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check the path") from None
    try:
        text = head.decode("utf-8").lstrip("\ufeff").strip()
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: not a readable task-table CSV (not UTF-8 text); re-run plancheck ingest"
        ) from None
    if not text:
        raise InputError(
            f"{path}: not a readable task-table CSV (no header line); re-run plancheck ingest"
        )
    columns = [c.strip().strip('"') for c in text.split(",")]
    # lead_by_order and ocr_confidence came later: a table written before them still reads
    missing = [c for c in TASK_COLUMNS if c not in columns and c not in OPTIONAL_COLUMNS]
    extra = [c for c in columns if c not in TASK_COLUMNS]
    _refuse_columns(path, missing, extra)


def _refuse_columns(path: Path, missing: list[str], extra: list[Any]) -> None:
    """One line naming the columns a task table lacks or should not have."""
    if not (missing or extra):
        return
    detail = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(map(str, extra))}" if extra else "",
        )
        if part
    )
    raise InputError(f"{path}: not a plancheck task table ({detail}); re-run plancheck ingest")


def _reader(path: Path, chunk_rows: int | None, ints: bool, skip: int = 0) -> Any:
    dtypes: dict[str, Any] = dict.fromkeys(TASK_COLUMNS, str)
    if ints:
        dtypes |= dict.fromkeys(INT_COLUMNS, "int64")
    options: dict[str, Any] = {"dtype": dtypes, "keep_default_na": False, "na_values": [""]}
    if skip:
        options |= {"skiprows": range(1, skip + 1), "nrows": chunk_rows}
        return pd.read_csv(path, **options)
    if chunk_rows is None:
        return iter([pd.read_csv(path, **options)])
    return pd.read_csv(path, chunksize=chunk_rows, **options)


def _file_chunks(path: Path, chunk_rows: int | None) -> Iterator[tuple[pd.DataFrame, int]]:
    """(converted chunk, the file row of its first row) of one task CSV, in order.

    The integer columns are parsed by the CSV reader; a chunk where they do not parse is read
    again as text so that the conversion fails naming the column and its CSV lines."""
    require_regular_file(path)  # never block on a FIFO; the size is no limit (read in chunks)
    _check_header(path)
    start = 0
    try:
        chunks = _reader(path, chunk_rows, ints=True)
        while True:
            try:
                frame = next(chunks)
            except StopIteration:
                return
            except (ValueError, OverflowError) as err:
                if isinstance(
                    err, UnicodeDecodeError | pd.errors.ParserError | pd.errors.EmptyDataError
                ):
                    raise
                text = (
                    _reader(path, chunk_rows, ints=False, skip=start)
                    if start
                    else next(_reader(path, chunk_rows, ints=False))
                )
                _parse_ints(text, path, start)
                raise  # pragma: no cover - the text read fails where the integer read did
            yield _convert(frame, path, ints_parsed=True), start
            start += len(frame)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(
            f"{path}: not a readable task-table CSV ({err}); re-run plancheck ingest"
        ) from None


def _convert(df: pd.DataFrame, path: Path, *, ints_parsed: bool) -> pd.DataFrame:
    """One chunk of a task CSV with its columns converted, not yet checked against the schema."""
    for name, value in OPTIONAL_COLUMNS.items():  # tables written before the column
        if name not in df.columns:
            df.insert(min(len(df.columns), TASK_COLUMNS.index(name)), name, value)
    missing = [c for c in TASK_COLUMNS if c not in df.columns]
    extra = [c for c in df.columns if c not in TASK_COLUMNS]
    _refuse_columns(path, missing, extra)
    for column in TEXT_COLUMNS:
        if column not in FLAG_COLUMNS:
            df[column] = restore_formulas(df[column])
    df["units"] = _map_distinct(df["units"], lambda v: _parse_units(v, path))
    for column in FLAG_COLUMNS:
        flags = _map_distinct(df[column], lambda v: str(v).strip().lower() == "true")
        df[column] = flags.astype(bool)
    for column in FILLED_COLUMNS:
        df[column] = df[column].fillna("")
    for column in FLOAT_COLUMNS:
        df[column] = _parse_floats(df[column], column, path)
    if not ints_parsed:
        df = _parse_ints(df, path, 0)
    return df[TASK_COLUMNS]


def _parse_floats(values: pd.Series, column: str, path: Path) -> pd.Series:
    """A number column (empty cells stay missing), or InputError naming the first bad value."""
    parsed = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = np.flatnonzero((parsed.isna() & values.notna()).to_numpy())
    if len(bad):
        raise InputError(
            f"{path}: column {column} must hold numbers or nothing; value "
            f"{values.iloc[bad[0]]!r}; fix those rows or re-run plancheck ingest"
        )
    return parsed


def _parse_ints(df: pd.DataFrame, path: Path, start: int = 0) -> pd.DataFrame:
    """The integer columns parsed, or InputError naming the column and its first bad rows."""
    for column in INT_COLUMNS:
        parsed = pd.to_numeric(df[column], errors="coerce")
        bad = np.flatnonzero((parsed.isna() | (parsed % 1 != 0)).to_numpy())
        if len(bad):
            lines = ", ".join(str(start + r + 2) for r in bad[:5]) + (" …" if len(bad) > 5 else "")
            raise InputError(
                f"{path}: column {column} must hold whole numbers; CSV line(s) {lines} "
                f"(value {df[column].iloc[bad[0]]!r}); fix those rows or re-run plancheck ingest"
            )
        df[column] = parsed.astype("int64")
    return df
