"""Task-number checks: gaps, duplicates and numbers out of order.

``task_id`` is dotted document numbering ("2.1.3", table rows "A.7"). Siblings share the
part before the last dot; their last numbers should run 1, 2, 3... in document order.
Plans that number clauses continuously across parts (（一）…（二十四）) are recognised: a
group may continue from the previous group at the same depth instead of restarting at 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plancheck.checks import hits, register_check
from plancheck.checks.context import CheckContext


def _numbered(ctx: CheckContext) -> pd.DataFrame:
    """Rows whose last id component starts with a number, in document (seq) order (cached)."""
    if "numbered" not in ctx.memo:
        ctx.memo["numbered"] = _split_ids(ctx.tasks)
    return ctx.memo["numbered"]


def _split_ids(tasks: pd.DataFrame) -> pd.DataFrame:
    ids = tasks["task_id"].astype(str).to_numpy(dtype=object)
    parts = [task_id.rpartition(".") for task_id in ids]
    parent = pd.Series([p[0] for p in parts], dtype=object)
    # Parse each distinct last component and parent once: ids are unique, their pieces are not.
    last_codes, last_values = pd.factorize(pd.Series([p[2] for p in parts], dtype=object))
    numbers = pd.to_numeric(
        pd.Series(last_values, dtype=object).str.extract(r"^(\d+)")[0], errors="coerce"
    )
    parent_codes, parent_values = pd.factorize(parent)
    depths = np.array(
        [(value.count(".") + 1 if value else 0) for value in parent_values], dtype="int64"
    )
    frame = pd.DataFrame(
        {
            "row": np.arange(len(ids)),
            "seq": tasks["seq"].to_numpy(),
            "task_id": ids,
            "parent": parent.to_numpy(),
            "pcode": parent_codes,  # integer group key: grouping by it is much faster than by strings
            "depth": depths[parent_codes] if len(ids) else np.zeros(0, dtype="int64"),
            "number": numbers.to_numpy(dtype=float)[last_codes] if len(ids) else np.zeros(0),
        }
    )
    frame = frame.dropna(subset=["number"])
    if not frame["seq"].is_monotonic_increasing:
        frame = frame.sort_values("seq", kind="stable")
    return frame.reset_index(drop=True)


def _duplicated(frame: pd.DataFrame) -> pd.Series:
    return frame.duplicated(["pcode", "number"], keep="first")


def _previous_max(frame: pd.DataFrame) -> pd.Series:
    """Highest sibling number before each row; a group's start is 0 or the continued count."""
    previous = _sibling_max_before(frame)
    groups = frame.drop_duplicates("pcode")[["pcode", "depth", "number"]].copy()
    groups["gmax"] = groups["pcode"].map(frame.groupby("pcode", sort=False)["number"].max())
    groups["before"] = groups.groupby("depth")["gmax"].shift(1)
    continues = (
        groups["before"].notna() & (groups["before"] < groups["number"]) & (groups["number"] > 1)
    )
    start = pd.Series(np.where(continues, groups["before"], 0), index=groups["pcode"].to_numpy())
    return previous.fillna(frame["pcode"].map(start))


def _sibling_max_before(frame: pd.DataFrame) -> pd.Series:
    """Highest number among the earlier siblings of each row (NaN for a group's first row)."""
    if "sibling_max" not in frame.attrs:
        running = frame.groupby("pcode", sort=False)["number"].cummax()
        frame.attrs["sibling_max"] = running.groupby(frame["pcode"], sort=False).shift(1)
    return frame.attrs["sibling_max"]


def _label(parent: str, number: float) -> str:
    return f"{parent}.{int(number)}" if parent else str(int(number))


def _absent(frame: pd.DataFrame, gaps: pd.DataFrame, previous: pd.Series) -> list[str]:
    """Label of the numbers skipped before each gap row that appear nowhere among its siblings."""
    present = frame[frame["parent"].isin(set(gaps["parent"]))].groupby("parent")["number"].agg(set)
    labels = []
    for parent, low, number in zip(gaps["parent"], previous + 1, gaps["number"], strict=True):
        absent = [n for n in range(int(low), int(number)) if n not in present[parent]]
        labels.append(
            ", ".join(_label(parent, n) for n in absent[:3]) + ("…" if len(absent) > 3 else "")
        )
    return labels


@register_check("task_number_missing", fields=("task_id", "missing"))
def task_number_missing(ctx: CheckContext) -> pd.DataFrame:
    frame = _numbered(ctx)
    previous = _previous_max(frame)
    gap = (frame["number"] > previous + 1) & ~_duplicated(frame)
    labels = pd.Series(_absent(frame, frame[gap], previous[gap]), dtype=object)
    keep = (labels != "").to_numpy()
    gaps = frame[gap][keep]
    return hits(gaps["row"], task_id=gaps["task_id"], missing=labels[keep])


@register_check("task_number_duplicate", fields=("task_id",))
def task_number_duplicate(ctx: CheckContext) -> pd.DataFrame:
    frame = _numbered(ctx)
    frame = frame[_duplicated(frame)]
    return hits(frame["row"], task_id=frame["task_id"])


@register_check("task_number_order", fields=("task_id", "previous"))
def task_number_order(ctx: CheckContext) -> pd.DataFrame:
    frame = _numbered(ctx)
    previous = _sibling_max_before(frame)
    bad = (frame["number"] < previous) & ~_duplicated(frame)
    labels = [_label(p, n) for p, n in zip(frame.loc[bad, "parent"], previous[bad], strict=True)]
    return hits(
        frame.loc[bad, "row"],
        task_id=frame.loc[bad, "task_id"],
        previous=pd.Series(labels, dtype=object),
    )
