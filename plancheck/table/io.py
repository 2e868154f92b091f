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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plancheck.errors import InputError
from plancheck.io.atomic import atomic_write_text
from plancheck.io.paths import require_regular_file
from plancheck.table.schemas import TASK_COLUMNS, TableProblem, schema_problem, validate_task_table

_FORMULA_START = r"'*[=+\-@\t\r]"  # optional quotes, then what a spreadsheet reads as a formula
TEXT_COLUMNS = tuple(c for c in TASK_COLUMNS if c not in ("seq", "line_start", "line_end", "units"))


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


def _read_frame(path: Path) -> tuple[pd.DataFrame, bool]:
    """(the CSV as strings, integer columns already parsed?).

    The integer columns are parsed by the CSV reader itself; a file where they do not parse is
    read again as text so that the conversion below fails exactly as it always did.
    """
    try:
        try:
            dtypes: dict[str, Any] = dict.fromkeys(TASK_COLUMNS, str)
            dtypes |= dict.fromkeys(INT_COLUMNS, "int64")
            return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""]), True
        except (ValueError, OverflowError) as err:
            if isinstance(
                err, UnicodeDecodeError | pd.errors.ParserError | pd.errors.EmptyDataError
            ):
                raise
            return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]), False
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(
            f"{path}: not a readable task-table CSV ({err}); re-run plancheck ingest"
        ) from None


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
    """(``read_tasks_csvs(paths)``, the number of rows each file contributed, in order)."""
    frames = [_read_unchecked(Path(path)) for path in paths]
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    try:
        return validate_task_table(table), [len(f) for f in frames]
    except (TableProblem, pa_errors()) as err:
        raise InputError(_problem_sentence(paths, frames, schema_problem(err))) from None


def pa_errors() -> type[Exception]:
    import pandera.errors

    return pandera.errors.SchemaErrors


def _problem_sentence(paths: list[Path], frames: list[pd.DataFrame], problem: TableProblem) -> str:
    """``file: column X must be …; first bad rows: CSV lines 7, 9 (value …)``."""
    starts = np.cumsum([0] + [len(f) for f in frames])
    first = problem.rows[0] if problem.rows else 0
    index = int(np.searchsorted(starts, first, side="right") - 1)
    mine = [r - starts[index] for r in problem.rows if starts[index] <= r < starts[index + 1]]
    lines = ", ".join(str(r + 2) for r in mine[:5]) + (" …" if len(mine) > 5 else "")
    value = f" (value {problem.values[0]!r})" if problem.values else ""
    return (
        f"{paths[index]}: column {problem.column} breaks the task-table contract "
        f"({problem.check}) at CSV line(s) {lines}{value}; fix those rows or re-run plancheck ingest"
    )


CSV_MAX_BYTES = 512 * 2**20  # a combined table of thousands of plans; never a plan's worth


def _read_unchecked(path: Path) -> pd.DataFrame:
    """One task-table CSV with its columns converted, not yet checked against the schema."""
    require_regular_file(path, max_bytes=CSV_MAX_BYTES)  # never block on a FIFO or read /dev/zero
    df, ints_parsed = _read_frame(path)
    if "lead_by_order" not in df.columns:  # tables written before the flag: no lead by order
        df.insert(min(len(df.columns), TASK_COLUMNS.index("lead_by_order")), "lead_by_order", False)
    missing = [c for c in TASK_COLUMNS if c not in df.columns]
    extra = [c for c in df.columns if c not in TASK_COLUMNS]
    if missing or extra:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise InputError(f"{path}: not a plancheck task table ({detail}); re-run plancheck ingest")
    for column in TEXT_COLUMNS:
        if column not in FLAG_COLUMNS:
            df[column] = restore_formulas(df[column])
    df["units"] = _map_distinct(df["units"], lambda v: _parse_units(v, path))
    for column in FLAG_COLUMNS:
        flags = _map_distinct(df[column], lambda v: str(v).strip().lower() == "true")
        df[column] = flags.astype(bool)
    for column in FILLED_COLUMNS:
        df[column] = df[column].fillna("")
    if not ints_parsed:
        df = _parse_ints(df, path)
    return df[TASK_COLUMNS]


def _parse_ints(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The integer columns parsed, or InputError naming the column and its first bad rows."""
    for column in INT_COLUMNS:
        parsed = pd.to_numeric(df[column], errors="coerce")
        bad = np.flatnonzero((parsed.isna() | (parsed % 1 != 0)).to_numpy())
        if len(bad):
            lines = ", ".join(str(r + 2) for r in bad[:5]) + (" …" if len(bad) > 5 else "")
            raise InputError(
                f"{path}: column {column} must hold whole numbers; CSV line(s) {lines} "
                f"(value {df[column].iloc[bad[0]]!r}); fix those rows or re-run plancheck ingest"
            )
        df[column] = parsed.astype("int64")
    return df
