"""Requirement-level differences inside each aligned clause group, phrase by phrase.

Each reference clause is cut into requirement phrases (phrases.py). A phrase is *carried* when
the group's target text has it word for word (places masked, punctuation ignored), or when one
target phrase, or two adjacent ones, is similar enough (cosine of character n-gram TF-IDF) or
holds enough of its idf-weighted bigrams (containment). The carrier can be anywhere in the
group, not only where the phrase stood. A phrase with no carrier was left out; a sentence can
be partly carried, and only its missing phrases are reported. A carried phrase that is not word
for word is then explained: changed dates and targets (facts.py), a wording rule (wording.py)
or, when none explains a low similarity, plain rewording.

Stock political formulae and clause titles are never reported as left out. A phrase only a
higher level can carry (省级…) is reported apart when the target plan sits at a lower level.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import NamedTuple

import numpy as np
from scipy import sparse

from plancheck.align.alignment import Group
from plancheck.align.facts import changed_fields_by_key, sentence_facts
from plancheck.align.model import (
    CarriedRequirement,
    ChangedRequirement,
    ClauseRef,
    OmittedRequirement,
)
from plancheck.align.paraphrase import Lexicon, WordIndex
from plancheck.align.phrases import ClausePhrases, Phrase
from plancheck.align.products import squared_norms
from plancheck.align.similarity import key_vectors
from plancheck.align.text import mask_all, score_key
from plancheck.align.wording import WordingModel


@dataclass(frozen=True)
class RequirementConfig:
    """Phrase thresholds (see benchmarks/bench_accuracy.py, which measures them)."""

    # A target phrase (or two adjacent ones) this cosine-similar carries a reference phrase.
    pair: float = 0.40
    # ... or one that holds this share of its idf-weighted bigrams, while at least ``floor``
    # similar (a phrase restated inside a longer one).
    contained: float = 0.70
    floor: float = 0.25
    # A carried phrase less similar than this, with no rule to explain it, is "reworded".
    reworded: float = 0.55
    # A phrase with no carrier whose nearest target text is at least this similar is not a
    # finding but a "please check" (calibrated on the tuning half of bench_real_pairs.py).
    unsure: float = 0.30
    # A phrase none of whose target texts shares its characters, but one target sentence of
    # which holds this idf-weighted share of its content words (paraphrase.py), is carried.
    words: float = 0.60
    # ... or one in another part of the target (a reordered plan) this share.
    words_elsewhere: float = 0.75
    words_elsewhere_min: int = 4  # content words a phrase needs for that
    # ... and one whose best word share is at least this is a "please check", not a finding.
    unsure_words: float = 0.45
    # Outside its own group a phrase is carried at these stricter bars (a plan repeats its
    # stock phrases in many clauses: one restated elsewhere is weak evidence).
    elsewhere_pair: float = 0.60
    elsewhere_contained: float = 0.85
    elsewhere_floor: float = 0.40

    def elsewhere(self) -> RequirementConfig:
        """The bars for carriers outside a phrase's own group."""
        return replace(
            self,
            pair=self.elsewhere_pair,
            contained=self.elsewhere_contained,
            floor=self.elsewhere_floor,
            words=self.words_elsewhere,
        )


@dataclass
class ClauseRequirements:
    """What one reference clause of a linked group carries."""

    phrases: int = 0  # requirement phrases (titles and formulae not counted)
    carried: int = 0
    titles_carried: int = 0  # the clause's title restated: evidence for the link too
    omitted: list[OmittedRequirement] = field(default_factory=list)
    higher_level: list[str] = field(default_factory=list)
    changed: list[ChangedRequirement] = field(default_factory=list)
    evidence: list[CarriedRequirement] = field(default_factory=list)  # per carried phrase
    where: set[int] = field(default_factory=set)  # target clauses that carry its phrases


