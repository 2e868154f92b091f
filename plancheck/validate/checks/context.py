"""What a check sees: a task table of one or many plans, the plans, registry and source lines.

A table may hold many plans (a repository's combined table): every row belongs to the plan
named in its ``plan_id``, and anything that depends on the plan (its level, date, period,
source lines, numbering groups) is computed per plan and mapped onto rows by a plan code.
Derived data that several checks share (the exploded unit lists, one registry resolution per
distinct (plan profile, unit name), each plan's date and period) is computed once, on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from plancheck.table.columns import factorize_shared

YEAR_RE = r"(?<!\d)((?:19|20)\d{2})\s*年"
OWN_PREFIXES = ("省", "市", "县", "区", "州")
RESOLUTION_FIELDS = ("status", "canonical", "abolished", "successor", "suggestions", "certain")


@lru_cache(maxsize=1)
def t2s() -> Any:
    """The OpenCC traditional-to-simplified converter (built once: it loads dictionaries)."""
    import opencc

    return opencc.OpenCC("t2s")


class CheckContext:
    """The plans under validation.

    ``plans`` is one plan object (every row belongs to it) or a mapping plan id -> plan (rows
    belong to the plan of their ``plan_id``; an id missing from the mapping gets a bare plan).
    A plan needs ``id`` and may have ``level``, ``issued`` and ``jurisdiction``.
    ``source_lines`` is one plan's lines, or a mapping plan id -> lines.
    """

    def __init__(
        self,
        tasks: pd.DataFrame,
        plans: Any,
        registry: Any = None,
        source_lines: list[str] | Mapping[str, list[str] | None] | None = None,
        lang: str = "zh",
    ) -> None:
        self.tasks = tasks.reset_index(drop=True)
        self.registry = registry
        self.lang = lang
        self.memo: dict[str, Any] = {}  # derived data shared by the checks of one family
        if isinstance(plans, Mapping):
            codes, ids = pd.factorize(self.tasks["plan_id"].astype(str).to_numpy(dtype=object))
            self.plan_codes = codes.astype("int64")
            named = [str(i) for i in ids] + [str(i) for i in plans if str(i) not in set(ids)]
            self.plans = [plans.get(i) or _BarePlan(i) for i in named]  # plans without tasks last
            lines = source_lines if isinstance(source_lines, Mapping) else {}
            self.plan_lines = [lines.get(p.id) for p in self.plans]
        else:
            self.plan_codes = np.zeros(len(self.tasks), dtype="int64")
            self.plans = [plans]
            self.plan_lines = [None if isinstance(source_lines, Mapping) else source_lines]
        self.plan_ids = np.array([_plan_id(p) for p in self.plans], dtype=object)

    def say(self, text: dict[str, str]) -> str:
        """Pick the report language's version of a short per-language text."""
        return text.get(self.lang, text["en"])

    @property
    def plan(self) -> Any:
        """The first plan (the only one when the context holds one plan)."""
        return self.plans[0]

    @property
    def plan_id(self) -> str:
        return str(self.plan_ids[0]) if len(self.plan_ids) else ""

    @cached_property
    def source_lines(self) -> list[str] | None:
        """The first plan's source lines (the only plan's, for a one-plan context)."""
        return self.plan_lines[0] if self.plan_lines else None

    def row_plans(self, rows: np.ndarray) -> np.ndarray:
        """Plan code of each row position."""
        return self.plan_codes[rows]

    # ------------------------------------------------------------------ units
    @cached_property
    def unit_lists(self) -> tuple[np.ndarray, np.ndarray]:
        """(code per row, distinct unit lists): rows with equal lists share a code."""
        return factorize_shared(self.tasks["units"], key=tuple)

    @cached_property
    def plan_profiles(self) -> tuple[np.ndarray, list[tuple[Any, str | None, str | None, str]]]:
        """(profile code per plan, distinct profiles): a profile is what a unit's verdict
        depends on — the plan's level, its own prefix (市/县…), its date and its jurisdiction
        (whose titles are canonical there)."""
        keys = [
            (
                getattr(plan, "level", None),
                self.own_prefix_of(plan),
                self.plan_dates[i][0],
                str(getattr(plan, "jurisdiction", "") or ""),
            )
            for i, plan in enumerate(self.plans)
        ]
        index: dict[tuple[Any, str | None, str | None, str], int] = {}
        codes = np.array([index.setdefault(k, len(index)) for k in keys], dtype="int64")
        return codes, list(index)

    @cached_property
    def units_coded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row, pos, key code, name per key) per (task, non-blank unit).

        A key is a distinct (plan profile, unit name): the same name is judged once per
        profile. Built from the distinct unit lists, so a million rows cost little.
        """
        codes, lists = self.unit_lists
        lengths = np.fromiter((len(u) for u in lists), dtype="int64", count=len(lists))
        flat = [unit for units in lists for unit in units]
        flat_codes, names = pd.factorize(np.fromiter(flat, dtype=object, count=len(flat)))
        per_row = lengths[codes] if len(codes) else np.zeros(0, dtype="int64")
        rows = np.repeat(np.arange(len(codes), dtype="int64"), per_row)
        pos = np.arange(len(rows), dtype="int64") - np.repeat(np.cumsum(per_row) - per_row, per_row)
        list_starts = np.cumsum(lengths) - lengths
        name_codes = flat_codes[list_starts[codes[rows]] + pos] if len(rows) else flat_codes[:0]
        keep = np.array([bool(str(name).strip()) for name in names] + [False], dtype=bool)
        kept = keep[name_codes]
        rows, pos, name_codes = rows[kept], pos[kept], name_codes[kept]
        profile_of_plan, _ = self.plan_profiles
        combined = profile_of_plan[self.plan_codes[rows]] * (len(names) + 1) + name_codes
        key_codes, key_values = pd.factorize(combined)
        key_names = np.asarray(names, dtype=object)[np.asarray(key_values) % (len(names) + 1)]
        self.memo["key_profiles"] = np.asarray(key_values) // (len(names) + 1)
        return rows, pos, key_codes.astype("int64"), key_names

    @cached_property
    def verdicts(self) -> dict[str, np.ndarray]:
        """The verdict columns (plus ``abolished_before``) per key code of ``units_coded``.

        Checks pick keys by these small arrays and map them onto (task, unit) pairs by code.
        """
        if self.registry is None:
            raise RuntimeError("unit checks need a department registry")
        _, _, _, names = self.units_coded
        _, profiles = self.plan_profiles
        key_profiles = self.memo["key_profiles"]
        resolved: dict[tuple[str, Any, str | None, str, str | None], tuple] = {}
        columns: dict[str, list[Any]] = {c: [] for c in (*RESOLUTION_FIELDS, "abolished_before")}
        for name, profile in zip(names, key_profiles, strict=True):
            level, prefix, plan_date, jurisdiction = profiles[int(profile)]
            key = (name, level, prefix, jurisdiction, plan_date)
            if key not in resolved:
                resolved[key] = self._resolve(name, level, prefix, jurisdiction, plan_date)
            values = resolved[key]
            for column, value in zip(RESOLUTION_FIELDS, values, strict=True):
                columns[column].append(value)
            abolished = values[2]
            columns["abolished_before"].append(
                bool(abolished) and plan_date is not None and _before(abolished, plan_date)
            )
        return {
            column: np.array(values, dtype=bool)
            if column == "abolished_before"
            else _objects(values)
            for column, values in columns.items()
        }

    def unit_pairs(self, key_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, key codes) of the (task, unit) pairs whose key is selected by ``key_mask``."""
        rows, _, key_codes, _ = self.units_coded
        pick = key_mask[key_codes]
        return rows[pick], key_codes[pick]

    @staticmethod
    def own_prefix_of(plan: Any) -> str | None:
        """How a plan prefixes its own bodies: 凌源市 (a county-level city) writes 市, not 县."""
        jurisdiction = str(getattr(plan, "jurisdiction", "") or "")
        return jurisdiction[-1] if jurisdiction[-1:] in OWN_PREFIXES else None

    def _resolve(
        self, name: str, level: str | None, prefix: str | None, jurisdiction: str, date: str | None
    ) -> tuple:
        # registries without prefixes or jurisdictions work too
        kwargs = {
            key: value
            for key, value in (("prefix", prefix), ("jurisdiction", jurisdiction), ("date", date))
            if value
        }
        res = self.registry.resolve(name, level=level, **kwargs)
        return (
            res.status,
            res.canonical,
            res.abolished,
            res.successor,
            tuple(res.suggestions or ()),
            getattr(res, "certain", True),
        )

    # ------------------------------------------------------------------ dates
    @cached_property
    def target_years(self) -> list[list[int]]:
        """Per plan code: the years named in the plan's targets (each distinct text once)."""
        is_target = (self.tasks["kind"] == "target").to_numpy()
        found = self._years_by_plan(
            self.plan_codes[is_target],
            self.tasks["text"].to_numpy(dtype=object)[is_target],
            lambda texts: texts.str.extractall(YEAR_RE)[0],
        )
        return found

    @cached_property
    def years_mentioned(self) -> list[list[int]]:
        """Per plan code: years named in the plan's targets and parsed deadlines."""
        deadlines = self._years_by_plan(
            self.plan_codes,
            self.tasks["deadline_parsed"].to_numpy(dtype=object),
            lambda values: values.str.slice(0, 4).where(values.str.match(r"^\d{4}")).dropna(),
        )
        return [sorted(set(t) | set(d)) for t, d in zip(self.target_years, deadlines, strict=True)]

    def _years_by_plan(
        self, plans: np.ndarray, values: np.ndarray, extract: Any
    ) -> list[list[int]]:
        """Years ``extract`` finds in ``values``, per plan code (each (plan, value) once)."""
        out: list[set[int]] = [set() for _ in self.plans]
        if not len(values):
            return [[] for _ in self.plans]
        codes, uniques = factorize_shared(values)
        pairs = pd.DataFrame({"plan": plans, "code": codes})
        pairs = pairs[pairs["code"] >= 0].drop_duplicates()
        texts = pd.Series(uniques, dtype=object).astype(str)
        years = extract(texts)
        if not len(years):
            return [[] for _ in self.plans]
        by_code = (
            pd.DataFrame({"code": years.index.get_level_values(0), "year": years.astype(int)})
            if isinstance(years.index, pd.MultiIndex)
            else pd.DataFrame({"code": years.index, "year": years.astype(int)})
        )
        merged = pairs.merge(by_code, on="code")
        for plan, year in zip(merged["plan"], merged["year"], strict=True):
            out[int(plan)].add(int(year))
        return [sorted(s) for s in out]

    @cached_property
    def plan_dates(self) -> list[tuple[str | None, bool]]:
        """Per plan code: (ISO date, estimated?). Without an issue date: 1 January of the
        latest year the plan mentions."""
        dates: list[tuple[str | None, bool]] = []
        for plan, years in zip(self.plans, self.years_mentioned, strict=True):
            issued = getattr(plan, "issued", None)
            if issued:
                dates.append((str(issued)[:10], False))
            elif years:
                dates.append((f"{years[-1]}-01-01", True))
            else:
                dates.append((None, False))
        return dates

    @property
    def plan_date(self) -> tuple[str | None, bool]:
        """The first plan's date (the only plan's, for a one-plan context)."""
        return self.plan_dates[0] if self.plan_dates else (None, False)

    # ------------------------------------------------------------------ lines
    def locate(self, rows: np.ndarray, needles: np.ndarray) -> np.ndarray:
        """Source line where each needle is written within its task (else the task's first line).

        Runs only on hit rows, so its Python loop stays small.
        """
        starts = self.tasks["line_start"].to_numpy()[rows]
        if not len(rows) or not any(lines is not None for lines in self.plan_lines):
            return starts
        ends = self.tasks["line_end"].to_numpy()[rows]
        plans = self.plan_codes[rows]
        return np.array(
            [
                _find(self.plan_lines[p], n, s, e)
                for p, n, s, e in zip(plans, needles, starts, ends, strict=True)
            ],
            dtype="int64",
        )


