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


def ngram_codes(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram code) for every unigram and bigram of every key."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    docs = np.repeat(np.arange(len(keys)), lengths)
    same_doc = docs[:-1] == docs[1:]
    bigrams = ((codes[:-1][same_doc] << 21) | codes[1:][same_doc]) | BIGRAM_FLAG
    return np.concatenate([docs, docs[:-1][same_doc]]), np.concatenate([codes, bigrams])


class _Table:
    """Interned n-gram codes, and each text's (ids, counts) rows, ids in code order."""

    def __init__(self) -> None:
        self.texts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.sorted_codes = np.zeros(0, dtype=np.int64)  # every code met, ascending
        self.sorted_ids = np.zeros(0, dtype=np.int64)  # their ids
        self.rank = np.zeros(0, dtype=np.int64)  # per id: its position in code order

    def rows(self, keys: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        if len(self.texts) > _MAX_TEXTS or len(self.rank) > _MAX_NGRAMS:
            self.__init__()
        missing = [key for key in dict.fromkeys(keys) if key not in self.texts]
        if missing:
            self._count(missing)
        return [self.texts[key] for key in keys]

    def _intern(self, codes: np.ndarray) -> np.ndarray:
        """Ids of ascending, distinct ``codes``; new codes get the next free ids."""
        at = np.searchsorted(self.sorted_codes, codes)
        known = at < len(self.sorted_codes)
        known[known] = self.sorted_codes[at[known]] == codes[known]
        ids = np.empty(len(codes), dtype=np.int64)
        ids[known] = self.sorted_ids[at[known]]
        fresh = ~known
        if fresh.any():
            ids[fresh] = len(self.rank) + np.arange(fresh.sum())
            self.sorted_codes = np.insert(self.sorted_codes, at[fresh], codes[fresh])
            self.sorted_ids = np.insert(self.sorted_ids, at[fresh], ids[fresh])
            self.rank = np.empty(len(self.sorted_ids), dtype=np.int64)
            self.rank[self.sorted_ids] = np.arange(len(self.sorted_ids))
        return ids

    def _count(self, keys: list[str]) -> None:
        docs, codes = ngram_codes(keys)
        unique, inverse = np.unique(codes, return_inverse=True)
        if not len(unique):  # only empty keys
            empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
            self.texts.update(dict.fromkeys(keys, empty))
            return
        ids = self._intern(unique)
        # (document, code) cells sorted by document, then code
        cells, counts = np.unique(docs * len(unique) + inverse, return_counts=True)
        bounds = np.searchsorted(cells // len(unique), np.arange(len(keys) + 1))
        # int32 halves the table's memory; ids stay below _MAX_NGRAMS, counts below a text's length
        cell_ids, cell_counts = ids[cells % len(unique)].astype(np.int32), counts.astype(np.int32)
        for k, key in enumerate(keys):
            self.texts[key] = (
                cell_ids[bounds[k] : bounds[k + 1]],
                cell_counts[bounds[k] : bounds[k + 1]],
            )


_TABLE = _Table()


def count_matrix(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The keys' n-gram counts as canonical CSR parts on their own vocabulary:
    (indptr, column per entry, count per entry, is_bigram per column), columns in code order."""
    ids, counts = zip(*_TABLE.rows(keys), strict=True) if keys else ((), ())
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)), out=indptr[1:])
    if not indptr[-1]:
        return indptr, np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=bool)
    ranks = _TABLE.rank[np.concatenate(ids)]
    used = np.zeros(len(_TABLE.rank), dtype=bool)
    used[ranks] = True
    column_of_rank = np.cumsum(used) - 1  # ranks ascend with codes, so columns do too
    is_bigram = (_TABLE.sorted_codes[used] & BIGRAM_FLAG) != 0
    counts = np.concatenate(counts).astype(np.float64)
    return indptr, column_of_rank[ranks], counts, is_bigram
