"""``diff_plans``: align two task tables and describe every difference as plain data.

Everything a diff reads besides the two plans (wording model, registry) comes from a
``DiffState`` the caller passes (or a fresh one); nothing is kept between calls in the module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

import pandas as pd

from plancheck.align.alignment import AlignConfig, ClauseSentences, Group, align_clauses
from plancheck.align.facts import changed_fields_by_key
from plancheck.align.model import (
    CHANGE_KINDS,
    ChangedRequirement,
    ClauseDiff,
    DiffSummary,
    PlanDiff,
    PlanInfo,
    UnitChanges,
)
from plancheck.align.model import ClauseRef as ClauseRef
from plancheck.align.ngrams import NgramCounts, ngram_counts
from plancheck.align.phrases import ClausePhrases, clause_phrases, masked_phrases
from plancheck.align.requirements import (
    ClauseRequirements,
    RequirementConfig,
    TargetIndex,
    compare_requirements,
    requirement_count,
)
from plancheck.align.similarity import PairSpace
from plancheck.align.state import DiffState
from plancheck.align.text import clause_body, jurisdiction_names, mask_all, score_keys
from plancheck.align.units import compare_units_many
from plancheck.align.wording import WordingModel

_LEVELS = {"national": 4, "province": 3, "city": 2, "county": 1}
# the share of an unlinked clause's requirements the target must state elsewhere for the clause
# to be linked to those places (calibrated on the tuning half of bench_real_pairs.py)
MOVED_SHARE = 0.34


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
    phrases: tuple[ClausePhrases, ...]  # each body's sentences and requirement phrases
    # a task-division row's key task (重点任务) when its text does not repeat it, else "":
    # a requirement of the plan above may be carried by that cell alone
    headings: tuple[str, ...] = ()
    # masked texts per set of place names found in the plan (see ``masked``); written once
    # per set, never changed, so two threads filling it write the same values
    _masked: dict[tuple[str, ...], _MaskedPlan] = field(
        default_factory=dict, repr=False, compare=False
    )

    def masked(self, names: Sequence[str]) -> _MaskedPlan:
        """The scored texts (and their n-gram counts) and each clause's (phrase texts, scoring
        keys) with ``names`` masked. Only names the plan contains change anything (a mask
        writes ◇, which no name holds, so masking never makes a new name appear), so a parent
        diffed against many local plans is masked once per set of its own names found, not
        once per pair."""
        found = tuple(name for name in names if name in self._words)
        if found not in self._masked:
            self._masked[found] = _mask_plan(self, found)
        return self._masked[found]

    @cached_property
    def _words(self) -> str:
        """Every text masking reads, joined: where to look for place names."""
        return "\x00".join((*self.scored, *(p.text for c in self.phrases for p in c.phrases)))


@dataclass(frozen=True)
class _MaskedPlan:
    scored: tuple[str, ...]
    scored_counts: NgramCounts  # n-gram counts of their scoring keys (text.score_key)
    phrases: tuple[tuple[list[str], list[str]], ...]  # per clause: (texts, scoring keys)

    @cached_property
    def sentences(self) -> ClauseSentences:
        """The scored texts' sentences, counted (made only for a reference side)."""
        return ClauseSentences.of(self.scored)


def _mask_plan(plan: PreparedPlan, names: tuple[str, ...]) -> _MaskedPlan:
    """``plan.masked(names)``, made: every phrase of the plan masked in one pass, and a
    scoring key made again only for a phrase the mask changed."""
    scored = tuple(mask_all(plan.scored, names))
    texts = [p.text for clause in plan.phrases for p in clause.phrases]
    keys = [key for clause in plan.phrases for key in clause.keys]
    masked, keys = masked_phrases(texts, keys, names)
    per_clause, start = [], 0
    for clause in plan.phrases:
        end = start + len(clause.phrases)
        per_clause.append((masked[start:end], keys[start:end]))
        start = end
    return _MaskedPlan(scored, ngram_counts(score_keys(scored)), tuple(per_clause))


def _column(table: pd.DataFrame, name: str) -> list[Any]:
    return table[name].tolist() if name in table.columns else [None] * len(table)


