"""Character unigrams and bigrams of scoring keys, counted with one sort per set of keys.

A text's characters are read as UTF-32 code points; a bigram is coded as its two code points
side by side with a flag bit, so unigrams and bigrams share one integer code space. Columns are
numbered in code order over the texts vectorised together (the idf's corpus), so a text's vector
depends only on those texts, never on what was diffed before.

Counting is split from numbering so that the counts of a plan diffed many times (a parent
against each of its local plans) are made once and stacked with each partner's counts: the
stacked counts number their columns exactly as one count over both sets of keys would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BIGRAM_FLAG = np.int64(1) << 42
# A sort key packs an n-gram code (< 2 ** 43) above a document number (< 2 ** 20 per call).


def ngram_codes(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram code) for every unigram and bigram of every key."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    docs = np.repeat(np.arange(len(keys)), lengths)
    same_doc = docs[:-1] == docs[1:]
    bigrams = ((codes[:-1][same_doc] << 21) | codes[1:][same_doc]) | BIGRAM_FLAG
    return np.concatenate([docs, docs[:-1][same_doc]]), np.concatenate([codes, bigrams])


@dataclass(frozen=True)
class NgramCounts:
    """How often each n-gram occurs in each document of a set of keys: one entry per
    (document, code) present, the distinct codes in ascending order (the columns), and each
    entry's column."""

    size: int  # documents
    docs: np.ndarray  # per entry
    codes: np.ndarray  # per entry
    counts: np.ndarray  # per entry
    vocabulary: np.ndarray  # distinct codes, ascending
    columns: np.ndarray  # per entry: its code's rank in the vocabulary

    def stacked(self, other: NgramCounts) -> NgramCounts:
        """Both sets' entries, ``other``'s documents numbered after this set's."""
        vocabulary = np.union1d(self.vocabulary, other.vocabulary)
        columns = [
            np.searchsorted(vocabulary, part.vocabulary)[part.columns] for part in (self, other)
        ]
        return NgramCounts(
            self.size + other.size,
            np.concatenate([self.docs, other.docs + self.size]),
            np.concatenate([self.codes, other.codes]),
            np.concatenate([self.counts, other.counts]),
            vocabulary,
            np.concatenate(columns),
        )

    def subset(self, docs: np.ndarray) -> NgramCounts:
        """The entries of documents ``docs`` only, numbered 0, 1, ... in the order given."""
        number = np.full(self.size, -1, dtype=np.int64)
        number[docs] = np.arange(len(docs))
        renumbered = number[self.docs]
        keep = renumbered >= 0
        present = np.zeros(len(self.vocabulary), dtype=bool)
        present[self.columns[keep]] = True
        return NgramCounts(
            len(docs),
            renumbered[keep],
            self.codes[keep],
            self.counts[keep],
            self.vocabulary[present],
            (np.cumsum(present) - 1)[self.columns[keep]],
        )

    def is_bigram(self) -> np.ndarray:
        """Per column, whether its code is a bigram."""
        return (self.vocabulary & BIGRAM_FLAG) != 0


def ngram_counts(keys: Sequence[str]) -> NgramCounts:
    """The keys' n-gram counts. One sort of (code, document) cells gives the counts and the
    vocabulary at once."""
    docs, codes = ngram_codes(keys)
    doc_bits = max(int(len(keys)).bit_length(), 1)
    cells, counts = np.unique((codes << doc_bits) | docs, return_counts=True)
    cell_codes = cells >> doc_bits
    new_code = np.ones(len(cells), dtype=bool)
    new_code[1:] = cell_codes[1:] != cell_codes[:-1]
    return NgramCounts(
        len(keys),
        cells & ((1 << doc_bits) - 1),
        cell_codes,
        counts.astype(np.float64),
        cell_codes[new_code],
        np.cumsum(new_code) - 1,
    )
