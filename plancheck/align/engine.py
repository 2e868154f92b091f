"""``diff_plans``: align two task tables and describe every difference as plain data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from functools import lru_cache, partial
from typing import Any

import pandas as pd

from plancheck.align.alignment import AlignConfig, Group, align_clauses
from plancheck.align.lexicon import Lexicon, load_lexicon
from plancheck.align.model import (
    CHANGE_KINDS,
    ChangedRequirement,
    ClauseDiff,
    ClauseRef,
    DiffSummary,
    PlanDiff,
    PlanInfo,
    UnitChanges,
)
from plancheck.align.requirements import GroupRequirements, RequirementConfig, compare_requirements
from plancheck.align.similarity import PairSpace
from plancheck.align.text import clause_body, jurisdiction_names, mask_all
from plancheck.align.units import UnitKey, compare_units_many, fallback_unit_key


def plan_info(info: PlanInfo | Mapping[str, Any] | None, table: pd.DataFrame) -> PlanInfo:
    """A PlanInfo from a PlanInfo, a mapping with PlanInfo's field names, or the table itself."""
    if isinstance(info, PlanInfo):
        return info
    known = {f.name for f in fields(PlanInfo)}
    values = {k: ("" if v is None else str(v)) for k, v in dict(info or {}).items() if k in known}
    if not values.get("id"):
        values["id"] = str(table["plan_id"].iloc[0]) if len(table) else ""
    if not values.get("source_file") and len(table):
        values["source_file"] = str(table["source_file"].iloc[0])
    return PlanInfo(**values)


@lru_cache(maxsize=1)
def _registry() -> Any:
    """The department registry, loaded once per process; None where it is not available."""
    try:
        from plancheck.registry import load_registry
    except ImportError:
        return None
    return load_registry()


def _registry_key(level: str) -> UnitKey | None:
    registry = _registry()
    return None if registry is None else partial(registry.function_of, level=level or None)


def _side_key(unit_key: UnitKey | None, info: PlanInfo, names: Sequence[str]) -> UnitKey:
    """One side's unit -> function lookup, memoised: a plan names few units, many times."""
    fallback = partial(fallback_unit_key, strip_names=tuple(names))
    primary = unit_key or _registry_key(info.level)
    if primary is None:
        return lru_cache(maxsize=None)(fallback)
    return lru_cache(maxsize=None)(lambda name: primary(name) or fallback(name))


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    ordered = table
    if "seq" in table.columns and not table["seq"].is_monotonic_increasing:
        ordered = table.sort_values("seq", kind="stable")  # a stable sort of sorted rows is a no-op
    columns = {name: ordered[name].tolist() for name in ordered.columns}  # faster than to_dict
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def _scored(row: Mapping[str, Any], body: str) -> str:
    """What a clause is aligned on. A task-division row's heading is its key task (重点任务),
    the clause title a paragraph-style plan writes into its text, so rows are scored with it."""
    heading = str(row.get("heading") or "")
    return f"{heading}。{body}" if row.get("kind") == "row" and heading not in body else body


def _ref(row: Mapping[str, Any]) -> ClauseRef:
    return ClauseRef(
        str(row["task_id"]), str(row["text"] or ""), int(row["line_start"]), int(row["line_end"])
    )


