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

from plancheck.table.columns import factorize_shared

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
    def unit_lists(self) -> tuple[np.ndarray, np.ndarray]:
        """(code per row, distinct unit lists): rows with equal lists share a code."""
        return factorize_shared(self.tasks["units"], key=tuple)

    @cached_property
    def units_coded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row, pos, name code, names) per (task, non-blank unit), built from the distinct lists."""
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
        names = np.fromiter(names, dtype=object, count=len(names))
        return rows[kept], pos[kept], name_codes[kept], names

    @cached_property
    def units_long(self) -> pd.DataFrame:
        """One row per (task, unit): ``row``, ``pos`` (0 = lead unit), ``unit``."""
        rows, pos, name_codes, names = self.units_coded
        unit = pd.Series(names[name_codes], dtype=object)
        return pd.DataFrame({"row": rows, "pos": pos, "unit": unit})

    @cached_property
    def resolutions(self) -> pd.DataFrame:
        """Registry verdict per distinct unit name (each name is resolved once)."""
        _, _, name_codes, names = self.units_coded
        used = np.zeros(len(names), dtype=bool)
        used[name_codes] = True
        names = names[used]
        level = getattr(self.plan, "level", None)
        rows = [self._resolve(name, level, self.own_prefix) for name in names]
        return pd.DataFrame(
            rows, index=pd.Index(names, name="unit", dtype=object), columns=list(RESOLUTION_FIELDS)
        )

    @cached_property
    def verdicts(self) -> dict[str, np.ndarray]:
        """The verdict columns (plus ``abolished_before``) per name code of ``units_coded``.

        Checks pick names by these small arrays and map them onto (task, unit) pairs by code.
        """
        if self.registry is None:
            raise RuntimeError("unit checks need a department registry")
        _, _, _, names = self.units_coded
        res = self.resolutions.reindex(pd.Index(names, dtype=object))
        res["abolished_before"] = self._abolished_before(res["abolished"])
        return {
            column: res[column].to_numpy(dtype=bool if column == "abolished_before" else object)
            for column in (*RESOLUTION_FIELDS, "abolished_before")
        }

    @cached_property
    def units_resolved(self) -> pd.DataFrame:
        """``units_long`` plus the verdict columns, mapped from the distinct names by code."""
        verdicts = self.verdicts
        _, _, name_codes, _ = self.units_coded
        out = self.units_long.copy()
        for column, values in verdicts.items():
            out[column] = values[name_codes]
        return out

    def unit_pairs(self, name_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, name codes) of the (task, unit) pairs whose name is selected by ``name_mask``."""
        rows, _, name_codes, _ = self.units_coded
        pick = name_mask[name_codes]
        return rows[pick], name_codes[pick]

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
        parsed = _distinct(self.tasks["deadline_parsed"]).str.slice(0, 4)
        years = pd.to_numeric(parsed, errors="coerce").dropna().astype(int).unique().tolist()
        return sorted(set(self.target_years) | set(years))

    @cached_property
    def target_years(self) -> list[int]:
        """Years named in the plan's targets (each distinct text is searched once)."""
        is_target = (self.tasks["kind"] == "target").to_numpy()
        targets = _distinct(self.tasks["text"].to_numpy(dtype=object)[is_target])
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


def _distinct(values: pd.Series | np.ndarray) -> pd.Series:
    """The distinct non-missing values, as strings."""
    _, uniques = factorize_shared(values)
    return pd.Series(uniques, dtype=object).astype(str)


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
    codes, uniques = factorize_shared(values)
    flags = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    return flags[codes]
