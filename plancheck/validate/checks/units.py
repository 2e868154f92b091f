"""Responsible-unit checks: lead unit present, names known, canonical, still existing.

All checks work on ``ctx.units_coded`` and ``ctx.verdicts``: every distinct unit list is
exploded once, every distinct unit name is resolved once through the registry, and the
names a check selects are mapped back onto the (task, unit) pairs by code.
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
    if table_covers_items and (tasks["kind"] == "row").any():
        # The narrative clauses restate the table, whose rows carry the units.
        kinds = [kind for kind in kinds if kind != "item"]
    mask = blank(tasks["lead_unit"]) & tasks["kind"].isin(kinds).to_numpy()
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


@register_check("unit_alias", fields=("unit", "canonical"))
def unit_alias(ctx: CheckContext) -> pd.DataFrame:
    rows, codes = ctx.unit_pairs(_alias_names(ctx))
    canonical = ctx.verdicts["canonical"][codes]
    return _unit_hits(ctx, rows, codes, canonical=canonical, fix=canonical)


@register_check(
    "unit_abolished", fields=("unit", "abolished", "successor", "plan_date", "estimated")
)
def unit_abolished(ctx: CheckContext) -> pd.DataFrame:
    verdicts = ctx.verdicts
    mask = verdicts["abolished_before"]
    plan_date, estimated = ctx.plan_date
    fix = _per_name(mask, verdicts["successor"], lambda s: None if pd.isna(s) else s)
    named = _per_name(mask, fix, lambda s: s if s else ctx.say(NONE_TEXT))
    rows, codes = ctx.unit_pairs(mask)
    return _unit_hits(
        ctx,
        rows,
        codes,
        abolished=verdicts["abolished"][codes],
        successor=named[codes],
        plan_date=plan_date,
        estimated=ctx.say(ESTIMATED) if estimated else "",
        fix=fix[codes],
    )


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


def alias_replacements(ctx: CheckContext) -> dict[str, str]:
    """unit name -> canonical name, for exactly the aliases that ``unit_alias`` reports."""
    mask = _alias_names(ctx)
    names, canonical = ctx.units_coded[3], ctx.verdicts["canonical"]
    return {names[i]: canonical[i] for i in np.flatnonzero(mask)}


def apply_replacements(tasks: pd.DataFrame, mapping: dict[str, str]) -> tuple[pd.DataFrame, int]:
    """(tasks with units renamed, number of names replaced). ``units_raw`` keeps what was written."""
    if not mapping:
        return tasks, 0
    old = tasks["units"]
    new = old.map(lambda units: [mapping.get(unit, unit) for unit in units])
    changed = sum(
        sum(a != b for a, b in zip(x, y, strict=True)) for x, y in zip(old, new, strict=True)
    )
    out = tasks.copy()
    out["units"] = new
    out["lead_unit"] = new.map(lambda units: units[0] if units else None)
    return out, int(changed)
