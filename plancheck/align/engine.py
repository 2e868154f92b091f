"""``diff_plans``: align two task tables and describe every difference as plain data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache, partial
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
        values["id"] = str(table["plan_id"].iat[0]) if len(table) else ""
    if not values.get("source_file") and len(table):
        values["source_file"] = str(table["source_file"].iat[0])
    return PlanInfo(**values)


@lru_cache(maxsize=1)
def _registry() -> Any:
    """The department registry, loaded once per process; None where it is not available."""
    try:
        from plancheck.registry.lookup import load_registry
    except ImportError:
        return None
    return load_registry()


@lru_cache(maxsize=1 << 14)
def _registry_function(level: str, names: tuple[str, ...], name: str) -> str | None:
    """The registry's function key of a unit, else the fallback's (memoised per process: the
    registry does not change, and a batch names the same units again and again)."""
    registry = _registry()
    found = registry.function_of(name, level=level or None) if registry is not None else None
    return found or fallback_unit_key(name, strip_names=names)


@lru_cache(maxsize=256)
def _registry_unit_key(level: str, names: tuple[str, ...]) -> UnitKey:
    """One lookup object per (level, places), so lookups keyed on it are memoised across pairs."""
    return partial(_registry_function, level, names)


def _side_key(unit_key: UnitKey | None, info: PlanInfo, names: Sequence[str]) -> UnitKey:
    """One side's unit -> function lookup, memoised: a plan names few units, many times."""
    if unit_key is None:
        return _registry_unit_key(info.level, tuple(names))
    fallback = partial(fallback_unit_key, strip_names=tuple(names))
    return lru_cache(maxsize=None)(lambda name: unit_key(name) or fallback(name))


@dataclass(frozen=True)
class PreparedPlan:
    """A task table read once for diffing, one entry per clause in table order (by ``seq``).

    ``diff_plans`` prepares each side itself; a batch that diffs many local plans against one
    parent prepares the parent once (``prepare_plan``) and passes it instead of the table."""

    info: PlanInfo
    clauses: tuple[ClauseRef, ...]
    bodies: tuple[str, ...]  # requirement wording: no item number, no unit note
    scored: tuple[str, ...]  # what the alignment scores (a table row's key task + its body)
    units: tuple[tuple[str, ...], ...]  # each row's distinct units, lead first
    deadlines: tuple[str, ...]  # as written, "" for none
    parsed_deadlines: tuple[str, ...]  # normalised (2019-09, ongoing), "" for none

    @cached_property
    def has_deadlines(self) -> bool:
        return any(self.parsed_deadlines)


def _ascending(column: pd.Series) -> bool:
    """``is_monotonic_increasing``, without pandas' overhead for the usual integer column."""
    values = column.to_numpy()
    if values.dtype.kind in "iu":
        return not (values[1:] < values[:-1]).any()
    return bool(column.is_monotonic_increasing)


def _column(table: pd.DataFrame, name: str) -> list[Any]:
    return table[name].tolist() if name in table.columns else [None] * len(table)


def prepare_plan(
    table: pd.DataFrame, info: PlanInfo | Mapping[str, Any] | None = None
) -> PreparedPlan:
    """Read a task table (see plancheck.table.schemas) for ``diff_plans``."""
    info = plan_info(info, table)
    if "seq" in table.columns and not _ascending(table["seq"]):
        table = table.sort_values("seq", kind="stable")
    texts = [str(text or "") for text in _column(table, "text")]
    bodies = tuple(
        clause_body(text, str(raw or ""))
        for text, raw in zip(texts, _column(table, "units_raw"), strict=True)
    )
    scored = tuple(
        f"{heading}。{body}" if kind == "row" and str(heading or "") not in body else body
        for body, heading, kind in zip(
            bodies, _column(table, "heading"), _column(table, "kind"), strict=True
        )
    )  # a task-division row's heading is its key task (重点任务), the clause title a
    # paragraph-style plan writes into its text, so rows are scored with it
    clauses = tuple(
        ClauseRef(str(task_id), text, int(start), int(end))
        for task_id, text, start, end in zip(
            table["task_id"].tolist(),
            texts,
            table["line_start"].tolist(),
            table["line_end"].tolist(),
            strict=True,
        )
    )
    return PreparedPlan(
        info,
        clauses,
        bodies,
        scored,
        tuple(tuple(dict.fromkeys(units or ())) for units in _column(table, "units")),
        tuple(str(d) if d else "" for d in _column(table, "deadline")),
        tuple(str(d) if d else "" for d in _column(table, "deadline_parsed")),
    )


