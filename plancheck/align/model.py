"""The diff as plain data. ``PlanDiff.to_dict()`` is the documented JSON contract:

    {"reference": {plan}, "target": {plan}, "summary": {...},
     "clauses": [{"status", "reference": [clause], "target": [clause], "similarity",
                  "omitted_requirements": [text],
                  "changed_requirements": [{"reference", "target", "kind"}],
                  "units": {"dropped", "added", "reference_lead", "target_lead", "lead_changed"}}]}

plan = {"id", "title", "source_file", "sha256"}; clause = {"task_id", "text", "line_start",
"line_end"}. ``status`` is kept | changed | omitted for a clause group with reference clauses and
added for a target clause with none. Floats are rounded to 3 places; order is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("kept", "changed", "omitted", "added")
CHANGE_KINDS = ("weakened", "strengthened", "target_changed", "deadline_changed", "reworded")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ChangedRequirement:
    """One reference sentence and the target sentence that carries it differently.

    ``detail`` (e.g. 建成 → 基本建成) is for the Markdown report; it is not part of the JSON.
    """

    reference: str
    target: str
    kind: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "target": self.target, "kind": self.kind}


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class ClauseDiff:
    status: str
    reference: tuple[ClauseRef, ...]
    target: tuple[ClauseRef, ...]
    similarity: float | None
    omitted_requirements: tuple[str, ...] = ()
    changed_requirements: tuple[ChangedRequirement, ...] = ()
    units: UnitChanges = field(default_factory=UnitChanges)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reference": [clause.to_dict() for clause in self.reference],
            "target": [clause.to_dict() for clause in self.target],
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "omitted_requirements": list(self.omitted_requirements),
            "changed_requirements": [change.to_dict() for change in self.changed_requirements],
            "units": self.units.to_dict(),
        }


@dataclass(frozen=True)
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

    @property
    def coverage(self) -> float:
        """Share of reference clauses the target carries (kept or changed)."""
        return (
            (self.kept + self.changed) / self.reference_clauses if self.reference_clauses else 1.0
        )

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
        }


@dataclass(frozen=True)
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
