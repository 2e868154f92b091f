"""Requirement-level differences inside each aligned clause group.

Each clause is split into sentences (on 。；;), the requirements as written. A reference sentence
is *carried* when a target sentence of its group is similar enough, or when the group's target
text contains most of its wording (a requirement spread over two target sentences); otherwise it
was left out. A carried sentence paired with a target sentence is then checked for weakened or
strengthened wording (the lexicon), changed dates and targets (structured facts) and, failing
those, plain rewording.

Most requirements of a local plan are copied word for word. A reference sentence that the
group's target text has as a whole sentence (places masked, punctuation ignored) is carried
unchanged without being scored; the idf is still fit on every sentence and fragment, so the
scores of the others are exactly what they would be with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy import sparse

from plancheck.align.alignment import Group
from plancheck.align.facts import changed_fields_by_key, fact_sets, sentence_facts
from plancheck.align.lexicon import Lexicon
from plancheck.align.model import ChangedRequirement
from plancheck.align.products import (
    band_prefixes,
    keyed_dots,
    row_block,
    row_sums,
    run_block_sums_upto,
    squared_norms,
)
from plancheck.align.similarity import CharVectors, key_vectors
from plancheck.align.text import fragments_of, is_title, mask_all, score_keys, sentences_of


@dataclass(frozen=True)
class RequirementConfig:
    """Sentence thresholds, calibrated on the seed pairs."""

    # A run of target comma fragments this similar carries the reference sentence (and is
    # compared with it). On Liaoning/Lingyuan, restated requirements score 0.40-0.90; the
    # requirements Lingyuan left out (the 三医联动 reporting platform, the 黑名单 system) score
    # <= 0.15, and partial restatements 0.22-0.35.
    pair: float = 0.40
    # Without such a run, the group's target text must contain this share of the sentence's
    # idf-weighted bigrams (a requirement spread over several target sentences). Left-out
    # requirements share only generic words (建立, 综合监管) and stay below 0.25.
    contained: float = 0.55
    # A paired sentence less similar than this, with no more specific change, is "reworded";
    # above it the edits are small (a 要 dropped, 和 for 、) and not worth a reviewer's time.
    reworded: float = 0.75
    # ... and a sentence whose wording the group's target text contains to this share is
    # carried in full (the target only added to it), so it is not called reworded either.
    fully_contained: float = 0.90
    # Target sentences are scored by comma fragments and runs of up to this many fragments,
    # because local plans often join several reference sentences with commas.
    max_window: int = 4


@dataclass(frozen=True)
class GroupRequirements:
    omitted: tuple[str, ...] = ()
    changed: tuple[ChangedRequirement, ...] = ()


@dataclass(frozen=True)
class _Side:
    """Sentences (reference) or comma fragments (target) of the linked groups, in order."""

    text: list[str]  # original wording of the sentence (for a fragment: of its sentence)
    masked: list[str]  # the unit that is scored: sentence or fragment, places masked
    keys: list[str]  # its scoring key (text.score_key)
    group: np.ndarray  # group index per unit
    title: np.ndarray  # a clause's short opening sentence, e.g. 提高行政审批效能。


def _side(
    bodies: Sequence[str], groups: list[Group], side: str, names: Sequence[str], fragments: bool
) -> _Side:
    names = tuple(names)
    clauses = [
        (g, index)
        for g, grp in enumerate(groups)
        if grp.refs and grp.targets
        for index in getattr(grp, side)
    ]
    units = [_clause_units(bodies[index], names, fragments) for _, index in clauses]
    fields = [list(chain.from_iterable(part)) for part in zip(*units, strict=True)]
    text, masked, keys, title = fields or ([], [], [], [])
    counts = [len(unit[0]) for unit in units]
    group = np.repeat(np.array([g for g, _ in clauses], dtype=np.int64), counts)
    return _Side(text, masked, keys, group, np.array(title, dtype=bool))


@lru_cache(maxsize=1 << 14)
def _clause_units(
    body: str, names: tuple[str, ...], fragments: bool
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[bool, ...]]:
    """A clause's units, cached (a batch meets the same clauses again and again): per
    sentence (or per comma fragment), the sentence as written, the unit with places masked,
    its scoring key, and whether the sentence is the clause's title."""
    text: list[str] = []
    units: list[str] = []
    title: list[bool] = []
    for k, whole in enumerate(sentences_of(body)):
        pieces = fragments_of(whole) if fragments else (whole,)
        text += [whole] * len(pieces)
        units += pieces
        title += [k == 0 and is_title(whole)] * len(pieces)
    masked = tuple(mask_all(units, names))
    return tuple(text), masked, tuple(score_keys(masked)), tuple(title)


