"""The coverage matrix: one parent's requirements x its local plans, read from the diffs.

A reviewer with one plan from every city asks "which of our requirements do the cities drop,
and who drops most?". The rows are the parent's requirement phrases (``requirement_rows``: the
phrases the diff counts, titles and stock formulae left out), the columns its local plans, and
each cell the state the diff of that plan gave the phrase (``column_states``), read from the
same findings every diff report lists (``diff_findings.clause_findings``) and the diff's own
evidence of carried phrases, so the matrix never disagrees with a diff page:

- ``carried``: the phrase has a carrier (strengthened, reworded, re-dated or re-targeted
  phrases are carried: the diff page lists those changes);
- ``weakened``: carried, with a weakening finding on it;
- ``omitted`` (遗漏 left out): a confident omission, of the phrase or of its whole clause;
- ``check`` (请核对 please check): an omission the diff is not sure of (its ``confident`` flag
  is off): a state of its own, never counted as left out;
- ``higher``: a phrase only a higher level can carry (建立省级…机制);
- ``none``: the diff says nothing about the phrase (should not happen; shown as —).

Rows are sorted by how many plans leave the requirement out (then weaken it, then are unsure),
then in the parent's order. Pure functions of plain data; the batch builds the columns in its
workers from the diffs it computes anyway (one computation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plancheck.report.diff_findings import clause_findings

if TYPE_CHECKING:
    from plancheck.align.engine import PreparedPlan
    from plancheck.align.model import PlanDiff
    from plancheck.align.wording import WordingModel

# Worst first: the order of the legend, the totals and the filters.
STATES = ("omitted", "check", "weakened", "higher", "carried", "none")
STATE_LABELS = {
    "omitted": "遗漏 left out",
    "check": "请核对 please check",
    "weakened": "弱化 weakened",
    "higher": "仅上级 higher-level only",
    "carried": "承接 carried",
    "none": "无结论 not assessed",
}
STATE_SYMBOLS = {
    "omitted": "✗",
    "check": "?",
    "weakened": "↓",
    "higher": "▲",
    "carried": "✓",
    "none": "—",
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement phrase of the parent: its clause, the clause's first source line."""

    clause: str  # task_id
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    """One local plan: the state of each parent requirement (in ``requirement_rows`` order)."""

    plan: str
    title: str
    states: tuple[str, ...]
    diff_file: str = ""  # the diff report's stem, for links ("" when there is none)

    def totals(self) -> dict[str, int]:
        counts = Counter(self.states)
        return {state: counts.get(state, 0) for state in STATES}


@dataclass(frozen=True)
class CoverageMatrix:
    parent: str
    parent_title: str
    requirements: tuple[Requirement, ...]  # the parent's order
    columns: tuple[MatrixColumn, ...]  # the local plans, in the order given
    _order: list[int] = field(default_factory=list, repr=False, compare=False)

    def count(self, row: int, state: str) -> int:
        """How many plans give requirement ``row`` this state."""
        return sum(column.states[row] == state for column in self.columns)

    def order(self) -> list[int]:
        """Row indices, most dropped first (then most weakened, most unsure), then parent order."""
        if not self._order:
            keyed = sorted(
                range(len(self.requirements)),
                key=lambda k: (
                    -self.count(k, "omitted"),
                    -self.count(k, "weakened"),
                    -self.count(k, "check"),
                    k,
                ),
            )
            self._order.extend(keyed)
        return list(self._order)

    def to_dict(self) -> dict:
        """The JSON form: plans with their totals, requirements (sorted) with one state per plan."""
        return {
            "parent": {"id": self.parent, "title": self.parent_title},
            "states": {state: STATE_LABELS[state] for state in STATES},
            "plans": [
                {
                    "id": column.plan,
                    "title": column.title,
                    "totals": column.totals(),
                    "requirement_coverage": round(share_carried(column), 3),
                }
                for column in self.columns
            ],
            "requirements": [
                {
                    "clause": self.requirements[k].clause,
                    "line": self.requirements[k].line,
                    "text": self.requirements[k].text,
                    "left_out_by": self.count(k, "omitted"),
                    "weakened_by": self.count(k, "weakened"),
                    "check_by": self.count(k, "check"),
                    "states": [column.states[k] for column in self.columns],
                }
                for k in self.order()
            ],
        }


def share_carried(column: MatrixColumn) -> float:
    """Share of the parent's requirements a plan carries, weakened ones included: the diff's
    own requirement coverage (carried phrases over the parent's requirements)."""
    totals = column.totals()
    asked = len(column.states) - totals["none"]
    return (totals["carried"] + totals["weakened"]) / asked if asked else 1.0


def requirement_rows(parent: PreparedPlan, wording: WordingModel) -> tuple[Requirement, ...]:
    """The parent's requirement phrases, clause by clause: the phrases a diff counts (titles
    and stock formulae are not requirements; see align.requirements.requirement_count)."""
    return tuple(
        Requirement(clause.task_id, clause.line_start, phrase.text)
        for clause, phrases in zip(parent.clauses, parent.phrases, strict=True)
        for phrase in phrases.phrases
        if not (phrase.title or wording.is_formula(phrase.text))
    )


def _take(counter: Counter, text: str) -> bool:
    """Use up one occurrence of ``text`` (a clause may state a phrase twice)."""
    if counter[text] > 0:
        counter[text] -= 1
        return True
    return False


def column_states(rows: Sequence[Requirement], diff: PlanDiff) -> tuple[str, ...]:
    """The state of each parent requirement in one diff (``diff.reference`` is the parent)."""
    by_clause: dict[str, list[int]] = {}
    for k, row in enumerate(rows):
        by_clause.setdefault(row.clause, []).append(k)
    states = ["none"] * len(rows)
    for clause in diff.clauses:
        if not clause.reference:
            continue  # a clause the local plan added
        findings = clause_findings(clause)
        mine = [k for ref in clause.reference for k in by_clause.get(ref.task_id, ())]
        higher = Counter(f.reference_text for f in findings if f.kind == "higher_level_requirement")
        if clause.status == "omitted":
            # the clause's finding decides, as on the diff page: every phrase of an omitted
            # clause is left out (or "please check" when the diff is unsure of the clause)
            whole = next(f for f in findings if f.kind == "omitted_clause")
            for k in mine:
                high = _take(higher, rows[k].text)
                states[k] = "higher" if high else ("omitted" if whole.confident else "check")
            continue
        carried = Counter(item.reference for item in clause.carried)
        weakened = {f.reference_text for f in findings if f.kind == "weakened"}
        # a run of omitted phrases of one sentence is one finding: a phrase is in it
        omitted = [(f.reference_text, f.confident) for f in findings if f.kind == "omitted_requirement"]  # fmt: skip
        for k in mine:
            text = rows[k].text
            if _take(carried, text):
                states[k] = "weakened" if text in weakened else "carried"
            elif _take(higher, text):
                states[k] = "higher"
            else:
                hit = next((sure for run, sure in omitted if text in run), None)
                if hit is not None:
                    states[k] = "omitted" if hit else "check"
    return tuple(states)


def build_matrix(
    parent: str, parent_title: str, rows: Sequence[Requirement], columns: Sequence[MatrixColumn]
) -> CoverageMatrix:
    """The matrix of one parent from its requirement rows and its plans' columns."""
    for column in columns:
        if len(column.states) != len(rows):
            raise ValueError(
                f"column {column.plan} has {len(column.states)} states, not {len(rows)}"
            )
    return CoverageMatrix(parent, parent_title, tuple(rows), tuple(columns))
