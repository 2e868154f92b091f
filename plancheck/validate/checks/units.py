"""Responsible-unit checks: lead unit present, names known, canonical, still existing.

All checks work on ``ctx.units_coded`` and ``ctx.verdicts``: every distinct unit list is
exploded once, every distinct (plan profile, unit name) is resolved once through the
registry, and the keys a check selects are mapped back onto the (task, unit) pairs by code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from plancheck.validate.checks import Param, hits, register_check
from plancheck.validate.checks.context import CheckContext, blank

NONE_TEXT = {"zh": "无", "en": "none"}
ESTIMATED = {
    "zh": "（方案未注明印发日期，按其提及的最晚年份估计）",
    "en": " (the plan gives no issue date; estimated from the latest year it mentions)",
}


@register_check(
    "lead_unit_missing",
    params={
        "kinds": Param(list, ["item", "row"], "task kinds that need a lead unit"),
        "table_covers_items": Param(
            bool, True, "a plan with a task-division table assigns its items there"
        ),
    },
    fields=("kind",),
)
def lead_unit_missing(
    ctx: CheckContext, kinds: list[str], table_covers_items: bool
) -> pd.DataFrame:
    tasks = ctx.tasks
    kind = tasks["kind"].to_numpy(dtype=object)
    mask = blank(tasks["lead_unit"]) & tasks["kind"].isin(kinds).to_numpy()
    if table_covers_items:
        # In a plan with a task-division table the narrative clauses restate the table,
        # whose rows carry the units.
        is_row = kind == "row"
        has_table = np.bincount(ctx.plan_codes[is_row], minlength=len(ctx.plans)) > 0
        mask &= ~((kind == "item") & has_table[ctx.plan_codes])
    return hits(np.flatnonzero(mask), kind=tasks.loc[mask, "kind"])


def _unit_hits(
    ctx: CheckContext, rows: np.ndarray, name_codes: np.ndarray, **fields: object
) -> pd.DataFrame:
    unit = ctx.units_coded[3][name_codes]
    line = ctx.locate(rows, unit)
    return hits(rows, line=line, unit=unit, **fields)


def _per_name(mask: np.ndarray, values: np.ndarray, func: Any) -> np.ndarray:
    """``func(value)`` for the selected names only (the others may hold no verdict)."""
    out = np.full(len(mask), None, dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = func(values[i])
    return out


def _alias_names(ctx: CheckContext) -> np.ndarray:
    """Names that are aliases; an alias of an abolished body is reported by unit_abolished."""
    verdicts = ctx.verdicts
    return (verdicts["status"] == "alias") & ~verdicts["abolished_before"]


@register_check("unit_unknown", fields=("unit", "suggestions"))
def unit_unknown(ctx: CheckContext) -> pd.DataFrame:
    verdicts = ctx.verdicts
    mask = verdicts["status"] == "unknown"
    none = ctx.say(NONE_TEXT)
    text = _per_name(mask, verdicts["suggestions"], lambda s: "、".join(s) if s else none)
    rows, codes = ctx.unit_pairs(mask)
    return _unit_hits(ctx, rows, codes, suggestions=text[codes])


@register_check("unit_alias", fields=("unit", "canonical"), fixable=True)
def unit_alias(ctx: CheckContext) -> pd.DataFrame:
    rows, codes = ctx.unit_pairs(_alias_names(ctx))
    canonical = ctx.verdicts["canonical"][codes]
    # Rewritten only to the title the plan's own jurisdiction uses; else a suggestion.
    fix = _when_certain(ctx.verdicts["certain"][codes], canonical)
    return _unit_hits(ctx, rows, codes, canonical=canonical, fix=fix)


@register_check(
    "unit_abolished", fields=("unit", "abolished", "successor", "plan_date", "estimated")
)
def unit_abolished(ctx: CheckContext) -> pd.DataFrame:
    verdicts = ctx.verdicts
    mask = verdicts["abolished_before"]
    successor = _per_name(mask, verdicts["successor"], lambda s: None if pd.isna(s) else s)
    named = _per_name(mask, successor, lambda s: s if s else ctx.say(NONE_TEXT))
    fix = _when_certain(verdicts["certain"], successor)
    rows, codes = ctx.unit_pairs(mask)
    dates = ctx.plan_dates
    plan_date = _objects([d for d, _ in dates])
    estimated = _objects([ctx.say(ESTIMATED) if e else "" for _, e in dates])
    plans = ctx.plan_codes[rows]
    return _unit_hits(
        ctx,
        rows,
        codes,
        abolished=verdicts["abolished"][codes],
        successor=named[codes],
        plan_date=plan_date[plans],
        estimated=estimated[plans],
        fix=fix[codes],
    )


def _when_certain(certain: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` where the verdict is certain, else None (a suggestion, not a fix)."""
    out = np.full(len(values), None, dtype=object)
    sure = certain.astype(bool)
    out[sure] = values[sure]
    return out


def _objects(values: list[Any]) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


@register_check("units_inherited", fields=("units",))
def units_inherited(ctx: CheckContext) -> pd.DataFrame:
    tasks = ctx.tasks
    mask = (tasks["units_inherited"].astype(bool) & tasks["lead_unit"].notna()).to_numpy()
    rows = np.flatnonzero(mask)
    codes, lists = ctx.unit_lists
    picked = codes[rows]
    used = np.zeros(len(lists), dtype=bool)
    used[picked] = True
    joined = _per_name(used, lists, "、".join)  # once per distinct list
    return hits(rows, units=joined[picked])


def apply_unit_fixes(tasks: pd.DataFrame, fixes: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(tasks with each fixed unit renamed, number of names replaced).

    ``fixes`` has one row per (row position, unit, fix) — the hits of ``unit_alias`` — so the
    fix rewrites exactly what the rule reports. ``units_raw`` keeps what the plan wrote.
    """
    if not len(fixes):
        return tasks, 0
    by_row: dict[int, dict[str, str]] = {}
    for row, unit, fix in zip(fixes["row"], fixes["unit"], fixes["fix"], strict=True):
        if isinstance(fix, str) and fix:
            by_row.setdefault(int(row), {})[unit] = fix
    units = tasks["units"].to_numpy(dtype=object).copy()
    changed = 0
    for row, mapping in by_row.items():
        new = [mapping.get(unit, unit) for unit in units[row]]
        changed += sum(a != b for a, b in zip(units[row], new, strict=True))
        units[row] = new
    out = tasks.copy()
    out["units"] = units
    out["lead_unit"] = [u[0] if len(u) else None for u in units]
    return out, changed
