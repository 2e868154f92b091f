"""Registered check functions, looked up by name from the rule catalogue.

A check is a vectorised function ``func(ctx, **params) -> DataFrame`` of hits. Row checks
return one hit per problem with a ``row`` column (position in the task table); document
checks return a ``line`` column (1-based source line). Other columns are the fields that
message templates may use (``{unit}``, ``{canonical}``...); a ``fix`` column is the fix.
Declaring params and fields lets the rulebook reject a bad rule when it loads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

FAMILIES = ("units", "numbering", "text", "deadlines", "privacy")


@dataclass(frozen=True)
class Param:
    """A check parameter: its type (for load-time checking) and default."""

    type: type | tuple[type, ...]
    default: Any
    help: str = ""
    check: Callable[[Any], None] | None = None  # raises ValueError for a bad value


@dataclass(frozen=True)
class CheckSpec:
    name: str
    func: Callable[..., pd.DataFrame]
    scope: str  # "rows" | "document"
    params: dict[str, Param] = field(default_factory=dict)
    fields: tuple[str, ...] = ()
    fixable: bool = False  # `plancheck validate --fix` applies its ``fix`` column


CHECKS: dict[str, CheckSpec] = {}


def register_check(
    name: str,
    *,
    scope: str = "rows",
    params: dict[str, Param] | None = None,
    fields: tuple[str, ...] = (),
    fixable: bool = False,
) -> Callable[[Callable[..., pd.DataFrame]], Callable[..., pd.DataFrame]]:
    """Decorator: make ``func`` available to rule files as ``check: name``."""

    def decorate(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        CHECKS[name] = CheckSpec(name, func, scope, dict(params or {}), tuple(fields), fixable)
        return func

    return decorate


def all_checks() -> dict[str, CheckSpec]:
    """Every registered check (imports the family modules on first use)."""
    for family in FAMILIES:
        importlib.import_module(f"plancheck.validate.checks.{family}")
    return CHECKS


def hits(rows: Any = (), **columns: Any) -> pd.DataFrame:
    """A hits frame for row checks: ``row`` positions plus message fields (index ignored)."""
    data: dict[str, Any] = {"row": np.asarray(rows, dtype="int64")}
    for key, value in columns.items():
        if isinstance(value, pd.Series):
            value = value.to_numpy()
        elif isinstance(value, str | dict) or value is None:
            value = [value] * len(data["row"])  # broadcast scalars (dicts are per-language text)
        data[key] = value
    return pd.DataFrame(data)


def no_hits(*fields: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"row": pd.Series(dtype="int64"), **{f: pd.Series(dtype=object) for f in fields}}
    )
