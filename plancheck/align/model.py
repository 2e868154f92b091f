"""The diff as plain data. ``PlanDiff.to_dict()`` is the documented JSON contract:

    {"reference": {plan}, "target": {plan}, "summary": {...},
     "clauses": [{"status", "reference": [clause], "target": [clause], "similarity",
                  "omitted_requirements": [text],
                  "changed_requirements": [{"reference", "target", "kind", "rule", "evidence",
                                            "similarity"}],
                  "units": {"dropped", "added", "reference_lead", "target_lead", "lead_changed"},
                  "omitted_details": [{"text", "sentence", "partial", "similarity",
                                       "closest", "closest_id", "closest_line", "confident",
                                       "absent"}],
                  "higher_level_requirements": [text], "requirements", "carried_requirements",
                  "carried": [{"reference", "target", "similarity"}]}]}

plan = {"id", "title", "source_file", "sha256"}; clause = {"task_id", "text", "line_start",
"line_end"}. ``status`` is kept | changed | omitted for a clause group with reference clauses and
added for a target clause with none. Floats are rounded to 3 places; order is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("kept", "changed", "omitted", "added")
CHANGE_KINDS = ("weakened", "strengthened", "target_changed", "deadline_changed", "reworded")


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """One side of the diff. ``jurisdiction`` is used to mask place names, not emitted."""

    id: str
    title: str = ""
    source_file: str = ""
    sha256: str = ""
    jurisdiction: str = ""
    level: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source_file": self.source_file,
            "sha256": self.sha256,
        }


@dataclass(frozen=True, slots=True)
class ClauseRef:
    task_id: str
    text: str
    line_start: int
    line_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "text": self.text,
            "line_start": self.line_start,
            "line_end": self.line_end,
        }


@dataclass(frozen=True, slots=True)
class ChangedRequirement:
    """One reference requirement phrase and the target text that carries it differently.

    ``rule`` names what fired (a wording rule of rules/wording.yaml, ``date_changed`` /
    ``target_changed`` for structured facts, ``low_similarity`` for plain rewording) and
    ``evidence`` the words it fired on; ``similarity`` is the phrase's cosine with its carrier.
    ``detail`` (e.g. 增加限定词「基本」) is for the Markdown report; it is not part of the JSON.
    """

    reference: str
    target: str
    kind: str
    detail: str = ""
    rule: str = ""
    evidence: tuple[str, ...] = ()
    similarity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "target": self.target,
            "kind": self.kind,
            "rule": self.rule,
            "evidence": list(self.evidence),
            "similarity": self.similarity,
        }


@dataclass(frozen=True, slots=True)
class CarriedRequirement:
    """A reference requirement phrase and its carrier: the target phrase (or two adjacent
    ones) that carries it, with their cosine (1.0: word for word)."""

    reference: str
    target: str
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "target": self.target, "similarity": self.similarity}


@dataclass(frozen=True, slots=True)
class OmittedRequirement:
    """Requirement phrase(s) with no carrier in the target, and the sentence they stand in;
    ``partial``: the rest of that sentence is carried.

    The whole target was searched: ``closest`` is the target text nearest to it anywhere
    (``closest_id`` / ``closest_line`` its clause), ``similarity`` how near (0-1), and
    ``confident`` whether it is far enough to be a finding rather than a "please check"."""

    text: str
    sentence: str
    partial: bool
    similarity: float = 0.0
    closest: str = ""
    closest_id: str = ""
    closest_line: int = 0
    confident: bool = True
    absent: float = 0.0  # share of its content words the target never mentions

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sentence": self.sentence,
            "partial": self.partial,
            "similarity": round(self.similarity, 3),
            "closest": self.closest,
            "closest_id": self.closest_id,
            "closest_line": self.closest_line,
            "confident": self.confident,
            "absent": round(self.absent, 3),
        }


@dataclass(frozen=True, slots=True)
class UnitChanges:
    dropped: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    reference_lead: str | None = None
    target_lead: str | None = None
    lead_changed: bool = False

    @property
    def any(self) -> bool:
        return bool(self.dropped or self.added or self.lead_changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dropped": list(self.dropped),
            "added": list(self.added),
            "reference_lead": self.reference_lead,
            "target_lead": self.target_lead,
            "lead_changed": self.lead_changed,
        }


@dataclass(frozen=True, slots=True)
class ClauseDiff:
    status: str
    reference: tuple[ClauseRef, ...]
    target: tuple[ClauseRef, ...]
    similarity: float | None
    omitted_requirements: tuple[str, ...] = ()
    changed_requirements: tuple[ChangedRequirement, ...] = ()
    units: UnitChanges = field(default_factory=UnitChanges)
    omitted_details: tuple[OmittedRequirement, ...] = ()
    higher_level_requirements: tuple[str, ...] = ()
    requirements: int = 0  # reference requirement phrases (titles, formulae not counted)
    carried_requirements: int = 0
    carried: tuple[CarriedRequirement, ...] = ()  # the evidence of each carried phrase

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reference": [clause.to_dict() for clause in self.reference],
            "target": [clause.to_dict() for clause in self.target],
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "omitted_requirements": list(self.omitted_requirements),
            "changed_requirements": [change.to_dict() for change in self.changed_requirements],
            "units": self.units.to_dict(),
            "omitted_details": [item.to_dict() for item in self.omitted_details],
            "higher_level_requirements": list(self.higher_level_requirements),
            "requirements": self.requirements,
            "carried_requirements": self.carried_requirements,
            "carried": [item.to_dict() for item in self.carried],
        }


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """Counts of reference clauses per status (added: target clauses) and of requirements."""

    reference_clauses: int
    target_clauses: int
    kept: int
    changed: int
    omitted: int
    added: int
    omitted_requirements: int
    changed_requirements: dict[str, int]
    unit_changes: int
    lead_changes: int
    reference_requirements: int = 0
    carried_requirements: int = 0
    higher_level_requirements: int = 0

    @property
    def coverage(self) -> float:
        """Share of reference clauses the target carries (kept or changed: a link counts only
        when at least one requirement of the clause is carried)."""
        return (
            (self.kept + self.changed) / self.reference_clauses if self.reference_clauses else 1.0
        )

    @property
    def requirement_coverage(self) -> float:
        """Share of reference requirement phrases the target carries."""
        total = self.reference_requirements
        return self.carried_requirements / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_clauses": self.reference_clauses,
            "target_clauses": self.target_clauses,
            "kept": self.kept,
            "changed": self.changed,
            "omitted": self.omitted,
            "added": self.added,
            "coverage": round(self.coverage, 3),
            "omitted_requirements": self.omitted_requirements,
            "changed_requirements": dict(self.changed_requirements),
            "unit_changes": self.unit_changes,
            "lead_changes": self.lead_changes,
            "reference_requirements": self.reference_requirements,
            "carried_requirements": self.carried_requirements,
            "requirement_coverage": round(self.requirement_coverage, 3),
            "higher_level_requirements": self.higher_level_requirements,
        }


@dataclass(frozen=True, slots=True)
class PlanDiff:
    reference: PlanInfo
    target: PlanInfo
    summary: DiffSummary
    clauses: tuple[ClauseDiff, ...]
    rules_version: str = ""  # provenance for the report; not part of the JSON contract

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference.to_dict(),
            "target": self.target.to_dict(),
            "summary": self.summary.to_dict(),
            "clauses": [clause.to_dict() for clause in self.clauses],
        }
