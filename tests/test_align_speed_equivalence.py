"""The fast paths of plancheck.align agree with the plain scipy expressions they replace.

The benchmark (benchmarks/bench_diff.py) needed the similarity code rewritten for speed; these
tests pin the rewritten pieces to the straightforward formulas, bit for bit where the floating-
point operations are the same and to 1e-12 where only their order differs, so a report can
never change because of an optimisation.
"""

from __future__ import annotations

import numpy as np
import pytest
from deepdiff import DeepDiff
from scipy import sparse

from plancheck.align import ngrams, products
from plancheck.align.facts import changed_fields_by_key
from plancheck.align.ngrams import BIGRAM_FLAG, ngram_codes
from plancheck.align.products import dense_product, keyed_dots, product_entries, transpose
from plancheck.align.requirements import _pair_products
from plancheck.align.similarity import UNIGRAM_WEIGHT, PairSpace, char_vectors
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


def _plain_vectors(texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The plain construction: COO -> CSR, sum_duplicates, CSC for df, multiply; columns are
    the distinct n-gram codes in ascending order."""
    keys = score_keys(texts)
    docs, codes = ngram_codes(keys)
    vocab, columns = np.unique(codes, return_inverse=True)
    is_bigram = (vocab & BIGRAM_FLAG) != 0
    counts = sparse.csr_matrix(
        (np.ones(len(codes)), (docs, columns)), shape=(len(keys), len(vocab)), dtype=np.float64
    )
    counts.sum_duplicates()
    df = np.diff(counts.tocsc().indptr)
    idf = np.log((1 + len(keys)) / (1 + df)) + 1.0
    weights = idf * np.where(is_bigram, 1.0, UNIGRAM_WEIGHT)
    return sparse.csr_matrix(counts.multiply(weights[np.newaxis, :])), is_bigram, idf


def _assert_same(fast: sparse.csr_matrix, plain: sparse.csr_matrix) -> None:
    assert np.array_equal(fast.indptr, plain.indptr)
    assert np.array_equal(fast.indices, plain.indices)
    assert np.array_equal(fast.data, plain.data)


def test_char_vectors_match_the_plain_construction() -> None:
    texts = REFERENCE + TARGET
    fast = char_vectors(texts)
    plain, is_bigram, idf = _plain_vectors(texts)
    _assert_same(fast.matrix, plain)
    assert np.array_equal(fast.idf, idf) and np.array_equal(fast.is_bigram, is_bigram)


def test_char_vectors_do_not_depend_on_what_came_before(monkeypatch) -> None:
    texts = REFERENCE + TARGET
    before = char_vectors(texts).matrix
    char_vectors(["完全不同的文字，新的字符组合：鑫淼焱垚。", "另一段从未见过的内容"])
    _assert_same(char_vectors(texts).matrix, before)
    monkeypatch.setattr(ngrams, "_TABLE", ngrams._Table())  # a fresh process ...
    char_vectors(texts[::-1])  # ... that meets the n-grams in another order
    _assert_same(char_vectors(texts).matrix, before)
    monkeypatch.setattr(ngrams, "_MAX_TEXTS", 2)  # the table is rebuilt on every call
    _assert_same(char_vectors(texts).matrix, before)
    _assert_same(char_vectors(texts).matrix, before)
    monkeypatch.setattr(ngrams, "_MAX_COUNTED", 3)  # new texts counted a few at a time
    _assert_same(char_vectors(texts).matrix, before)


def test_chosen_rows_keep_the_idf_of_all_texts() -> None:
    texts = REFERENCE + TARGET
    rows = np.array([1, 4, 6, 7])
    chosen = char_vectors(texts, rows=rows)
    _assert_same(chosen.matrix, char_vectors(texts).matrix[rows])
    assert np.array_equal(chosen.idf, char_vectors(texts).idf)


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


@pytest.mark.parametrize("kernel", ["scipy kernel", "public product"])
def test_products_without_the_symbolic_pass_match_scipy(kernel: str, monkeypatch) -> None:
    if kernel == "public product":
        monkeypatch.setattr(products, "_csr_matmat", None)
        monkeypatch.setattr(products, "_csr_tocsc", None)
    rng = np.random.default_rng(7)
    left = sparse.random(40, 300, density=0.05, format="csr", random_state=rng)
    right = sparse.random(30, 300, density=0.05, format="csr", random_state=rng)
    plain = (left @ right.T).toarray()
    _assert_same(transpose(right), right.T.tocsr())
    assert np.array_equal(dense_product(left, right.T.tocsr()), plain)
    rows, columns, values = product_entries(left, right.T.tocsr(), plain.size)
    assert np.array_equal(values, plain[rows, columns])
    assert np.count_nonzero(plain) == len(values)
    empty = sparse.csr_matrix((0, 300))
    assert dense_product(empty, right.T.tocsr()).shape == (0, 30)


def test_keyed_dots_are_the_same_key_entries_of_the_gram_matrix() -> None:
    matrix = char_vectors(REFERENCE + TARGET).matrix
    keys = np.array([0, 0, 1, 1, 2, 0, 1, 1, 2, 2])
    gram = (matrix @ matrix.T).toarray()
    left, right, value = keyed_dots(matrix, keys)
    assert np.array_equal(keys[left], keys[right])
    assert np.array_equal(value, gram[left, right])  # same terms, same order
    found = np.zeros_like(gram, dtype=bool)
    found[left, right] = True
    assert not gram[(keys[:, None] == keys[None, :]) & ~found].any()


def test_split_and_merge_cosines_match_groups_read_together() -> None:
    space = PairSpace(REFERENCE, TARGET)
    matrix = _plain_vectors(REFERENCE + TARGET)[0].toarray()
    ref, tgt = matrix[: len(REFERENCE)], matrix[len(REFERENCE) :]

    def cos(a: np.ndarray, b: np.ndarray) -> float:
        den = np.linalg.norm(a) * np.linalg.norm(b)
        return float(a @ b / (den if den > 0 else 1.0))

    split, merge = space.split_cos_upto(3), space.merge_cos_upto(3)
    for k in (1, 2, 3):
        for i in range(len(REFERENCE)):
            for j in range(len(TARGET)):
                if j + k > len(TARGET):
                    assert np.isnan(split[k - 1, i, j])
                else:
                    assert split[k - 1, i, j] == pytest.approx(
                        cos(ref[i], tgt[j : j + k].sum(axis=0)), abs=1e-12
                    )
                if i + k <= len(REFERENCE):
                    assert merge[k - 1, i, j] == pytest.approx(
                        cos(ref[i : i + k].sum(axis=0), tgt[j]), abs=1e-12
                    )
        assert np.array_equal(split[k - 1], space.split_cos(k), equal_nan=True)


def test_pair_products_match_plain_row_products() -> None:
    # sentences of groups 0, 0, 1 and fragments of groups 0, 0, 0, 1, 1
    texts = REFERENCE[:3] + TARGET
    matrix = char_vectors(texts).matrix
    ref_group, frag_group = np.array([0, 0, 1]), np.array([0, 0, 0, 1, 1])
    lo = np.searchsorted(frag_group, ref_group, side="left")
    length = np.searchsorted(frag_group, ref_group, side="right") - lo
    offsets = np.concatenate([[0], np.cumsum(length)])
    dots, squares, bands = _pair_products(matrix, ref_group, frag_group, (offsets, lo), 3)
    gram = (matrix @ matrix.T).toarray()
    for s in range(3):
        row = gram[s, 3 + lo[s] : 3 + lo[s] + length[s]]
        assert dots[offsets[s] : offsets[s + 1]] == pytest.approx(row, abs=1e-12)
    assert squares == pytest.approx(np.diag(gram)[:3], abs=1e-12)
    for d, band in enumerate(bands):
        same = frag_group[: len(band)] == frag_group[d:]
        expected = np.diagonal(gram[3:, 3:], d)
        assert band[same] == pytest.approx(expected[same], abs=1e-12)
        assert not band[~same].any()


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
