"""Character unigrams and bigrams of scoring keys, counted once per text.

A batch diffs many local plans against the same parent, and a local plan repeats most of its
parent's wording, so the same clauses, sentences and fragments are vectorised again and again.
Each text's n-grams are therefore counted once and kept as (n-gram id, count) rows, the ids
interned in one process-wide table; a pair's vocabulary is then assembled from those rows with
no hashing or sorting of its own.

Columns are always put in n-gram code order (the code of a character, or of two characters),
never in the order n-grams were first met, so a pair's floats do not depend on which texts the
process saw before it: a diff run alone and the same diff run in a batch agree to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BIGRAM_FLAG = np.int64(1) << 42
# Bounds that keep memory flat over a long batch: past them the tables are simply rebuilt
# (results do not depend on them; see the module note).
_MAX_TEXTS = 1 << 15
_MAX_NGRAMS = 1 << 21
# A cell packs a document number above an n-gram code (codes < 2 ** 43, see ngram_codes).
_CODE_BITS = 43
_CODE_MASK = (np.int64(1) << _CODE_BITS) - 1
_MAX_COUNTED = 1 << 19  # documents per packing pass: 2 ** (19 + 43) still fits an int64


def ngram_codes(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram code) for every unigram and bigram of every key."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    docs = np.repeat(np.arange(len(keys)), lengths)
    same_doc = docs[:-1] == docs[1:]
    bigrams = ((codes[:-1][same_doc] << 21) | codes[1:][same_doc]) | BIGRAM_FLAG
    return np.concatenate([docs, docs[:-1][same_doc]]), np.concatenate([codes, bigrams])


class _Table:
    """Interned n-gram codes, and each text's (ids, counts) row, ids in code order.

    The rows of all texts seen live end to end in two flat arrays, a text's row found by its
    number, so a pair's rows are gathered in one vectorised step whatever their count."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}  # text -> its number
        self.starts = np.zeros(0, dtype=np.int64)  # per text number: where its row starts
        self.lengths = np.zeros(0, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int32)  # rows end to end (int32 halves the memory;
        self.counts = np.zeros(0, dtype=np.int32)  # ids < _MAX_NGRAMS, counts < a text's length)
        self.sorted_codes = np.zeros(0, dtype=np.int64)  # every code met, ascending
        self.sorted_ids = np.zeros(0, dtype=np.int64)  # their ids
        self.rank = np.zeros(0, dtype=np.int64)  # per id: its position in code order

    def rows(self, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, ids, counts) of the keys' rows, end to end."""
        if len(self.number) > _MAX_TEXTS or len(self.rank) > _MAX_NGRAMS:
            self.__init__()
        numbers = list(map(self.number.get, keys))
        if None in numbers:
            self._count([key for key in dict.fromkeys(keys) if key not in self.number])
            numbers = list(map(self.number.__getitem__, keys))
        chosen = np.asarray(numbers, dtype=np.int64)
        lengths = self.lengths[chosen]
        indptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        take = np.arange(indptr[-1]) + np.repeat(self.starts[chosen] - indptr[:-1], lengths)
        return indptr, self.ids[take], self.counts[take]

    def _ids(self, codes: np.ndarray) -> np.ndarray:
        """Ids of ``codes`` (any order, repeats allowed), interning the codes not met before
        (once the vocabulary has settled, most are known: a binary search, no sort)."""
        at = np.searchsorted(self.sorted_codes, codes)
        known = at < len(self.sorted_codes)
        known[known] = self.sorted_codes[at[known]] == codes[known]
        if not known.all():
            self._intern(np.unique(codes[~known]))
            at = np.searchsorted(self.sorted_codes, codes)
        return self.sorted_ids[at]

    def _intern(self, codes: np.ndarray) -> None:
        """Add ascending, distinct codes not met before; they get the next free ids."""
        at = np.searchsorted(self.sorted_codes, codes)
        ids = len(self.rank) + np.arange(len(codes))
        self.sorted_codes = np.insert(self.sorted_codes, at, codes)
        self.sorted_ids = np.insert(self.sorted_ids, at, ids)
        self.rank = np.empty(len(self.sorted_ids), dtype=np.int64)
        self.rank[self.sorted_ids] = np.arange(len(self.sorted_ids))

    def _count(self, keys: list[str]) -> None:
        for start in range(0, len(keys), _MAX_COUNTED):
            self._count_some(keys[start : start + _MAX_COUNTED])

    def _count_some(self, keys: list[str]) -> None:
        docs, codes = ngram_codes(keys)
        # (document, code) cells sorted by document, then code: one plain sort of every
        # n-gram met, then the distinct cells' codes interned
        cells, counts = np.unique((docs << _CODE_BITS) | codes, return_counts=True)
        ids = self._ids(cells & _CODE_MASK)
        bounds = np.searchsorted(cells >> _CODE_BITS, np.arange(len(keys) + 1))
        first = len(self.number)
        self.number.update(zip(keys, range(first, first + len(keys)), strict=True))
        filled = self.starts[first - 1] + self.lengths[first - 1] if first else 0
        self.starts = _put(self.starts, first, filled + bounds[:-1])
        self.lengths = _put(self.lengths, first, np.diff(bounds))
        self.ids = _put(self.ids, filled, ids)
        self.counts = _put(self.counts, filled, counts)


def _put(buffer: np.ndarray, at: int, values: np.ndarray) -> np.ndarray:
    """``buffer`` with ``values`` written from ``at`` on, grown by doubling when full (so
    appending stays cheap over a long batch); what lies past the written part is unused."""
    end = at + len(values)
    if end > len(buffer):
        grown = np.zeros(max(end, 2 * len(buffer), 1024), dtype=buffer.dtype)
        grown[:at] = buffer[:at]
        buffer = grown
    buffer[at:end] = values
    return buffer


_TABLE = _Table()


def count_matrix(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The keys' n-gram counts as canonical CSR parts on their own vocabulary:
    (indptr, column per entry, count per entry, is_bigram per column), columns in code order."""
    indptr, ids, counts = _TABLE.rows(keys)
    if not indptr[-1]:
        return indptr, np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=bool)
    ranks = _TABLE.rank[ids]
    used = np.zeros(len(_TABLE.rank), dtype=bool)
    used[ranks] = True
    column_of_rank = np.cumsum(used) - 1  # ranks ascend with codes, so columns do too
    is_bigram = (_TABLE.sorted_codes[used] & BIGRAM_FLAG) != 0
    return indptr, column_of_rank[ranks], counts.astype(np.float64), is_bigram
