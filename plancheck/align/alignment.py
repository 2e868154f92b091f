"""Clause alignment chosen as a whole.

1. An order-aware dynamic programme over the two clause sequences. A path may skip a reference
   clause (omitted) or a target clause (added), link one to one, link one reference clause to a
   run of consecutive target clauses (split) or a run of reference clauses to one target clause
   (merge). Each group earns ``cosine - threshold``, so a group is only worth taking when the
   clauses read together are similar enough, and the path maximises the total.
2. A matching step for clauses that moved out of order: the clauses the path left over are
   paired by an optimal assignment, then any remaining fragment joins the group of the clause
   that contains it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from plancheck.align.ngrams import NgramCounts, ngram_counts
from plancheck.align.similarity import PairSpace, counted_vectors, split_cosines
from plancheck.align.text import fragments_of, score_keys, sentences_of


@dataclass(frozen=True)
class AlignConfig:
    """Thresholds, calibrated on the seed pairs (see ``calibration`` notes in each field)."""

    # A group must read this similar to be taken in order. Unrelated clauses of the same
    # field (all about 医疗卫生监管) score 0.10-0.25 on the seeds; true pairs 0.35-0.95.
    link: float = 0.30
    # Out of order there is no neighbour to support a link, so ask for more.
    moved: float = 0.40
    # A leftover fragment joins the clause that contains this share of its (idf-weighted)
    # bigrams, and must also be at least this cosine-similar to it.
    attach_containment: float = 0.55
    attach_cos: float = 0.20
    # Longest run of target clauses one reference clause may be split into (task-division
    # tables split one paragraph into many rows), and longest run merged into one.
    max_split: int = 12
    max_merge: int = 4
    # A leftover target clause joins the reference clause one of whose sentences is this close
    # to one of its comma fragments, if no other reference clause comes within the margin. On
    # the seeds a split-off part scores 0.38 with its source and <= 0.30 with other clauses.
    attach_sentence: float = 0.35
    attach_margin: float = 0.05


@dataclass(frozen=True)
class Group:
    """Reference and target clause indices (positions in each table) aligned together."""

    refs: tuple[int, ...]
    targets: tuple[int, ...]


_NEG = -np.inf


def _move_gains(space: PairSpace, config: AlignConfig) -> np.ndarray:
    """gains[i, c, j]: what candidate c (in tie order) earns on the way to column j of row
    i + 1: c = 0 skips reference i (0); c = k in 1..widths splits reference i over targets
    j-k..j-1; c = widths + k - 1 merges references i-k+1..i into target j-1 (-inf: no such
    group). A group earns cosine - threshold; below the threshold that is negative, and a
    negative gain never beats skipping the reference clause (``_dp_groups``), so it needs no
    mask."""
    n, m = space.cos.shape
    widths, merges = min(config.max_split, m), max(min(config.max_merge, n) - 1, 0)
    gains = np.empty((n, 1 + widths + merges, m + 1))
    gains[:, 0] = 0.0
    for k in range(1, widths + 1):  # split cosines [i, start], put where they lead
        split = space.run_cos(0, k, widths)
        split -= config.link
        gains[:, k, :k] = _NEG
        gains[:, k, k:] = split
    for k in range(2, merges + 2):  # merge cosines [j, start]
        merge = space.run_cos(1, k, merges + 1)
        merge -= config.link
        gains[: k - 1, widths + k - 1] = _NEG
        gains[k - 1 :, widths + k - 1, 0] = _NEG
        gains[k - 1 :, widths + k - 1, 1:] = merge.T
    return gains


def _dp_groups(space: PairSpace, config: AlignConfig) -> list[Group]:
    """The monotone path with the highest total gain, as groups in reference order.

    best[i, j] is the highest total over the first i reference and j target clauses. Row by
    row, the candidates for every column are stacked: skip the reference clause, split over
    1..max_split targets, merge 2..max_merge references; the first maximum wins, so ties go to
    skipping, then to the narrowest split, then to the narrowest merge. Moves along the row
    (skipping target clauses, gain 0) are then a running maximum.

    best never decreases down a column (skipping a reference clause earns 0) nor along a row,
    so every candidate's source is at most the skip's source best[i-1, j]: a candidate with a
    negative gain (a group below the threshold) is never above skipping, hence never the
    first maximum, just as if it were not allowed."""
    n, m = space.cos.shape
    gains = _move_gains(space, config)
    widths = min(config.max_split, m)
    merges = gains.shape[1] - 1 - widths
    # best behind `widths` blank columns and `merges + 1` blank rows (-inf), flattened, so every
    # candidate's source cell is one fixed offset from the cell it leads to
    top, left, row = merges + 1, widths, widths + m + 1
    best = np.full((top + n + 1) * row, _NEG)
    best[top * row + left : (top + 1) * row] = 0.0
    column = left + np.arange(m + 1)
    source = np.concatenate(
        [
            [-row + column],  # skip reference i-1: best[i-1, j]
            -row + column - np.arange(1, widths + 1)[:, None],  # split: best[i-1, j-k]
            -np.arange(2, merges + 2)[:, None] * row + column - 1,  # merge: best[i-k, j-1]
        ]
    )
    # every row's candidate values are summed into `gains` in place (read back when walking
    # the path); a row's sources lie in the `top` rows above it, read through a moving window
    source += top * row
    own = np.empty((n, m + 1))  # [i - 1, j]: the best candidate of cell (i, j)
    for i in range(1, n + 1):
        start = (top + i) * row
        values = gains[i - 1]
        values += best[start - top * row : start + row].take(source)
        np.maximum.accumulate(
            values.max(axis=0, out=own[i - 1]), out=best[start + left : start + row]
        )
    running = best.reshape(top + n + 1, row)[top:, left:]
    return _backtrack(gains, own, running, widths)


def _backtrack(values: np.ndarray, own: np.ndarray, best: np.ndarray, widths: int) -> list[Group]:
    """Walk the path back from the last cell. A cell whose own best candidate reaches the
    row's running maximum took the first candidate of that value (``values[i - 1, c, j]``,
    candidates in tie order); any other cell skipped a target clause."""
    groups: list[Group] = []
    n, m = best.shape[0] - 1, best.shape[1] - 1
    i, j = n, m
    while i > 0 or j > 0:
        total = best.item(i, j) if i > 0 else 0.0
        if i == 0 or own.item(i - 1, j) < total:  # skip target j - 1
            j -= 1
            continue
        c = values[i - 1, :, j].tolist().index(total)
        if c == 0:  # skip reference i - 1
            i -= 1
        elif c <= widths:  # reference i - 1 split over the c targets before j
            groups.append(Group((i - 1,), tuple(range(j - c, j))))
            i, j = i - 1, j - c
        else:  # references merged into target j - 1
            k = c - widths + 1
            groups.append(Group(tuple(range(i - k, i)), (j - 1,)))
            i, j = i - k, j - 1
    return groups[::-1]


def _match_moved(space: PairSpace, groups: list[Group], config: AlignConfig) -> list[Group]:
    """Pair the leftovers of the ordered path by an optimal one-to-one assignment."""
    used_refs = {i for g in groups for i in g.refs}
    used_tgts = {j for g in groups for j in g.targets}
    free_refs = [i for i in range(space.cos.shape[0]) if i not in used_refs]
    free_tgts = [j for j in range(space.cos.shape[1]) if j not in used_tgts]
    if not free_refs or not free_tgts:
        return groups
    # Imported here: scipy.optimize costs ~0.7 s to import, and most pairs have no leftovers.
    from scipy.optimize import linear_sum_assignment

    sub = space.cos[np.ix_(free_refs, free_tgts)]
    rows, cols = linear_sum_assignment(sub, maximize=True)
    moved = [
        Group((free_refs[r],), (free_tgts[c],))
        for r, c in zip(rows, cols, strict=True)
        if sub[r, c] >= config.moved
    ]
    return groups + moved


def _attach_fragments(space: PairSpace, groups: list[Group], config: AlignConfig) -> list[Group]:
    """A leftover clause that another clause contains joins that clause's group."""
    refs = [list(g.refs) for g in groups]
    tgts = [list(g.targets) for g in groups]
    owner_of_ref = {i: k for k, g in enumerate(groups) for i in g.refs}
    owner_of_tgt = {j: k for k, g in enumerate(groups) for j in g.targets}
    n, m = space.cos.shape
    ref_owned, tgt_owned = np.zeros(n, dtype=bool), np.zeros(m, dtype=bool)
    ref_owned[list(owner_of_ref)] = True
    tgt_owned[list(owner_of_tgt)] = True
    # only clauses similar enough to attach to are asked how much of the fragment they hold
    free_tgts, free_refs = np.flatnonzero(~tgt_owned), np.flatnonzero(~ref_owned)
    near_tgt = ((space.cos[:, free_tgts] >= config.attach_cos) & ref_owned[:, np.newaxis]).T
    near_ref = (space.cos[free_refs] >= config.attach_cos) & tgt_owned[np.newaxis, :]
    tgt_held, ref_held = space.held(free_refs, free_tgts)
    fragment, holder = np.nonzero(near_tgt)  # per leftover target, its candidates ascending
    j, i = free_tgts[fragment], holder
    ok = tgt_held[fragment, i] >= config.attach_containment
    for pick in _first_best(fragment, ok, space.cos[i, j]):
        tgts[owner_of_ref[int(i[pick])]].append(int(j[pick]))
    fragment, holder = np.nonzero(near_ref)
    i, j = free_refs[fragment], holder
    ok = ref_held[fragment, j] >= config.attach_containment
    for pick in _first_best(fragment, ok, space.cos[i, j]):
        refs[owner_of_tgt[int(j[pick])]].append(int(i[pick]))
    return [Group(tuple(sorted(r)), tuple(sorted(t))) for r, t in zip(refs, tgts, strict=True)]


