"""Character n-gram TF-IDF similarity, vectorised.

Chinese is written without spaces, so words are not available without a segmenter; character
unigrams and bigrams are. A clause's vector is count x idf, left unnormalised so that the vector
of several clauses read together is the sum of their vectors: the cosine of a whole split or
merge group is then exact and costs no more than sums over the pairwise dot products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

    matrix: sparse.csr_matrix
    is_bigram: np.ndarray  # per column
    idf: np.ndarray  # per column

    def bigrams_present(self) -> sparse.csr_matrix:
        """Binary presence x idf, bigram columns only: the basis of containment scores."""
        present = self.matrix.copy()
        present.data = np.ones_like(present.data)
        return sparse.csr_matrix(present.multiply((self.idf * self.is_bigram)[np.newaxis, :]))


def _ngram_ids(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram id) for every unigram and bigram of every key."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    docs = np.repeat(np.arange(len(keys)), lengths)
    same_doc = docs[:-1] == docs[1:]
    bigrams = ((codes[:-1][same_doc] << 21) | codes[1:][same_doc]) | _BIGRAM_FLAG
    return np.concatenate([docs, docs[:-1][same_doc]]), np.concatenate([codes, bigrams])


def char_vectors(texts: Sequence[str]) -> CharVectors:
    """TF-IDF rows for ``texts`` on one shared vocabulary (fit on exactly these texts)."""
    keys = score_keys(texts)
    docs, ids = _ngram_ids(keys)
    columns, vocab = pd.factorize(ids)  # hashing, faster than sorting; order is deterministic
    is_bigram = (vocab & _BIGRAM_FLAG) != 0
    counts = sparse.csr_matrix(
        (np.ones(len(ids)), (docs, columns)), shape=(len(keys), len(vocab)), dtype=np.float64
    )
    counts.sum_duplicates()
    df = np.diff(counts.tocsc().indptr)
    idf = np.log((1 + len(keys)) / (1 + df)) + 1.0  # smoothed, as in scikit-learn
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    matrix = sparse.csr_matrix(counts.multiply(weights[np.newaxis, :]))
    return CharVectors(matrix, is_bigram, idf)


def cosine_matrix(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Cosine of every text of ``left`` with every text of ``right`` (one shared vocabulary)."""
    matrix = char_vectors(list(left) + list(right)).matrix
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.csr_matrix(matrix.multiply(1.0 / np.where(norms > 0, norms, 1.0)[:, None]))
    return np.asarray((matrix[: len(left)] @ matrix[len(left) :].T).todense())


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


def sparse_bands(matrix: sparse.csr_matrix, count: int) -> list[np.ndarray]:
    """Diagonals 0..count-1 of ``matrix @ matrix.T`` without forming it (consecutive rows)."""
    bands = [np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()]
    for d in range(1, min(count, matrix.shape[0])):
        bands.append(np.asarray(matrix[:-d].multiply(matrix[d:]).sum(axis=1)).ravel())
    return bands


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
        vectors = char_vectors(list(reference) + list(target))
        self._present = vectors.bigrams_present()
        self._split = len(reference)
        ref, tgt = vectors.matrix[: self._split], vectors.matrix[self._split :]
        self.dot = np.asarray((ref @ tgt.T).todense())
        self.gram_ref = np.asarray((ref @ ref.T).todense())
        self.gram_tgt = np.asarray((tgt @ tgt.T).todense())
        self.cos = self.dot / np.outer(_norms(self.gram_ref), _norms(self.gram_tgt))
        self._dot_prefix = (_row_prefix(self.dot), _row_prefix(self.dot.T))
        self._bands = tuple(
            band_prefixes([np.diagonal(g, d) for d in range(min(len(g), MAX_RUN))])
            for g in (self.gram_ref, self.gram_tgt)
        )

    def split_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of reference i with targets j..j+width-1 read together."""
        group = np.sqrt(np.clip(run_block_sums(self._bands[1], width), 1e-12, None))
        return _run_sums(self._dot_prefix[0], width) / np.outer(_norms(self.gram_ref), group)

    def merge_cos(self, width: int) -> np.ndarray:
        """[i, j] = cosine of references i..i+width-1 read together with target j."""
        group = np.sqrt(np.clip(run_block_sums(self._bands[0], width), 1e-12, None))
        return (_run_sums(self._dot_prefix[1], width) / np.outer(_norms(self.gram_tgt), group)).T

    def group_cos(self, refs: Sequence[int], targets: Sequence[int]) -> float:
        """Cosine of the references read together with the targets read together."""
        if not refs or not targets:
            return 0.0
        r, t = np.asarray(refs), np.asarray(targets)
        num = self.dot[np.ix_(r, t)].sum()
        den = np.sqrt(self.gram_ref[np.ix_(r, r)].sum() * self.gram_tgt[np.ix_(t, t)].sum())
        return float(num / den) if den > 0 else 0.0

    def containment(self) -> tuple[np.ndarray, np.ndarray]:
        """(tgt_in_ref, ref_in_tgt), both [i, j]: the share of one clause's idf-weighted
        bigrams that the other clause also has. A fragment is contained in its whole."""
        ref, tgt = self._present[: self._split], self._present[self._split :]
        ref_bin, tgt_bin = (ref > 0).astype(np.float64), (tgt > 0).astype(np.float64)
        tgt_in_ref = np.asarray((ref_bin @ tgt.T).todense()) / _mass(tgt)[np.newaxis, :]
        ref_in_tgt = np.asarray((ref @ tgt_bin.T).todense()) / _mass(ref)[:, np.newaxis]
        return tgt_in_ref, ref_in_tgt


def _mass(present: sparse.csr_matrix) -> np.ndarray:
    mass = np.asarray(present.sum(axis=1)).ravel()
    return np.where(mass > 0, mass, 1.0)
