"""Run the rule catalogue over a task table of one or many plans -> findings.

Each rule's check is called directly on the table (pandera is the table's contract and has
already validated it when it was read). Hits become a columnar findings frame (messages
rendered once per distinct set of fields), sorted on ranks computed from distinct values,
and turned into ``Finding`` objects at the end.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from plancheck.table.columns import factorize_shared, object_ids
from plancheck.validate.checks import all_checks
from plancheck.validate.checks.context import CheckContext
from plancheck.validate.findings import Finding, findings_from_columns, summarise
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
    "fingerprint",
    "fixable",
]
SORT_COLUMNS = ["plan_id", "source_file", "line", "code", "task_id", "message"]
NOT_FIELDS = {"row", "line", "fix", "plan"}
SUBJECT_FIELDS = ("unit", "deadline")  # what a finding is about, besides its task's text


def run_rules(ctx: CheckContext, rules: list[Rule]) -> dict[str, pd.DataFrame]:
    """Hits of every rule that found something (a broken check is a bug: it raises)."""
    checks = all_checks()
    found = {rule.code: checks[rule.check].func(ctx, **rule.params) for rule in rules}
    return {code: _valid_rows(ctx, hits) for code, hits in found.items() if len(hits)}


def _valid_rows(ctx: CheckContext, hits: pd.DataFrame) -> pd.DataFrame:
    if "row" not in hits:
        return hits
    rows = hits["row"].to_numpy()
    inside = (rows >= 0) & (rows < len(ctx.tasks))
    return hits if inside.all() else hits[inside].reset_index(drop=True)


def _task_rows_at(ctx: CheckContext, plans: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """Row of the task of plan ``plans[i]`` whose source lines contain ``lines[i]``, or -1."""
    tasks = ctx.tasks
    if not len(tasks):
        return np.full(len(lines), -1)
    span = int(max(tasks["line_end"].max(), lines.max(initial=0))) + 2
    keys = ctx.plan_codes * span + tasks["line_start"].to_numpy()
    order = np.argsort(keys, kind="stable")
    pos = np.searchsorted(keys[order], plans * span + lines, side="right") - 1
    rows = np.where(pos >= 0, order[np.clip(pos, 0, None)], -1)
    safe = np.clip(rows, 0, None)
    inside = (
        (rows >= 0)
        & (ctx.plan_codes[safe] == plans)
        & (lines <= tasks["line_end"].to_numpy()[safe])
    )
    return np.where(inside, rows, -1)


def _group_codes(columns: list[np.ndarray]) -> np.ndarray:
    """One code per distinct combination of the columns' values (missing is a value too)."""
    combined = np.zeros(len(columns[0]), dtype="int64")
    for column in columns:
        codes, uniques = factorize_shared(column)
        combined = combined * (len(uniques) + 1) + (codes + 1)
        combined, _ = pd.factorize(combined)  # keep the codes small
    return combined


