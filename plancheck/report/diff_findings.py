"""What a reviewer must act on in one plan diff, as a flat list of findings.

Every renderer (Markdown, HTML, JSON, xlsx) lists the findings from this one function, so the
outputs of a diff carry the same findings in the same order. A finding names its reference and
target clauses, their source lines and the anchor of the clause section that explains it.

Fields the align model may grow (a changed requirement's ``rule`` and ``evidence``) are read
generically: when present they are carried; when absent they are empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from plancheck.align.model import ClauseDiff, ClauseRef, PlanDiff

# Most serious first; the order of the findings list and of the report's filters.
FINDING_KINDS = (
    "omitted_clause",
    "omitted_requirement",
    "weakened",
    "lead_changed",
    "target_changed",
    "deadline_changed",
    "units_changed",
    "strengthened",
    "higher_level_requirement",
    "reworded",
)
FINDING_LABELS = {
    "omitted_clause": "条款缺失 clause omitted",
    "omitted_requirement": "遗漏要求 requirement left out",
    "weakened": "弱化 weakened",
    "lead_changed": "牵头单位变化 lead unit changed",
    "target_changed": "目标变化 target changed",
    "deadline_changed": "时限变化 deadline changed",
    "units_changed": "责任单位变化 units changed",
    "strengthened": "强化 strengthened",
    "higher_level_requirement": "仅上级可承接 higher-level only",
    "reworded": "表述变化 reworded",
}
# The filter group of each kind: the three buttons of the HTML report and the --fail-on ladder.
FINDING_GROUPS = {
    "omitted_clause": "omitted",
    "omitted_requirement": "omitted",
    "weakened": "weakened",
    "higher_level_requirement": "info",  # only a higher level can carry it: nothing to act on
    "reworded": "reworded",
}


def group_of(kind: str) -> str:
    """omitted | weakened | changed | info | reworded."""
    return FINDING_GROUPS.get(kind, "changed")


@dataclass(frozen=True)
class DiffFinding:
    kind: str
    reference_ids: tuple[str, ...]
    target_ids: tuple[str, ...]
    reference_lines: str
    target_lines: str
    reference_text: str
    target_text: str
    detail: str = ""
    rule: str = ""
    evidence: str = ""
    anchor: str = ""
    # how sure the finding is: False puts it in the report's "please check" list; for a
    # requirement left out, the nearest target text found anywhere, its lines, its similarity
    confident: bool = True
    closest_text: str = ""
    closest_lines: str = ""
    similarity: float | None = None

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.kind, self.kind)

    @property
    def group(self) -> str:
        """The filter group; a finding the diff is not sure of is in "check" (请核对)."""
        return group_of(self.kind) if self.confident else "check"

    @property
    def closest(self) -> str:
        """For a "please check": the nearest target text, its line and similarity."""
        if not self.closest_text:
            return ""
        where = f"（第 {self.closest_lines} 行" if self.closest_lines else "（"
        near = f"，相似度 {self.similarity:.2f}）" if self.similarity is not None else "）"
        return f"最接近 closest: {self.closest_text}{where}{near}"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["reference_ids"] = list(self.reference_ids)
        data["target_ids"] = list(self.target_ids)
        return data


def line_span(clauses: Sequence[ClauseRef]) -> str:
    """Source lines of clauses: 22、43–45 (— when there are none)."""
    spans = [
        f"{c.line_start}–{c.line_end}" if c.line_end != c.line_start else str(c.line_start)
        for c in clauses
    ]
    return "、".join(spans) or "—"


def clause_anchor(clause: ClauseDiff) -> str:
    """A stable HTML id for a clause section: clause-<first reference id> (or target id)."""
    first = (clause.reference or clause.target)[0]
    side = "r" if clause.reference else "t"
    return f"clause-{side}{first.task_id}".replace("~", "-")


def _finding(clause: ClauseDiff, kind: str, ref: str, tgt: str, **extra: Any) -> DiffFinding:
    return DiffFinding(
        kind=kind,
        reference_ids=tuple(c.task_id for c in clause.reference),
        target_ids=tuple(c.task_id for c in clause.target),
        reference_lines=line_span(clause.reference),
        target_lines=line_span(clause.target),
        reference_text=ref,
        target_text=tgt,
        anchor=clause_anchor(clause),
        **extra,
    )


def _unit_findings(clause: ClauseDiff) -> list[DiffFinding]:
    units, out = clause.units, []
    if units.lead_changed:
        out.append(
            _finding(clause, "lead_changed", units.reference_lead or "", units.target_lead or "")
        )
    if units.dropped or units.added:
        dropped, added = "、".join(units.dropped), "、".join(units.added)
        detail = "；".join(
            part
            for part in (f"减少 {dropped}" if dropped else "", f"增加 {added}" if added else "")
            if part
        )
        out.append(_finding(clause, "units_changed", dropped, added, detail=detail))
    return out


def _partial(sentence: str | None) -> dict[str, str]:
    """A phrase left out of a sentence whose rest is carried: the sentence is its context."""
    return {"detail": f"所在句其余部分已承接：{sentence}"} if sentence else {}


# An omitted clause is a "please check" when its missing phrases are, on average, this near to
# target text (calibrated on the tuning half of benchmarks/bench_real_pairs.py).
CLAUSE_UNSURE = 0.45


def _clause_confidence(clause: ClauseDiff) -> dict[str, Any]:
    """How sure an omitted clause is: the mean nearness of its missing phrases, and the
    nearest target text of any."""
    details = getattr(clause, "omitted_details", ()) or ()
    if not details:
        return {}
    mean = sum(d.similarity for d in details) / len(details)
    nearest = max(details, key=lambda d: d.similarity)
    return {
        "confident": mean < CLAUSE_UNSURE,
        "closest_text": nearest.closest,
        "closest_lines": str(nearest.closest_line) if nearest.closest_line else "",
        "similarity": round(mean, 3),
    }


def clause_findings(clause: ClauseDiff) -> list[DiffFinding]:
    """The findings of one clause group, in model order (requirements, then units)."""
    if clause.status == "added":
        return []
    if clause.status == "omitted":
        text = "\n".join(c.text for c in clause.reference)
        return [_finding(clause, "omitted_clause", text, "", **_clause_confidence(clause))]
    details = getattr(clause, "omitted_details", ()) or ()
    out = [
        _finding(
            clause,
            "omitted_requirement",
            d.text,
            "",
            **_partial(d.sentence if d.partial else None),
            confident=d.confident,
            closest_text=d.closest,
            closest_lines=str(d.closest_line) if d.closest_line else "",
            similarity=d.similarity,
        )
        for d in details
    ]
    out += [
        _finding(clause, "higher_level_requirement", text, "")
        for text in getattr(clause, "higher_level_requirements", ()) or ()
    ]
    for change in clause.changed_requirements:
        evidence = getattr(change, "evidence", "") or ""
        extra = {
            "detail": str(getattr(change, "detail", "") or ""),
            "rule": str(getattr(change, "rule", "") or ""),
            "evidence": evidence if isinstance(evidence, str) else "、".join(evidence),
        }
        out.append(_finding(clause, change.kind, change.reference, change.target, **extra))
    return out + _unit_findings(clause)


def diff_findings(diff: PlanDiff) -> list[DiffFinding]:
    """Every finding of the diff, most serious kind first, then in reference order."""
    found = [finding for clause in diff.clauses for finding in clause_findings(clause)]
    rank = {kind: i for i, kind in enumerate(FINDING_KINDS)}
    return sorted(found, key=lambda f: rank.get(f.kind, len(rank)))  # stable: keeps clause order


def confident_findings(findings: Sequence[DiffFinding]) -> list[DiffFinding]:
    """The findings the diff is sure of (the rest are the report's "please check" list)."""
    return [f for f in findings if f.confident]


def finding_counts(findings: Sequence[DiffFinding]) -> dict[str, int]:
    """Count per kind of the confident findings, every kind present (0 when none), in
    FINDING_KINDS order ("please check" findings are counted apart, by ``check_count``)."""
    counts = Counter(f.kind for f in findings if f.confident)
    return {kind: counts.get(kind, 0) for kind in FINDING_KINDS}


def check_count(findings: Sequence[DiffFinding]) -> int:
    """How many findings are in the "please check" list."""
    return sum(not f.confident for f in findings)


def row_counts(findings: Sequence[DiffFinding]) -> tuple[int, int, int]:
    """(left out, weakened, other changes) of one clause: the status table's count columns
    (confident findings only)."""
    findings = confident_findings(findings)
    left_out = sum(f.kind == "omitted_requirement" for f in findings)
    return (
        left_out,
        sum(f.kind == "weakened" for f in findings),
        sum(f.group == "changed" for f in findings),
    )
