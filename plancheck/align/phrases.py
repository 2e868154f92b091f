"""Requirement phrases: the unit a requirement is carried, left out or weakened in.

Local plans trim one requirement out of a comma-joined list, so a sentence (。；) is too coarse
a unit. A sentence is cut at ，；： outside brackets and quotes, then re-joined where a piece is
not a requirement of its own:
- a lead-in (对…、按照…要求、在…基础上、到2020年) or a condition (…的，…时，) goes with the
  phrase it introduces;
- a short purpose tail (提高…、确保…、做到…) goes with the phrase before it, and so does a bare
  duty word with at most a verb after it (不得限制), which names no requirement of its own;
- a piece of fewer than four characters before the last goes with the phrase after it.
Assumes the punctuation of the source survived ingest; a plan written without commas is read as
whole sentences, which is what the clause-level comparison did before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from plancheck.align.text import is_title, mask_all, score_key, sentences_of

_ENCLOSING = re.compile(r"[（(“‘《〈【\[]")
_CUT_AFTER = re.compile(r"(?<=[，,；;：:])")
_UNCUT = str.maketrans(dict.fromkeys("（）()“”‘’《》〈〉【】[]，,；;：:", "_"))  # see _cuts
_ENCLOSED = re.compile(
    r"（[^（）]*）|\([^()]*\)|“[^“”]*”|‘[^‘’]*’|《[^《》]*》|〈[^〈〉]*〉|【[^【】]*】|\[[^\[\]]*\]"
)
# A piece keeps the cut mark it ends with (在此基础上，), so the patterns that must reach the
# piece's end allow one before it.
_LEAD_IN = re.compile(
    r"^(?:对|按照|根据|依照|依据|围绕|针对|结合|通过|为了?|坚持|"
    r"(?:到|至|在|于)?\d{4}年.{0,5}$|"
    r"(?:在.*(?:基础上|前提下|过程中|框架下|范围内|方面)|"
    r"以.*为(?:导向|重点|抓手|核心|主线|目标|引领|基础|依托)|按照.*要求)[，,；;：:]?$|"
    r".*(?:的|时|后|之后|之前)[，,]$)"
)
_TAIL = re.compile(r"^(?:提高|提升|确保|做到|促进|保障|增强|以便|从而|不断提升|切实提高|推动)")
LEAD_IN_MAX = 30  # a lead-in is short: 对存在突出问题的地方和负有监管责任的有关部门 (21)
TAIL_MAX = 12  # so is a purpose tail: 提高监管权威 (6)
# a bare duty word with at most a verb after it finishes the phrase before it: 不得限制 (4)
_BARE_DUTY = re.compile(
    r"^(?:不得|不准|禁止|严禁|应当|必须|予以|依法)[\u4e00-\u9fff]{0,4}[。；;，,！!]?$"
)


class Phrase(NamedTuple):
    """One requirement phrase of a clause, with the sentence it belongs to. A named tuple,
    not a frozen dataclass: every clause of every plan diffed makes several, and a tuple is
    made in half the time (it compares and hashes as the tuple of its fields)."""

    text: str  # as written, trailing punctuation kept
    sentence: int  # index of its sentence within the clause
    start: int  # where the phrase starts in its sentence
    end: int
    title: bool  # part of the clause's short opening title


def _protected(match: re.Match[str]) -> str:
    """An enclosed span with its brackets and cut marks blanked and its letters kept."""
    return match.group(0).translate(_UNCUT)


def _cuts(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, scoring key) of the comma pieces of a sentence that hold a letter.

    Brackets and quotes are kept whole: in each pair, innermost first, the brackets and cut
    marks are blanked (so the pair around it is found next). Blanking changes no letter and
    no length, so the pieces of the blanked sentence have the positions and the scoring keys
    of the pieces of the sentence."""
    plain, previous = sentence, None
    while plain != previous and _ENCLOSING.search(plain):
        previous, plain = plain, _ENCLOSED.sub(_protected, plain)
    pieces, start = [], 0
    for part in _CUT_AFTER.split(plain):
        key = score_key(part)  # its length is the piece's size
        if key:
            pieces.append((start, start + len(part), key))
        start += len(part)
    return pieces


def _joined(sentence: str, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Lead-ins and short pieces joined forward, purpose tails joined backward; a joined
    phrase's scoring key is its pieces' keys put together (what lies between has none)."""
    if len(pieces) < 2:
        return pieces  # one piece: nothing to join (a third of the sentences)
    out: list[tuple[int, int, str]] = []
    lead: tuple[int, str] | None = None  # start and key of lead-ins waiting for their phrase
    final = pieces[-1][1]  # where the last piece ends: it introduces nothing
    for a, b, key in pieces:
        size = len(key)
        # the patterns are only tried on pieces short enough to be a lead-in or a tail
        if b < final and (
            size < 4 or (size <= LEAD_IN_MAX and _LEAD_IN.match(sentence[a:b].strip()))
        ):
            lead = (a, key) if lead is None else (lead[0], lead[1] + key)
            continue
        piece = sentence[a:b].strip()
        tail = (
            out and size <= TAIL_MAX and (size < 4 or _TAIL.match(piece) or _BARE_DUTY.match(piece))
        )
        if lead is not None:
            a, key, lead = lead[0], lead[1] + key, None
        if tail:
            out[-1] = (out[-1][0], b, out[-1][2] + key)
        else:
            out.append((a, b, key))
    return out


@dataclass(frozen=True)
class ClausePhrases:
    """A clause body read once: its sentences and its requirement phrases."""

    sentences: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    keys: tuple[str, ...]  # each phrase's scoring key (text.score_key), places not masked

    def masked(self, names: Sequence[str]) -> tuple[list[str], list[str]]:
        """(texts, scoring keys) of the phrases with places masked."""
        return masked_phrases([p.text for p in self.phrases], self.keys, names)


def masked_phrases(
    texts: list[str], keys: Sequence[str], names: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Phrase texts with places masked, and their scoring keys: a key is only made again for
    a phrase that masking changed (most phrases name no place)."""
    masked = mask_all(texts, names)
    if masked == texts:
        return masked, list(keys)
    return masked, [
        key if new == old else score_key(new)
        for key, new, old in zip(keys, masked, texts, strict=True)
    ]


def clause_phrases(body: str) -> ClausePhrases:
    sentences = sentences_of(body)
    phrases, keys = _phrases(sentences)
    return ClausePhrases(sentences, tuple(phrases), tuple(keys))


def phrases_of(body: str) -> list[Phrase]:
    """The requirement phrases of a clause body, in order."""
    return _phrases(sentences_of(body))[0]


def _phrases(sentences: tuple[str, ...]) -> tuple[list[Phrase], list[str]]:
    """The phrases of a clause's sentences and their scoring keys."""
    phrases: list[Phrase] = []
    keys: list[str] = []
    for index, sentence in enumerate(sentences):
        # a short opening sentence names the clause when more follow; alone, it is the clause
        title = index == 0 and len(sentences) > 1 and is_title(sentence)
        joined = _joined(sentence, _cuts(sentence))
        phrases += [Phrase(sentence[a:b].strip(), index, a, b, title) for a, b, _ in joined]
        keys += [key for _, _, key in joined]
    return phrases, keys