def _firsts(codes: np.ndarray) -> np.ndarray:
    """Position of the first occurrence of each code."""
    firsts = np.empty(int(codes.max()) + 1, dtype="intp")
    firsts[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return firsts


def _messages(rule: Rule, hits: pd.DataFrame, lang: str) -> np.ndarray:
    """Render each distinct combination of message fields once, then broadcast."""
    fields = [c for c in hits.columns if c not in NOT_FIELDS]
    if not fields or not len(hits):
        return _repeat(rule.render(lang, {}), len(hits))
    columns = [hits[c].to_numpy(dtype=object) for c in fields]
    codes = _group_codes(columns)
    rendered = [
        rule.render(lang, {f: column[i] for f, column in zip(fields, columns, strict=True)})
        for i in _firsts(codes)
    ]
    return np.fromiter(rendered, dtype=object, count=len(rendered))[codes]


def _repeat(value: Any, size: int) -> np.ndarray:
    """An object array holding ``value`` ``size`` times (one object, not ``size`` copies)."""
    out = np.empty(size, dtype=object)
    out.fill(value)
    return out


def normalised(text: str) -> str:
    """Text as a baseline compares it: width-folded (NFKC), without any white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _fingerprints(
    rule: Rule, plan_ids: np.ndarray, texts: np.ndarray, subjects: np.ndarray
) -> np.ndarray:
    """A content key per finding: plan, rule, normalised task text and subject (e.g. the unit).

    Positions (task ids, lines) are left out, so inserting or renumbering tasks keeps it.
    Hashed once per distinct combination.
    """
    if not len(texts):
        return np.zeros(0, dtype=object)
    codes = _group_codes([plan_ids, texts, subjects])
    keys = []
    for i in _firsts(codes):
        subject = "" if subjects[i] is None else str(subjects[i])
        material = f"{plan_ids[i]}\x1f{rule.code}\x1f{normalised(str(texts[i]))}\x1f{subject}"
        keys.append(hashlib.sha1(material.encode("utf-8")).hexdigest()[:16])
    return np.fromiter(keys, dtype=object, count=len(keys))[codes]


def hits_to_frame(ctx: CheckContext, rule: Rule, hits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One rule's hits as findings rows (columns FINDING_COLUMNS)."""
    tasks = ctx.tasks
    if "row" in hits:
        rows = hits["row"].to_numpy()
        lines = hits["line"].to_numpy() if "line" in hits else tasks["line_start"].to_numpy()[rows]
        plans = ctx.plan_codes[rows]
    else:  # a document rule: a plan and a line
        lines = hits["line"].to_numpy()
        plans = hits["plan"].to_numpy() if "plan" in hits else np.zeros(len(lines), dtype="int64")
        rows = _task_rows_at(ctx, plans, lines)
    size = len(rows)
    has_task = np.asarray(rows >= 0)
    safe = np.clip(rows, 0, None)
    task_ids: Any
    source: Any
    texts: Any
    if len(tasks):
        task_ids = np.where(has_task, tasks["task_id"].to_numpy(dtype=object)[safe], None)
        source = tasks["source_file"].to_numpy(dtype=object)[safe]
        if not has_task.all():
            source = np.where(has_task, source, _plan_sources(ctx)[plans])
        texts = tasks["text"].to_numpy(dtype=object)[safe]
    else:
        task_ids, source, texts = _repeat(None, size), _repeat("", size), _repeat("", size)
    if not has_task.all():
        texts = np.where(has_task, texts, _line_texts(ctx, plans, lines))
    subject_field = next((f for f in SUBJECT_FIELDS if f in hits), None)
    subjects = hits[subject_field].to_numpy(dtype=object) if subject_field else _repeat("", size)
    plan_ids = ctx.plan_ids[plans] if size else np.zeros(0, dtype=object)
    fix = hits["fix"].to_numpy(dtype=object) if "fix" in hits else _repeat(None, size)
    return pd.DataFrame(
        {
            "code": _repeat(rule.code, size),
            "name": _repeat(rule.name, size),
            "severity": _repeat(rule.severity.value, size),
            "plan_id": plan_ids,
            "task_id": task_ids,
            "source_file": source,
            "line": lines.astype("int64"),
            "message": _messages(rule, hits, lang),
            "fix": fix,
            "fingerprint": _fingerprints(rule, plan_ids, texts, subjects),
            "fixable": pd.notna(fix) & rule.fixable,
        },
        index=pd.RangeIndex(size),
        dtype=object,
    ).astype({"line": "int64"})


def _plan_sources(ctx: CheckContext) -> np.ndarray:
    """The source file of each plan (its first task's), "" for a plan without tasks."""
    sources = np.full(len(ctx.plans), "", dtype=object)
    if len(ctx.tasks):
        firsts = _firsts(ctx.plan_codes) if len(ctx.plan_codes) else np.zeros(0, dtype="intp")
        sources[: len(firsts)] = ctx.tasks["source_file"].to_numpy(dtype=object)[firsts]
    return sources


def _line_texts(ctx: CheckContext, plans: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """The source text of each (plan, line), "" when the plan's lines are not known."""
    out = []
    for plan, line in zip(plans, lines, strict=True):
        source = ctx.plan_lines[int(plan)] if int(plan) < len(ctx.plan_lines) else None
        out.append(source[line - 1] if source is not None and 0 < line <= len(source) else "")
    return np.fromiter(out, dtype=object, count=len(out))


def validate_frame(ctx: CheckContext, book: RuleBook) -> pd.DataFrame:
    """All findings as a sorted DataFrame (the fast, columnar result)."""
    found = run_rules(ctx, list(book.rules))
    frames = [hits_to_frame(ctx, book.rule(code), hits, ctx.lang) for code, hits in found.items()]
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
        return _dense(filled)
    codes, uniques = factorize_shared(values)
    keys = np.fromiter([*uniques, ""], dtype=object, count=len(uniques) + 1)  # -1: missing
    return _dense(keys)[codes]


def _dense(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    ranks = np.empty(len(values), dtype="int64")
    ranks[order] = np.cumsum(new) - 1
    return ranks


def frame_to_findings(frame: pd.DataFrame) -> list[Finding]:
    """The frame's findings, in its order."""
    columns: list[Any] = [frame[c].to_numpy() for c in FINDING_COLUMNS]
    return findings_from_columns(*columns)


def validate_tasks(
    tasks: pd.DataFrame,
    plan: Any,
    book: RuleBook,
    *,
    registry: Any = None,
    source_lines: Any = None,
    lang: str = "zh",
) -> list[Finding]:
    """Findings for a task table, in report order.

    ``plan`` is one plan (every row is its task) or a mapping plan id -> plan for a table
    of many plans; ``source_lines`` likewise one plan's lines or a mapping id -> lines.
    """
    ctx = CheckContext(tasks, plan, registry=registry, source_lines=source_lines, lang=lang)
    return frame_to_findings(validate_frame(ctx, book))


@dataclass
class ValidationResult:
    """Findings of a run plus its summary; ``to_dict`` is exactly what ``--format json`` prints."""

    findings: list[Finding]  # or a FindingStream (a run over batches of plans)
    plans: list[str] = field(default_factory=list)
    tasks: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"baselined": 0, "fixed": 0})
    fail_on: str = "error"  # the threshold the run was judged by (JUnit marks failures by it)
    stale: list[dict[str, Any]] = field(default_factory=list)  # baseline entries matched by nothing
    fixed_files: list[Any] = field(default_factory=list)  # task tables --fix rewrote

    @property
    def summary(self) -> dict[str, Any]:
        if isinstance(self.findings, FindingStream):
            found = self.findings.summary(plans=self.plans, tasks=self.tasks, **self.counts)
            return found | {"fail_on": self.fail_on}
        found = summarise(self.findings, plans=self.plans, tasks=self.tasks, **self.counts)
        return found | {"fail_on": self.fail_on}

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "findings": [f.to_dict() for f in self.findings]}