def prepare_plan(
    table: pd.DataFrame,
    info: PlanInfo | Mapping[str, Any] | None = None,
    state: DiffState | None = None,
) -> PreparedPlan:
    """Read a task table (see plancheck.table.schemas) for ``diff_plans``. ``state`` is
    accepted so a batch passes one object everywhere; reading a table needs none of it."""
    info = plan_info(info, table)
    if "seq" in table.columns and not table["seq"].is_monotonic_increasing:
        table = table.sort_values("seq", kind="stable")
    texts = [str(text or "") for text in _column(table, "text")]
    bodies = tuple(
        clause_body(text, str(raw or ""))
        for text, raw in zip(texts, _column(table, "units_raw"), strict=True)
    )
    # a task-division row's heading is its key task (重点任务), the clause title a
    # paragraph-style plan writes into its text, so rows are scored with it
    headings = tuple(
        str(heading) if kind == "row" and heading and str(heading) not in body else ""
        for body, heading, kind in zip(
            bodies, _column(table, "heading"), _column(table, "kind"), strict=True
        )
    )
    scored = tuple(
        f"{heading}。{body}" if heading else body
        for body, heading in zip(bodies, headings, strict=True)
    )
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
        tuple(map(clause_phrases, bodies)),
        headings,
    )


def _units(plan: PreparedPlan, rows: Sequence[int]) -> tuple[str, ...]:
    if len(rows) == 1:  # most groups; a row's units are distinct already
        return plan.units[rows[0]]
    return tuple(dict.fromkeys(unit for row in rows for unit in plan.units[row]))


def _deadline_changes(
    reference: PreparedPlan, target: PreparedPlan, groups: Sequence[Group]
) -> list[ChangedRequirement | None]:
    """Per group, the deadline column when both sides set one and they parse differently
    (compared with the other structured fields' DeepDiff, facts.changed_fields_by_key)."""
    out: list[ChangedRequirement | None] = [None] * len(groups)
    if not (any(reference.parsed_deadlines) and any(target.parsed_deadlines)):
        return out  # a side without deadlines (most plans' clauses name none)
    before: dict[int, dict] = {}
    after: dict[int, dict] = {}
    for k, group in enumerate(groups):
        ref = {reference.parsed_deadlines[i] for i in group.refs} - {""}
        tgt = {target.parsed_deadlines[j] for j in group.targets} - {""}
        if ref and tgt:
            before[k], after[k] = {"deadline": ref}, {"deadline": tgt}
    changed = changed_fields_by_key(before, after)
    for k in (k for k, names in changed.items() if names):
        group, was, now = groups[k], sorted(before[k]["deadline"]), sorted(after[k]["deadline"])
        ref_written, tgt_written = (
            "、".join(dict.fromkeys(d for d in (plan.deadlines[r] for r in rows) if d))
            for plan, rows in ((reference, group.refs), (target, group.targets))
        )
        out[k] = ChangedRequirement(
            ref_written,
            tgt_written,
            "deadline_changed",
            f"{'、'.join(was)} → {'、'.join(now)}",
            "deadline_column",
            (*was, *now),
        )
    return out


def _carried_refs(group: Group, found: dict[int, ClauseRequirements]) -> tuple[int, ...]:
    """The group's reference clauses of which a requirement is carried: a link with no carried
    requirement is not evidence that the target implements the clause."""
    return tuple(
        i for i in group.refs if found[i].carried or found[i].titles_carried or not found[i].phrases
    )


def _regroup(groups: list[Group], found: list[dict[int, ClauseRequirements]]) -> list[Group]:
    """Links checked against their evidence; clauses that lose theirs are omitted / added."""
    out: list[Group] = []
    loose_refs: list[int] = []
    loose_targets: list[int] = []
    for group, result in zip(groups, found, strict=True):
        kept = _carried_refs(group, result) if group.refs and group.targets else group.refs
        if kept == group.refs:  # most groups: every link has its evidence
            out.append(group)
            continue
        loose_refs += [i for i in group.refs if i not in kept]
        if kept:
            out.append(Group(kept, group.targets))
        else:
            loose_targets += group.targets
    out += [Group((i,), ()) for i in loose_refs] + [Group((), (j,)) for j in loose_targets]
    return sorted(out, key=lambda g: (not g.refs, g.refs[:1] or g.targets[:1]))


