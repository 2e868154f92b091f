"""Character n-gram TF-IDF similarity, vectorised.

Chinese is written without spaces, so words are not available without a segmenter; character
unigrams and bigrams are. A clause's vector is count x idf, left unnormalised so that the vector
of several clauses read together is the sum of their vectors: the cosine of a whole split or
merge group is then exact and costs no more than sums over the pairwise dot products.

Speed notes (``diff_plans`` runs this thousands of times in a batch): n-grams are counted once
per text (see ngrams.py), the matrices are built in canonical CSR form directly, and the split
and merge cosines of every width come from one pass. Every product is accumulated over a row's
columns in n-gram code order, so results do not depend on what the process diffed before, and
equal clauses score equally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import sparse

from plancheck.align.ngrams import count_matrix
from plancheck.align.products import (
    band_prefixes,
    row_sums,
    run_block_sums_upto,
    squared_norms,
)
from plancheck.align.text import score_keys

# Unigrams let 监督/监管 share something; bigrams carry most of the meaning, so they weigh more.
UNIGRAM_WEIGHT = 0.5
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


def char_vectors(texts: Sequence[str], rows: np.ndarray | None = None) -> CharVectors:
    """TF-IDF rows for ``texts`` on one shared vocabulary (fit on exactly these texts); with
    ``rows`` (ascending), only those texts' rows, the idf still fit on all of them."""
    keys = score_keys(texts)
    indptr, indices, counts, is_bigram = count_matrix(keys)
    df = np.bincount(indices, minlength=len(is_bigram))
    idf = np.log((1 + len(keys)) / (1 + df)) + 1.0  # smoothed, as in scikit-learn
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    data = counts * weights[indices]
    if rows is not None:
        indptr, take = _take_rows(indptr, rows)
        indices, data = indices[take], data[take]
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, len(is_bigram)))
    matrix.has_canonical_format = True
    return CharVectors(matrix, is_bigram, idf)


def _take_rows(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, entry positions) of the chosen rows of a CSR matrix, in the given order."""
    lengths = np.diff(indptr)[rows]
    new_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_indptr[1:])
    take = np.arange(new_indptr[-1]) + np.repeat(indptr[rows] - new_indptr[:-1], lengths)
    return new_indptr, take


def unit_norms(matrix: sparse.csr_matrix) -> np.ndarray:
    """Euclidean norm of every row."""
    return np.sqrt(squared_norms(matrix))


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


def _run_sums_upto(prefix: np.ndarray, widths: int) -> np.ndarray:
    """[r, j, k - 1] = sum of row r's entries j..j+k-1 (NaN past the end), from row-wise
    prefix sums, for every width k in 1..widths."""
    rows, size = prefix.shape[0], prefix.shape[1] - 1
    padded = np.concatenate([prefix, np.full((rows, widths), np.nan)], axis=1)
    windows = sliding_window_view(padded, widths + 1, axis=1)[:, :size]  # [r, j, 0..widths]
    return windows[:, :, 1:] - windows[:, :, :1]


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
        # (Keyed products of near neighbours only, see products.py, were no faster here.)
        gram = (matrix @ matrix.T).toarray()
        self.dot = gram[:n, n:]
        self.gram_ref = gram[:n, :n]
        self.gram_tgt = gram[n:, n:]
        self._norms = (_norms(self.gram_ref), _norms(self.gram_tgt))
        self.cos = self.dot / np.outer(*self._norms)
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
        return self.split_cos_upto(width)[width - 1]

    def merge_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of references i..i+width-1 read together with target j."""
        return self.merge_cos_upto(width)[width - 1]

    def split_cos_upto(self, widths: int) -> np.ndarray:
        """``[k - 1] = split_cos(k)`` for every k in 1..widths, in one pass."""
        return self.runs_cos(0, widths).transpose(2, 0, 1)

    def merge_cos_upto(self, widths: int) -> np.ndarray:
        """``[k - 1] = merge_cos(k)`` for every k in 1..widths, in one pass."""
        return self.runs_cos(1, widths).transpose(2, 1, 0)

    def runs_cos(self, side: int, widths: int) -> np.ndarray:
        """[r, j, k - 1]: cosine of clause r of one side (0: reference) with clauses
        j..j+k-1 of the other read together (NaN past the end)."""
        block = run_block_sums_upto(self._bands(1 - side, widths), widths)
        group = np.sqrt(np.clip(block, 1e-12, None))
        sums = _run_sums_upto(self._dot_prefix[side], widths)
        sums /= self._norms[side][:, np.newaxis, np.newaxis] * group.T[np.newaxis, :, :]
        return sums

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