def _first_best(fragment: np.ndarray, ok: np.ndarray, cos: np.ndarray) -> list[int]:
    """Per fragment with a candidate that holds it (``ok``), the position of the most
    similar such candidate (the first among equals); candidates come grouped by fragment."""
    score = np.where(ok, cos, -np.inf)
    picks = []
    for k in np.unique(fragment[ok]).tolist():
        at = np.flatnonzero(fragment == k)
        picks.append(int(at[score[at].argmax()]))
    return picks


@dataclass(frozen=True)
class ClauseSentences:
    """One side's clause sentences, counted once (a parent is aligned with many local plans):
    sentence documents clause after clause, ``starts[i]:starts[i + 1]`` those of clause i."""

    starts: np.ndarray
    counts: NgramCounts

    @classmethod
    def of(cls, bodies: Sequence[str]) -> ClauseSentences:
        per_clause = [sentences_of(body) for body in bodies]
        sizes = np.fromiter(map(len, per_clause), dtype=np.int64, count=len(per_clause))
        sentences = [sentence for clause in per_clause for sentence in clause]
        starts = np.concatenate([[0], np.cumsum(sizes)])
        return cls(starts, ngram_counts(score_keys(sentences)))


def _sentence_evidence(
    ref_sentences: ClauseSentences, tgt_bodies: Sequence[str], refs: list[int], tgts: list[int]
) -> np.ndarray:
    """[i, j] over ``refs`` (ascending) x ``tgts``: best cosine of a sentence of reference
    clause i with a comma fragment of target clause j."""
    starts = ref_sentences.starts
    sizes = starts[1:][refs] - starts[:-1][refs]
    frags = [[f for s in sentences_of(tgt_bodies[j]) for f in fragments_of(s)] for j in tgts]
    evidence = np.zeros((len(refs), len(tgts)))
    rows = np.flatnonzero(sizes)  # clauses with a sentence
    cols = np.flatnonzero([len(group) for group in frags])
    if not len(rows) or not len(cols):
        return evidence
    docs = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in refs])
    right = [f for group in frags for f in group]
    counted = ref_sentences.counts.subset(docs).stacked(ngram_counts(score_keys(right)))
    cos = split_cosines(counted_vectors(counted).matrix, len(docs))
    # sentences come clause by clause, so each clause's best is a max over a run of rows
    row_starts = np.cumsum([0] + [int(sizes[r]) for r in rows[:-1]])
    col_starts = np.cumsum([0] + [len(frags[c]) for c in cols[:-1]])
    best = np.maximum.reduceat(np.maximum.reduceat(cos, row_starts, axis=0), col_starts, axis=1)
    evidence[np.ix_(rows, cols)] = best
    return evidence


