"""Validating plans named as the user names them: load them all as one table, optionally fix
aliases in the task tables, validate, then apply or write a CI baseline.

A task CSV may hold many plans (a repository's combined table): each plan in it is loaded
and validated as a plan of its own. All task CSVs named in one run are read and checked
against the table contract once, as one frame, so a folder of a thousand plans pays the
fixed costs once.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plancheck.io.locks import held
from plancheck.plans.loading import LoadedPlan, load_plan, may_read_source
from plancheck.plans.manifest import Manifest, Plan
from plancheck.validate import baseline as bl
from plancheck.validate.checks import all_checks
from plancheck.validate.checks.context import CheckContext
from plancheck.validate.checks.units import apply_unit_fixes
from plancheck.validate.engine import (
    FindingStream,
    ValidationResult,
    combine_loaded,
    validate_frame,
    validate_loaded,
)
from plancheck.validate.findings import Finding
from plancheck.validate.rulebook import RuleBook

TASKS_DIR = Path("datasets/tasks")
LEVEL_PREFIXES = (("province", "省"), ("city", "市"), ("county", "县"))


@dataclass
class FixedFile:
    """A task table that ``--fix`` rewrote (or, with ``--diff``, would rewrite)."""

    path: Path
    replaced: int
    diff: str = ""


def load_specs(specs: list[str], manifest: Manifest | None) -> tuple[list[LoadedPlan], dict]:
    """(loaded plans in the order named, plan id -> the task CSV it came from)."""
    from plancheck.table.io import read_task_tables

    csvs = [Path(s) for s in specs if Path(s).suffix.lower() == ".csv" and Path(s).is_file()]
    by_csv: dict[Path, list[LoadedPlan]] = {}
    origin: dict[str, Path] = {}
    if csvs:
        table, sizes = read_task_tables(csvs)
        starts = np.cumsum([0, *sizes])
        for i, path in enumerate(csvs):
            part = table.iloc[starts[i] : starts[i + 1]] if len(csvs) > 1 else table
            by_csv[path] = split_plans(part, manifest, path)
            origin.update({item.plan.id: path for item in by_csv[path]})
    loaded: list[LoadedPlan] = []
    for spec in specs:
        path = Path(spec)
        loaded += by_csv.get(path) or ([] if path in by_csv else [load_plan(spec, manifest)])
    return loaded, origin


def iter_loaded_batches(
    specs: list[str], manifest: Manifest | None, chunk_rows: int | None = None
) -> Iterator[list[LoadedPlan]]:
    """The plans named, in batches of complete plans of about ``chunk_rows`` rows (None: one
    batch): task CSVs of any size are read in chunks (``table.io.iter_task_batches``), other
    specs (manifest ids, raw sources) loaded one by one and gathered."""
    from plancheck.table.io import CHUNK_ROWS, iter_task_batches

    rows = chunk_rows or CHUNK_ROWS
    csvs = [Path(s) for s in specs if Path(s).suffix.lower() == ".csv" and Path(s).is_file()]
    held: list[LoadedPlan] = []
    size = 0
    for spec in specs:
        if Path(spec) in csvs:
            continue
        held.append(load_plan(spec, manifest))
        size += len(held[-1].tasks)
        if chunk_rows is not None and size >= rows:
            yield held
            held, size = [], 0
    if held and (chunk_rows is not None or not csvs):
        yield held
        held = []
    if not csvs:
        return
    for batch in iter_task_batches(csvs, chunk_rows=chunk_rows):
        yield held + [
            plan for csv, part in batch.parts() for plan in split_plans(part, manifest, csv)
        ]
        held = []


def split_plans(
    table: pd.DataFrame, manifest: Manifest | None, csv: Path | None = None
) -> list[LoadedPlan]:
    """One LoadedPlan per plan id of a task table, in order of first appearance; the sources
    its ``source_file`` column names are read only inside the repository of ``csv`` (the
    file the table came from) or the working folder (``loading.may_read_source``)."""
    from plancheck.ingest import read_document

    if not len(table):
        return []
    codes, ids = pd.factorize(table["plan_id"].astype(str))
    levels = guess_levels(table, codes, len(ids))
    starts = _first_rows(codes)
    sources = table["source_file"].to_numpy(dtype=object)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum([0, *np.bincount(codes, minlength=len(ids))])
    lines_of: dict[str, list[str] | None] = {}
    out = []
    for code, plan_id in enumerate(ids):
        plan = manifest.get(plan_id) if manifest else None
        if plan is None:
            plan = Plan(id=plan_id, title=plan_id, jurisdiction="", level=levels[code])
        rows = order[bounds[code] : bounds[code + 1]]
        tasks = table if len(ids) == 1 else table.iloc[rows].reset_index(drop=True)
        source = str(sources[starts[code]])
        if source not in lines_of:
            readable = Path(source).is_file() and (
                csv is None or may_read_source(Path(source), csv)
            )
            lines_of[source] = read_document(Path(source)).lines if readable else None
        path = Path(source) if lines_of[source] is not None else None
        out.append(LoadedPlan(plan, tasks, lines_of[source], path))
    return out


def _first_rows(codes: np.ndarray) -> np.ndarray:
    firsts = np.empty(int(codes.max()) + 1, dtype="intp")
    firsts[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return firsts


def guess_levels(table: pd.DataFrame, codes: np.ndarray, plans: int) -> list[str]:
    """Level of each plan that is in no manifest, from the prefixes of its units (省/市/县;
    default city). Counted per distinct (plan, unit list), weighted by rows."""
    from plancheck.table.columns import factorize_shared

    list_codes, lists = factorize_shared(table["units"], key=tuple)
    pairs = pd.Series(codes.astype("int64") * (len(lists) + 1) + list_codes + 1).value_counts()
    counts = np.zeros((plans, len(LEVEL_PREFIXES)), dtype="int64")
    for key, weight in zip(pairs.index, pairs.to_numpy(), strict=True):
        plan, code = divmod(int(key), len(lists) + 1)
        units = lists[code - 1] if code else ()
        for unit in units:
            for column, (_, prefix) in enumerate(LEVEL_PREFIXES):
                if unit[:1] == prefix:
                    counts[plan, column] += int(weight)
    return [LEVEL_PREFIXES[int(row.argmax())][0] if row.max() else "city" for row in counts]


def fix_tables(
    loaded: list[LoadedPlan],
    origin: dict[str, Path],
    book: RuleBook,
    *,
    registry: Any,
    preview: bool = False,
    tasks_dir: Path = TASKS_DIR,
) -> list[FixedFile]:
    """Rewrite what the alias rule reports (alias -> canonical name) in the task tables.

    The target of a plan is the task CSV it was read from, else ``tasks_dir/<plan id>.csv``;
    a raw source is never written. With ``preview`` nothing is written: each file's change
    is returned as a unified diff. The loaded tables are fixed too, so the run reports what
    remains.
    """
    checks = [(all_checks()[r.check].func, r.params) for r in book.rules if r.fixable]
    if not checks:
        return []
    plans = {item.plan.id: item.plan for item in loaded}
    targets: dict[Path, None] = {}
    for item in loaded:
        target = origin.get(item.plan.id) or tasks_dir / f"{item.plan.id}.csv"
        if target.is_file():
            targets[target] = None
    fixed: list[FixedFile] = []
    for target in targets:
        # read, fix and write under the table's lock: two --fix runs on one CSV take turns
        with held(target, "fixing this table") if not preview else nullcontext():
            done = _fix_one(target, plans, registry, checks, preview)
        if done is not None:
            fixed.append(done)
    if not preview:
        for item in loaded:
            item.tasks, _ = _fixed(item.tasks, plans, registry, checks)
    return fixed


def _fix_one(
    target: Path, plans: dict, registry: Any, checks: list, preview: bool
) -> FixedFile | None:
    """Fix one stored task table (re-read under the lock: another run may have fixed it)."""
    from plancheck.table.io import read_tasks_csv, tasks_to_csv_text, write_tasks_csv

    stored = read_tasks_csv(target)
    new, count = _fixed(stored, plans, registry, checks)
    if not count:
        return None
    before, after = tasks_to_csv_text(stored), tasks_to_csv_text(new)
    diff = "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{target.as_posix()}",
            tofile=f"b/{target.as_posix()}",
        )
    )
    if not preview:
        write_tasks_csv(new, target)
    return FixedFile(target, count, diff)


def _fixed(
    tasks: pd.DataFrame, plans: dict, registry: Any, checks: list
) -> tuple[pd.DataFrame, int]:
    ctx = CheckContext(tasks, plans, registry=registry)
    total = 0
    for func, params in checks:
        tasks, count = apply_unit_fixes(tasks, func(ctx, **params))
        total += count
    return tasks, total


def validate_specs(
    specs: list[str],
    book: RuleBook,
    *,
    manifest: Any = None,
    registry: Any = None,
    lang: str = "zh",
    fix: bool = False,
    preview: bool = False,
    baseline: Path | None = None,
    write_baseline_to: Path | None = None,
    ignored_for: Callable[[str], list[str]] | None = None,
    chunk_rows: int | None = 0,
) -> ValidationResult:
    """Load plans (manifest ids, raw sources or task CSVs), optionally fix, validate, baseline.

    Without ``fix`` the plans are read and checked ``chunk_rows`` rows of complete plans at a
    time (0: ``table.io.CHUNK_ROWS``; None: all at once) and the findings are a ``FindingStream`` (memory bounded whatever the tables' size);
    ``fix`` rewrites whole task tables, so it loads them whole.

    ``ignored_for(source_file)`` names the codes (or prefixes) to drop for a file (the
    ``per-file-ignores`` setting); they are dropped before the baseline is applied or written.
    """
    if fix:
        loaded, origin = load_specs(specs, manifest)
        fixed = fix_tables(loaded, origin, book, registry=registry, preview=preview)
        result = validate_loaded(loaded, book, registry=registry, lang=lang)
        if ignored_for is not None:
            result.findings = drop_ignored(result.findings, ignored_for)
    else:
        fixed = []
        result = validate_streamed(
            specs, book, manifest=manifest, registry=registry, lang=lang,
            ignored_for=ignored_for, chunk_rows=chunk_rows,
        )  # fmt: skip
        if baseline is not None or write_baseline_to is not None:
            result.findings = list(result.findings)  # a baseline is matched over the whole list
    result.fixed_files = fixed
    known: Counter | None = None
    if write_baseline_to is not None:
        bl.write_baseline(result.findings, write_baseline_to)
        known = bl.baseline_counts(result.findings)  # what was just recorded is known
    elif baseline is not None:
        known = bl.load_baseline(baseline)
    if known is not None:
        result.findings, result.counts["baselined"], result.stale = bl.apply_baseline(
            result.findings, known
        )
        result.counts["stale"] = len(result.stale)
    result.counts["fixed"] = sum(f.replaced for f in fixed) if not preview else 0
    return result


def validate_streamed(
    specs: list[str],
    book: RuleBook,
    *,
    manifest: Any = None,
    registry: Any = None,
    lang: str = "zh",
    ignored_for: Callable[[str], list[str]] | None = None,
    chunk_rows: int | None = 0,
) -> ValidationResult:
    """Validate batch by batch of complete plans (every check is a check of one plan); the
    findings stream out in the order one validation of the whole table gives."""
    from plancheck.table import io as table_io

    if chunk_rows == 0:
        chunk_rows = table_io.CHUNK_ROWS  # read when called: a test may make it tiny
    stream = FindingStream()
    plans: list[str] = []
    tasks = 0
    for loaded in iter_loaded_batches(specs, manifest, chunk_rows):
        table, by_id, lines = combine_loaded(loaded)
        ctx = CheckContext(table, by_id, registry=registry, source_lines=lines, lang=lang)
        frame = validate_frame(ctx, book)
        if ignored_for is not None:
            frame = drop_ignored_frame(frame, ignored_for)
        stream.add(frame)
        plans += [item.plan.id for item in loaded]
        tasks += sum(len(item.tasks) for item in loaded)
    return ValidationResult(findings=stream, plans=plans, tasks=tasks)  # type: ignore[arg-type]


def drop_ignored_frame(
    frame: pd.DataFrame, ignored_for: Callable[[str], list[str]]
) -> pd.DataFrame:
    """``drop_ignored`` on a findings frame: rows whose code their file's ignores name."""
    if not len(frame):
        return frame
    keep = np.ones(len(frame), dtype=bool)
    sources = frame["source_file"].to_numpy(dtype=object)
    codes = frame["code"].to_numpy(dtype=object).astype(str)
    for source in pd.unique(sources):
        ignored = tuple(ignored_for(source))
        if ignored:
            mine = sources == source
            keep &= ~(
                mine & np.char.startswith(codes, ignored[0])
                if len(ignored) == 1
                else mine & np.array([c.startswith(ignored) for c in codes])
            )
    return frame[keep].reset_index(drop=True)


def drop_ignored(findings: list[Finding], ignored_for: Callable[[str], list[str]]) -> list[Finding]:
    """Findings minus those whose code ``ignored_for(their source file)`` names."""
    cache: dict[str, list[str]] = {}
    kept = []
    for finding in findings:
        if finding.source_file not in cache:
            cache[finding.source_file] = ignored_for(finding.source_file)
        if not any(finding.code.startswith(code) for code in cache[finding.source_file]):
            kept.append(finding)
    return kept


def is_plan_file(path: Path, manifest: Manifest | None) -> bool:
    """Does ``path`` look like a plan? A task CSV (its header is the task table's), or a
    source document the manifest names. Other files (a README, the tool's own reports)
    are not plans; ``--only-plans`` skips them quietly."""
    from plancheck.table.schemas import OPTIONAL_COLUMNS, TASK_COLUMNS

    if not path.is_file():
        return True  # let loading say what is wrong with it
    if path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8", errors="replace") as handle:
            header = handle.readline().strip().lstrip("\ufeff")
        columns = header.split(",")
        # a table written before an optional column was added is a task table too
        return columns == [c for c in TASK_COLUMNS if c in columns or c not in OPTIONAL_COLUMNS]
    return manifest is not None and manifest.find_source(path) is not None
