"""Character n-gram TF-IDF similarity, vectorised.

Chinese is written without spaces, so words are not available without a segmenter; character
unigrams and bigrams are. A clause's vector is count x idf, left unnormalised so that the vector
of several clauses read together is the sum of their vectors: the cosine of a whole split or
merge group is then exact and costs no more than sums over the pairwise dot products.

Speed notes (``diff_plans`` runs this thousands of times in a batch): n-grams are counted once
per text (see ngrams.py), the matrices are built in canonical CSR form directly, each block of
the gram matrix is multiplied once by scipy's kernel called directly, and a run's norm comes
from the diagonals next to the main one (products.py). Every product is accumulated over a
row's columns in n-gram code order, so results do not depend on what the process diffed
before, and equal clauses score equally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from plancheck.align.ngrams import count_matrix
from plancheck.align.products import (
    band_prefixes,
    canonical_csr,
    dense_product,
    row_block,
    row_sums,
    run_block_sums_upto,
    squared_norms,
    transpose,
)
from plancheck.align.text import score_keys

# Unigrams let 监督/监管 share something; bigrams carry most of the meaning, so they weigh more.
UNIGRAM_WEIGHT = 0.5


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
        return canonical_csr(self.idf[indices], indices, indptr, self.matrix.shape)


def char_vectors(texts: Sequence[str], rows: np.ndarray | None = None) -> CharVectors:
    """TF-IDF rows for ``texts`` on one shared vocabulary (fit on exactly these texts); with
    ``rows`` (ascending), only those texts' rows, the idf still fit on all of them."""
    return key_vectors(score_keys(texts), rows)


def key_vectors(keys: Sequence[str], rows: np.ndarray | None = None) -> CharVectors:
    """``char_vectors`` of texts given by their scoring keys (``text.score_key``)."""
    indptr, indices, counts, is_bigram = count_matrix(keys)
    df = np.bincount(indices, minlength=len(is_bigram))
    idf = np.log((1 + len(keys)) / (1 + df)) + 1.0  # smoothed, as in scikit-learn
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    data = counts * weights[indices]
    if rows is not None:
        indptr, take = _take_rows(indptr, rows)
        indices, data = indices[take], data[take]
    matrix = canonical_csr(data, indices, indptr, (len(indptr) - 1, len(is_bigram)))
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
    matrix = canonical_csr(
        matrix.data * np.repeat(scale, np.diff(matrix.indptr)),
        matrix.indices,
        matrix.indptr,
        matrix.shape,
    )
    right = row_block(matrix, len(left), matrix.shape[0])
    return dense_product(row_block(matrix, 0, len(left)), transpose(right))


def _norms(gram: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.clip(np.diag(gram), 0.0, None))
    return np.where(norms > 0, norms, 1.0)


def _row_prefix(matrix: np.ndarray) -> np.ndarray:
    prefix = np.zeros((matrix.shape[0], matrix.shape[1] + 1))
    prefix[:, 1:] = matrix.cumsum(axis=1)
    return prefix


