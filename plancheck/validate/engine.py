"""Run the rule catalogue over task tables -> findings.

Row rules run through pandera with lazy validation: each rule becomes a named pandera
check on a one-column frame of row positions that fails exactly its hit rows, so pandera
runs every rule in one pass and reports which failed (keeping only a few failure cases per
rule: the hits hold every row). Document rules read the source lines. Hits become a columnar
findings frame (messages rendered once per distinct set of fields), sorted on ranks computed
from distinct values, and turned into Finding objects only when they are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from plancheck.table.columns import factorize_shared, object_ids
from plancheck.validate.checks import CHECKS, all_checks
from plancheck.validate.checks.context import CheckContext
from plancheck.validate.findings import Finding, LazyFindings, summarise
from plancheck.validate.rulebook import Rule, RuleBook

FINDING_COLUMNS = [
    "code",
    "name",
    "severity",
    "plan_id",
    "task_id",
    "source_file",
    "line",
    "message",
    "fix",
]
SORT_COLUMNS = ["plan_id", "source_file", "line", "code", "task_id", "message"]
NOT_FIELDS = {"row", "line", "fix"}


FAILURE_CASES = 5  # failure cases pandera keeps per failing rule (the hits hold them all)


def run_row_rules(ctx: CheckContext, rules: list[Rule]) -> dict[str, pd.DataFrame]:
    """Hits of every failing row rule, collected by one lazy pandera validation.

    Each rule is a pandera check that fails exactly the rows its hits name; pandera runs them
    all (lazy) and reports which rules failed. The rows themselves come from the hits, so
    pandera keeps only a few failure cases per rule instead of a table of every failing row.
    """
    found: dict[str, pd.DataFrame] = {}
    crashes: list[BaseException] = []
    checks = [
        pa.Check(
            _pandera_check(ctx, rule, found, crashes),
            name=rule.code,
            error=rule.name,
            n_failure_cases=FAILURE_CASES,
        )
        for rule in rules
    ]
    schema = pa.DataFrameSchema({"row": pa.Column("int64", checks=checks)})
    try:
        schema.validate(pd.DataFrame({"row": np.arange(len(ctx.tasks), dtype="int64")}), lazy=True)
        failed: set[str] = set()
    except pa.errors.SchemaErrors as err:
        failed = {e.check.name for e in err.schema_errors if getattr(e, "check", None) is not None}
    if crashes:
        raise crashes[0]  # a broken check is a bug or a missing registry, not a finding
    return {code: _valid_rows(ctx, hits) for code, hits in found.items() if code in failed}


def _valid_rows(ctx: CheckContext, hits: pd.DataFrame) -> pd.DataFrame:
    rows = hits["row"].to_numpy()
    inside = (rows >= 0) & (rows < len(ctx.tasks))
    return hits if inside.all() else hits[inside].reset_index(drop=True)


def _pandera_check(ctx: CheckContext, rule: Rule, found: dict, crashes: list) -> Any:
    func = CHECKS[rule.check].func

    def check(rows: pd.Series) -> pd.Series:
        try:
            hits = func(ctx, **rule.params)
        except Exception as err:
            crashes.append(err)
            raise
        found[rule.code] = hits
        passed = np.ones(len(rows), dtype=bool)
        hit_rows = hits["row"].to_numpy()
        passed[hit_rows[(hit_rows >= 0) & (hit_rows < len(rows))]] = False
        return pd.Series(passed, index=rows.index)

    return check


def run_document_rules(ctx: CheckContext, rules: list[Rule]) -> dict[str, pd.DataFrame]:
    found = {rule.code: CHECKS[rule.check].func(ctx, **rule.params) for rule in rules}
    return {code: hits for code, hits in found.items() if len(hits)}


def _task_rows_at(ctx: CheckContext, lines: np.ndarray) -> np.ndarray:
    """Row of the task whose source lines contain each line, or -1."""
    tasks = ctx.tasks
    if not len(tasks):
        return np.full(len(lines), -1)
    order = np.argsort(tasks["line_start"].to_numpy(), kind="stable")
    starts = tasks["line_start"].to_numpy()[order]
    pos = np.searchsorted(starts, lines, side="right") - 1
    rows = np.where(pos >= 0, order[np.clip(pos, 0, None)], -1)
    inside = (rows >= 0) & (lines <= tasks["line_end"].to_numpy()[np.clip(rows, 0, None)])
    return np.where(inside, rows, -1)


def _group_codes(columns: list[np.ndarray]) -> np.ndarray:
    """One code per distinct combination of the columns' values (missing is a value too)."""
    combined = np.zeros(len(columns[0]), dtype="int64")
    for column in columns:
        codes, uniques = factorize_shared(column)
        combined = combined * (len(uniques) + 1) + (codes + 1)
        combined, _ = pd.factorize(combined)  # keep the codes small
    return combined


