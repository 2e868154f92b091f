"""Fast helpers for the task table's object columns.

A table read by ``plancheck.table.io`` shares one object between rows with equal values (one list per
distinct ``units`` text, one string per distinct text), so grouping rows by object identity
first and by value second factorizes a million rows without hashing every long text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def factorize_shared(
    values: pd.Series | np.ndarray, key: Callable[[Any], Any] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` (codes, uniques; missing -> -1) for object columns whose equal values
    mostly share one object, as the columns of a table read by ``plancheck.table.io`` do.

    Rows are grouped by object identity first (cheap: no hashing of long texts), then the few
    distinct objects by value (``key(value)``, e.g. ``tuple`` for lists). Uniques come in
    order of first appearance, as with ``pd.factorize``; with ``key`` they are the first
    object of each value.
    """
    array = np.asarray(values, dtype=object)
    size = len(array)
    if not size:
        return np.zeros(0, dtype="intp"), np.zeros(0, dtype=object)
    by_id, _ = pd.factorize(object_ids(array))
    first = np.empty(int(by_id.max()) + 1, dtype="intp")
    first[by_id[::-1]] = np.arange(size - 1, -1, -1)  # first row holding each object
    objects = array[first]
    keys = objects if key is None else _object_array([key(v) for v in objects])
    by_value, uniques = pd.factorize(keys)
    if key is not None:
        valid = np.flatnonzero(by_value >= 0)
        firsts = np.empty(len(uniques), dtype="intp")
        firsts[by_value[valid[::-1]]] = valid[::-1]
        uniques = objects[firsts]
    return by_value[by_id], np.asarray(uniques, dtype=object)


def object_ids(array: np.ndarray) -> np.ndarray:
    """``id()`` of every element of a 1-d object array, as unsigned integers."""
    return np.fromiter(map(id, array), dtype=np.uintp, count=len(array))


def _object_array(items: list[Any]) -> np.ndarray:
    """A 1-d object array of ``items`` (lists and tuples stay elements, never sub-arrays)."""
    return np.fromiter(items, dtype=object, count=len(items))


def first_units(units: pd.Series) -> np.ndarray:
    """The first unit of each row's list (None for an empty list), computed per distinct list."""
    array = units.to_numpy(dtype=object)
    if not len(array):
        return np.zeros(0, dtype=object)
    codes, _ = pd.factorize(object_ids(array))
    first = np.empty(int(codes.max()) + 1, dtype="intp")
    first[codes[::-1]] = np.arange(len(array) - 1, -1, -1)
    heads = _object_array([u[0] if len(u) else None for u in array[first]])
    return heads[codes]