class _Ref(NamedTuple):
    """A reference phrase of a linked group."""

    group: int
    clause: int  # reference clause index
    phrase: Phrase
    sentence: str  # the sentence as written
    masked: str
    key: str  # scoring key of the masked text


def _carried_whole(
    result: ClauseRequirements,
    phrases: Sequence[Phrase],
    hits: list[int],
    units: _Units,
    wording: WordingModel,
) -> None:
    """A reference clause all of whose phrases the group's target has word for word (the
    common case: local plans copy most of their parent)."""
    for phrase, unit in zip(phrases, hits, strict=True):
        if phrase.title or wording.is_formula(phrase.text):
            result.titles_carried += int(phrase.title)
            continue
        result.phrases += 1
        result.carried += 1
        result.evidence.append(CarriedRequirement(phrase.text, units.text(unit), 1.0))
        result.where.add(units.clause(unit))


def _ref_phrases(
    clauses: Sequence[ClausePhrases],
    groups: Sequence[Group],
    names: Sequence[str],
    masked_clauses: Sequence[tuple[list[str], list[str]]] | None,
    units: _Units,
    carry_whole: Callable[[int, int, list[int]], None],
) -> tuple[list[_Ref], list[int | None]]:
    """The phrases of the linked reference clauses, each with its word-for-word unit (None:
    open); a clause carried whole is handed to ``carry_whole(group, clause, units)`` instead."""
    out: list[_Ref] = []
    exact: list[int | None] = []
    for g, group in enumerate(groups):
        if not group.refs:
            continue
        hits_of = units.exact.get(g, {})  # none for a clause the alignment left unlinked
        for i in group.refs:
            masked, keys = clauses[i].masked(names) if masked_clauses is None else masked_clauses[i]
            hits = [hits_of.get(key) for key in keys]
            if None not in hits:
                carry_whole(g, i, hits)  # type: ignore[arg-type]  # no None in hits
                continue
            sentences, phrases = clauses[i].sentences, clauses[i].phrases
            out += [
                _Ref(g, i, p, sentences[p.sentence], m, key)
                for p, m, key in zip(phrases, masked, keys, strict=True)
            ]
            exact += hits
    return out, exact


@dataclass(frozen=True)
class _Units:
    """Candidate carriers of the linked groups: each target phrase, then each two adjacent
    phrases of its group read together. A unit's text is made only when it is asked for."""

    phrases: list[str]  # every target phrase of a linked group, as written, group by group
    masked: list[str]  # the same, places masked
    phrase_keys: list[str]  # scoring key per target phrase
    clause_of: list[int]  # target clause index per phrase
    first: list[int]  # per unit: its first phrase
    width: list[int]  # per unit: 1 or 2 phrases
    group: np.ndarray  # per unit
    members: sparse.csr_matrix  # units x phrases: which phrases a unit reads together
    exact: dict[int, dict[str, int]]  # per group: unit scoring key -> its first unit

    def text(self, unit: int) -> str:
        start = self.first[unit]
        return "".join(self.phrases[start : start + self.width[unit]])

    def clause(self, unit: int) -> int:
        """The target clause a unit starts in."""
        return self.clause_of[self.first[unit]]

    def masked_text(self, unit: int) -> str:
        start = self.first[unit]
        return "".join(self.masked[start : start + self.width[unit]])


