"""Sparse dot products between chosen rows of a TF-IDF matrix, and sums over runs of rows.

The requirement comparison needs few of all the row x row products: a sentence with the comma
fragments of its own clause group, and a fragment with its neighbours in that group. The rows
are keyed instead of multiplied out in full: every row's columns are moved into its key's own
copy of the vocabulary, rows with different keys then share no column, and one sparse product
yields exactly the same-key pairs. Each product is accumulated over the left row's columns in
order, so equal rows give equal results (ties stay ties).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


def row_sums(values: np.ndarray, indptr: np.ndarray, nonzero_default: float) -> np.ndarray:
    """Per row, ``np.add.reduceat`` over its entries (``values[indptr[0]:indptr[-1]]``), as
    scipy's ``sum(axis=1)`` does; rows without entries get ``nonzero_default``, and so do
    rows whose sum is 0."""
    out = np.zeros(len(indptr) - 1)
    filled = np.flatnonzero(np.diff(indptr))
    if len(filled):
        out[filled] = np.add.reduceat(values[: indptr[-1]], indptr[filled])
    return np.where(out > 0, out, nonzero_default)


def squared_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    """Every row's dot product with itself (0 for an empty row)."""
    return row_sums(matrix.data * matrix.data, matrix.indptr, nonzero_default=0.0)


def keyed_dots(
    matrix: sparse.csr_matrix, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dot products of every two rows p, q of ``matrix`` (p == q included) with equal
    ``keys``, as (p, q, value) arrays; pairs that share no column are left out (their product
    is 0). Each row's columns are moved into its key's own copy of the vocabulary."""
    if not matrix.shape[0]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    keys = np.asarray(keys, dtype=np.int64)
    shift = np.repeat(keys * matrix.shape[1], np.diff(matrix.indptr))
    keyed = sparse.csr_matrix(
        (matrix.data, matrix.indices + shift, matrix.indptr),
        shape=(matrix.shape[0], (int(keys.max()) + 1) * matrix.shape[1]),
    )
    keyed.has_canonical_format = True  # one key per row, so columns still ascend
    product = (keyed @ keyed.T).tocoo()
    return product.row, product.col, product.data


def band_prefixes(bands: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Prefix sums of gram-matrix diagonals: ``bands[d][a] = gram[a, a + d]``."""
    return [np.concatenate([[0.0], np.cumsum(band)]) for band in bands]


def run_block_sums_upto(prefixes: Sequence[np.ndarray], widths: int) -> np.ndarray:
    """``[k - 1, j]`` = sum of gram[a, b] over a, b in [j, j + k) for every width k in
    1..widths and start j (NaN past the end), one pass per diagonal: only the k diagonals
    nearest the main one matter, so this costs O(widths x n)."""
    size = len(prefixes[0]) - 1
    width = np.arange(1, widths + 1)[:, np.newaxis]
    start = np.arange(size)[np.newaxis, :]
    valid = start + width <= size
    total = np.zeros((widths, size))
    for d in range(min(widths, len(prefixes))):
        end = np.where(valid[d:], start + width[d:] - d, 0)
        begin = np.where(valid[d:], start, 0)
        total[d:] += (1.0 if d == 0 else 2.0) * (prefixes[d][end] - prefixes[d][begin])
    return np.where(valid, total, np.nan)
