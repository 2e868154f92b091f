"""Deadline checks: a deadline that cannot be read, or that lies outside the plan's period.

The period starts in the month the plan was issued and ends with the latest year its
targets name (到2020年底…); a plan without targets gets ``horizon_years`` after issue.
Deadlines are compared per distinct parsed value ("2019-07", "2020", "ongoing").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plancheck.table.columns import factorize_shared
from plancheck.validate.checks import Param, hits, register_check
from plancheck.validate.checks.context import CheckContext, blank

UNKNOWN = {"zh": "未知", "en": "unknown"}


@register_check("deadline_unreadable", fields=("deadline",))
def deadline_unreadable(ctx: CheckContext) -> pd.DataFrame:
    tasks = ctx.tasks
    mask = ~blank(tasks["deadline"]) & tasks["deadline_parsed"].isna().to_numpy()
    return hits(np.flatnonzero(mask), deadline=tasks.loc[mask, "deadline"].astype(str).str.strip())


def plan_period(
    ctx: CheckContext, horizon_years: int, plan: int = 0
) -> tuple[str | None, int | None]:
    """(first month "YYYY-MM" or None, last year or None) of the plan with code ``plan``."""
    issued = getattr(ctx.plans[plan], "issued", None)
    start = str(issued)[:7] if issued else None
    targets = ctx.target_years[plan]
    if targets:
        return start, max(targets)
    return start, (int(start[:4]) + horizon_years if start else None)


def _outside(value: str, start: str | None, end: int | None) -> bool:
    if not value[:4].isdigit():
        return False  # "ongoing"
    if end is not None and int(value[:4]) > end:
        return True
    return start is not None and value < start[: len(value)]


@register_check(
    "deadline_out_of_period",
    params={"horizon_years": Param(int, 5, "period length for plans without dated targets")},
    fields=("deadline", "start", "end"),
)
def deadline_out_of_period(ctx: CheckContext, horizon_years: int) -> pd.DataFrame:
    periods = [plan_period(ctx, horizon_years, code) for code in range(len(ctx.plans))]
    codes, values = factorize_shared(ctx.tasks["deadline_parsed"])  # missing: code -1
    # Each distinct (plan, parsed deadline) is judged once.
    pairs = ctx.plan_codes * (len(values) + 1) + (codes + 1)
    pair_codes, pair_values = pd.factorize(pairs)
    flags = np.array(
        [
            v % (len(values) + 1) > 0
            and _outside(str(values[v % (len(values) + 1) - 1]), *periods[v // (len(values) + 1)])
            for v in pair_values
        ]
        + [False],
        dtype=bool,
    )
    rows = np.flatnonzero(flags[pair_codes])
    picked = pd.Series(ctx.tasks["deadline"].to_numpy(dtype=object)[rows], dtype=object)
    written = picked.fillna("").astype(str).to_numpy(dtype=object)
    unknown = ctx.say(UNKNOWN)
    starts = np.array([start or unknown for start, _ in periods] + [""], dtype=object)
    ends = np.array([str(end) if end else unknown for _, end in periods] + [""], dtype=object)
    plans = ctx.plan_codes[rows]
    return hits(rows, deadline=written, start=starts[plans], end=ends[plans])
