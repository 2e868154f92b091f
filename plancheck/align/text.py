"""Text preparation for comparison: clause bodies, sentences, scoring keys.

The task table keeps the original wording. For comparison we drop what is not a requirement
(the item number, the responsible-unit parenthetical) and, for scoring only, punctuation and
whitespace, which carry no meaning in unsegmented Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Leading clause numbers: 一、 （一） (1) 1. 1、 1．
_NUMBERING = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十百\d]+\s*[）)]|[一二三四五六七八九十百]+\s*、"
    r"|\d+(?:\.\d+)*\s*[.、．](?!\d))\s*"
)
# A closing unit parenthetical: （责任单位：…） or （…负责） / （…牵头）.
_UNIT_NOTE = re.compile(
    r"[（(](?:责任单位|牵头单位|配合单位)[:：][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]"
)
_UNIT_TAIL = re.compile(
    r"[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*(?:负责|牵头)[^（）()]{0,20}[）)]\s*$"
)
_EMPTY_NOTE = re.compile(r"[（(]\s*[）)]")
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]*|[。；;！？!?]+")
_FRAGMENT_END = re.compile(r"(?<=[，,：:])")
# Clause titles are short: 坚持和完善党的全面领导 (10), 落实“双随机、一公开”抽查机制 (13).
TITLE_MAX = 20
_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]")
# 全省/本市/省级: the level word, found by its own character first (a pattern that opens with
# a lookbehind is tried at every position, which made masking a plan ~6x slower)
_LEVEL_WORDS = re.compile(r"[省市县区](?:(?<=[全我本各该][省市县区])|(?=级))")


def clause_body(text: str, units_raw: str = "") -> str:
    """The requirement wording of a clause: no item number, no responsible-unit note."""
    body = str(text or "")
    if units_raw and units_raw in body:
        body = body.replace(units_raw, "")
    if "（" in body or "(" in body:  # the notes are bracketed; most clauses have none
        body = _UNIT_NOTE.sub("", body)
        body = _UNIT_TAIL.sub("", body.rstrip())
        body = _EMPTY_NOTE.sub("", body)  # a note whose content was units_raw
    return _NUMBERING.sub("", body, count=1).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences on 。；; (and ！？), original wording kept; empty pieces dropped."""
    return list(sentences_of(text))


def sentences_of(text: str) -> tuple[str, ...]:
    """``split_sentences`` as a tuple."""
    # map and filter keep the loop in C: this runs for every clause of every plan diffed
    return tuple(filter(_WORD.search, map(str.strip, _SENTENCE.findall(text))))


def split_fragments(sentence: str) -> list[str]:
    """Comma-separated pieces of a sentence (、 separates list items, so it does not split)."""
    return list(fragments_of(sentence))


def fragments_of(sentence: str) -> tuple[str, ...]:
    """``split_fragments`` as a tuple."""
    pieces = (piece.strip() for piece in _FRAGMENT_END.split(sentence))
    return tuple(piece for piece in pieces if _WORD.search(piece)) or (sentence,)


def is_title(sentence: str) -> bool:
    """A short opening sentence without commas names the clause (提高行政审批效能。)."""
    return len(score_key(sentence)) <= TITLE_MAX and not _FRAGMENT_END.search(
        sentence.rstrip("。；;")
    )


def score_key(text: str) -> str:
    """Only letters, digits and CJK characters: the string similarity is computed on."""
    return _NON_WORD.sub("", text)


def score_keys(texts: Sequence[str]) -> list[str]:
    """``score_key`` of many texts."""
    return list(map(score_key, texts))


def jurisdiction_names(*jurisdictions: str) -> list[str]:
    """Name variants to mask: 辽宁省凌源市 -> 辽宁省凌源市, 凌源市, 凌源, 辽宁省, 辽宁."""
    names: set[str] = set()
    for jurisdiction in jurisdictions:
        for part in re.findall(
            r"[^省市县区州盟旗]+(?:省|自治区|市|县|区|州|盟|旗)", jurisdiction or ""
        ):
            names.add(part)
            stem = re.sub(r"(?:省|自治区|市|县|区|州|盟|旗)$", "", part)
            if len(stem) >= 2:
                names.add(stem)
        if jurisdiction:
            names.add(jurisdiction)
    return sorted(names, key=lambda name: (-len(name), name))


def mask_jurisdiction(text: str, names: Iterable[str]) -> str:
    """Local adaptation is not a change: 全省/全市 and 辽宁/凌源 compare equal."""
    for name in names:
        text = text.replace(name, "◇")
    return _LEVEL_WORDS.sub("◇", text)


def mask_all(texts: Sequence[str], names: Iterable[str]) -> list[str]:
    """``mask_jurisdiction`` of many texts, in one pass over them joined by a separator that no
    name contains and that no level word can match across."""
    names = tuple(names)
    if not texts or any("\x00" in text for text in (*texts, *names)):
        return [mask_jurisdiction(text, names) for text in texts]
    return mask_jurisdiction("\x00".join(texts), names).split("\x00")
