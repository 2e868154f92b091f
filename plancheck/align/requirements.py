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

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np
from scipy import sparse

from plancheck.align.alignment import Group
from plancheck.align.facts import changed_fields_by_key, sentence_facts
from plancheck.align.model import ChangedRequirement, OmittedRequirement
from plancheck.align.phrases import Phrase, phrases_of
from plancheck.align.similarity import key_vectors
from plancheck.align.text import mask_all, score_keys, sentences_of
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


@dataclass
class ClauseRequirements:
    """What one reference clause of a linked group carries."""

    phrases: int = 0  # requirement phrases (titles and formulae not counted)
    carried: int = 0
    titles_carried: int = 0  # the clause's title restated: evidence for the link too
    omitted: list[OmittedRequirement] = field(default_factory=list)
    higher_level: list[str] = field(default_factory=list)
    changed: list[ChangedRequirement] = field(default_factory=list)


@dataclass(frozen=True)
class _Ref:
    """A reference phrase of a linked group."""

    group: int
    clause: int  # reference clause index
    phrase: Phrase
    sentence: str  # the sentence as written
    masked: str


def _ref_phrases(
    bodies: Sequence[str], groups: Sequence[Group], names: Sequence[str]
) -> list[_Ref]:
    out = []
    for g, group in enumerate(groups):
        if not group.targets:
            continue
        for i in group.refs:
            sentences = sentences_of(bodies[i])
            phrases = phrases_of(bodies[i])
            masked = mask_all([p.text for p in phrases], names)
            out += [
                _Ref(g, i, p, sentences[p.sentence], m)
                for p, m in zip(phrases, masked, strict=True)
            ]
    return out


def _target_units(
    bodies: Sequence[str], groups: Sequence[Group], names: Sequence[str]
) -> tuple[list[str], list[str], np.ndarray, dict[int, set[str]]]:
    """Per linked group: its target phrases and every two adjacent ones, as (text as written,
    masked text, group); and per group the scoring keys of those units."""
    texts, masked, group_of, whole = [], [], [], {}
    for g, group in enumerate(groups):
        if not group.refs or not group.targets:
            continue
        phrases = [p.text for j in group.targets for p in phrases_of(bodies[j])]
        plain = mask_all(phrases, names)
        pairs = [a + b for a, b in zip(phrases, phrases[1:], strict=False)]
        texts += phrases + pairs
        masked += plain + [a + b for a, b in zip(plain, plain[1:], strict=False)]
        whole[g] = set(score_keys(masked[len(masked) - len(phrases) - len(pairs) :]))
        group_of += [g] * (len(phrases) + len(pairs))
    return texts, masked, np.asarray(group_of, dtype=np.int64), whole


def _keyed(matrix: sparse.csr_matrix, groups: np.ndarray) -> sparse.csr_matrix:
    """Each row's columns moved into its group's own copy of the vocabulary, so a product of
    two keyed matrices only pairs rows of the same group."""
    width = matrix.shape[1]
    shift = np.repeat(groups * width, np.diff(matrix.indptr))
    size = (int(groups.max()) + 1 if len(groups) else 1) * width
    return sparse.csr_matrix(
        (matrix.data, matrix.indices + shift, matrix.indptr), shape=(matrix.shape[0], size)
    )