def combine_loaded(loaded: list[Any]) -> tuple[pd.DataFrame, dict[str, Any], dict[str, Any]]:
    """(one task table, plans by id, source lines by id) of plans loaded by ``plancheck.plans``."""
    from plancheck.table.schemas import empty_task_table

    frames = [item.tasks for item in loaded if len(item.tasks)]
    if len(frames) > 1:
        tasks = pd.concat(frames, ignore_index=True)
    else:
        tasks = frames[0] if frames else empty_task_table()
    plans = {item.plan.id: item.plan for item in loaded}
    lines = {item.plan.id: item.source_lines for item in loaded}
    return tasks, plans, lines


def validate_loaded(
    loaded: list[Any], book: RuleBook, *, registry: Any = None, lang: str = "zh"
) -> ValidationResult:
    """Validate plans loaded by ``plancheck.plans`` (plan, tasks, source_lines) as one table."""
    tasks, plans, lines = combine_loaded(loaded)
    findings = validate_tasks(tasks, plans, book, registry=registry, source_lines=lines, lang=lang)
    return ValidationResult(
        findings=findings,
        plans=[item.plan.id for item in loaded],
        tasks=sum(len(item.tasks) for item in loaded),
    )


class FindingStream:
    """The findings of a validation run over many batches of plans, in report order, made
    one plan at a time as they are read (a table of any size is never held as findings).

    Each batch's findings frame (``validate_frame``: sorted, plan first) is added as it is
    computed; with more than one batch the frames are kept in a temporary folder, not in
    memory. Iterating yields ``Finding``s in the order one ``validate_frame`` over the whole
    table would give: plans in sorted order, each plan's findings from its batch (a plan lies
    in one batch; the rare plan id found in two batches, e.g. in two files, is merged and
    sorted again). Counts for the summary and the exit status are kept as frames arrive.
    ``transform`` (a list -> list function, e.g. redaction) is applied plan by plan.
    """

    def __init__(self) -> None:
        self._frames: list[pd.DataFrame | None] = []
        self._spill: Any = None  # tempfile.TemporaryDirectory once a second batch arrives
        self._where: dict[str, list[tuple[int, int, int]]] = {}  # plan -> (batch, start, stop)
        self._transforms: list[Any] = []
        self.by_code: dict[str, int] = {}
        self.severities: dict[str, int] = {}
        self.fixable = 0
        self.total = 0

    def add(self, frame: pd.DataFrame) -> None:
        """One batch's findings frame (sorted by plan first, as ``validate_frame`` gives it)."""
        index = len(self._frames)
        if len(frame):
            plans = frame["plan_id"].to_numpy(dtype=object)
            change = np.flatnonzero(plans[1:] != plans[:-1]) + 1
            bounds = [0, *change.tolist(), len(plans)]
            for begin, end in zip(bounds[:-1], bounds[1:], strict=True):
                self._where.setdefault(str(plans[begin]), []).append((index, begin, end))
            for code, n in frame["code"].value_counts(sort=False).items():
                self.by_code[str(code)] = self.by_code.get(str(code), 0) + int(n)
            for severity, n in frame["severity"].value_counts(sort=False).items():
                self.severities[str(severity)] = self.severities.get(str(severity), 0) + int(n)
            self.fixable += int(frame["fixable"].astype(bool).sum())
            self.total += len(frame)
        self._frames.append(frame)
        if index >= 1:
            for k in range(index + 1):
                self._park(k)

    def _park(self, k: int) -> None:
        frame = self._frames[k]
        if frame is None:
            return
        import pickle
        import tempfile

        if self._spill is None:
            self._spill = tempfile.TemporaryDirectory(prefix="plancheck-findings-")
        with open(f"{self._spill.name}/{k}.pickle", "wb") as handle:
            pickle.dump(frame, handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._frames[k] = None

    def _load(self, k: int, cache: dict[int, pd.DataFrame]) -> pd.DataFrame:
        frame = self._frames[k]
        if frame is not None:
            return frame
        if k not in cache:
            import pickle

            cache.clear()  # one batch in memory at a time (plans in sorted order: each once)
            with open(f"{self._spill.name}/{k}.pickle", "rb") as handle:
                cache[k] = pickle.load(handle)
        return cache[k]

    def transformed(self, transform: Any) -> FindingStream:
        """The same stream with ``transform`` (list of findings -> list) applied per plan."""
        self._transforms.append(transform)
        return self

    def plan_frames(self) -> Iterator[pd.DataFrame]:
        """Each plan's findings frame, plans in sorted order."""
        cache: dict[int, pd.DataFrame] = {}
        for plan in sorted(self._where):
            parts = [self._load(k, cache).iloc[a:b] for k, a, b in self._where[plan]]
            if len(parts) == 1:
                yield parts[0]
                continue
            frame = pd.concat(parts, ignore_index=True)
            order = np.lexsort([_ranks(frame[c].to_numpy()) for c in reversed(SORT_COLUMNS)])
            yield frame.take(order).reset_index(drop=True)

    def __iter__(self) -> Iterator[Finding]:
        for frame in self.plan_frames():
            found = frame_to_findings(frame)
            for transform in self._transforms:
                found = transform(found)
            yield from found

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def summary(self, *, plans: list[str], tasks: int, **counts: int) -> dict[str, Any]:
        """What ``summarise`` gives for these findings, from the counts."""
        return {
            "plans": sorted(plans),
            "tasks": tasks,
            "findings": self.total,
            "errors": self.severities.get("error", 0),
            "warnings": self.severities.get("warning", 0),
            "fixable": self.fixable,
            "by_code": dict(sorted(self.by_code.items())),
            **counts,
        }

    def close(self) -> None:
        if self._spill is not None:
            self._spill.cleanup()
            self._spill = None