def _verbatim(
    ref_bodies: Sequence[str], tgt_bodies: Sequence[str], groups: list[Group], names: Sequence[str]
) -> np.ndarray:
    """Per reference sentence of the linked groups (in ``_side`` order): its group's target
    text has it as a whole sentence, word for word once places are masked and punctuation
    dropped (its scoring key)."""
    names = tuple(names)
    found: list[bool] = []
    for group in groups:
        if group.refs and group.targets:
            found += _group_verbatim(
                tuple(map(ref_bodies.__getitem__, group.refs)),
                tuple(map(tgt_bodies.__getitem__, group.targets)),
                names,
            )
    return np.array(found, dtype=bool)


@lru_cache(maxsize=1 << 14)
def _group_verbatim(
    ref_bodies: tuple[str, ...], tgt_bodies: tuple[str, ...], names: tuple[str, ...]
) -> tuple[bool, ...]:
    """``_verbatim`` of one group (memoised: a batch meets the same groups again and again)."""
    keys = frozenset().union(*(_clause_units(body, names, False)[2] for body in tgt_bodies))
    return tuple(key in keys for body in ref_bodies for key in _clause_units(body, names, False)[2])


def _windows(
    vectors: sparse.csr_matrix,
    ref_group: np.ndarray,
    frag_group: np.ndarray,
    max_width: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each reference sentence, the most similar run of 1..max_width consecutive target
    fragments of its own group: (cosine, start, width); cosine -1 where the group has none.

    Only same-group (sentence, fragment) pairs are scored. Their dot products are laid out
    sentence by sentence, so a run's dot product is a difference of prefix sums, and a run's
    squared norm comes from the few diagonals of the fragments' gram matrix next to the main one.
    ``vectors`` holds the reference sentences' rows, then the fragments' rows.
    """
    lo = np.searchsorted(frag_group, ref_group, side="left")
    length = np.searchsorted(frag_group, ref_group, side="right") - lo
    sent = np.repeat(np.arange(len(ref_group)), length)
    offsets = np.concatenate([[0], np.cumsum(length)])
    frag_at = lo[sent] + np.arange(len(sent)) - offsets[sent]
    dots, squares, bands = _pair_products(vectors, ref_group, frag_group, (offsets, lo), max_width)
    dot_prefix = np.concatenate([[0.0], np.cumsum(dots)])
    ref_norm = np.sqrt(squares)[sent]
    bands = band_prefixes(bands)
    group_end = (lo + length)[sent]
    scores = np.full((len(sent), max_width), -1.0)
    blocks = np.nan_to_num(run_block_sums_upto(bands, max_width), nan=0.0)
    for k in range(1, max_width + 1):
        valid = frag_at + k <= group_end
        num = dot_prefix[np.minimum(np.arange(len(sent)) + k, len(sent))] - dot_prefix[: len(sent)]
        norm = np.sqrt(blocks[k - 1])[frag_at] * ref_norm
        scores[:, k - 1] = np.where(valid & (norm > 0), num / np.where(norm > 0, norm, 1.0), -1.0)
    width = scores.argmax(axis=1)  # the narrowest run among equals
    value = scores[np.arange(len(sent)), width]
    order = np.lexsort((-value, sent))  # per sentence, best first (stable: earliest run on ties)
    first = order[np.unique(sent[order], return_index=True)[1]]
    best = np.full(len(ref_group), -1.0)
    start, widths = (
        np.zeros(len(ref_group), dtype=np.int64),
        np.ones(len(ref_group), dtype=np.int64),
    )
    best[sent[first]], start[sent[first]], widths[sent[first]] = (
        value[first],
        frag_at[first],
        width[first] + 1,
    )
    return best, start, widths


def _pair_products(
    vectors: sparse.csr_matrix,
    ref_group: np.ndarray,
    frag_group: np.ndarray,
    pair_at: tuple[np.ndarray, np.ndarray],
    max_width: int,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """All the dot products ``_windows`` needs, from one keyed product (see products.py):
    sentence x fragment of its own group, laid out at ``offsets[sentence] + fragment -
    lo[sentence]`` with ``pair_at = (offsets, lo)``; each sentence with itself; and fragment
    a with fragment a + d of its group for d < max_width (the diagonals of the fragments'
    gram matrix; 0 across groups, where no run is scored)."""
    n, n_frag = len(ref_group), len(frag_group)
    row, col, value = keyed_dots(vectors, np.concatenate([ref_group, frag_group]))
    keep = col >= n  # sentence x sentence products are not needed
    row, col, value = row[keep], col[keep] - n, value[keep]
    is_sent = row < n
    offsets, lo = pair_at
    dots = np.zeros(offsets[-1])
    dots[offsets[row[is_sent]] + col[is_sent] - lo[row[is_sent]]] = value[is_sent]
    gap = np.where(is_sent, -1, col - (row - n))
    bands = []
    for d in range(min(max_width, n_frag)):
        band, at = np.zeros(n_frag - d), gap == d
        band[row[at] - n] = value[at]
        bands.append(band)
    return dots, squared_norms(row_block(vectors, 0, n)), bands


def _best_windows(
    ref: _Side, tgt: _Side, open_refs: np.ndarray, max_width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Best run of target fragments per open reference sentence (see ``_windows``), plus the
    share of the sentence's idf-weighted bigrams found anywhere in its group's target text.

    Only the open sentences and the fragments of their groups are scored; the idf is fit on
    every sentence and fragment, so their scores do not depend on which others are open."""
    open_frags = np.flatnonzero(np.isin(tgt.group, ref.group[open_refs]))
    rows = np.concatenate([open_refs, len(ref.masked) + open_frags])
    vectors = key_vectors(ref.keys + tgt.keys, rows=rows)
    n = len(open_refs)
    ref_group, frag_group = ref.group[open_refs], tgt.group[open_frags]
    best, start, width = _windows(vectors.matrix, ref_group, frag_group, max_width)
    shared = _shared_bigrams(vectors, n, ref_group, frag_group)
    return best, open_frags[start], width, shared / vectors.bigram_mass[:n]


def _shared_bigrams(
    vectors: CharVectors, n: int, ref_group: np.ndarray, tgt_group: np.ndarray
) -> np.ndarray:
    """Per reference sentence (the first ``n`` rows), idf summed over its bigrams that occur
    anywhere in its group's target fragments (the other rows), in column order, as a sparse
    product and row sum would add them."""
    present = vectors.bigram_presence
    rows = np.repeat(np.arange(present.shape[0]), np.diff(present.indptr))
    union = np.zeros((max(ref_group.max(), tgt_group.max()) + 1, present.shape[1]), dtype=bool)
    is_tgt = rows >= n
    union[tgt_group[rows[is_tgt] - n], present.indices[is_tgt]] = True
    ref_end = present.indptr[n]
    hit = union[ref_group[rows[:ref_end]], present.indices[:ref_end]]
    indptr = np.concatenate([[0], np.cumsum(hit)])[present.indptr[: n + 1]]
    return row_sums(present.data[:ref_end][hit], indptr, nonzero_default=0.0)


def _window_text(tgt: _Side, start: int, width: int) -> str:
    """The target sentence(s) a run of fragments lies in, as written."""
    return "".join(dict.fromkeys(tgt.text[start : start + width]))


@dataclass(frozen=True)
class _Pairing:
    """A reference sentence and the target text that carries it."""

    group: int
    reference: str
    target: str
    masked: tuple[str, str]
    cos: float
    quiet: bool  # no "reworded": a title, or wording the target contains in full


def _describe(
    pairs: Sequence[_Pairing], lexicon: Lexicon, config: RequirementConfig
) -> list[list[ChangedRequirement]]:
    """The changes of every pairing; the structured facts are diffed in one batch."""
    keys = score_keys([p.masked[0] for p in pairs] + [p.masked[1] for p in pairs])
    differs = [k for k in range(len(pairs)) if keys[k] != keys[len(pairs) + k]]
    facts = {
        k: (sentence_facts(pairs[k].reference), sentence_facts(pairs[k].target)) for k in differs
    }
    fields = changed_fields_by_key(
        {k: fact_sets(b) for k, (b, _) in facts.items()},
        {k: fact_sets(a) for k, (_, a) in facts.items()},
    )
    out: list[list[ChangedRequirement]] = [[] for _ in pairs]
    for k in differs:
        pair, (before, after) = pairs[k], facts[k]
        found: dict[str, list[str]] = {}
        for kind, detail in lexicon.compare(*pair.masked):
            found.setdefault(kind, []).append(detail)
        for name in sorted(fields[k]):
            kind = "deadline_changed" if name == "dates" else "target_changed"
            found.setdefault(kind, []).append(
                f"{'、'.join(before[name]) or '（无）'} → {'、'.join(after[name]) or '（无）'}"
            )
        if not found and not pair.quiet and pair.cos < config.reworded:
            found["reworded"] = []
        out[k] = [
            ChangedRequirement(pair.reference, pair.target, kind, "；".join(d))
            for kind, d in found.items()
        ]
    return out


def compare_requirements(
    ref_bodies: Sequence[str],
    tgt_bodies: Sequence[str],
    groups: list[Group],
    lexicon: Lexicon,
    names: Sequence[str] = (),
    config: RequirementConfig | None = None,
) -> list[GroupRequirements]:
    """Omitted and changed requirements for every group (empty for omitted/added groups)."""
    config = config or RequirementConfig()
    ref = _side(ref_bodies, groups, "refs", names, fragments=False)
    omitted: list[list[str]] = [[] for _ in groups]
    pairs: list[_Pairing] = []
    open_refs = np.flatnonzero(~_verbatim(ref_bodies, tgt_bodies, groups, names))
    tgt = _side(tgt_bodies, groups, "targets", names, fragments=True) if len(open_refs) else None
    if tgt is not None and tgt.text:
        best, start, width, contained = _best_windows(ref, tgt, open_refs, config.max_window)
        carried = np.flatnonzero(best >= config.pair)
        texts = [_window_text(tgt, int(start[k]), int(width[k])) for k in carried]
        for k, text, masked in zip(carried, texts, mask_all(texts, names), strict=True):
            s = open_refs[k]
            quiet = bool(ref.title[s]) or contained[k] >= config.fully_contained
            pairs.append(
                _Pairing(
                    int(ref.group[s]),
                    ref.text[s],
                    text,
                    (ref.masked[s], masked),
                    float(best[k]),
                    quiet,
                )
            )
        left_out = (best < config.pair) & (contained < config.contained) & ~ref.title[open_refs]
        for s in open_refs[left_out]:
            omitted[ref.group[s]].append(ref.text[s])
    changed: list[list[ChangedRequirement]] = [[] for _ in groups]
    for pair, changes in zip(pairs, _describe(pairs, lexicon, config), strict=True):
        changed[pair.group] += changes
    return [GroupRequirements(tuple(o), tuple(c)) for o, c in zip(omitted, changed, strict=True)]
