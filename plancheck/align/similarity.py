"""Character n-gram TF-IDF similarity, vectorised with public numpy/scipy operations.

Chinese is written without spaces, so words are not available without a segmenter; character
unigrams and bigrams are. A clause's vector is count x idf, left unnormalised so that the vector
of several clauses read together is the sum of their vectors: the cosine of a whole split or
merge group is then exact and costs no more than sums over the pairwise dot products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from plancheck.align.ngrams import NgramCounts, ngram_counts
from plancheck.align.products import run_block_sums_upto, squared_norms
from plancheck.align.text import score_keys

# Unigrams let 监督/监管 share something; bigrams carry most of the meaning, so they weigh more.
UNIGRAM_WEIGHT = 0.5


@dataclass(frozen=True)
class CharVectors:
    """Rows = documents, columns = character unigrams and bigrams, values = count x idf."""

    matrix: sparse.csr_matrix
    is_bigram: np.ndarray  # per column
    idf: np.ndarray  # per column

    def bigram_presence(self, rows: slice | np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray]:
        """For the given rows: idf on each bigram a row has (unigram columns 0), the basis of
        containment; and per row, that idf summed over its distinct bigrams (1 where none)."""
        presence = self.matrix[rows]
        presence.data = (self.idf * self.is_bigram)[presence.indices]
        presence.eliminate_zeros()
        mass = np.asarray(presence.sum(axis=1)).ravel()
        return presence, np.where(mass > 0, mass, 1.0)

    def shared_mass(self, rows: sparse.csr_matrix, others: sparse.csr_matrix) -> np.ndarray:
        """[a, b]: idf summed over the bigrams of ``rows[a]`` (a presence block) that
        ``others[b]`` also has, as a dense array."""
        has = others.copy()
        has.data = np.ones_like(has.data)
        return (rows @ has.T).toarray()


def char_vectors(texts: Sequence[str]) -> CharVectors:
    """TF-IDF rows for ``texts`` on one shared vocabulary (fit on exactly these texts)."""
    return key_vectors(score_keys(texts))


def key_vectors(keys: Sequence[str]) -> CharVectors:
    """``char_vectors`` of texts given by their scoring keys (``text.score_key``)."""
    return counted_vectors(ngram_counts(keys))


def counted_vectors(counted: NgramCounts) -> CharVectors:
    """TF-IDF rows of counted texts (``ngrams.ngram_counts``, or counts stacked together)."""
    columns, is_bigram = counted.columns, counted.is_bigram()
    df = np.bincount(columns, minlength=len(is_bigram))
    idf = np.log((1 + counted.size) / (1 + df)) + 1.0  # smoothed, as in scikit-learn
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    matrix = sparse.csr_matrix(
        (counted.counts * weights[columns], (counted.docs, columns)),
        shape=(counted.size, len(is_bigram)),
    )
    matrix.sort_indices()
    return CharVectors(matrix, is_bigram, idf)


def cosine_matrix(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Cosine of every text of ``left`` with every text of ``right`` (one shared vocabulary)."""
    return split_cosines(char_vectors(list(left) + list(right)).matrix, len(left))


def split_cosines(matrix: sparse.csr_matrix, n: int) -> np.ndarray:
    """Cosine of each of the first ``n`` rows with each of the other rows."""
    norms = np.sqrt(squared_norms(matrix))
    scale = 1.0 / np.where(norms > 0, norms, 1.0)
    unit = matrix.copy()
    unit.data *= np.repeat(scale, np.diff(unit.indptr))  # each row to unit length
    return (unit[:n] @ unit[n:].T).toarray()


def _norms(gram: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.maximum(np.diag(gram), 0.0))
    return np.where(norms > 0, norms, 1.0)


def _row_prefix(matrix: np.ndarray) -> np.ndarray:
    prefix = np.zeros((matrix.shape[0], matrix.shape[1] + 1))
    np.cumsum(matrix, axis=1, out=prefix[:, 1:])
    return prefix


