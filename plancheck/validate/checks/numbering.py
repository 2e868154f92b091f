"""Task-number checks: gaps, duplicates and numbers out of order.

``task_id`` is dotted document numbering ("2.1.3", table rows "A.7"). Siblings share the
part before the last dot; their last numbers should run 1, 2, 3... in document order.
Plans that number clauses continuously across parts (（一）…（二十四）) are recognised: a
group may continue from the previous group at the same depth instead of restarting at 1.
In a table of many plans every plan is numbered on its own: sibling groups, document order
(``seq``) and continuation are all taken within one plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from plancheck.validate.checks import hits, register_check
from plancheck.validate.checks.context import CheckContext


def _numbered(ctx: CheckContext) -> pd.DataFrame:
    """Rows whose last id component starts with a number, in document (seq) order (cached)."""
    if "numbered" not in ctx.memo:
        ctx.memo["numbered"] = _split_ids(ctx.tasks, ctx.plan_codes)
    return ctx.memo["numbered"]


def _split_ids(tasks: pd.DataFrame, plans: np.ndarray) -> pd.DataFrame:
    ids = tasks["task_id"].astype(str).to_numpy(dtype=object)
    # numpy's string functions split every id without making a Python string per piece.
    parents, _, lasts = np.strings.rpartition(ids.astype(StringDType()), _text("."))
    number = _leading_numbers(lasts)
    keep = np.flatnonzero(~np.isnan(number))
    seq = tasks["seq"].to_numpy()[keep]
    plan = plans[keep]
    in_order = (plan[1:] > plan[:-1]) | ((plan[1:] == plan[:-1]) & (seq[1:] >= seq[:-1]))
    if len(keep) > 1 and not in_order.all():
        order = np.lexsort((seq, plan))  # plans in order of first appearance, seq within
        keep, seq, plan = keep[order], seq[order], plan[order]
    parent_codes, parent_values = _factorize_runs(parents[keep])
    depths = np.array(
        [(value.count(".") + 1 if value else 0) for value in parent_values], dtype="int64"
    )
    # Siblings share a plan and a parent: one integer group key per (plan, parent).
    groups, _ = pd.factorize(plan.astype("int64") * (len(parent_values) + 1) + parent_codes)
    return pd.DataFrame(
        {
            "row": keep.astype("int64"),
            "seq": seq,
            "plan": plan,
            "task_id": pd.Series(ids[keep], dtype=object),
            "parent": pd.Series(parent_values[parent_codes], dtype=object),
            "pcode": groups,  # integer group key: grouping by it is much faster than by strings
            "depth": depths[parent_codes] if len(keep) else np.zeros(0, dtype="int64"),
            "number": number[keep],
        }
    )


def _text(value: str) -> np.ndarray:
    return np.array(value, dtype=StringDType())


def _leading_numbers(lasts: np.ndarray) -> np.ndarray:
    """The number a last id component starts with (``^\\d+``), else NaN.

    Plain ASCII numbers ("3", "12") are converted in one vectorised step; anything else ("3~2",
    "A", other digits) goes through the regular expression, once per distinct component.
    """
    number = np.full(len(lasts), np.nan)
    plain = (np.strings.str_len(lasts) > 0) & (
        np.strings.lstrip(lasts, _text("0123456789")) == _text("")
    )
    number[plain] = lasts[plain].astype(np.float64)
    rest = np.flatnonzero(~plain)
    if len(rest):
        codes, values = pd.factorize(lasts[rest].astype(object))
        parsed = pd.to_numeric(
            pd.Series(values, dtype=object).str.extract(r"^(\d+)")[0], errors="coerce"
        ).to_numpy(dtype=float)
        number[rest] = parsed[codes]
    return number


def _factorize_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` for strings that come in runs (siblings share a parent): one per run.

    ``values`` is a numpy string array; only the first value of each run becomes a Python string.
    """
    if not len(values):
        return np.zeros(0, dtype="intp"), np.zeros(0, dtype=object)
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    codes, uniques = pd.factorize(values[starts].astype(object))
    return codes[np.cumsum(starts) - 1], np.asarray(uniques, dtype=object)


