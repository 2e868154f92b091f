"""Character n-gram TF-IDF similarity, vectorised.

Chinese is written without spaces, so words are not available without a segmenter; character
unigrams and bigrams are. A clause's vector is count x idf, left unnormalised so that the vector
of several clauses read together is the sum of their vectors: the cosine of a whole split or
merge group is then exact and costs no more than sums over the pairwise dot products.

Speed notes (``diff_plans`` runs this thousands of times in a batch): the matrices are built
in canonical CSR form directly, and every similarity is computed with the same floating-point
operations in the same order as the straightforward scipy expressions they replace (noted where
it matters), so the results are bit-for-bit those of the slower code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse

from plancheck.align.text import score_keys

# Unigrams let 监督/监管 share something; bigrams carry most of the meaning, so they weigh more.
UNIGRAM_WEIGHT = 0.5
_BIGRAM_FLAG = np.int64(1) << 42
MAX_RUN = 32  # longest run of clauses read together that split_cos/merge_cos are exact for


@dataclass(frozen=True)
class CharVectors:
    """Rows = documents, columns = character unigrams and bigrams, values = count x idf."""

    matrix: sparse.csr_matrix  # canonical: columns ascending in each row, no duplicates
    is_bigram: np.ndarray  # per column
    idf: np.ndarray  # per column

    @cached_property
    def bigram_mass(self) -> np.ndarray:
        """Per row, the sum of idf over its distinct bigrams (1 where it has none).

        Summed like ``sum(axis=1)`` of a presence x (idf x is_bigram) matrix: one reduction
        over every stored entry of the row, unigrams contributing 0.0."""
        values = (self.idf * self.is_bigram)[self.matrix.indices]
        return row_sums(values, self.matrix.indptr, nonzero_default=1.0)

    @cached_property
    def bigram_presence(self) -> sparse.csr_matrix:
        """Binary presence x idf, bigram columns only: the basis of containment scores.

        Dropping the unigram columns (all 0.0 in a presence x (idf x is_bigram) matrix) changes
        no matrix product, which accumulates term by term in column order."""
        keep = self.is_bigram[self.matrix.indices]
        indptr = np.concatenate([[0], np.cumsum(keep)])[self.matrix.indptr]
        indices = self.matrix.indices[keep]
        return sparse.csr_matrix((self.idf[indices], indices, indptr), shape=self.matrix.shape)


def row_sums(values: np.ndarray, indptr: np.ndarray, nonzero_default: float) -> np.ndarray:
    """Per row, ``np.add.reduceat`` over its entries, as scipy's ``sum(axis=1)`` does (so the
    float result is identical); rows without entries get ``nonzero_default``, and so do rows
    whose sum is 0."""
    out = np.zeros(len(indptr) - 1)
    filled = np.flatnonzero(np.diff(indptr))
    if len(filled):
        out[filled] = np.add.reduceat(values, indptr[filled])
    return np.where(out > 0, out, nonzero_default)


def _ngram_ids(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram id) for every unigram and bigram of every key."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    docs = np.repeat(np.arange(len(keys)), lengths)
    same_doc = docs[:-1] == docs[1:]
    bigrams = ((codes[:-1][same_doc] << 21) | codes[1:][same_doc]) | _BIGRAM_FLAG
    return np.concatenate([docs, docs[:-1][same_doc]]), np.concatenate([codes, bigrams])


def _radix_order(values: np.ndarray, bound: int) -> np.ndarray:
    """Stable argsort; numpy radix-sorts 16-bit keys, far faster than a comparison sort."""
    return np.argsort(values.astype(np.uint16 if bound <= 1 << 16 else np.int64), kind="stable")


def _count_cells(
    docs: np.ndarray, columns: np.ndarray, n_docs: int, n_cols: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, indices, counts) of the document x column count matrix in canonical CSR form.

    Two stable passes (by column, then by document) sort the entries row-major."""
    by_column = _radix_order(columns, n_cols)
    order = by_column[_radix_order(docs[by_column], n_docs)]
    rows, cols = docs[order], columns[order]
    first = np.flatnonzero(
        np.concatenate([[True], (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])])
    )
    counts = np.diff(np.append(first, len(rows)))
    indptr = np.searchsorted(rows[first], np.arange(n_docs + 1))
    return indptr, cols[first], counts