def _messages(rule: Rule, hits: pd.DataFrame, lang: str) -> np.ndarray:
    """Render each distinct combination of message fields once, then broadcast."""
    fields = [c for c in hits.columns if c not in NOT_FIELDS]
    if not fields or not len(hits):
        return _repeat(rule.render(lang, {}), len(hits))
    columns = [hits[c].to_numpy(dtype=object) for c in fields]
    codes = _group_codes(columns)
    firsts = np.empty(int(codes.max()) + 1, dtype="intp")
    firsts[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    rendered = [
        rule.render(lang, {f: column[i] for f, column in zip(fields, columns, strict=True)})
        for i in firsts
    ]
    return np.fromiter(rendered, dtype=object, count=len(rendered))[codes]


def _repeat(value: Any, size: int) -> np.ndarray:
    """An object array holding ``value`` ``size`` times (one object, not ``size`` copies)."""
    out = np.empty(size, dtype=object)
    out.fill(value)
    return out


def hits_to_frame(ctx: CheckContext, rule: Rule, hits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One rule's hits as findings rows (columns FINDING_COLUMNS)."""
    tasks = ctx.tasks
    if "row" in hits:
        rows = hits["row"].to_numpy()
        lines = hits["line"].to_numpy() if "line" in hits else tasks["line_start"].to_numpy()[rows]
    else:
        lines = hits["line"].to_numpy()
        rows = _task_rows_at(ctx, lines)
    safe = np.clip(rows, 0, None)
    size = len(rows)
    if len(tasks):
        has_task = rows >= 0
        task_ids = tasks["task_id"].to_numpy(dtype=object)[safe]
        if not has_task.all():
            task_ids = np.where(has_task, task_ids, None)
        source = tasks["source_file"].to_numpy(dtype=object)[safe]
    else:
        task_ids = _repeat(None, size)
        source = _repeat("", size)
    fix = hits["fix"].to_numpy(dtype=object) if "fix" in hits else _repeat(None, size)
    return pd.DataFrame(
        {
            "code": _repeat(rule.code, size),
            "name": _repeat(rule.name, size),
            "severity": _repeat(rule.severity.value, size),
            "plan_id": _repeat(ctx.plan_id, size),
            "task_id": task_ids,
            "source_file": source,
            "line": lines.astype("int64"),
            "message": _messages(rule, hits, lang),
            "fix": fix,
        },
        index=pd.RangeIndex(size),
        dtype=object,
    ).astype({"line": "int64"})


def validate_frame(ctx: CheckContext, book: RuleBook) -> pd.DataFrame:
    """All findings for one plan as a sorted DataFrame (the fast, columnar result)."""
    all_checks()
    row_rules = [r for r in book.rules if r.scope == "rows"]
    doc_rules = [r for r in book.rules if r.scope == "document"]
    found = run_row_rules(ctx, row_rules) | run_document_rules(ctx, doc_rules)
    frames = [
        hits_to_frame(ctx, book.get(code), hits, ctx.lang)
        for code, hits in found.items()
        if len(hits)
    ]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    order = np.lexsort([_ranks(frame[c].to_numpy()) for c in reversed(SORT_COLUMNS)])
    return frame.take(order).reset_index(drop=True)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Dense sort rank of each value (missing ranks as ""): equal values share a rank.

    Columns of few distinct values (codes, files, messages) are ranked through their distinct
    values; columns of mostly distinct values (task ids) are sorted directly, without hashing.
    """
    if values.dtype != object:
        return values
    if not len(values):
        return np.zeros(0, dtype="int64")
    by_id, _ = pd.factorize(object_ids(values))
    if by_id.max() + 1 > len(values) // 4:
        filled = np.where(pd.isna(values), "", values)
        order = np.argsort(filled, kind="stable")
        ordered = filled[order]
        new = np.ones(len(ordered), dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        ranks = np.empty(len(values), dtype="int64")
        ranks[order] = np.cumsum(new) - 1
        return ranks
    codes, uniques = factorize_shared(values)
    keys = np.fromiter([*uniques, ""], dtype=object, count=len(uniques) + 1)  # -1: missing
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    dense = np.empty(len(keys), dtype="int64")
    dense[order] = np.cumsum(new) - 1
    return dense[codes]


def frame_to_findings(frame: pd.DataFrame) -> LazyFindings:
    """The frame's findings, in its order: a sequence that builds the Finding objects on first use."""
    return LazyFindings([frame[c].to_numpy() for c in FINDING_COLUMNS])


def validate_tasks(
    tasks: pd.DataFrame,
    plan: Any,
    book: RuleBook,
    *,
    registry: Any = None,
    source_lines: list[str] | None = None,
    lang: str = "zh",
) -> list[Finding]:
    """Findings for one plan's task table, in report order."""
    ctx = CheckContext(tasks, plan, registry=registry, source_lines=source_lines, lang=lang)
    return frame_to_findings(validate_frame(ctx, book)).materialise()


@dataclass
class ValidationResult:
    """Findings of a run plus its summary; ``to_dict`` is exactly what ``--format json`` prints."""

    findings: list[Finding]
    plans: list[str] = field(default_factory=list)
    tasks: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"baselined": 0, "fixed": 0})

    @property
    def summary(self) -> dict[str, Any]:
        return summarise(self.findings, plans=self.plans, tasks=self.tasks, **self.counts)

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "findings": [f.to_dict() for f in self.findings]}


