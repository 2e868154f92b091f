"""What a check sees: one plan's task table plus the plan, registry and source lines.

Derived data that several checks share (the exploded unit list, one registry resolution
per distinct unit name, the plan's date and period) is computed once, on first use.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import pandas as pd

YEAR_RE = r"(?<!\d)((?:19|20)\d{2})\s*年"
OWN_PREFIXES = ("省", "市", "县", "区", "州")
RESOLUTION_FIELDS = ("status", "canonical", "abolished", "successor", "suggestions")


@lru_cache(maxsize=1)
def t2s() -> Any:
    """The OpenCC traditional-to-simplified converter (built once: it loads dictionaries)."""
    import opencc

    return opencc.OpenCC("t2s")


class CheckContext:
    """One plan under validation. ``plan`` needs ``id``, ``level`` and ``issued``."""

    def __init__(
        self,
        tasks: pd.DataFrame,
        plan: Any,
        registry: Any = None,
        source_lines: list[str] | None = None,
        lang: str = "zh",
    ) -> None:
        self.tasks = tasks.reset_index(drop=True)
        self.plan = plan
        self.registry = registry
        self.source_lines = source_lines
        self.lang = lang
        self.memo: dict[str, Any] = {}  # derived data shared by the checks of one family

    def say(self, text: dict[str, str]) -> str:
        """Pick the report language's version of a short per-language text."""
        return text.get(self.lang, text["en"])

    @property
    def plan_id(self) -> str:
        return str(getattr(self.plan, "id", "") or "")

    @cached_property
    def units_long(self) -> pd.DataFrame:
        """One row per (task, unit): ``row``, ``pos`` (0 = lead unit), ``unit``."""
        units = self.tasks["units"]
        lengths = np.fromiter((len(u) for u in units), dtype="int64", count=len(units))
        flat = [unit for row in units for unit in row]
        rows = np.repeat(np.arange(len(units), dtype="int64"), lengths)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        long = pd.DataFrame(
            {
                "row": rows,
                "pos": np.arange(len(flat), dtype="int64") - starts,
                "unit": np.array(flat, dtype=object),
            }
        )
        codes, names = pd.factorize(long["unit"])
        keep = np.array([bool(str(name).strip()) for name in names] + [False], dtype=bool)
        return long[keep[codes]].reset_index(drop=True)

    @cached_property
    def resolutions(self) -> pd.DataFrame:
        """Registry verdict per distinct unit name (each name is resolved once)."""
        names = pd.unique(self.units_long["unit"])
        level = getattr(self.plan, "level", None)
        rows = [self._resolve(name, level, self.own_prefix) for name in names]
        return pd.DataFrame(
            rows, index=pd.Index(names, name="unit"), columns=list(RESOLUTION_FIELDS)
        )

    @property
    def own_prefix(self) -> str | None:
        """How the plan prefixes its own bodies: 凌源市 (a county-level city) writes 市, not 县."""
        jurisdiction = str(getattr(self.plan, "jurisdiction", "") or "")
        return jurisdiction[-1] if jurisdiction[-1:] in OWN_PREFIXES else None

    def _resolve(self, name: str, level: str | None, prefix: str | None) -> tuple:
        kwargs = {"prefix": prefix} if prefix else {}  # registries without prefixes work too
        res = self.registry.resolve(name, level=level, **kwargs)
        return (
            res.status,
            res.canonical,
            res.abolished,
            res.successor,
            tuple(res.suggestions or ()),
        )

    @cached_property
    def units_resolved(self) -> pd.DataFrame:
        """``units_long`` plus the verdict columns, mapped from the distinct names by code."""
        if self.registry is None:
            raise RuntimeError("unit checks need a department registry")
        long = self.units_long
        codes, names = pd.factorize(long["unit"])
        res = self.resolutions.reindex(names)
        res["abolished_before"] = self._abolished_before(res["abolished"])
        out = long.copy()
        for column in (*RESOLUTION_FIELDS, "abolished_before"):
            out[column] = res[column].to_numpy()[codes]
        return out

    def _abolished_before(self, abolished: pd.Series) -> np.ndarray:
        """Abolished before the plan's date, compared at the registry's precision ("2018", "2019-03-31")."""
        plan_date, _ = self.plan_date
        if plan_date is None:
            return np.zeros(len(abolished), dtype=bool)
        return np.array(
            [bool(a) and str(a) < plan_date[: len(str(a))] for a in abolished.fillna("")],
            dtype=bool,
        )

    @cached_property
    def years_mentioned(self) -> list[int]:
        """Years named in the plan's targets and deadlines (for plans without an issue date)."""
        targets = self.tasks.loc[self.tasks["kind"] == "target", "text"].astype(str)
        years = targets.str.extractall(YEAR_RE)[0].astype(int).tolist() if len(targets) else []
        parsed = self.tasks["deadline_parsed"].dropna().astype(str).str.slice(0, 4)
        years += pd.to_numeric(parsed, errors="coerce").dropna().astype(int).unique().tolist()
        return sorted(set(years))

    @cached_property
    def target_years(self) -> list[int]:
        targets = self.tasks.loc[self.tasks["kind"] == "target", "text"].astype(str)
        if not len(targets):
            return []
        return sorted(set(targets.str.extractall(YEAR_RE)[0].astype(int).tolist()))

    @cached_property
    def plan_date(self) -> tuple[str | None, bool]:
        """(ISO date, estimated?). Without an issue date: 1 January of the latest year mentioned."""
        issued = getattr(self.plan, "issued", None)
        if issued:
            return str(issued)[:10], False
        if self.years_mentioned:
            return f"{self.years_mentioned[-1]}-01-01", True
        return None, False

    def locate(self, rows: np.ndarray, needles: np.ndarray) -> np.ndarray:
        """Source line where each needle is written within its task (else the task's first line).

        Runs only on hit rows, so its Python loop stays small.
        """
        starts = self.tasks["line_start"].to_numpy()[rows]
        if self.source_lines is None or not len(rows):
            return starts
        ends = self.tasks["line_end"].to_numpy()[rows]
        return np.array(
            [self._find(n, s, e) for n, s, e in zip(needles, starts, ends, strict=True)],
            dtype="int64",
        )

    def _find(self, needle: str, start: int, end: int) -> int:
        lines = self.source_lines or []
        for number in range(int(start), min(int(end), len(lines)) + 1):
            if needle in lines[number - 1]:
                return number
        return int(start)