class PairSpace:
    """Similarities between the clauses of a reference and a target plan.

    Three products, one per block: the full ``matrix @ matrix.T`` would compute the
    reference x target block twice. Each entry is accumulated over the left row's columns in
    order, exactly as in the full product."""

    def __init__(self, reference: Sequence[str], target: Sequence[str]) -> None:
        self._vectors = char_vectors(list(reference) + list(target))
        self._split = n = len(reference)
        matrix = self._vectors.matrix
        ref, tgt = row_block(matrix, 0, n), row_block(matrix, n, matrix.shape[0])
        ref_t, tgt_t = transpose(ref), transpose(tgt)
        self.dot = dense_product(ref, tgt_t)
        self.gram_ref = dense_product(ref, ref_t)
        self.gram_tgt = dense_product(tgt, tgt_t)
        self._norms = (_norms(self.gram_ref), _norms(self.gram_tgt))
        self.cos = self.dot / np.outer(*self._norms)
        self._dot_prefix = (_row_prefix(self.dot), _row_prefix(self.dot.T))
        self._band_cache: dict[int, list[np.ndarray]] = {}
        self._group_norm_cache: dict[int, np.ndarray] = {}

    def _bands(self, side: int, width: int) -> list[np.ndarray]:
        """Prefix sums of the first ``width`` diagonals of one side's gram matrix (lazily: the
        alignment only reads runs up to its split and merge limits)."""
        gram = (self.gram_ref, self.gram_tgt)[side]
        bands = self._band_cache.setdefault(side, [])
        while len(bands) < min(width, len(gram)):
            bands.append(band_prefixes([np.diagonal(gram, len(bands))])[0])
        return bands

    def split_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of reference i with targets j..j+width-1 read together."""
        return self.runs_cos(0, width)[width - 1]

    def merge_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of references i..i+width-1 read together with target j."""
        return self.runs_cos(1, width)[width - 1].T

    def split_cos_upto(self, widths: int) -> np.ndarray:
        """``[k - 1] = split_cos(k)`` for every k in 1..widths."""
        return self.runs_cos(0, widths)

    def merge_cos_upto(self, widths: int) -> np.ndarray:
        """``[k - 1] = merge_cos(k)`` for every k in 1..widths."""
        return self.runs_cos(1, widths).transpose(0, 2, 1)

    def runs_cos(self, side: int, widths: int) -> np.ndarray:
        """[k - 1, r, j]: cosine of clause r of one side (0: reference) with clauses
        j..j+k-1 of the other read together (NaN past the end), for k in 1..widths."""
        size = self._dot_prefix[side].shape[1] - 1
        out = np.full((widths, self._dot_prefix[side].shape[0], size), np.nan)
        for k in range(1, min(widths, size) + 1):
            out[k - 1, :, : size - k + 1] = self.run_cos(side, k, widths)
        return out

    def run_cos(self, side: int, width: int, widest: int | None = None) -> np.ndarray:
        """[r, j]: cosine of clause r of one side (0: reference) with clauses j..j+width-1 of
        the other read together, for every start j that leaves a whole run. ``widest``: the
        widest run the caller will ask for (the group norms of all widths are made at once)."""
        prefix = self._dot_prefix[side]
        group = self._group_norms(1 - side, max(width, widest or width))
        sums = prefix[:, width:] - prefix[:, :-width]  # runs starting at 0..size-width
        sums /= self._norms[side][:, np.newaxis] * group[width - 1, np.newaxis, : sums.shape[1]]
        return sums

    def _group_norms(self, side: int, widths: int) -> np.ndarray:
        """[k - 1, j]: norm of clauses j..j+k-1 of one side read together (cached)."""
        cached = self._group_norm_cache.get(side)
        if cached is None or len(cached) < widths:
            block = run_block_sums_upto(self._bands(side, widths), widths)
            cached = self._group_norm_cache[side] = np.sqrt(np.clip(block, 1e-12, None))
        return cached

    def groups_cos(self, groups: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[float]:
        """``group_cos`` of many (refs, targets) groups; the one-to-one ones in one pass (the
        same operations, elementwise, so the same floats)."""
        single = [k for k, (r, t) in enumerate(groups) if len(r) == 1 and len(t) == 1]
        out = [0.0 if len(r) == len(t) == 1 else self.group_cos(r, t) for r, t in groups]
        if single:
            i = np.array([groups[k][0][0] for k in single])
            j = np.array([groups[k][1][0] for k in single])
            den = np.sqrt(np.diagonal(self.gram_ref)[i] * np.diagonal(self.gram_tgt)[j])
            cos = self.dot[i, j] / np.where(den > 0, den, 1.0)
            for k, value, positive in zip(single, cos.tolist(), (den > 0).tolist(), strict=True):
                out[k] = value if positive else 0.0
        return out

    def group_cos(self, refs: Sequence[int], targets: Sequence[int]) -> float:
        """Cosine of the references read together with the targets read together."""
        if not refs or not targets:
            return 0.0
        if len(refs) == 1 and len(targets) == 1:  # the common case, without fancy indexing
            i, j = refs[0], targets[0]
            den = np.sqrt(self.gram_ref[i, i] * self.gram_tgt[j, j])
            return float(self.dot[i, j] / den) if den > 0 else 0.0
        r, t = np.asarray(refs), np.asarray(targets)
        rows, columns = r[:, np.newaxis], t[:, np.newaxis]  # np.ix_'s blocks, without its overhead
        num = self.dot[rows, t].sum()
        den = np.sqrt(self.gram_ref[rows, r].sum() * self.gram_tgt[columns, t].sum())
        return float(num / den) if den > 0 else 0.0

    def tgt_in_ref(self, refs: Sequence[int], targets: Sequence[int]) -> np.ndarray:
        """Per pair (refs[k], targets[k]): the share of the target clause's idf-weighted
        bigrams the reference clause also has. A fragment is contained in its whole."""
        n = self._split
        rows = n + np.asarray(targets, dtype=np.int64)
        return (
            self._shared(rows, np.asarray(refs, dtype=np.int64)) / self._vectors.bigram_mass[rows]
        )

    def ref_in_tgt(self, refs: Sequence[int], targets: Sequence[int]) -> np.ndarray:
        """Per pair (refs[k], targets[k]): the share of the reference clause's idf-weighted
        bigrams the target clause also has."""
        rows = np.asarray(refs, dtype=np.int64)
        others = self._split + np.asarray(targets, dtype=np.int64)
        return self._shared(rows, others) / self._vectors.bigram_mass[rows]

    def containment(self) -> tuple[np.ndarray, np.ndarray]:
        """(tgt_in_ref, ref_in_tgt), both [i, j] over every reference and target clause."""
        n, m = self._split, self._vectors.matrix.shape[0] - self._split
        refs, targets = (grid.ravel() for grid in np.indices((n, m)))
        return (
            self.tgt_in_ref(refs, targets).reshape(n, m),
            self.ref_in_tgt(refs, targets).reshape(n, m),
        )

    def _shared(self, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Per pair k: idf summed over the bigrams matrix row ``rows[k]`` shares with matrix
        row ``others[k]``, a sequential sum over the other row's columns in order, which adds
        the same terms in the same order as a sparse product of the two rows would."""
        matrix = self._vectors.matrix
        weight = self._vectors.idf * self._vectors.is_bigram
        held, row_of = np.unique(rows, return_inverse=True)
        # each distinct row's bigram weights, spread out over the vocabulary
        held_indptr, held_take = _take_rows(matrix.indptr, held)
        columns = matrix.indices[held_take]
        present = np.zeros((len(held), matrix.shape[1]))
        present[np.repeat(np.arange(len(held)), np.diff(held_indptr)), columns] = weight[columns]
        indptr, take = _take_rows(matrix.indptr, others)
        pair = np.repeat(np.arange(len(others)), np.diff(indptr))
        values = present[row_of[pair], matrix.indices[take]]
        return np.bincount(pair, weights=values, minlength=len(others))