def _counting(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., size - 1 for each size, concatenated."""
    starts = np.cumsum(sizes) - sizes
    return np.arange(int(sizes.sum())) - np.repeat(starts, sizes)


def _target_units(
    clauses: Sequence[ClausePhrases],
    groups: Sequence[Group],
    names: Sequence[str],
    masked_clauses: Sequence[tuple[list[str], list[str]]] | None = None,
) -> _Units:
    phrases: list[str] = []
    masked: list[str] = []
    keys: list[str] = []
    clause_of: list[int] = []
    linked: list[int] = []
    sizes: list[int] = []
    exact: dict[int, dict[str, int]] = {}
    units = 0
    for g, group in enumerate(groups):
        if not group.refs or not group.targets:
            continue
        base = len(keys)
        for j in group.targets:
            phrases += [p.text for p in clauses[j].phrases]
            clause_of += [j] * len(clauses[j].phrases)
            texts, clause_keys = (
                clauses[j].masked(names) if masked_clauses is None else masked_clauses[j]
            )
            masked += texts
            keys += clause_keys
        group_keys = keys[base:]
        unit_keys = group_keys + list(map(str.__add__, group_keys, group_keys[1:]))
        # the first unit of each key wins: later ones are written first and overwritten
        numbers = range(units + len(unit_keys) - 1, units - 1, -1)
        exact[g] = dict(zip(reversed(unit_keys), numbers, strict=True))
        units += len(unit_keys)
        linked.append(g)
        sizes.append(len(group_keys))
    first, width, group_of, members = _layout(np.asarray(sizes, dtype=np.int64), linked)
    return _Units(
        phrases, masked, keys, clause_of, first.tolist(), width.tolist(), group_of, members, exact
    )


def _layout(
    sizes: np.ndarray, linked: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, sparse.csr_matrix]:
    """(first phrase, width, group, members) of every unit, given each linked group's phrase
    count: a group's units are its phrases one by one, then each two adjacent ones."""
    pairs = np.maximum(sizes - 1, 0)
    unit_start = np.cumsum(sizes + pairs) - (sizes + pairs)
    phrase_start = np.cumsum(sizes) - sizes
    single = np.repeat(unit_start, sizes) + _counting(sizes)
    double = np.repeat(unit_start + sizes, pairs) + _counting(pairs)
    double_first = np.repeat(phrase_start, pairs) + _counting(pairs)
    total = int((sizes + pairs).sum())
    first, width = np.zeros(total, dtype=np.int64), np.ones(total, dtype=np.int64)
    first[single], first[double], width[double] = np.arange(len(single)), double_first, 2
    rows = np.concatenate([single, np.repeat(double, 2)])
    cols = np.concatenate([np.arange(len(single)), (double_first[:, None] + [0, 1]).ravel()])
    members = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(total, int(sizes.sum())))
    group = np.repeat(np.asarray(linked, dtype=np.int64), sizes + pairs)
    return first, width, group, members


def _entries(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of every stored entry of a CSR matrix, row by row, columns sorted."""
    matrix.sort_indices()
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return rows, matrix.indices, matrix.data


def _aligned(row: np.ndarray, col: np.ndarray, other: sparse.csr_matrix, width: int) -> np.ndarray:
    """``other``'s value at each (row, col) of a row-major sorted list of entries that holds
    every stored entry of ``other`` (0 where it stores none)."""
    other_row, other_col, other_data = _entries(other)
    out = np.zeros(len(row))
    keys = row.astype(np.int64) * width + col
    out[np.searchsorted(keys, other_row.astype(np.int64) * width + other_col)] = other_data
    return out


def _first_best(row: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Index of each row's highest score, the first on ties, for entries sorted by row."""
    if not len(row):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])
    top = np.maximum.reduceat(score, starts)
    at_top = np.flatnonzero(score == np.repeat(top, np.diff(np.r_[starts, len(row)])))
    return at_top[np.r_[True, row[at_top][1:] != row[at_top][:-1]]]


