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

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


def word_shares(
    lexicon: Lexicon, requirements: Sequence[str], texts: Sequence[str]
) -> list[list[float] | None]:
    """For each requirement, the idf-weighted share of its content words found in each of
    ``texts``; None for a requirement of too few content words to judge."""
    n = len(texts)
    found_in: dict[str, list[int]] = {}

    def where(word: str) -> list[int]:
        if word not in found_in:
            forms = lexicon.forms(word)
            found_in[word] = [k for k, t in enumerate(texts) if any(f in t for f in forms)]
        return found_in[word]

    out: list[list[float] | None] = []
    for requirement in requirements:
        words = lexicon.words(requirement)
        if len(words) < _MIN_WORDS or not n:
            out.append(None)
            continue
        scores = [0.0] * n
        total = 0.0
        for word in words:
            hits = where(word)
            weight = math.log((1 + n) / (1 + len(hits))) + 1.0
            total += weight
            for k in hits:
                scores[k] += weight
        out.append([score / total for score in scores])
    return out
