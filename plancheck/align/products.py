"""Sparse dot products between chosen rows of a TF-IDF matrix, and sums over runs of rows.

The requirement comparison needs few of all the row x row products: a sentence with the comma
fragments of its own clause group, and a fragment with its neighbours in that group. The rows
are keyed instead of multiplied out in full: every row's columns are moved into its key's own
copy of the vocabulary, rows with different keys then share no column, and one sparse product
yields exactly the same-key pairs. Each product is accumulated over the left row's columns in
order, so equal rows give equal results (ties stay ties).

Speed: scipy's own kernels are called directly (``csr_matmat`` without its symbolic sizing
pass, whose result size the callers can bound; ``csr_tocsc`` for transposes), and matrices are
built with int32 indices (``canonical_csr``), which scipy would otherwise check and convert.
Same kernels, same order of additions: the same floats as the public expressions, which are
used instead should a scipy release move the private module.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

try:  # scipy's own kernels behind ``a @ b`` and ``a.T.tocsr()`` (see ``product_entries``)
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
    from scipy.sparse._sparsetools import csr_tocsc as _csr_tocsc
except ImportError:  # pragma: no cover - a scipy that moved them: the public API is used
    _csr_matmat = _csr_tocsc = None

_INT32_MAX = np.iinfo(np.int32).max


def canonical_csr(
    data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """A CSR matrix from parts already in canonical form (columns ascending within each row,
    none repeated). Its index arrays are made int32 where that fits, as scipy would make
    them: handed int64, scipy checks and converts them itself, at several times the cost."""
    if max(shape[1], len(indices)) < _INT32_MAX:
        indices, indptr = indices.astype(np.int32, copy=False), indptr.astype(np.int32, copy=False)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=shape)
    matrix.has_canonical_format = True
    return matrix


def transpose(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """``matrix.T.tocsr()``, by scipy's own kernel called directly (the same arrays)."""
    if _csr_tocsc is None:
        return matrix.T.tocsr()
    n_row, n_col = matrix.shape
    indptr = np.empty(n_col + 1, dtype=matrix.indptr.dtype)
    indices = np.empty(len(matrix.indices), dtype=matrix.indices.dtype)
    data = np.empty(len(matrix.data), dtype=matrix.data.dtype)
    _csr_tocsc(n_row, n_col, matrix.indptr, matrix.indices, matrix.data, indptr, indices, data)
    return canonical_csr(data, indices, indptr, (n_col, n_row))


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


def row_block(matrix: sparse.csr_matrix, start: int, stop: int) -> sparse.csr_matrix:
    """Rows start..stop-1 of a canonical CSR matrix, sharing its arrays (no scipy slicing)."""
    lo, hi = matrix.indptr[start], matrix.indptr[stop]
    return canonical_csr(
        matrix.data[lo:hi],
        matrix.indices[lo:hi],
        matrix.indptr[start : stop + 1] - lo,
        (stop - start, matrix.shape[1]),
    )


def product_entries(
    left: sparse.csr_matrix, right_t: sparse.csr_matrix, most: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The nonzero entries of ``left @ right_t`` as (row, column, value), rows ascending,
    where ``right_t`` is the transpose (in CSR) of the right-hand rows and ``most`` bounds the
    number of nonzero entries.

    scipy's ``@`` first makes a symbolic pass only to size its result; the callers here know a
    bound, so scipy's numeric kernel is called directly with that much room. Same kernel, same
    order of additions: the same floats as ``left @ right_t``."""
    n, m = left.shape[0], right_t.shape[1]
    if _csr_matmat is None:
        found = (left @ right_t).tocoo()
        return found.row, found.col, found.data
    wide = max(left.indptr[-1], right_t.indptr[-1], most) >= np.iinfo(np.int32).max
    index = np.int64 if wide else np.int32
    indptr, columns = np.empty(n + 1, dtype=index), np.empty(most, dtype=index)
    values = np.empty(most, dtype=np.result_type(left.data, right_t.data))
    _csr_matmat(
        n,
        m,
        *(np.asarray(a, dtype=index) for a in (left.indptr, left.indices)),
        left.data,
        *(np.asarray(a, dtype=index) for a in (right_t.indptr, right_t.indices)),
        right_t.data,
        indptr,
        columns,
        values,
    )
    filled = indptr[-1]
    return np.repeat(np.arange(n), np.diff(indptr)), columns[:filled], values[:filled]


def dense_product(left: sparse.csr_matrix, right_t: sparse.csr_matrix) -> np.ndarray:
    """``left @ right_t`` as a dense array (see ``product_entries``): clause products are
    dense, as most clause pairs share a character."""
    out = np.zeros((left.shape[0], right_t.shape[1]))
    rows, columns, values = product_entries(left, right_t, out.size)
    out[rows, columns] = values
    return out


def keyed_dots(
    matrix: sparse.csr_matrix, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dot products of every two rows p, q of ``matrix`` (p == q included) with equal
    ``keys``, as (p, q, value) arrays; pairs that share no column are left out (their product
    is 0). Each row's columns are moved into its key's own copy of the vocabulary."""
    if not matrix.shape[0]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    # keys numbered densely, so the keyed vocabulary (and its transpose) stays small
    distinct, keys = np.unique(np.asarray(keys, dtype=np.int64), return_inverse=True)
    shift = np.repeat(keys * matrix.shape[1], np.diff(matrix.indptr))
    width = len(distinct) * matrix.shape[1]
    # one key per row, so columns still ascend
    keyed = canonical_csr(matrix.data, matrix.indices + shift, matrix.indptr, (len(keys), width))
    same_key = int((np.bincount(keys).astype(np.int64) ** 2).sum())  # bounds the entries
    return product_entries(keyed, transpose(keyed), same_key)


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