def _duplicated(ctx: CheckContext) -> pd.Series:
    """A number used before by a sibling (computed once per plan)."""
    if "numbered_duplicated" not in ctx.memo:
        frame = _numbered(ctx)
        ctx.memo["numbered_duplicated"] = frame.duplicated(["pcode", "number"], keep="first")
    return ctx.memo["numbered_duplicated"]


def _previous_max(ctx: CheckContext) -> pd.Series:
    """Highest sibling number before each row; a group's start is 0 or the continued count."""
    frame = _numbered(ctx)
    previous = _sibling_max_before(ctx)
    groups = frame.drop_duplicates("pcode")[["pcode", "plan", "depth", "number"]].copy()
    groups["gmax"] = groups["pcode"].map(frame.groupby("pcode", sort=False)["number"].max())
    groups["before"] = groups.groupby(["plan", "depth"], sort=False)["gmax"].shift(1)
    continues = (
        groups["before"].notna() & (groups["before"] < groups["number"]) & (groups["number"] > 1)
    )
    start = pd.Series(np.where(continues, groups["before"], 0), index=groups["pcode"].to_numpy())
    return previous.fillna(frame["pcode"].map(start))


def _sibling_max_before(ctx: CheckContext) -> pd.Series:
    """Highest number among the earlier siblings of each row (NaN for a group's first row)."""
    if "sibling_max" not in ctx.memo:
        frame = _numbered(ctx)
        running = frame.groupby("pcode", sort=False)["number"].cummax()
        ctx.memo["sibling_max"] = running.groupby(frame["pcode"], sort=False).shift(1)
    return ctx.memo["sibling_max"]


def _label(parent: str, number: float) -> str:
    return f"{parent}.{int(number)}" if parent else str(int(number))


def _absent(frame: pd.DataFrame, gaps: pd.DataFrame, previous: pd.Series) -> list[str]:
    """Label of the numbers skipped before each gap row that appear nowhere among its siblings."""
    siblings = frame[frame["pcode"].isin(np.unique(gaps["pcode"].to_numpy()))]
    present = siblings.groupby("pcode")["number"].agg(set)
    labels = []
    for parent, pcode, low, number in zip(
        gaps["parent"], gaps["pcode"], previous + 1, gaps["number"], strict=True
    ):
        absent = [n for n in range(int(low), int(number)) if n not in present[pcode]]
        labels.append(
            ", ".join(_label(parent, n) for n in absent[:3]) + ("…" if len(absent) > 3 else "")
        )
    return labels


@register_check("task_number_missing", fields=("task_id", "missing"))
def task_number_missing(ctx: CheckContext) -> pd.DataFrame:
    frame = _numbered(ctx)
    previous = _previous_max(ctx)
    gap = (frame["number"] > previous + 1) & ~_duplicated(ctx)
    labels = pd.Series(_absent(frame, frame[gap], previous[gap]), dtype=object)
    keep = (labels != "").to_numpy()
    gaps = frame[gap][keep]
    return hits(gaps["row"], task_id=gaps["task_id"], missing=labels[keep])


@register_check("task_number_duplicate", fields=("task_id",))
def task_number_duplicate(ctx: CheckContext) -> pd.DataFrame:
    frame = _numbered(ctx)
    frame = frame[_duplicated(ctx)]
    return hits(frame["row"], task_id=frame["task_id"])


@register_check("task_number_order", fields=("task_id", "previous"))
def task_number_order(ctx: CheckContext) -> pd.DataFrame:
    frame = _numbered(ctx)
    previous = _sibling_max_before(ctx)
    bad = (frame["number"] < previous) & ~_duplicated(ctx)
    labels = [_label(p, n) for p, n in zip(frame.loc[bad, "parent"], previous[bad], strict=True)]
    return hits(
        frame.loc[bad, "row"],
        task_id=frame.loc[bad, "task_id"],
        previous=pd.Series(labels, dtype=object),
    )