def document_lines(ctx: CheckContext) -> list[tuple[int, str]]:
    """(line number, simplified text): the source lines, else the tasks' texts at their first line."""
    if "document_lines" not in ctx.memo:
        if ctx.source_lines is not None:
            pairs = [(i + 1, line) for i, line in enumerate(ctx.source_lines) if line.strip()]
        else:
            tasks = ctx.tasks.drop_duplicates("text")
            pairs = list(
                zip(
                    tasks["line_start"].astype(int),
                    tasks["text"].fillna("").astype(str),
                    strict=True,
                )
            )
        ctx.memo["document_lines"] = [(n, t2s().convert(text)) for n, text in pairs]
    return ctx.memo["document_lines"]


def line_hits(ctx: CheckContext, regex: re.Pattern[str]) -> pd.DataFrame:
    """One hit per line that matches ``regex``, with the number of matches (never the values)."""
    found = [(n, len(regex.findall(text))) for n, text in document_lines(ctx)]
    found = [(n, count) for n, count in found if count]
    return pd.DataFrame(
        {
            "line": np.array([n for n, _ in found], dtype="int64"),
            "count": [str(c) for _, c in found],
        }
    )


def check_regex(pattern: str) -> None:
    """Reject a bad regular expression when the rules load, not when they run."""
    try:
        re.compile(pattern)
    except re.error as err:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({err})") from None


def check_patterns(patterns: list[str]) -> None:
    for pattern in patterns:
        if not isinstance(pattern, str):
            raise ValueError(f"pattern {pattern!r} is not a string")
        check_regex(pattern)


def blank(values: pd.Series) -> np.ndarray:
    """Missing or whitespace-only, decided once per distinct value."""
    codes, uniques = pd.factorize(values)
    flags = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    return flags[codes]