def _carriers(
    open_refs: list[_Ref], units: _Units, config: RequirementConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per open reference phrase: (carried, best unit, its cosine, its containment).

    Reference phrases and target phrases are vectorised together (the idf is fit on them);
    a unit of two phrases is the sum of their vectors, as count x idf vectors add up."""
    n = len(open_refs)
    vectors = key_vectors([r.key for r in open_refs] + units.phrase_keys)
    ref_group = np.asarray([r.group for r in open_refs], dtype=np.int64)
    # only units of a group with an open phrase are compared, and pairs across groups dropped
    near = np.flatnonzero(np.isin(units.group, ref_group))
    unit_vectors = units.members[near] @ vectors.matrix[n:]
    has = unit_vectors.copy()
    has.data = np.ones_like(has.data)
    dots = (vectors.matrix[:n] @ unit_vectors.T).tocsr()
    presence, mass = vectors.bigram_presence(slice(0, n))
    shared = (presence @ has.T).tocsr()
    # entries in row-major order, columns sorted: every filter below keeps that order, so
    # each row's best is found in one pass, without sorting
    dots_row, dots_col, dots_data = _entries(dots)
    held_all = _aligned(dots_row, dots_col, shared, len(near)) / mass[dots_row]
    same = ref_group[dots_row] == units.group[near[dots_col]]
    row, near_col, held = dots_row[same], dots_col[same], held_all[same]
    ref_norms = np.sqrt(squared_norms(vectors.matrix[:n]))
    unit_norms = np.sqrt(squared_norms(unit_vectors))
    cos = dots_data[same] / np.maximum(ref_norms[row] * unit_norms[near_col], 1e-12)
    col = near[near_col]
    ok = (cos >= config.pair) | ((held >= config.contained) & (cos >= config.floor))
    score = np.where(ok, 1.0, 0.0) + cos  # a carrier first, then the most similar
    best = np.full(n, -1)
    best_score = np.full(n, -np.inf)
    first = _first_best(row, score)  # per row: best first, earliest column on ties
    best[row[first]], best_score[row[first]] = col[first], score[first]
    carried = best_score >= 1.0
    out_cos, out_held = np.zeros(n), np.zeros(n)
    out_cos[row[first]], out_held[row[first]] = cos[first], held[first]
    return carried, best, out_cos, out_held


class _Closest(NamedTuple):
    """The nearest target text to a phrase with no carrier, anywhere in the target."""

    text: str
    clause: int  # target clause index, -1 for none
    similarity: float  # character cosine
    words: float = 0.0  # share of its content words found (paraphrase.word_containment)
    absent: float = 0.0  # share of its content words the target never mentions


_NOTHING = _Closest("", -1, 0.0)


def _omitted(
    refs: list[tuple[_Ref, _Closest]],
    target_refs: Sequence[ClauseRef],
    config: RequirementConfig,
) -> list[OmittedRequirement]:
    """Missing phrases, consecutive ones of one sentence joined; partial when the rest of the
    sentence is carried. Each run keeps the nearest target text of its nearest phrase."""
    out: list[OmittedRequirement] = []
    runs: list[list[tuple[_Ref, _Closest]]] = []
    for ref, near in refs:
        last = runs[-1][-1][0] if runs else None
        same = last and last.clause == ref.clause and last.phrase.sentence == ref.phrase.sentence
        if same and last is not None and last.phrase.end == ref.phrase.start:
            runs[-1].append((ref, near))
        else:
            runs.append([(ref, near)])
    for run in runs:
        first, final = run[0][0], run[-1][0]
        sentence = first.sentence
        text = sentence[first.phrase.start : final.phrase.end].strip()
        whole = text == sentence.strip()
        near = max((n for _, n in run), key=lambda n: max(n.similarity, n.words))
        clause = target_refs[near.clause] if 0 <= near.clause < len(target_refs) else None
        out.append(
            OmittedRequirement(
                text,
                sentence,
                not whole,
                round(max(near.similarity, near.words), 3),
                near.text,
                clause.task_id if clause else "",
                clause.line_start if clause else 0,
                near.similarity < config.unsure and near.words < config.unsure_words,
                round(sum(n.absent for _, n in run) / len(run), 3),
            )
        )
    return out


def requirement_count(clause: ClausePhrases, wording: WordingModel) -> int:
    """Requirement phrases of a clause (titles and stock formulae not counted)."""
    return sum(1 for p in clause.phrases if not (p.title or wording.is_formula(p.text)))


class _Found(NamedTuple):
    """The best carrier found for an open phrase, in the units it was searched among."""

    carried: bool
    unit: int  # -1: no target text shares anything with it
    cos: float
    held: float
    units: _Units


def _search(
    refs: list[_Ref],
    open_at: list[int],
    units: _Units,
    everywhere: Callable[[], _Units | None],
    config: RequirementConfig,
) -> dict[int, _Found]:
    """Carriers of the open phrases: in their own group first, then, for those with none
    there, anywhere in the target (a reordered plan states a requirement in another section)."""
    results: dict[int, _Found] = {}
    found, best, cos, held = _carriers([refs[k] for k in open_at], units, config)
    for k, ok, u, c, h in zip(
        open_at, found.tolist(), best.tolist(), cos.tolist(), held.tolist(), strict=True
    ):
        results[k] = _Found(ok, u, c, h, units)
    still = [k for k in open_at if not results[k].carried]
    whole = everywhere() if still else None
    if whole is None:
        return results
    strict = config.elsewhere()
    found, best, cos, held = _carriers([refs[k]._replace(group=0) for k in still], whole, strict)
    for k, ok, u, c, h in zip(
        still, found.tolist(), best.tolist(), cos.tolist(), held.tolist(), strict=True
    ):
        if u >= 0 and (ok or c > results[k].cos or results[k].unit < 0):
            results[k] = _Found(ok, u, c, h, whole)
    return results


def _word_units(
    tgt_clauses: Sequence[ClausePhrases], headings: Sequence[str] = ()
) -> tuple[list[tuple[int, str]], list[bool]]:
    """(clause, text) of each key-task cell of a table (once, at its first row) and of every
    target phrase, and whether each joins the next (two adjacent phrases of a clause are read
    together): what a paraphrase is looked for in (a whole sentence holds too many words to
    be evidence)."""
    out: list[tuple[int, str]] = []
    joins: list[bool] = []
    seen: set[str] = set()
    for j, heading in enumerate(headings):
        if heading and heading not in seen:
            seen.add(heading)
            out.append((j, heading))
            joins.append(False)
    for j, clause in enumerate(tgt_clauses):
        texts = [p.text for p in clause.phrases]
        out += [(j, text) for text in texts]
        joins += [True] * (len(texts) - 1) + [False] * bool(texts)
    return out, joins


class TargetIndex:
    """The whole target, read for searching, made once per diff and shared by its passes:
    its phrases as carriers (characters) and its phrases and key-task cells as word units."""

    def __init__(
        self,
        clauses: Sequence[ClausePhrases],
        names: Sequence[str] = (),
        masked: Sequence[tuple[list[str], list[str]]] | None = None,
        headings: Sequence[str] = (),
    ) -> None:
        self.clauses, self.names, self.masked, self.headings = clauses, names, masked, headings
        self._units: _Units | None = None
        self._words: tuple[list[tuple[int, str]], np.ndarray, WordIndex] | None = None

    def units(self) -> _Units:
        """Every target phrase (and two adjacent ones) as one group numbered 0."""
        if self._units is None:
            every = Group((0,), tuple(range(len(self.clauses))))
            self._units = _target_units(self.clauses, [every], self.names, self.masked)
        return self._units

    def words(self, lexicon: Lexicon) -> tuple[list[tuple[int, str]], np.ndarray, WordIndex]:
        """(clause, text) of every word unit, their clauses as an array, their index."""
        if self._words is None:
            where, joins = _word_units(self.clauses, self.headings)
            index = WordIndex(lexicon, [text for _, text in where], joins)
            where += [
                (where[k][0], where[k][1] + where[k + 1][1]) for k, j in enumerate(joins) if j
            ]
            clauses = np.asarray([j for j, _ in where], dtype=np.int64)
            self._words = (where, clauses, index)
        return self._words


def _bare(text: str) -> str:
    """A phrase without its closing punctuation, to tell a copy of it."""
    return text.strip().rstrip("，,。；;：:、 ")


def _reworded(
    refs: list[_Ref],
    still: list[int],
    index: TargetIndex,
    groups: Sequence[Group],
    lexicon: Lexicon | None,
    config: RequirementConfig,
    copies: set[str] = frozenset(),  # type: ignore[assignment]
) -> dict[int, tuple[str, int, float]]:
    """Open phrases that target text carries in other words (paraphrase.py): a phrase (or two
    adjacent ones) of their own group at ``config.words``, any other at
    ``config.words_elsewhere``; {k: (text, target clause, share)}. A phrase below both is
    entered as ``~k`` with its nearest text, for the omission's "closest" text.

    A target text in ``copies`` restates another reference phrase word for word: it is that
    phrase's carrier, not a paraphrase of a sibling that shares its words (建立风险分级管控机制
    does not also carry a deleted 实施风险管控)."""
    if not still or lexicon is None or not index.clauses:
        return {}
    where, clauses, words = index.words(lexicon)
    shares = words.shares([refs[k].masked for k in still])
    single = np.asarray([_bare(text) in copies for _, text in where[: words.size]], dtype=bool)
    firsts = words.pair_firsts  # a pair holding a copy is no evidence either
    taken = np.concatenate([single, single[firsts] | single[firsts + 1]])
    out: dict[int, tuple[str, int, float]] = {}
    for k, row in zip(still, shares, strict=True):
        if row is None:
            continue
        own = np.isin(clauses, groups[refs[k].group].targets)
        # a phrase of few content words (实施风险管控) shares them with text anywhere: outside
        # its own group it is carried in other words only when it names enough to be told apart
        elsewhere = (
            config.words_elsewhere
            if len(lexicon.words(refs[k].masked)) >= config.words_elsewhere_min
            else np.inf
        )
        fits = (row >= np.where(own, config.words, elsewhere)) & ~taken
        best = int(np.argmax(np.where(fits, row, -1.0))) if fits.any() else int(np.argmax(row))
        clause, sentence = where[best]
        out[k if fits.any() else ~k] = (sentence, clause, float(row[best]))
    return out


def _absent(
    refs: list[_Ref], ks: list[int], index: TargetIndex, lexicon: Lexicon | None
) -> dict[int, float]:
    """Per phrase, the share of its content words the whole target never mentions."""
    if lexicon is None or not index.clauses:
        return {}
    words = index.words(lexicon)[2]
    return {k: words.absent(refs[k].masked) for k in ks}


def compare_requirements(
    ref_clauses: Sequence[ClausePhrases],
    tgt_clauses: Sequence[ClausePhrases],
    groups: Sequence[Group],
    wording: WordingModel,
    names: Sequence[str] = (),
    config: RequirementConfig | None = None,
    higher_level: bool = False,
    ref_masked: Sequence[tuple[list[str], list[str]]] | None = None,
    tgt_masked: Sequence[tuple[list[str], list[str]]] | None = None,
    target_refs: Sequence[ClauseRef] = (),
    whole_target: bool = True,
    lexicon: Lexicon | None = None,
    target_headings: Sequence[str] = (),
    index: TargetIndex | None = None,
) -> list[dict[int, ClauseRequirements]]:
    """Per group, per reference clause: carried, omitted and changed requirement phrases. A
    group without target clauses (a clause the alignment left unlinked) is searched for in the
    whole target only, at the stricter bars of ``config.elsewhere()``.
    ``higher_level``: the reference sits above the target's level (省级… phrases apart).
    ``ref_masked`` / ``tgt_masked``: each clause's ``masked(names)``, when the caller has it.
    ``whole_target``: a phrase with no carrier in its group is looked for in every target
    clause before it is called left out; ``target_refs`` name the target clauses (for the
    nearest text an omission reports); ``lexicon``: look for a phrase with no carrier in other
    words too (paraphrase.py), in every target phrase and in ``target_headings`` (a table's
    key-task cells). ``index``: the target read for searching, when the caller diffs in several
    passes (made here otherwise)."""
    config = config or RequirementConfig()
    if index is None:
        index = TargetIndex(tgt_clauses, names, tgt_masked, target_headings)
    out: list[dict[int, ClauseRequirements]] = [
        {i: ClauseRequirements() for i in g.refs} for g in groups
    ]
    units = _target_units(tgt_clauses, groups, names, tgt_masked)

    def carry_whole(g: int, i: int, hits: list[int]) -> None:
        _carried_whole(out[g][i], ref_clauses[i].phrases, hits, units, wording)

    def everywhere() -> _Units | None:
        return index.units() if whole_target and tgt_clauses else None

    refs, exact = _ref_phrases(ref_clauses, groups, names, ref_masked, units, carry_whole)
    open_at = [k for k, unit in enumerate(exact) if unit is None]
    evidence = [
        None if unit is None else CarriedRequirement(r.phrase.text, units.text(unit), 1.0)
        for r, unit in zip(refs, exact, strict=True)
    ]
    counted = [not (r.phrase.title or wording.is_formula(r.phrase.text)) for r in refs]
    carried = [True] * len(refs)
    carrier = [-1 if unit is None else units.clause(unit) for unit in exact]
    closest: dict[int, _Closest] = {}
    pairs: list[tuple[_Ref, str, str, float, float]] = []
    if open_at:
        results = _search(refs, open_at, units, everywhere, config)
        copies = {_bare(units.text(unit)) for unit in exact if unit is not None}
        reworded = _reworded(
            refs,
            [k for k in open_at if not results[k].carried],
            index,
            groups,
            lexicon,
            config,
            copies,
        )
        absent = _absent(refs, [k for k in open_at if not results[k].carried], index, lexicon)
        for k in open_at:
            ref, hit = refs[k], results[k]
            carried[k] = hit.carried
            if not hit.carried and k in reworded:
                sentence, clause, share = reworded[k]
                carried[k], carrier[k] = True, clause
                evidence[k] = CarriedRequirement(ref.phrase.text, sentence, round(share, 3))
                if not wording.is_formula(ref.phrase.text):
                    masked = mask_all([sentence], names)[0] if names else sentence
                    pairs.append((ref, sentence, masked, share, 0.0))
                continue
            if not hit.carried:
                near_words = reworded.get(~k)
                if hit.unit >= 0 or near_words:
                    text, clause, cos = (
                        (hit.units.text(hit.unit), hit.units.clause(hit.unit), hit.cos)
                        if hit.unit >= 0
                        else ("", -1, 0.0)
                    )
                    share = near_words[2] if near_words else 0.0
                    if near_words and share > cos:
                        text, clause = near_words[0], near_words[1]
                    closest[k] = _Closest(text, clause, cos, share, absent.get(k, 0.0))
                continue
            text = hit.units.text(hit.unit)
            carrier[k] = hit.units.clause(hit.unit)
            evidence[k] = CarriedRequirement(ref.phrase.text, text, round(hit.cos, 3))
            if wording.is_formula(ref.phrase.text):
                continue
            pairs.append((ref, text, hit.units.masked_text(hit.unit), hit.cos, hit.held))
    missing: dict[tuple[int, int], list[tuple[_Ref, _Closest]]] = {}
    for k, ref in enumerate(refs):
        result = out[ref.group][ref.clause]
        if not counted[k]:
            result.titles_carried += int(ref.phrase.title and carried[k])
            continue
        result.phrases += 1
        if carried[k]:
            result.carried += 1
            result.evidence.append(evidence[k])  # type: ignore[arg-type]  # set when carried
            result.where.add(carrier[k])
        if carried[k]:
            continue  # a higher-level requirement the target restates is carried too
        if higher_level and wording.is_higher_level(ref.phrase.text, ref.sentence):
            result.higher_level.append(ref.phrase.text)  # not an omission
        else:
            missing.setdefault((ref.group, ref.clause), []).append((ref, closest.get(k, _NOTHING)))
    for (g, i), lost in missing.items():
        out[g][i].omitted += _omitted(lost, target_refs, config)
    for (ref, *_), changes in zip(pairs, _describe(pairs, wording, config), strict=True):
        out[ref.group][ref.clause].changed += changes
    return out


def _describe(
    pairs: Sequence[tuple[_Ref, str, str, float, float]],
    wording: WordingModel,
    config: RequirementConfig,
) -> list[list[ChangedRequirement]]:
    """What changed in each carried phrase that is not word for word."""
    trimmed = [_trimmed(ref.masked, masked) for ref, _, masked, _, _ in pairs]
    before = {k: _fact_sets(ref.phrase.text) for k, (ref, *_) in enumerate(pairs)}
    after = {k: _fact_sets(text) for k, text in enumerate(trimmed)}
    fields = changed_fields_by_key(before, after)
    out: list[list[ChangedRequirement]] = []
    for k, (ref, text, _, cos, held) in enumerate(pairs):
        changes: list[ChangedRequirement] = []
        masked = trimmed[k]
        if score_key(masked) == score_key(ref.masked):
            out.append(changes)
            continue
        for name in sorted(fields[k]):
            was, now = (
                sorted(before[k][name] - after[k][name]),
                sorted(after[k][name] - before[k][name]),
            )
            kind = "deadline_changed" if name == "dates" else "target_changed"
            detail = f"{'、'.join(sorted(before[k][name])) or '（无）'} → {'、'.join(sorted(after[k][name])) or '（无）'}"
            changes.append(
                ChangedRequirement(
                    ref.phrase.text, text, kind, detail, kind, (*was, *now), round(cos, 3)
                )
            )
        for finding in wording.explain(ref.masked, masked):
            if changes and all(any(ch.isdigit() for ch in w) for w in finding.words):
                continue  # a changed figure, already reported as a date or target
            changes.append(
                ChangedRequirement(
                    ref.phrase.text,
                    text,
                    finding.kind,
                    finding.detail,
                    finding.rule,
                    finding.words,
                    round(cos, 3),
                )
            )
        quiet = ref.phrase.title  # a clause title is renamed freely: never "reworded"
        if not changes and not quiet and cos < config.reworded and held < config.contained:
            detail = f"相似度 {cos:.2f}"
            changes.append(
                ChangedRequirement(
                    ref.phrase.text, text, "reworded", detail, "low_similarity", (), round(cos, 3)
                )
            )
        out.append(changes)
    return out


_STOPS = frozenset("，,；;：:。！？!?、（）()“”")
_REACH = 4  # characters a carrier may reach past its matched part: a prefixed 探索 or 逐步


def _trimmed(reference: str, carrier: str) -> str:
    """The part of a carrier that restates the reference: from its first to its last
    stretch matched with the reference, reaching a few characters further on either side
    (a hedge or degree word written next to the requirement) but not past punctuation, so a
    neighbouring phrase the carrier also holds is not read as part of the change."""
    blocks = [
        b
        for b in SequenceMatcher(None, reference, carrier, autojunk=False).get_matching_blocks()
        if b.size >= 2
    ]
    if not blocks:
        return carrier
    start, end = blocks[0].b, blocks[-1].b + blocks[-1].size
    for _ in range(_REACH):
        if start > 0 and carrier[start - 1] not in _STOPS:
            start -= 1
        if end < len(carrier) and carrier[end] not in _STOPS:
            end += 1
    return carrier[start:end]


def _fact_sets(text: str) -> dict[str, set[str]]:
    return {name: set(values) for name, values in sentence_facts(text).items()}
