"""Does target text carry a requirement in other words? Word-level containment.

Character n-grams (similarity.py) find a requirement restated in much the same words. A
requirement restated in other words (相关行业主管部门依法落实职责 -> 相关部门依法承担相应监管职责)
shares too few character pairs. Here the requirement is cut into words by a segmenter (rjieba,
the Rust port of jieba with its dictionary inside the wheel), words that carry no content are
dropped (rules/lexicon.yaml ``stop``: function words, level and place words, the degree and
hedge words the wording model reads), and each remaining word is looked for in the target
text together with its near-synonyms (``synonyms``). The score is the idf-weighted share of the
requirement's words found: words common in the target (监管 in a supervision plan) weigh little,
the named system or object weighs most.

Assumptions: a word is found where it stands inside a longer target word (风险监测网络 in
风险监测评估网络), since segmenters cut compounds differently; a requirement of fewer than two
content words is never judged here (too little to tell).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rjieba

from plancheck.errors import ConfigError
from plancheck.io.resources import rules_file
from plancheck.io.yaml_files import load_yaml

DEFAULT_LEXICON = rules_file("lexicon.yaml")

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_MIN_WORDS = 2


@dataclass
class Lexicon:
    """The segmenter and the vocabulary; one per ``DiffState`` (the segmenter is an object of
    its own, never jieba's process-wide default)."""

    synonyms: dict[str, tuple[str, ...]]
    stop: frozenset[str]
    _segmenter: rjieba.Jieba = field(default_factory=rjieba.Jieba, repr=False)

    def words(self, text: str) -> list[str]:
        """The content words of ``text``, each once, in order."""
        seen: dict[str, None] = {}
        for word in self._segmenter.cut(text):
            word = word.strip()
            if len(word) < 2 and word not in self.synonyms:
                continue
            if word in self.stop or not _CONTENT.search(word):
                continue
            seen.setdefault(word, None)
        return list(seen)

    def forms(self, word: str) -> tuple[str, ...]:
        return self.synonyms.get(word, (word,))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load and check the lexicon; a malformed file raises ConfigError."""
    path = Path(path or DEFAULT_LEXICON)
    data = load_yaml(path)
    groups, stop = (data or {}).get("synonyms"), (data or {}).get("stop")
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise ConfigError(
            f"{path}: 'synonyms' must be a list of word lists; see rules/lexicon.yaml"
        )
    if not isinstance(stop, list):
        raise ConfigError(f"{path}: 'stop' must be a list of words; see rules/lexicon.yaml")
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in groups:
        words = tuple(dict.fromkeys(str(w) for w in group))
        for word in words:
            synonyms[word] = tuple(dict.fromkeys((*synonyms.get(word, ()), *words)))
    return Lexicon(synonyms, frozenset(str(w) for w in stop))


def _occurrences(joined: str, bounds: Sequence[int], forms: Sequence[str]) -> np.ndarray:
    """Indices of the texts (joined with NUL, each starting at ``bounds``) holding a form.
    ``str.find`` per form (a plain substring search, far faster than a regex alternation);
    after a hit the search goes on from the next text, as one hit per text is enough."""
    found: list[int] = []
    for form in forms:
        at = joined.find(form)
        while at >= 0:
            text = bisect.bisect_right(bounds, at) - 1
            found.append(text)
            if text + 1 >= len(bounds):
                break
            at = joined.find(form, bounds[text + 1])
    return np.asarray(found, dtype=np.int64)


class WordIndex:
    """Texts to look for words in, each also read together with the next one where
    ``joins_next`` says so (two adjacent phrases of a clause), with every word's hits kept
    once found: a diff asks for the same target's words in several passes. One per target
    text set, owned by its caller."""

    def __init__(
        self, lexicon: Lexicon, texts: Sequence[str], joins_next: Sequence[bool] = ()
    ) -> None:
        self.lexicon = lexicon
        self.size = len(texts)
        self._joined = "\x00".join(texts)
        lengths = [len(t) + 1 for t in texts[:-1]]
        self._bounds = np.cumsum([0, *lengths]).tolist() if texts else []
        self._pairs = np.flatnonzero(np.asarray(joins_next, dtype=bool))  # first of each pair
        self._hits: dict[str, np.ndarray] = {}

    @property
    def pair_firsts(self) -> np.ndarray:
        """Per pair unit (after the texts), the index of its first text; the second is next."""
        return self._pairs

    @property
    def units(self) -> int:
        """Texts, then pairs: the length of every row ``shares`` returns."""
        return self.size + len(self._pairs)

    def hits(self, word: str) -> np.ndarray:
        """Per unit (each text, then each pair), whether it holds ``word`` or a synonym."""
        if word not in self._hits:
            single = np.zeros(self.size + 1, dtype=bool)
            single[_occurrences(self._joined, self._bounds, self.lexicon.forms(word))] = True
            pairs = single[self._pairs] | single[self._pairs + 1]
            self._hits[word] = np.concatenate([single[: self.size], pairs])
        return self._hits[word]

    def absent(self, requirement: str) -> float:
        """The idf-weighted share of a requirement's content words that no text holds at all
        (0.0 for one of too few words): the named things of the requirement that the target
        never mentions."""
        words = self.lexicon.words(requirement)
        if len(words) < _MIN_WORDS or not self.units:
            return 0.0
        n, total, missing = self.units, 0.0, 0.0
        for word in words:
            held = int(self.hits(word).sum())
            weight = math.log((1 + n) / (1 + held)) + 1.0
            total += weight
            missing += weight * (held == 0)
        return missing / total

    def shares(self, requirements: Sequence[str]) -> list[np.ndarray | None]:
        """For each requirement, the idf-weighted share of its content words found in each
        unit (an array); None for a requirement of too few content words to judge."""
        n = self.units
        out: list[np.ndarray | None] = []
        for requirement in requirements:
            words = self.lexicon.words(requirement)
            if len(words) < _MIN_WORDS or not n:
                out.append(None)
                continue
            scores = np.zeros(n)
            total = 0.0
            for word in words:
                hits = self.hits(word)
                weight = math.log((1 + n) / (1 + int(hits.sum()))) + 1.0
                total += weight
                scores += weight * hits
            out.append(scores / total)
        return out


def word_shares(
    lexicon: Lexicon, requirements: Sequence[str], texts: Sequence[str]
) -> list[np.ndarray | None]:
    """``WordIndex(lexicon, texts).shares(requirements)`` (no pairs)."""
    return WordIndex(lexicon, texts).shares(requirements)
