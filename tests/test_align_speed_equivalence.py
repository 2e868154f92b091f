"""The fast paths of plancheck.align give bit-for-bit what the plain scipy expressions give.

The benchmark (benchmarks/bench_diff.py) needed the similarity code rewritten for speed; these
tests pin the rewritten pieces to the straightforward formulas they replace, so a report can
never change because of an optimisation.
"""

from __future__ import annotations

import numpy as np
import pytest
from deepdiff import DeepDiff
from scipy import sparse

from plancheck.align.facts import changed_fields_by_key
from plancheck.align.similarity import (
    UNIGRAM_WEIGHT,
    PairSpace,
    _ngram_ids,
    char_vectors,
    row_pair_dots,
)
from plancheck.align.text import score_keys

REFERENCE = [
    "建立医疗卫生行业综合监管督察机制，到2020年全省建成三医联动监管平台。",
    "严禁违规收费；全面推行“双随机、一公开”抽查。",
    "加强药品管理，建立举报平台。",
    "加强药品管理，建立举报平台。",  # a duplicate: ties must stay ties
    "",
]
TARGET = [
    "建立综合监管督察机制。",
    "到2020年底全市基本建成监管平台，规范收费。",
    "逐步推行“双随机、一公开”抽查，加强药品管理。",
    "建立举报平台。",
    "其他地方工作。",
]


def _plain_vectors(texts: list[str]) -> sparse.csr_matrix:
    """The original construction: COO -> CSR, sum_duplicates, CSC for df, multiply."""
    import pandas as pd

    keys = score_keys(texts)
    docs, ids = _ngram_ids(keys)
    columns, vocab = pd.factorize(ids)
    is_bigram = (vocab & (np.int64(1) << 42)) != 0
    counts = sparse.csr_matrix(
        (np.ones(len(ids)), (docs, columns)), shape=(len(keys), len(vocab)), dtype=np.float64
    )
    counts.sum_duplicates()
    df = np.diff(counts.tocsc().indptr)
    idf = np.log((1 + len(keys)) / (1 + df)) + 1.0
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    return sparse.csr_matrix(counts.multiply(weights[np.newaxis, :])), is_bigram, idf


def test_char_vectors_match_the_plain_construction() -> None:
    texts = REFERENCE + TARGET
    fast = char_vectors(texts)
    plain, is_bigram, idf = _plain_vectors(texts)
    assert np.array_equal(fast.matrix.indptr, plain.indptr)
    assert np.array_equal(fast.matrix.indices, plain.indices)
    assert np.array_equal(fast.matrix.data, plain.data)
    assert np.array_equal(fast.idf, idf) and np.array_equal(fast.is_bigram, is_bigram)


def test_pair_space_matches_separate_products() -> None:
    space = PairSpace(REFERENCE, TARGET)
    matrix = _plain_vectors(REFERENCE + TARGET)[0]
    ref, tgt = matrix[: len(REFERENCE)], matrix[len(REFERENCE) :]
    assert np.array_equal(space.dot, (ref @ tgt.T).toarray())
    assert np.array_equal(space.gram_ref, (ref @ ref.T).toarray())
    assert np.array_equal(space.gram_tgt, (tgt @ tgt.T).toarray())
    assert space.cos[2, 3] == space.cos[3, 3]  # the duplicate reference clause ties


def test_containment_matches_the_plain_formula() -> None:
    space = PairSpace(REFERENCE, TARGET)
    vectors = char_vectors(REFERENCE + TARGET)
    present = vectors.matrix.copy()
    present.data = np.ones_like(present.data)
    present = sparse.csr_matrix(present.multiply((vectors.idf * vectors.is_bigram)[None, :]))
    n = len(REFERENCE)
    ref, tgt = present[:n], present[n:]
    mass = [np.asarray(side.sum(axis=1)).ravel() for side in (ref, tgt)]
    mass = [np.where(m > 0, m, 1.0) for m in mass]
    ref_bin, tgt_bin = (ref > 0).astype(np.float64), (tgt > 0).astype(np.float64)
    tgt_in_ref, ref_in_tgt = space.containment()
    assert np.array_equal(tgt_in_ref, (ref_bin @ tgt.T).toarray() / mass[1][None, :])
    assert np.array_equal(ref_in_tgt, (ref @ tgt_bin.T).toarray() / mass[0][:, None])


def test_row_pair_dots_match_separate_row_sums() -> None:
    matrix = char_vectors(REFERENCE + TARGET).matrix
    left, right = np.array([0, 1, 2, 7, 9]), np.array([5, 6, 3, 7, 0])
    batch = row_pair_dots(matrix, left, right)
    for p, (a, b) in enumerate(zip(left, right, strict=True)):
        alone = np.asarray(matrix[[a]].multiply(matrix[[b]]).sum(axis=1)).ravel()[0]
        assert batch[p] == alone


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"units": {"a", "b"}, "lead": "a"}, {"units": {"a"}, "lead": "a"}),
        ({"units": {"a"}, "lead": "a"}, {"units": {"a"}, "lead": "b"}),
        ({"dates": set(), "targets": {"90%"}}, {"dates": {"2020年底"}, "targets": {"80%"}}),
        ({"units": {"a"}, "lead": None}, {"units": {"a"}, "lead": "a"}),
        ({"nested": {"x": [1, 2]}}, {"nested": {"x": [1, 3]}}),  # through DeepDiff
    ],
)
def test_changed_fields_agree_with_deepdiff(before: dict, after: dict) -> None:
    fields = {
        path.split("['")[1].split("'")[0]
        for report in DeepDiff(before, after).values()
        for path in report
    }
    assert changed_fields_by_key({0: before}, {0: after}) == {0: fields}