def _carriers(
    open_refs: list[_Ref], units: list[str], unit_group: np.ndarray, config: RequirementConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per open reference phrase: (carried, best unit, its cosine, its containment)."""
    keys = score_keys([r.masked for r in open_refs] + units)
    vectors = key_vectors(keys)
    n = len(open_refs)
    ref_group = np.asarray([r.group for r in open_refs], dtype=np.int64)
    groups = np.concatenate([ref_group, unit_group])
    matrix = _keyed(vectors.matrix, groups)
    presence = _keyed(vectors.bigram_presence, groups)
    binary = matrix[n:].copy()
    binary.data = np.ones_like(binary.data)
    dots = (matrix[:n] @ matrix[n:].T).tocoo()
    shared = (presence[:n] @ binary.T).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms = np.where(norms > 0, norms, 1.0)
    row, col = dots.row, dots.col
    cos = dots.data / (norms[row] * norms[n + col])
    held = np.asarray(shared[row, col]).ravel() / vectors.bigram_mass[row]
    ok = (cos >= config.pair) | ((held >= config.contained) & (cos >= config.floor))
    score = np.where(ok, 1.0, 0.0) + cos  # a carrier first, then the most similar
    best = np.full(n, -1)
    best_score = np.full(n, -np.inf)
    order = np.lexsort((col, -score, row))  # per row: best first, earliest on ties
    first = order[np.unique(row[order], return_index=True)[1]]
    best[row[first]], best_score[row[first]] = col[first], score[first]
    carried = best_score >= 1.0
    out_cos, out_held = np.zeros(n), np.zeros(n)
    out_cos[row[first]], out_held[row[first]] = cos[first], held[first]
    return carried, best, out_cos, out_held


def _omitted(refs: list[_Ref]) -> list[OmittedRequirement]:
    """Missing phrases, consecutive ones of one sentence joined; partial when the rest of the
    sentence is carried."""
    out: list[OmittedRequirement] = []
    runs: list[list[_Ref]] = []
    for ref in refs:
        last = runs[-1][-1] if runs else None
        same = last and last.clause == ref.clause and last.phrase.sentence == ref.phrase.sentence
        if same and last is not None and last.phrase.end == ref.phrase.start:
            runs[-1].append(ref)
        else:
            runs.append([ref])
    for run in runs:
        sentence = run[0].sentence
        text = sentence[run[0].phrase.start : run[-1].phrase.end].strip()
        whole = text == sentence.strip()
        out.append(OmittedRequirement(text, sentence, not whole))
    return out


def requirement_count(body: str, wording: WordingModel) -> int:
    """Requirement phrases of a clause body (titles and stock formulae not counted)."""
    return sum(1 for p in phrases_of(body) if not (p.title or wording.is_formula(p.text)))


def compare_requirements(
    ref_bodies: Sequence[str],
    tgt_bodies: Sequence[str],
    groups: Sequence[Group],
    wording: WordingModel,
    names: Sequence[str] = (),
    config: RequirementConfig | None = None,
    higher_level: bool = False,
) -> list[dict[int, ClauseRequirements]]:
    """Per group, per reference clause: carried, omitted and changed requirement phrases.
    ``higher_level``: the reference sits above the target's level (省级… phrases apart)."""
    config = config or RequirementConfig()
    out: list[dict[int, ClauseRequirements]] = [
        {i: ClauseRequirements() for i in g.refs} if g.targets else {} for g in groups
    ]
    refs = _ref_phrases(ref_bodies, groups, names)
    texts, units, unit_group, whole = _target_units(tgt_bodies, groups, names)
    keys = score_keys([r.masked for r in refs])
    counted = [not (r.phrase.title or wording.is_formula(r.phrase.text)) for r in refs]
    open_at = [k for k, r in enumerate(refs) if keys[k] not in whole.get(r.group, "")]
    open_set = set(open_at)
    carried = np.ones(len(refs), dtype=bool)
    pairs: list[tuple[_Ref, str, str, float, float]] = []
    if open_at:
        found, best, cos, held = _carriers([refs[k] for k in open_at], units, unit_group, config)
        carried[open_at] = found
        for k, ok, u, c, h in zip(open_at, found, best, cos, held, strict=True):
            ref = refs[k]
            if not ok or wording.is_formula(ref.phrase.text):
                continue
            if higher_level and wording.is_higher_level(ref.phrase.text):
                continue  # reported apart, adapted or not
            pairs.append((ref, texts[u], units[u], float(c), float(h)))
    missing: dict[tuple[int, int], list[_Ref]] = {}
    for k, ref in enumerate(refs):
        result = out[ref.group][ref.clause]
        if not counted[k]:
            result.titles_carried += int(ref.phrase.title and carried[k])
            continue
        result.phrases += 1
        if carried[k]:
            result.carried += 1
        if k in open_set and higher_level and wording.is_higher_level(ref.phrase.text):
            result.higher_level.append(ref.phrase.text)  # adapted or not, not an omission
        elif carried[k]:
            continue
        else:
            missing.setdefault((ref.group, ref.clause), []).append(ref)
    for (g, i), lost in missing.items():
        out[g][i].omitted += _omitted(lost)
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
        if score_keys([masked]) == score_keys([ref.masked]):
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