class _BarePlan:
    """A plan known only by its id (a table row names a plan the caller did not describe)."""

    def __init__(self, plan_id: str) -> None:
        self.id = plan_id
        self.title = plan_id
        self.level = None
        self.issued = None
        self.jurisdiction = ""


def _plan_id(plan: Any) -> str:
    return str(getattr(plan, "id", "") or "")


def _before(abolished: Any, plan_date: str) -> bool:
    """Abolished before the plan's date, compared at the registry's precision ("2018", "2019-03-31")."""
    text = str(abolished)
    return text < plan_date[: len(text)]


def _objects(values: list[Any]) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def _find(lines: list[str] | None, needle: str, start: int, end: int) -> int:
    if lines is None:
        return int(start)
    for number in range(int(start), min(int(end), len(lines)) + 1):
        if needle in lines[number - 1]:
            return number
    return int(start)


def _distinct(values: pd.Series | np.ndarray) -> pd.Series:
    """The distinct non-missing values, as strings."""
    _, uniques = factorize_shared(values)
    return pd.Series(uniques, dtype=object).astype(str)


def document_lines(ctx: CheckContext) -> list[tuple[int, int, str]]:
    """(plan code, line number, simplified text) of every plan: its source lines, else its
    tasks' texts at their first line. Each distinct text is simplified once."""
    if "document_lines" not in ctx.memo:
        triples: list[tuple[int, int, str]] = []
        without = [code for code, lines in enumerate(ctx.plan_lines) if lines is None]
        for code, lines in enumerate(ctx.plan_lines):
            if lines is not None:
                triples += [(code, i + 1, line) for i, line in enumerate(lines) if line.strip()]
        if without:
            frame = pd.DataFrame(
                {
                    "plan": ctx.plan_codes,
                    "line": ctx.tasks["line_start"].to_numpy(),
                    "text": ctx.tasks["text"].fillna("").astype(str).to_numpy(dtype=object),
                }
            )
            frame = frame[np.isin(frame["plan"].to_numpy(), without)]
            frame = frame.drop_duplicates(["plan", "text"])
            triples += list(zip(frame["plan"], frame["line"], frame["text"], strict=True))
        simplified: dict[str, str] = {}
        convert = t2s().convert
        ctx.memo["document_lines"] = [
            (int(p), int(n), simplified.get(t) or simplified.setdefault(t, convert(t)))
            for p, n, t in triples
        ]
    return ctx.memo["document_lines"]


def line_hits(ctx: CheckContext, regex: Any) -> pd.DataFrame:
    """One hit per line that matches ``regex``, with the number of matches (never the values).

    Columns: ``plan`` (plan code), ``line``, ``count``.
    """
    counts: dict[str, int] = {}
    found = []
    for plan, n, text in document_lines(ctx):
        if text not in counts:
            counts[text] = len(regex.findall(text))
        if counts[text]:
            found.append((plan, n, counts[text]))
    return pd.DataFrame(
        {
            "plan": np.array([p for p, _, _ in found], dtype="int64"),
            "line": np.array([n for _, n, _ in found], dtype="int64"),
            "count": [str(c) for _, _, c in found],
        }
    )


def check_regex(pattern: str) -> None:
    """Reject a bad regular expression when the rules load, not when they run."""
    from plancheck.validate.checks.patterns import check_regex as check

    check(pattern)


def check_patterns(patterns: list[str]) -> None:
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ValueError(f"pattern {pattern!r} is not a string")
        check_regex(pattern)


def blank(values: pd.Series) -> np.ndarray:
    """Missing or whitespace-only, decided once per distinct value."""
    codes, uniques = factorize_shared(values)
    flags = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    return flags[codes]
