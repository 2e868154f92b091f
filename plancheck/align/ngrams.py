"""Character unigrams and bigrams of scoring keys, counted with one sort per call.

A text's characters are read as UTF-32 code points; a bigram is coded as its two code points
side by side with a flag bit, so unigrams and bigrams share one integer code space. Columns are
numbered in code order, so a text's vector depends only on the texts of the same call (the
idf's corpus), never on what was diffed before.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BIGRAM_FLAG = np.int64(1) << 42
# A cell packs an n-gram code (< 2 ** 43) above a document number (< 2 ** 20 per call).


def ngram_codes(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document index, n-gram code) for every unigram and bigram of every key."""
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    docs = np.repeat(np.arange(len(keys)), lengths)
    same_doc = docs[:-1] == docs[1:]
    bigrams = ((codes[:-1][same_doc] << 21) | codes[1:][same_doc]) | BIGRAM_FLAG
    return np.concatenate([docs, docs[:-1][same_doc]]), np.concatenate([codes, bigrams])


def count_matrix(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The keys' n-gram counts as COO parts on their own vocabulary: (row per entry, column
    per entry, count per entry, is_bigram per column); columns numbered in code order.

    One sort of (code, document) cells gives both the counts and the vocabulary."""
    docs, codes = ngram_codes(keys)
    doc_bits = max(int(len(keys)).bit_length(), 1)
    cells, counts = np.unique((codes << doc_bits) | docs, return_counts=True)
    cell_codes = cells >> doc_bits
    new_code = np.ones(len(cells), dtype=bool)
    new_code[1:] = cell_codes[1:] != cell_codes[:-1]
    columns = np.cumsum(new_code) - 1
    is_bigram = (cell_codes[new_code] & BIGRAM_FLAG) != 0
    return cells & ((1 << doc_bits) - 1), columns, counts.astype(np.float64), is_bigram
