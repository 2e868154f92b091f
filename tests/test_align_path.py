"""The ordered alignment path on group cosines set by hand, and the sums it is built from."""

from __future__ import annotations

import numpy as np
import pytest

from plancheck.align.alignment import AlignConfig, _dp_groups
from plancheck.align.products import run_block_sums_upto
from plancheck.align.similarity import PairSpace

UNRELATED = 0.1  # every group not listed: below the link threshold (0.30)


class HandSpace:
    """The two things the path reads from a PairSpace, with group cosines given by hand as
    {(refs, targets): cosine}."""

    def __init__(self, n: int, m: int, groups: dict) -> None:
        self.cos = np.full((n, m), UNRELATED)
        self.groups = groups

    def run_cos(self, side: int, width: int, widest: int | None = None) -> np.ndarray:
        rows, size = self.cos.shape if side == 0 else self.cos.shape[::-1]
        runs = np.full((rows, size - width + 1), UNRELATED)
        for r in range(rows):
            for start in range(size - width + 1):
                run = tuple(range(start, start + width))
                key = ((r,), run) if side == 0 else (run, (r,))
                runs[r, start] = self.groups.get(key, UNRELATED)
        return runs


def path(n: int, m: int, groups: dict) -> list[tuple]:
    return [(g.refs, g.targets) for g in _dp_groups(HandSpace(n, m, groups), AlignConfig())]


def test_path_links_splits_merges_and_skips() -> None:
    # gains (cosine - 0.30): 0<->0 0.6; 1 over 1,2 0.5 (1<->1 alone 0.2, 1<->2 0.1);
    # 2,3 into 3 0.4 (each alone 0.05 / 0.03); reference 4 and targets 4, 5 match nothing
    groups = {
        ((0,), (0,)): 0.9,
        ((1,), (1,)): 0.5,
        ((1,), (2,)): 0.4,
        ((1,), (1, 2)): 0.8,
        ((2,), (3,)): 0.35,
        ((3,), (3,)): 0.33,
        ((2, 3), (3,)): 0.7,
    }
    assert path(5, 6, groups) == [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,))]


def test_group_exactly_at_the_threshold_ties_with_skipping_and_is_not_taken() -> None:
    assert path(1, 1, {((0,), (0,)): 0.30}) == []
    assert path(1, 1, {((0,), (0,)): 0.31}) == [((0,), (0,))]


def test_a_cell_own_candidate_beats_an_equal_running_maximum() -> None:
    # 0<->0 and 0 over 0,1 both earn 0.2: the split ending at target 1 is taken rather than
    # 0<->0 followed by skipping target 1
    assert path(1, 2, {((0,), (0,)): 0.5, ((0,), (0, 1)): 0.5}) == [((0,), (0, 1))]


def test_tie_goes_to_a_split_before_a_merge() -> None:
    # 1<->0 and 0,1 into 0 both earn 0.2; reference 0 is then left out
    assert path(2, 1, {((1,), (0,)): 0.5, ((0, 1), (0,)): 0.5}) == [((1,), (0,))]


def test_tie_goes_to_the_narrowest_merge() -> None:
    assert path(3, 1, {((1, 2), (0,)): 0.6, ((0, 1, 2), (0,)): 0.6}) == [((1, 2), (0,))]


def test_tie_goes_to_the_narrowest_split() -> None:
    # ending at target 2: 0 over 1,2 and 0 over 0,1,2 both earn 0.3 from an empty start
    assert path(1, 3, {((0,), (1, 2)): 0.6, ((0,), (0, 1, 2)): 0.6}) == [((0,), (1, 2))]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 13])
@pytest.mark.parametrize("widths", [1, 4, 12])
def test_run_block_sums_are_sums_over_square_blocks(size: int, widths: int) -> None:
    rng = np.random.default_rng(size * 100 + widths)
    vectors = rng.random((size, 6))
    gram = vectors @ vectors.T
    sums = run_block_sums_upto(gram, widths)
    assert sums.shape == (widths, size)
    for k in range(1, widths + 1):
        for j in range(size):
            if j + k <= size:
                assert sums[k - 1, j] == pytest.approx(gram[j : j + k, j : j + k].sum())
            else:
                assert np.isnan(sums[k - 1, j])


def test_many_group_cosines_at_once_equal_one_by_one() -> None:
    space = PairSpace(
        ["建立举报平台加强药品管理", "完善医疗机构监管", "推进信用体系建设"],
        ["建立举报平台", "加强药品管理", "完善医疗机构监管制度", "其他工作"],
    )
    groups = [((0,), (0, 1)), ((1,), (2,)), ((2,), ()), ((), (3,)), ((0, 1), (2,)), ((2,), (3,))]
    one_by_one = [space.group_cos(refs, targets) for refs, targets in groups]
    assert space.groups_cos(groups) == one_by_one
    assert one_by_one[2] == one_by_one[3] == 0.0
    assert one_by_one[1] > 0.5
