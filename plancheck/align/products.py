"""Sums over runs of rows of a gram matrix (the norm of several clauses read together)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


def squared_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    """Every row's dot product with itself (0 for an empty row); ``matrix`` is CSR without
    repeated entries (as scipy's products and constructors leave it)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return np.bincount(rows, weights=matrix.data * matrix.data, minlength=matrix.shape[0])


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