class PairSpace:
    """Similarities between the clauses of a reference and a target plan (one object per
    diff: it owns its lazily built diagonals and run norms)."""

    def __init__(
        self,
        reference: Sequence[str],
        target: Sequence[str],
        reference_counts: NgramCounts | None = None,
        target_counts: NgramCounts | None = None,
    ) -> None:
        """``reference_counts`` / ``target_counts``: ``ngram_counts(score_keys(...))`` of a
        side, when the caller has them already (a parent diffed against many local plans is
        counted once)."""
        if reference_counts is None:
            reference_counts = ngram_counts(score_keys(reference))
        if target_counts is None:
            target_counts = ngram_counts(score_keys(target))
        counted = reference_counts.stacked(target_counts)
        self._vectors = vectors = counted_vectors(counted)
        n = len(reference)
        ref, tgt = vectors.matrix[:n], vectors.matrix[n:]
        self.dot = (ref @ tgt.T).toarray()
        self.gram_ref = (ref @ ref.T).toarray()
        self.gram_tgt = (tgt @ tgt.T).toarray()
        self._norms = (_norms(self.gram_ref), _norms(self.gram_tgt))
        self.cos = self.dot / np.outer(*self._norms)
        self._dot_prefix = (_row_prefix(self.dot), _row_prefix(self.dot.T))
        self._split = n
        self._group_norm_cache: dict[int, np.ndarray] = {}

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
        """[k - 1, j]: norm of clauses j..j+k-1 of one side read together."""
        cached = self._group_norm_cache.get(side)
        if cached is None or len(cached) < widths:
            block = run_block_sums_upto((self.gram_ref, self.gram_tgt)[side], widths)
            cached = self._group_norm_cache[side] = np.sqrt(np.maximum(block, 1e-12))
        return cached

    def groups_cos(self, groups: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[float]:
        """``group_cos`` of many (refs, targets) groups; the one-to-one groups (most of them)
        in one vectorised step, with the same arithmetic as ``group_cos``."""
        result = [0.0] * len(groups)
        single = [k for k, (refs, targets) in enumerate(groups) if len(refs) == len(targets) == 1]
        i = np.array([groups[k][0][0] for k in single], dtype=np.int64)
        j = np.array([groups[k][1][0] for k in single], dtype=np.int64)
        den = np.sqrt(self.gram_ref[i, i] * self.gram_tgt[j, j])
        cos = np.divide(self.dot[i, j], den, out=np.zeros(len(single)), where=den > 0)
        for k, value in zip(single, cos.tolist(), strict=True):
            result[k] = value
        for k, (refs, targets) in enumerate(groups):
            if len(refs) > 1 or len(targets) > 1:
                result[k] = self.group_cos(refs, targets)
        return result

    def group_cos(self, refs: Sequence[int], targets: Sequence[int]) -> float:
        """Cosine of the references read together with the targets read together."""
        if not refs or not targets:
            return 0.0
        if len(refs) == 1 and len(targets) == 1:  # most groups
            i, j = refs[0], targets[0]
            den = float(np.sqrt(self.gram_ref[i, i] * self.gram_tgt[j, j]))
            return float(self.dot[i, j]) / den if den > 0 else 0.0
        r, t = np.asarray(refs), np.asarray(targets)
        rows, cols = r[:, np.newaxis], t[:, np.newaxis]  # each with the other as np.ix_ would
        num = self.dot[rows, t].sum()
        den = np.sqrt(self.gram_ref[rows, r].sum() * self.gram_tgt[cols, t].sum())
        return float(num / den) if den > 0 else 0.0

    def held(self, refs: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(targets x reference clauses, refs x target clauses): the share of a clause's
        idf-weighted bigrams that a clause of the other plan also has (a fragment is contained
        in its whole). Only the rows asked for are multiplied, in one product: the clauses left
        over after the ordered path are few."""
        n, vectors = self._split, self._vectors
        presence, mass = vectors.bigram_presence(np.concatenate([n + targets, refs]))
        shared = vectors.shared_mass(presence, vectors.matrix) / mass[:, np.newaxis]
        return shared[: len(targets), :n], shared[len(targets) :, n:]