def _units(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    units: list[str] = []
    for row in rows:
        units += [u for u in (row.get("units") or []) if u not in units]
    return units


def _deadline_change(refs: Sequence[Mapping], tgts: Sequence[Mapping]) -> ChangedRequirement | None:
    """The deadline column, when both sides set one and they parse differently."""
    before = sorted({str(r["deadline_parsed"]) for r in refs if r.get("deadline_parsed")})
    after = sorted({str(r["deadline_parsed"]) for r in tgts if r.get("deadline_parsed")})
    if not before or not after or before == after:
        return None
    written = (
        "、".join(dict.fromkeys(str(r.get("deadline") or "") for r in rows if r.get("deadline")))
        for rows in (refs, tgts)
    )
    return ChangedRequirement(
        *written, "deadline_changed", f"{'、'.join(before)} → {'、'.join(after)}"
    )


def _clause(
    group: Group,
    refs: list[dict],
    tgts: list[dict],
    found: GroupRequirements,
    space: PairSpace,
    units: UnitChanges,
) -> ClauseDiff:
    ref_rows = [refs[i] for i in group.refs]
    tgt_rows = [tgts[j] for j in group.targets]
    clauses = (tuple(map(_ref, ref_rows)), tuple(map(_ref, tgt_rows)))
    if not ref_rows:
        return ClauseDiff("added", *clauses, None)
    if not tgt_rows:
        return ClauseDiff("omitted", *clauses, None)
    changed = list(found.changed)
    deadline = _deadline_change(ref_rows, tgt_rows)
    if deadline:
        changed.append(deadline)
    status = "changed" if (found.omitted or changed or units.any) else "kept"
    similarity = space.group_cos(group.refs, group.targets)
    return ClauseDiff(status, *clauses, similarity, found.omitted, tuple(changed), units)


def _summary(clauses: Sequence[ClauseDiff], n_ref: int, n_tgt: int) -> DiffSummary:
    per_ref = Counter()
    for clause in clauses:
        per_ref[clause.status] += len(clause.reference) if clause.reference else len(clause.target)
    kinds = Counter(change.kind for clause in clauses for change in clause.changed_requirements)
    return DiffSummary(
        reference_clauses=n_ref,
        target_clauses=n_tgt,
        kept=per_ref["kept"],
        changed=per_ref["changed"],
        omitted=per_ref["omitted"],
        added=per_ref["added"],
        omitted_requirements=sum(len(c.omitted_requirements) for c in clauses),
        changed_requirements={kind: kinds[kind] for kind in CHANGE_KINDS},
        unit_changes=sum(1 for c in clauses if c.units.any),
        lead_changes=sum(1 for c in clauses if c.units.lead_changed),
    )


def diff_plans(
    reference: pd.DataFrame,
    target: pd.DataFrame,
    *,
    reference_info: PlanInfo | Mapping[str, Any] | None = None,
    target_info: PlanInfo | Mapping[str, Any] | None = None,
    unit_key: Callable[[str], str | None] | None = None,
    lexicon: Lexicon | None = None,
    align_config: AlignConfig | None = None,
    requirement_config: RequirementConfig | None = None,
) -> PlanDiff:
    """Clause-by-clause differences of ``target`` (local plan) against ``reference`` (the plan
    above it). Both are task tables (see plancheck.schemas). ``unit_key`` maps a unit name to
    its function; by default the department registry, else a simple built-in fallback."""
    ref_info, tgt_info = plan_info(reference_info, reference), plan_info(target_info, target)
    lexicon = lexicon or load_lexicon()
    names = jurisdiction_names(ref_info.jurisdiction, tgt_info.jurisdiction)
    refs, tgts = _records(reference), _records(target)
    ref_bodies = [clause_body(r["text"], r.get("units_raw") or "") for r in refs]
    tgt_bodies = [clause_body(r["text"], r.get("units_raw") or "") for r in tgts]
    masked = tuple(
        mask_all([_scored(row, body) for row, body in zip(rows, bodies, strict=True)], names)
        for rows, bodies in ((refs, ref_bodies), (tgts, tgt_bodies))
    )
    space = PairSpace(*masked)
    groups = align_clauses(space, align_config, masked)
    found = compare_requirements(ref_bodies, tgt_bodies, groups, lexicon, names, requirement_config)
    keys = (_side_key(unit_key, ref_info, names), _side_key(unit_key, tgt_info, names))
    pairs = [
        (_units([refs[i] for i in g.refs]), _units([tgts[j] for j in g.targets])) for g in groups
    ]
    units = compare_units_many(pairs, *keys)
    clauses = tuple(
        _clause(group, refs, tgts, requirements, space, unit_changes)
        for group, requirements, unit_changes in zip(groups, found, units, strict=True)
    )
    return PlanDiff(
        ref_info, tgt_info, _summary(clauses, len(refs), len(tgts)), clauses, lexicon.version
    )
