"""Sums over runs of rows of a gram matrix (the norm of several clauses read together)."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import sparse


def squared_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    """Every row's dot product with itself (0 for an empty row); ``matrix`` is CSR without
    repeated entries (as scipy's products and constructors leave it)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return np.bincount(rows, weights=matrix.data * matrix.data, minlength=matrix.shape[0])


def diagonal_prefixes(gram: np.ndarray, depth: int, length: int) -> np.ndarray:
    """``[d, a]``: sum of gram[b, b + d] over b < a, for the ``depth`` diagonals nearest the
    main one and a in 0..length-1 (constant past a diagonal's end)."""
    size = len(gram)
    start = np.arange(size)
    column = start + np.arange(depth)[:, np.newaxis]
    inside = column < size
    bands = np.where(inside, gram[start, np.minimum(column, size - 1)], 0.0)
    prefixes = np.empty((depth, length))
    prefixes[:, 0] = 0.0
    np.cumsum(bands, axis=1, out=prefixes[:, 1 : size + 1])
    prefixes[:, size + 1 :] = prefixes[:, size : size + 1]
    return prefixes


def run_block_sums_upto(gram: np.ndarray, widths: int) -> np.ndarray:
    """``[k - 1, j]`` = sum of gram[a, b] over a, b in [j, j + k) for every width k in
    1..widths and start j (NaN past the end). Only the k diagonals nearest the main one
    matter, each a difference of its prefix sums (off-diagonal ones twice, the matrix being
    symmetric), added nearest first, so this costs O(widths² x n)."""
    size = len(gram)
    depth = min(widths, size)
    prefixes = diagonal_prefixes(gram, depth, size + widths)
    window = sliding_window_view(prefixes, size, axis=1)  # [d, t, j] = prefixes[d, j + t]
    runs = window[:, 1:] - window[:, :1]  # [d, t - 1, j]: diagonal d over j..j+t-1
    runs[1:] *= 2.0
    total = np.zeros((widths, size))
    for d in range(depth):  # a run of width k holds diagonal d over its first k - d starts
        total[d:] += runs[d, : widths - d]
    valid = np.arange(size) + np.arange(1, widths + 1)[:, np.newaxis] <= size
    return np.where(valid, total, np.nan)
