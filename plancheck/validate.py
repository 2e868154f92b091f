"""Run the rule catalogue over task tables -> findings.

Row rules run through pandera with lazy validation: each rule becomes a named pandera
check on a one-column frame of row positions, so pandera collects every failing row of
every rule in one pass (a narrow frame keeps its failure-case table small). Document rules
read the source lines. Hits become a columnar findings frame (messages rendered once per
distinct set of fields), sorted, and only then turned into Finding objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from plancheck.checks import CHECKS, all_checks
from plancheck.checks.context import CheckContext
from plancheck.findings import Finding, Location, Severity, summarise
from plancheck.rulebook import Rule, RuleBook

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


def run_row_rules(ctx: CheckContext, rules: list[Rule]) -> dict[str, pd.DataFrame]:
    """Hits of every failing row rule, collected by one lazy pandera validation."""
    found: dict[str, pd.DataFrame] = {}
    crashes: list[BaseException] = []
    checks = [
        pa.Check(_pandera_check(ctx, rule, found, crashes), name=rule.code, error=rule.name)
        for rule in rules
    ]
    schema = pa.DataFrameSchema({"row": pa.Column("int64", checks=checks)})
    try:
        schema.validate(pd.DataFrame({"row": np.arange(len(ctx.tasks), dtype="int64")}), lazy=True)
        failed: pd.DataFrame | None = None
    except pa.errors.SchemaErrors as err:
        failed = err.failure_cases
    if crashes:
        raise crashes[0]  # a broken check is a bug or a missing registry, not a finding
    if failed is None:
        return {}
    # check_number is the position in ``rules`` (the "check" column shows the error text).
    failed = failed.dropna(subset=["index"])
    codes = np.array([rule.code for rule in rules], dtype=object)[
        failed["check_number"].astype(int).to_numpy()
    ]
    failing = pd.Series(failed["index"].astype("int64").to_numpy()).groupby(codes).agg(set)
    return {code: hits[hits["row"].isin(failing.get(code, set()))] for code, hits in found.items()}


def _pandera_check(ctx: CheckContext, rule: Rule, found: dict, crashes: list) -> Any:
    func = CHECKS[rule.check].func

    def check(rows: pd.Series) -> pd.Series:
        try:
            hits = func(ctx, **rule.params)
        except Exception as err:
            crashes.append(err)
            raise
        found[rule.code] = hits
        return ~rows.isin(hits["row"].to_numpy())

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


def _messages(rule: Rule, hits: pd.DataFrame, lang: str) -> np.ndarray:
    """Render each distinct combination of message fields once, then broadcast."""
    fields = [c for c in hits.columns if c not in NOT_FIELDS]
    if not fields:
        return np.full(len(hits), rule.render(lang, {}), dtype=object)
    codes = hits.groupby(fields, sort=False, dropna=False).ngroup().to_numpy()
    firsts = hits.drop_duplicates(fields)[fields]
    rendered = np.array(
        [
            rule.render(lang, dict(zip(fields, v, strict=True)))
            for v in firsts.itertuples(index=False)
        ]
    )
    return rendered.astype(object)[codes]


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
    has_task = (rows >= 0) & (len(tasks) > 0)
    task_ids = np.where(has_task, tasks["task_id"].to_numpy()[safe] if len(tasks) else None, None)
    source = tasks["source_file"].to_numpy()[safe] if len(tasks) else np.full(len(rows), "")
    fix = hits["fix"].to_numpy() if "fix" in hits else None
    return pd.DataFrame(
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity.value,
            "plan_id": ctx.plan_id,
            "task_id": task_ids,
            "source_file": source,
            "line": lines.astype("int64"),
            "message": _messages(rule, hits, lang),
            "fix": fix,
        },
        index=pd.RangeIndex(len(hits)),
    )


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
    frame = pd.concat(frames, ignore_index=True)
    frame["task_id"] = frame["task_id"].astype(object)
    return frame.sort_values(
        SORT_COLUMNS, kind="stable", na_position="first", key=_sort_key
    ).reset_index(drop=True)


def _sort_key(column: pd.Series) -> pd.Series:
    return column.fillna("") if column.dtype == object else column


def frame_to_findings(frame: pd.DataFrame) -> list[Finding]:
    """Materialise Finding objects (in the frame's order)."""
    severities = {s.value: s for s in Severity}
    columns = [frame[c].to_numpy() for c in FINDING_COLUMNS]
    return [
        Finding(
            code,
            name,
            severities[sev],
            plan,
            _none(task),
            Location(str(src), int(line)),
            msg,
            _none(fix),
        )
        for code, name, sev, plan, task, src, line, msg, fix in zip(*columns, strict=True)
    ]


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


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
    return frame_to_findings(validate_frame(ctx, book))


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
    """Validate plans loaded by ``plancheck.loading.load_plan`` (plan, tasks, source_lines)."""
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
    from plancheck.checks.units import alias_replacements, apply_replacements
    from plancheck.tasks_io import read_tasks_csv, write_tasks_csv

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


def validate_specs(
    specs: list[str],
    book: RuleBook,
    *,
    manifest: Any = None,
    registry: Any = None,
    lang: str = "zh",
    fix: bool = False,
    baseline: Path | None = None,
    write_baseline_to: Path | None = None,
) -> ValidationResult:
    """Load plans (manifest ids, raw sources or task CSVs), optionally fix, validate, baseline."""
    from plancheck import baseline as bl
    from plancheck.loading import load_plan

    loaded = [load_plan(spec, manifest) for spec in specs]
    fixed = 0
    if fix and book.get("PC103"):
        fixed = sum(
            fix_aliases(item, spec, registry=registry)
            for item, spec in zip(loaded, specs, strict=True)
        )
    result = validate_loaded(loaded, book, registry=registry, lang=lang)
    known = None
    if write_baseline_to is not None:
        bl.write_baseline(result.findings, write_baseline_to)
        known = bl.baseline_counts(result.findings)  # what was just recorded is known
    elif baseline is not None:
        known = bl.load_baseline(baseline)
    if known is not None:
        result.findings, result.counts["baselined"] = bl.apply_baseline(result.findings, known)
    result.counts["fixed"] = fixed
    return result