def char_vectors(texts: Sequence[str]) -> CharVectors:
    """TF-IDF rows for ``texts`` on one shared vocabulary (fit on exactly these texts)."""
    keys = score_keys(texts)
    docs, ids = _ngram_ids(keys)
    columns, vocab = pd.factorize(ids)  # hashing, faster than sorting; order is deterministic
    is_bigram = (vocab & _BIGRAM_FLAG) != 0
    indptr, indices, counts = _count_cells(docs, columns, len(keys), len(vocab))
    df = np.bincount(indices, minlength=len(vocab))
    idf = np.log((1 + len(keys)) / (1 + df)) + 1.0  # smoothed, as in scikit-learn
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    matrix = sparse.csr_matrix(
        (counts * weights[indices], indices, indptr), shape=(len(keys), len(vocab))
    )
    matrix.has_canonical_format = True
    return CharVectors(matrix, is_bigram, idf)


def unit_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    """Euclidean norm of every row (summed like ``matrix.multiply(matrix).sum(axis=1)``)."""
    return np.sqrt(row_sums(matrix.data * matrix.data, matrix.indptr, nonzero_default=0.0))


def cosine_matrix(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Cosine of every text of ``left`` with every text of ``right`` (one shared vocabulary)."""
    matrix = char_vectors(list(left) + list(right)).matrix
    norms = unit_norms(matrix)
    scale = 1.0 / np.where(norms > 0, norms, 1.0)
    # the same products as matrix.multiply(scale[:, None]), without the COO round trip
    matrix = sparse.csr_matrix(
        (matrix.data * np.repeat(scale, np.diff(matrix.indptr)), matrix.indices, matrix.indptr),
        shape=matrix.shape,
    )
    return (matrix[: len(left)] @ matrix[len(left) :].T).toarray()


def _norms(gram: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.clip(np.diag(gram), 0.0, None))
    return np.where(norms > 0, norms, 1.0)


def band_prefixes(bands: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Prefix sums of gram-matrix diagonals: ``bands[d][a] = gram[a, a + d]``."""
    return [np.concatenate([[0.0], np.cumsum(band)]) for band in bands]


def run_block_sums(prefixes: Sequence[np.ndarray], width: int) -> np.ndarray:
    """Sum of gram[a, b] over a, b in [j, j + width) for every start j (NaN past the end).

    Only the ``width`` diagonals nearest the main one matter, so this costs O(width x n)."""
    size = len(prefixes[0]) - 1
    out = np.full(size, np.nan)
    starts = np.arange(max(size - width + 1, 0))
    total = np.zeros(len(starts))
    for d in range(min(width, len(prefixes))):
        total += (1.0 if d == 0 else 2.0) * (prefixes[d][starts + width - d] - prefixes[d][starts])
    out[: len(starts)] = total
    return out


def row_pair_dots(matrix: sparse.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``matrix[left[p]] . matrix[right[p]]`` for every p, in one batch.

    Each row of the elementwise product holds one pair's products in column order, and its
    row sum is reduced on its own, so a pair's value does not depend on the rest of the batch
    (batching saves the per-call overhead of many small sparse operations)."""
    if not len(left):
        return np.zeros(0)
    return np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1)).ravel()


def _run_sums(prefix: np.ndarray, width: int) -> np.ndarray:
    """Sum of row[j:j + width] for every row and start j, from row-wise prefix sums."""
    out = np.full((prefix.shape[0], prefix.shape[1] - 1), np.nan)
    starts = np.arange(max(prefix.shape[1] - width, 0))
    out[:, starts] = prefix[:, starts + width] - prefix[:, starts]
    return out


def _row_prefix(matrix: np.ndarray) -> np.ndarray:
    prefix = np.zeros((matrix.shape[0], matrix.shape[1] + 1))
    prefix[:, 1:] = matrix.cumsum(axis=1)
    return prefix


class PairSpace:
    """Similarities between the clauses of a reference and a target plan."""

    def __init__(self, reference: Sequence[str], target: Sequence[str]) -> None:
        self._vectors = char_vectors(list(reference) + list(target))
        self._split = n = len(reference)
        matrix = self._vectors.matrix
        # One product for all three blocks: each entry is accumulated over the left row's
        # columns in order, exactly as in the separate ref @ tgt.T, ref @ ref.T, tgt @ tgt.T.
        gram = (matrix @ matrix.T).toarray()
        self.dot = gram[:n, n:]
        self.gram_ref = gram[:n, :n]
        self.gram_tgt = gram[n:, n:]
        self.cos = self.dot / np.outer(_norms(self.gram_ref), _norms(self.gram_tgt))
        self._dot_prefix = (_row_prefix(self.dot), _row_prefix(self.dot.T))
        self._band_cache: dict[int, list[np.ndarray]] = {}

    def _bands(self, side: int, width: int) -> list[np.ndarray]:
        """Prefix sums of the first ``width`` diagonals of one side's gram matrix (lazily: the
        alignment only reads runs up to its split and merge limits)."""
        gram = (self.gram_ref, self.gram_tgt)[side]
        bands = self._band_cache.setdefault(side, [])
        while len(bands) < min(width, len(gram), MAX_RUN):
            bands.append(band_prefixes([np.diagonal(gram, len(bands))])[0])
        return bands

    def split_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of reference i with targets j..j+width-1 read together."""
        group = np.sqrt(np.clip(run_block_sums(self._bands(1, width), width), 1e-12, None))
        return _run_sums(self._dot_prefix[0], width) / np.outer(_norms(self.gram_ref), group)

    def merge_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of references i..i+width-1 read together with target j."""
        group = np.sqrt(np.clip(run_block_sums(self._bands(0, width), width), 1e-12, None))
        return (_run_sums(self._dot_prefix[1], width) / np.outer(_norms(self.gram_tgt), group)).T

    def group_cos(self, refs: Sequence[int], targets: Sequence[int]) -> float:
        """Cosine of the references read together with the targets read together."""
        if not refs or not targets:
            return 0.0
        if len(refs) == 1 and len(targets) == 1:  # the common case, without fancy indexing
            i, j = refs[0], targets[0]
            den = np.sqrt(self.gram_ref[i, i] * self.gram_tgt[j, j])
            return float(self.dot[i, j] / den) if den > 0 else 0.0
        r, t = np.asarray(refs), np.asarray(targets)
        num = self.dot[np.ix_(r, t)].sum()
        den = np.sqrt(self.gram_ref[np.ix_(r, r)].sum() * self.gram_tgt[np.ix_(t, t)].sum())
        return float(num / den) if den > 0 else 0.0

    @cached_property
    def _containment(self) -> tuple[np.ndarray, np.ndarray]:
        n = self._split
        present = self._vectors.bigram_presence
        ref, tgt = present[:n], present[n:]
        ref_bin = sparse.csr_matrix((np.ones(ref.nnz), ref.indices, ref.indptr), shape=ref.shape)
        # idf summed over the bigrams both clauses have, in column order: the numerator of
        # both directions (bin @ present.T and present @ bin.T accumulate the same terms)
        shared = (ref_bin @ tgt.T).toarray()
        mass = self._vectors.bigram_mass
        return shared / mass[n:][np.newaxis, :], shared / mass[:n][:, np.newaxis]

    def containment(self) -> tuple[np.ndarray, np.ndarray]:
        """(tgt_in_ref, ref_in_tgt), both [i, j]: the share of one clause's idf-weighted
        bigrams that the other clause also has. A fragment is contained in its whole."""
        return self._containment
