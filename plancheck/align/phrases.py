"""Requirement phrases: the unit a requirement is carried, left out or weakened in.

Local plans trim one requirement out of a comma-joined list, so a sentence (。；) is too coarse
a unit. A sentence is cut at ，；： outside brackets and quotes, then re-joined where a piece is
not a requirement of its own:
- a lead-in (对…、按照…要求、在…基础上、到2020年) goes with the phrase it introduces;
- a short purpose tail (提高…、确保…、做到…) goes with the phrase before it;
- a piece of fewer than four characters goes with its neighbour.
Assumes the punctuation of the source survived ingest; a plan written without commas is read as
whole sentences, which is what the clause-level comparison did before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from plancheck.align.text import is_title, mask_all, score_key, sentences_of

_ENCLOSING = re.compile(r"[（(“‘《〈【\[]")
_CUT_MARK = re.compile(r"[，,；;：:]")
_ENCLOSED = re.compile(
    r"（[^（）]*）|\([^()]*\)|“[^“”]*”|‘[^‘’]*’|《[^《》]*》|〈[^〈〉]*〉|【[^【】]*】|\[[^\[\]]*\]"
)
_LEAD_IN = re.compile(
    r"^(?:对|按照|根据|依照|依据|围绕|针对|结合|通过|为了?|坚持|"
    r"(?:到|至|在|于)?\d{4}年.{0,5}$|在.*(?:基础上|前提下|过程中|框架下|范围内|方面)$|"
    r"以.*为(?:导向|重点|抓手|核心|主线|目标|引领|基础|依托)$|按照.*要求$)"
)
_TAIL = re.compile(r"^(?:提高|提升|确保|做到|促进|保障|增强|以便|从而|不断提升|切实提高|推动)")
LEAD_IN_MAX = 30  # a lead-in is short: 对存在突出问题的地方和负有监管责任的有关部门 (21)
TAIL_MAX = 12  # so is a purpose tail: 提高监管权威 (6)
_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Phrase:
    """One requirement phrase of a clause, with the sentence it belongs to."""

    text: str  # as written, trailing punctuation kept
    sentence: int  # index of its sentence within the clause
    start: int  # where the phrase starts in its sentence
    end: int
    title: bool  # part of the clause's short opening title


def _letters(text: str) -> int:
    return len(_WORD.findall(text))


def _cuts(sentence: str) -> list[tuple[int, int]]:
    """Spans of the comma pieces of a sentence, brackets and quotes kept whole (their
    insides, innermost first, are blanked out before the cut marks are looked for)."""
    plain, previous = sentence, None
    while plain != previous and _ENCLOSING.search(plain):
        previous, plain = plain, _ENCLOSED.sub(lambda m: "_" * len(m.group(0)), plain)
    ends = [m.end() for m in _CUT_MARK.finditer(plain)]
    starts = [0, *ends]
    spans = zip(starts, [*ends, len(sentence)], strict=True)
    return [(a, b) for a, b in spans if _WORD.search(sentence, a, b)]


def _joined(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lead-ins and short pieces joined forward, purpose tails joined backward."""
    out: list[tuple[int, int]] = []
    carry: int | None = None  # start of a lead-in waiting for its phrase
    for k, (a, b) in enumerate(spans):
        piece = sentence[a:b].strip()
        size = _letters(piece)
        start = a if carry is None else carry
        last = k == len(spans) - 1
        if not last and (size < 4 or (size <= LEAD_IN_MAX and _LEAD_IN.match(piece))):
            carry = start
            continue
        carry = None
        if out and size <= TAIL_MAX and (_TAIL.match(piece) or size < 4):
            out[-1] = (out[-1][0], b)
        else:
            out.append((start, b))
    return out


@dataclass(frozen=True)
class ClausePhrases:
    """A clause body read once: its sentences and its requirement phrases."""

    sentences: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    keys: tuple[str, ...]  # each phrase's scoring key (text.score_key), places not masked

    def masked(self, names: Sequence[str]) -> tuple[list[str], list[str]]:
        """(texts, scoring keys) of the phrases with places masked; a key is only made again
        for a phrase that masking changed."""
        texts = [p.text for p in self.phrases]
        masked = mask_all(texts, names)
        keys = [
            key if new == old else score_key(new)
            for key, new, old in zip(self.keys, masked, texts, strict=True)
        ]
        return masked, keys


def clause_phrases(body: str) -> ClausePhrases:
    sentences = sentences_of(body)
    phrases = tuple(_phrases(sentences))
    return ClausePhrases(sentences, phrases, tuple(score_key(p.text) for p in phrases))


def phrases_of(body: str) -> list[Phrase]:
    """The requirement phrases of a clause body, in order."""
    return _phrases(sentences_of(body))


def _phrases(sentences: tuple[str, ...]) -> list[Phrase]:
    phrases: list[Phrase] = []
    for index, sentence in enumerate(sentences):
        # a short opening sentence names the clause when more follow; alone, it is the clause
        title = index == 0 and len(sentences) > 1 and is_title(sentence)
        for a, b in _joined(sentence, _cuts(sentence)):
            phrases.append(Phrase(sentence[a:b].strip(), index, a, b, title))
    return phrases
