"""Read and write normalised task tables as CSV.

Lists (``units``) are stored as JSON arrays so that a unit such as 各县（市、区）人民政府, which
contains 、, round-trips unambiguously. Writes are atomic: a temporary file is renamed into place.
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
from plancheck.table.schemas import TASK_COLUMNS, validate_task_table


def tasks_to_csv_text(df: pd.DataFrame) -> str:
    out = df[TASK_COLUMNS].copy()
    out["units"] = out["units"].map(lambda units: json.dumps(list(units), ensure_ascii=False))
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
FILLED_COLUMNS = ("section", "heading", "text", "units_raw")  # missing -> ""


def _read_frame(path: Path) -> tuple[pd.DataFrame, bool]:
    """(the CSV as strings, integer columns already parsed?).

    The integer columns are parsed by the CSV reader itself; a file where they do not parse is
    read again as text so that the conversion below fails exactly as it always did.
    """
    options = {"keep_default_na": False, "na_values": [""]}
    try:
        try:
            dtypes = dict.fromkeys(TASK_COLUMNS, str) | dict.fromkeys(INT_COLUMNS, "int64")
            return pd.read_csv(path, dtype=dtypes, **options), True
        except (ValueError, OverflowError) as err:
            if isinstance(
                err, UnicodeDecodeError | pd.errors.ParserError | pd.errors.EmptyDataError
            ):
                raise
            return pd.read_csv(path, dtype=str, **options), False
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
    string columns keep the reader's ``str`` dtype (missing values stay missing).
    """
    path = Path(path)
    df, ints_parsed = _read_frame(path)
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
    df["units"] = _map_distinct(df["units"], lambda v: _parse_units(v, path))
    flags = _map_distinct(df["units_inherited"], lambda v: str(v).strip().lower() == "true")
    df["units_inherited"] = flags.astype(bool)
    for column in FILLED_COLUMNS:
        df[column] = df[column].fillna("")
    if not ints_parsed:
        df = df.astype({"seq": int, "line_start": int, "line_end": int})
    return validate_task_table(df[TASK_COLUMNS])