def _moved(groups: list[Group], by_clause: dict[int, ClauseRequirements]) -> list[Group]:
    """Reference clauses the alignment left without a link, whose requirements were looked
    for in the whole target: a clause a third or more of whose requirements the target states
    elsewhere (a reordered plan, a clause split over several sections) is linked to the
    clauses that carry them, not reported omitted; target clauses they take are no longer
    "added"."""
    moved: dict[int, Group] = {}
    for group in groups:
        if group.targets:
            continue
        for i in group.refs:
            found = by_clause.get(i)
            # a third of its requirements at least: one stock phrase restated somewhere
            # (建立由…牵头) is no evidence that the clause moved
            if found and found.where and MOVED_SHARE * found.phrases <= found.carried:
                moved[i] = Group((i,), tuple(sorted(found.where)))
    if not moved:
        return groups
    taken = {j for g in moved.values() for j in g.targets}
    out: list[Group] = []
    for group in groups:
        if group.refs and not group.targets:
            out += [moved.get(i, Group((i,), ())) for i in group.refs]
        elif group.refs or not set(group.targets) <= taken:
            out.append(group)
    return sorted(out, key=lambda g: (not g.refs, g.refs[:1] or g.targets[:1]))


def _unlinked(
    group: Group,
    reference: PreparedPlan,
    target: PreparedPlan,
    wording: WordingModel,
    found: Mapping[int, ClauseRequirements],
) -> ClauseDiff:
    """A group with one side only: reference clauses omitted (with their requirement count
    and, where they were looked for in the whole target, each missing phrase's nearest
    target text), or a target clause added."""
    if not group.refs:
        return ClauseDiff("added", (), _pick(target.clauses, group.targets), None)
    missing = tuple(item for i in group.refs if i in found for item in found[i].omitted)
    return ClauseDiff(
        "omitted",
        _pick(reference.clauses, group.refs),
        (),
        None,
        omitted_details=missing,
        higher_level_requirements=tuple(
            text for i in group.refs if i in found for text in found[i].higher_level
        ),
        requirements=sum(requirement_count(reference.phrases[i], wording) for i in group.refs),
        # phrases the target states elsewhere, too few to link the clause (see _moved): they
        # count in the coverage, and the clause is reported by its missing phrases
        carried_requirements=sum(found[i].carried for i in group.refs if i in found),
    )


def _linked(
    group: Group,
    reference: PreparedPlan,
    target: PreparedPlan,
    found: Mapping[int, ClauseRequirements],
    similarity: float,
    units: UnitChanges,
    deadline: ChangedRequirement | None,
) -> ClauseDiff:
    """A group with both sides, kept or changed: what its reference clauses' requirements
    became in its target clauses."""
    refs = group.refs
    result = found[refs[0]] if len(refs) == 1 else _read_together([found[i] for i in refs])
    omitted = tuple(result.omitted)
    changed = (*result.changed, deadline) if deadline else tuple(result.changed)
    status = "changed" if (omitted or changed or units.any) else "kept"
    return ClauseDiff(
        status,
        _pick(reference.clauses, refs),
        _pick(target.clauses, group.targets),
        similarity,
        tuple(item.text for item in omitted),
        changed,
        units,
        omitted,
        tuple(result.higher_level),
        result.phrases,
        result.carried,
        tuple(result.evidence),
    )


def _read_together(results: Sequence[ClauseRequirements]) -> ClauseRequirements:
    """The requirements of several reference clauses of one group, in clause order."""
    return ClauseRequirements(
        phrases=sum(r.phrases for r in results),
        carried=sum(r.carried for r in results),
        titles_carried=sum(r.titles_carried for r in results),
        omitted=[item for r in results for item in r.omitted],
        higher_level=[text for r in results for text in r.higher_level],
        changed=[change for r in results for change in r.changed],
        evidence=[item for r in results for item in r.evidence],
    )


def _pick(clauses: tuple[ClauseRef, ...], rows: Sequence[int]) -> tuple[ClauseRef, ...]:
    return tuple(map(clauses.__getitem__, rows))


