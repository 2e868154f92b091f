"""Responsible-unit checks: lead unit present, names known, canonical, still existing.

All checks work on ``ctx.units_resolved``: every distinct unit name is resolved once
through the registry and the verdicts are mapped back onto the (task, unit) pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plancheck.checks import Param, hits, register_check
from plancheck.checks.context import CheckContext, blank

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


def _unit_hits(ctx: CheckContext, units: pd.DataFrame, **fields: object) -> pd.DataFrame:
    rows = units["row"].to_numpy()
    line = ctx.locate(rows, units["unit"].to_numpy())
    return hits(rows, line=line, unit=units["unit"], **fields)


@register_check("unit_unknown", fields=("unit", "suggestions"))
def unit_unknown(ctx: CheckContext) -> pd.DataFrame:
    units = ctx.units_resolved
    units = units[units["status"] == "unknown"]
    none = ctx.say(NONE_TEXT)
    suggestions = [
        ("、".join(s) if s else none) for s in units["suggestions"]
    ]  # unknown names are few
    return _unit_hits(ctx, units, suggestions=pd.Series(suggestions, dtype=object))


@register_check("unit_alias", fields=("unit", "canonical"))
def unit_alias(ctx: CheckContext) -> pd.DataFrame:
    units = ctx.units_resolved
    # An alias of an abolished body is reported once, by unit_abolished.
    mask = (units["status"] == "alias").to_numpy() & ~units["abolished_before"].to_numpy(dtype=bool)
    units = units[mask]
    return _unit_hits(ctx, units, canonical=units["canonical"], fix=units["canonical"])


@register_check(
    "unit_abolished", fields=("unit", "abolished", "successor", "plan_date", "estimated")
)
def unit_abolished(ctx: CheckContext) -> pd.DataFrame:
    units = ctx.units_resolved
    units = units[units["abolished_before"].to_numpy(dtype=bool)]
    plan_date, estimated = ctx.plan_date
    successor = units["successor"].astype(object).where(units["successor"].notna(), None)
    return _unit_hits(
        ctx,
        units,
        abolished=units["abolished"],
        successor=[s if s else ctx.say(NONE_TEXT) for s in successor],
        plan_date=plan_date,
        estimated=ctx.say(ESTIMATED) if estimated else "",
        fix=successor,
    )


@register_check("units_inherited", fields=("units",))
def units_inherited(ctx: CheckContext) -> pd.DataFrame:
    tasks = ctx.tasks
    mask = tasks["units_inherited"].astype(bool) & tasks["lead_unit"].notna()
    joined = tasks.loc[mask, "units"].map("、".join)
    return hits(np.flatnonzero(mask.to_numpy()), units=joined)


def alias_replacements(ctx: CheckContext) -> dict[str, str]:
    """unit name -> canonical name, for exactly the aliases that ``unit_alias`` reports."""
    units = ctx.units_resolved
    mask = (units["status"] == "alias").to_numpy() & ~units["abolished_before"].to_numpy(dtype=bool)
    pairs = units.loc[mask, ["unit", "canonical"]].drop_duplicates("unit")
    return dict(zip(pairs["unit"], pairs["canonical"], strict=True))


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
