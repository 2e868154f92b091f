"""Read and write normalised task tables as CSV.

Lists (``units``) are stored as JSON arrays so that a unit such as 各县（市、区）人民政府, which
contains 、, round-trips unambiguously. Writes are atomic: a temporary file is renamed into place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from plancheck.atomic import atomic_write_text
from plancheck.errors import InputError
from plancheck.schemas import TASK_COLUMNS, validate_task_table


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


def read_tasks_csv(path: Path) -> pd.DataFrame:
    """Read a task table written by ``write_tasks_csv`` and check it against the schema."""
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(
            f"{path}: not a readable task-table CSV ({err}); re-run plancheck ingest"
        ) from None
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
    df["units"] = df["units"].map(lambda v: _parse_units(v, path))
    df["units_inherited"] = df["units_inherited"].map(lambda v: str(v).strip().lower() == "true")
    for column in ("section", "heading", "text", "units_raw"):
        df[column] = df[column].fillna("")
    df = df.astype({"seq": int, "line_start": int, "line_end": int})
    df = df.astype(object).where(df.notna(), None)
    return validate_task_table(df[TASK_COLUMNS])