def validate_loaded(
    loaded: list[Any], book: RuleBook, *, registry: Any = None, lang: str = "zh"
) -> ValidationResult:
    """Validate plans loaded by ``plancheck.plans.loading.load_plan`` (plan, tasks, source_lines)."""
    findings: list[Finding] = []
    for item in loaded:
        findings += validate_tasks(
            item.tasks,
            item.plan,
            book,
            registry=registry,
            source_lines=item.source_lines,
            lang=lang,
        )
    return ValidationResult(
        findings=sorted(findings, key=Finding.sort_key),
        plans=[item.plan.id for item in loaded],
        tasks=sum(len(item.tasks) for item in loaded),
    )


def fix_aliases(
    item: Any, spec: str, *, registry: Any, tasks_dir: Path = Path("datasets/tasks")
) -> int:
    """Rewrite aliases to canonical names in the plan's normalised CSV; returns names replaced.

    The target is the CSV the plan was loaded from, else ``tasks_dir/<plan_id>.csv``; a raw
    source is never written. ``item.tasks`` is updated so the run reports what remains.
    """
    from plancheck.table.io import read_tasks_csv, write_tasks_csv
    from plancheck.validate.checks.units import alias_replacements, apply_replacements

    target = (
        Path(spec) if Path(spec).suffix.lower() == ".csv" else tasks_dir / f"{item.plan.id}.csv"
    )
    if not target.is_file():
        return 0  # nothing normalised to fix; raw sources are never rewritten
    stored = read_tasks_csv(
        target
    )  # fix the table on disk, even if this run re-ingested the source
    mapping = alias_replacements(CheckContext(stored, item.plan, registry=registry))
    fixed_tasks, count = apply_replacements(stored, mapping)
    if count:
        write_tasks_csv(fixed_tasks, target)
    item.tasks, _ = apply_replacements(item.tasks, mapping)
    return count