def _attach_by_sentences(
    groups: list[Group],
    ref_sentences: ClauseSentences,
    tgt_bodies: Sequence[str],
    config: AlignConfig,
) -> list[Group]:
    """A target clause still unaligned joins the group of the reference clause that has one of
    its requirements almost word for word (a split whose parts also carry local additions)."""
    owner = {i: k for k, g in enumerate(groups) for i in g.refs}
    used = {j for g in groups for j in g.targets}
    free = [j for j in range(len(tgt_bodies)) if j not in used]
    refs = sorted(owner)
    if not free or not refs:
        return groups
    evidence = _sentence_evidence(ref_sentences, tgt_bodies, refs, free)
    targets = [list(g.targets) for g in groups]
    for col, j in enumerate(free):
        ranked = np.sort(evidence[:, col])[::-1]
        runner_up = ranked[1] if len(ranked) > 1 else 0.0
        row = int(evidence[:, col].argmax())
        if ranked[0] >= config.attach_sentence and ranked[0] - runner_up >= config.attach_margin:
            targets[owner[refs[row]]].append(j)
    return [Group(g.refs, tuple(sorted(t))) for g, t in zip(groups, targets, strict=True)]


def align_clauses(
    space: PairSpace,
    config: AlignConfig | None = None,
    bodies: tuple[Sequence[str], Sequence[str]] | None = None,
    reference_sentences: ClauseSentences | None = None,
) -> list[Group]:
    """Every reference and target clause exactly once: linked groups, then omitted, then added.

    Linked groups come in reference order; an omitted reference clause is ``Group((i,), ())``,
    an added target clause ``Group((), (j,))``. With the clause ``bodies`` (reference, target),
    sentence-level evidence can also attach a leftover target clause; ``reference_sentences``:
    ``ClauseSentences.of(bodies[0])``, when the caller has it already.
    """
    config = config or AlignConfig()
    n, m = space.cos.shape
    linked = _dp_groups(space, config) if n and m else []
    linked = _attach_fragments(space, _match_moved(space, linked, config), config)
    if bodies is not None:
        sentences = reference_sentences or ClauseSentences.of(bodies[0])
        linked = _attach_by_sentences(linked, sentences, bodies[1], config)
    linked.sort(key=lambda g: (g.refs[0], g.targets[0]))
    used_refs = {i for g in linked for i in g.refs}
    used_tgts = {j for g in linked for j in g.targets}
    omitted = [Group((i,), ()) for i in range(n) if i not in used_refs]
    added = [Group((), (j,)) for j in range(m) if j not in used_tgts]
    return sorted(linked + omitted, key=lambda g: g.refs[0]) + added