def _summary(clauses: Sequence[ClauseDiff], n_ref: int, n_tgt: int) -> DiffSummary:
    per_ref: Counter[str] = Counter()
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
        reference_requirements=sum(c.requirements for c in clauses),
        carried_requirements=sum(c.carried_requirements for c in clauses),
        higher_level_requirements=sum(len(c.higher_level_requirements) for c in clauses),
    )


def _higher(reference: PlanInfo, target: PlanInfo) -> bool:
    return _LEVELS.get(reference.level, 0) > _LEVELS.get(target.level, 0) > 0


def diff_plans(
    reference: pd.DataFrame | PreparedPlan,
    target: pd.DataFrame | PreparedPlan,
    *,
    reference_info: PlanInfo | Mapping[str, Any] | None = None,
    target_info: PlanInfo | Mapping[str, Any] | None = None,
    unit_key: Callable[[str], str | None] | None = None,
    state: DiffState | None = None,
    align_config: AlignConfig | None = None,
    requirement_config: RequirementConfig | None = None,
) -> PlanDiff:
    """Clause-by-clause differences of ``target`` (local plan) against ``reference`` (the plan
    above it). Both are task tables (see plancheck.table.schemas), or plans prepared from one with
    ``prepare_plan`` (then their own info is used). ``state`` holds the wording model and the
    registry (a fresh ``DiffState`` when omitted); ``unit_key`` maps a unit name to its function
    instead of the registry."""
    if state is None or (unit_key is not None and state.unit_key is not unit_key):
        state = DiffState(
            **(
                {}
                if state is None
                else {
                    "wording": state.wording,
                    "registry": state.registry,
                    "lexicon": state.lexicon,
                }
            ),
            unit_key=unit_key,
        )
    ref = (
        reference
        if isinstance(reference, PreparedPlan)
        else prepare_plan(reference, reference_info)
    )
    tgt = target if isinstance(target, PreparedPlan) else prepare_plan(target, target_info)
    names = jurisdiction_names(ref.info.jurisdiction, tgt.info.jurisdiction)
    ref_masked, tgt_masked = ref.masked(names), tgt.masked(names)
    masked = (list(ref_masked.scored), list(tgt_masked.scored))
    space = PairSpace(
        *masked,
        reference_counts=ref_masked.scored_counts,
        target_counts=tgt_masked.scored_counts,
    )
    groups = align_clauses(space, align_config, masked, ref_masked.sentences)
    index = TargetIndex(tgt.phrases, names, tgt_masked.phrases, tgt.headings)
    found = compare_requirements(
        ref.phrases,
        tgt.phrases,
        groups,
        state.wording,
        names,
        requirement_config,
        higher_level=_higher(ref.info, tgt.info),
        ref_masked=ref_masked.phrases,
        tgt_masked=tgt_masked.phrases,
        target_refs=tgt.clauses,
        lexicon=state.lexicon,
        index=index,
    )
    groups = _regroup(groups, found)
    # a clause's requirements are searched for in its own group's targets, so regrouping
    # leaves every kept clause's result as it was
    by_clause = {i: result for per_group in found for i, result in per_group.items()}
    groups = _moved(groups, by_clause)
    # units, similarity and deadlines are compared only where both sides have clauses
    linked = [g for g in groups if g.refs and g.targets]
    keys = (
        state.side_key(ref.info.level, names),
        state.side_key(tgt.info.level, names),
    )
    units = compare_units_many(
        [(_units(ref, g.refs), _units(tgt, g.targets)) for g in linked], *keys
    )
    similarities = space.groups_cos([(g.refs, g.targets) for g in linked])
    deadlines = _deadline_changes(ref, tgt, linked)
    per_link = zip(similarities, units, deadlines, strict=True)  # in the order of ``linked``
    clauses = tuple(
        _linked(group, ref, tgt, by_clause, *next(per_link))
        if group.refs and group.targets
        else _unlinked(group, ref, tgt, state.wording, by_clause)
        for group in groups
    )
    n_ref, n_tgt = len(ref.clauses), len(tgt.clauses)
    summary = _summary(clauses, n_ref, n_tgt)
    return PlanDiff(ref.info, tgt.info, summary, clauses, state.wording.version)