def _units(plan: PreparedPlan, rows: Sequence[int]) -> tuple[str, ...]:
    if len(rows) == 1:
        return plan.units[rows[0]]  # distinct already (prepare_plan)
    return tuple(dict.fromkeys(unit for row in rows for unit in plan.units[row]))


def _deadline_change(
    reference: PreparedPlan, refs: Sequence[int], target: PreparedPlan, tgts: Sequence[int]
) -> ChangedRequirement | None:
    """The deadline column, when both sides set one and they parse differently."""
    if not (reference.has_deadlines and target.has_deadlines):
        return None
    before = sorted({reference.parsed_deadlines[i] for i in refs} - {""})
    after = sorted({target.parsed_deadlines[j] for j in tgts} - {""})
    if not before or not after or before == after:
        return None
    written = (
        "、".join(dict.fromkeys(d for d in (plan.deadlines[k] for k in rows) if d))
        for plan, rows in ((reference, refs), (target, tgts))
    )
    return ChangedRequirement(
        *written, "deadline_changed", f"{'、'.join(before)} → {'、'.join(after)}"
    )


def _clause(
    group: Group,
    reference: PreparedPlan,
    target: PreparedPlan,
    found: GroupRequirements,
    similarity: float,
    units: UnitChanges,
) -> ClauseDiff:
    clauses = (
        tuple(reference.clauses[i] for i in group.refs),
        tuple(target.clauses[j] for j in group.targets),
    )
    if not group.refs:
        return ClauseDiff("added", *clauses, None)
    if not group.targets:
        return ClauseDiff("omitted", *clauses, None)
    changed = list(found.changed)
    deadline = _deadline_change(reference, group.refs, target, group.targets)
    if deadline:
        changed.append(deadline)
    status = "changed" if (found.omitted or changed or units.any) else "kept"
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
    reference: pd.DataFrame | PreparedPlan,
    target: pd.DataFrame | PreparedPlan,
    *,
    reference_info: PlanInfo | Mapping[str, Any] | None = None,
    target_info: PlanInfo | Mapping[str, Any] | None = None,
    unit_key: Callable[[str], str | None] | None = None,
    lexicon: Lexicon | None = None,
    align_config: AlignConfig | None = None,
    requirement_config: RequirementConfig | None = None,
) -> PlanDiff:
    """Clause-by-clause differences of ``target`` (local plan) against ``reference`` (the plan
    above it). Both are task tables (see plancheck.table.schemas), or plans prepared from one with
    ``prepare_plan`` (then their own info is used). ``unit_key`` maps a unit name to its
    function; by default the department registry, else a simple built-in fallback."""
    ref = (
        reference
        if isinstance(reference, PreparedPlan)
        else prepare_plan(reference, reference_info)
    )
    tgt = target if isinstance(target, PreparedPlan) else prepare_plan(target, target_info)
    lexicon = lexicon or load_lexicon()
    names = jurisdiction_names(ref.info.jurisdiction, tgt.info.jurisdiction)
    masked = (mask_all(ref.scored, names), mask_all(tgt.scored, names))
    space = PairSpace(*masked)
    groups = align_clauses(space, align_config, masked)
    found = compare_requirements(ref.bodies, tgt.bodies, groups, lexicon, names, requirement_config)
    keys = (_side_key(unit_key, ref.info, names), _side_key(unit_key, tgt.info, names))
    pairs = [(_units(ref, g.refs), _units(tgt, g.targets)) for g in groups]
    units = compare_units_many(pairs, *keys)
    similarities = space.groups_cos([(g.refs, g.targets) for g in groups])
    clauses = tuple(
        _clause(group, ref, tgt, requirements, similarity, unit_changes)
        for group, requirements, similarity, unit_changes in zip(
            groups, found, similarities, units, strict=True
        )
    )
    n_ref, n_tgt = len(ref.clauses), len(tgt.clauses)
    return PlanDiff(ref.info, tgt.info, _summary(clauses, n_ref, n_tgt), clauses, lexicon.version)
