"""The task table: the one contract every stage shares.

One row per task. A table may hold many plans (a repository's combined table): task ids and
``seq`` are unique within each plan (``plan_id``), not across plans. A task is a numbered requirement item, a task-division table
row, or a plan's overall-target paragraph; headings are context (``section``/``heading``).
``units`` is a list of responsible units, first = lead unit; ``lead_by_order`` is true when
no unit is labelled lead (every unit shares one duty, 分工负责) and the first listed is taken. ``line_start``/``line_end`` are
1-based line numbers in ``source_file`` so every later finding can be traced back.
``ocr_confidence`` is the lowest OCR confidence (0-1) of the task's source lines when the
source was a scan or photo read by OCR, and missing otherwise: a low value says the text
(a unit name, a deadline) may be misread and must be checked against the scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import pandas as pd
import pandera.pandas as pa

from plancheck.table.columns import first_units

TASK_COLUMNS: list[str] = [
    "plan_id",
    "task_id",
    "seq",
    "kind",
    "section",
    "heading",
    "text",
    "units",
    "units_raw",
    "lead_unit",
    "lead_by_order",
    "units_inherited",
    "deadline",
    "deadline_parsed",
    "source_file",
    "line_start",
    "line_end",
    "ocr_confidence",
]
# Columns added after tables were first written: a CSV without them still reads, with this value.
OPTIONAL_COLUMNS: dict[str, bool | float] = {"lead_by_order": False, "ocr_confidence": float("nan")}

TASK_KINDS = ("target", "item", "row")


def _lines_in_order(df: pd.DataFrame) -> pd.Series:
    return df["line_start"] <= df["line_end"]


def _lead_is_first_unit(df: pd.DataFrame) -> pd.Series:
    first = first_units(df["units"])
    lead = df["lead_unit"].to_numpy(dtype=object)
    same = (first == lead) | (pd.isna(first) & pd.isna(lead))
    return pd.Series(same.astype(bool), index=df.index)


@cache
def task_schema() -> pa.DataFrameSchema:
    """Pandera schema of the normalised task table, built on first use and never changed.

    The object API rather than a ``DataFrameModel``: building a model's schema makes pandera
    import every installed backend's typing module (dask, ...), ~0.8 s per process.
    """

    def column(dtype: object, *checks: pa.Check, nullable: bool = False) -> pa.Column:
        return pa.Column(dtype, checks=list(checks), nullable=nullable)

    # ignore_na=False: every row has non-missing columns (ints, flags, unit lists), so skipping
    # all-missing rows never applies, and checking for them would scan the whole frame.
    return pa.DataFrameSchema(
        {
            "plan_id": column(str),
            "task_id": column(str, pa.Check.str_length(min_value=1)),
            "seq": column(int, pa.Check.ge(1)),
            "kind": column(str, pa.Check.isin(list(TASK_KINDS))),
            "section": column(str),
            "heading": column(str),
            "text": column(str),
            "units": column(object),
            "units_raw": column(str),
            "lead_unit": column(str, nullable=True),
            "lead_by_order": column(bool),
            "units_inherited": column(bool),
            "deadline": column(str, nullable=True),
            "deadline_parsed": column(str, nullable=True),
            "source_file": column(str),
            "line_start": column(int, pa.Check.ge(1)),
            "line_end": column(int, pa.Check.ge(1)),
            "ocr_confidence": column(
                float, pa.Check.in_range(0.0, 1.0), nullable=True
            ),  # missing: not read by OCR
        },
        checks=[
            pa.Check(_lines_in_order, name="lines_in_order", ignore_na=False),
            pa.Check(_lead_is_first_unit, name="lead_is_first_unit", ignore_na=False),
        ],
        strict=True,
        ordered=True,
        coerce=True,
        unique=["plan_id", "task_id"],  # per plan: ids repeat across the plans of one table
        name="TaskTable",
        description="The normalised task table.",
    )


def empty_task_table() -> pd.DataFrame:
    """A task table with the right columns and no rows."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in TASK_COLUMNS})


def validate_task_table(df: pd.DataFrame) -> pd.DataFrame:
    """Check ``df`` against the contract (all failures at once) and return it coerced.

    Raises pandera's SchemaErrors; ``schema_problem`` turns one into a sentence for people.
    """
    table = task_schema().validate(df, lazy=True)
    _check_seq_unique(table)
    return table


def _check_seq_unique(table: pd.DataFrame) -> None:
    """``seq`` is unique within each plan (pandera's ``unique`` takes one column set only)."""
    repeated = table.duplicated(["plan_id", "seq"]).to_numpy()
    if repeated.any():
        raise TableProblem("seq", "unique within its plan", repeated.nonzero()[0].tolist())


class TableProblem(ValueError):
    """A table breaks the contract: the column, what it must be, and the bad row positions."""

    def __init__(
        self, column: str, check: str, rows: list[int], values: Sequence[object] = ()
    ) -> None:
        super().__init__(f"{column}: {check}")
        self.column, self.check, self.rows, self.values = column, check, rows, list(values)


def schema_problem(err: Exception) -> TableProblem:
    """The first contract breach of a failed validation: column, check, bad row positions."""
    if isinstance(err, TableProblem):
        return err
    cases = err.failure_cases  # type: ignore[attr-defined]
    first = cases.iloc[0]
    same = cases[(cases["column"] == first["column"]) & (cases["check"] == first["check"])]
    if first["check"] == "multiple_fields_uniqueness":  # show the repeated id, not the plan
        ids = cases[(cases["check"] == first["check"]) & (cases["column"] == "task_id")]
        same = ids if len(ids) else same
    rows = sorted({int(i) for i in same["index"].dropna().tolist()})
    column = str(first["column"]) if first["column"] is not None else str(first["schema_context"])
    check = str(first["check"])
    if check == "multiple_fields_uniqueness":
        column, check = "task_id", "unique within its plan"
    return TableProblem(column, check, rows, same["failure_case"].tolist())
