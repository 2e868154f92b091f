"""Text cleaning shared by every reader.

Original wording is kept (only encoding damage, script and annotations are fixed);
``match_key`` gives a separate, punctuation-unified form for comparisons.
"""

from __future__ import annotations

import re
from functools import lru_cache

CJK = "\u4e00-\u9fff"
_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A pinyin annotation glued after a character: 醫(yī). It must carry a tone mark, so that
# ordinary bracketed Latin text such as (a) or (PDF) is never taken for pinyin.
PINYIN_RE = re.compile(
    rf"(?<=[{CJK}])\((?=[a-z{_TONE_LETTERS}]*[{_TONE_LETTERS}])[a-z{_TONE_LETTERS}]{{1,7}}\)"
)
_SPACE_BETWEEN_RE = re.compile(
    rf"(?<=[{CJK}0-9０-９，。、；：）（]) +(?=[{CJK}0-9０-９，。、；：（）])"
)
_MATCH_TABLE = str.maketrans(
    {
        "．": ".",
        "。": ".",
        "，": ",",
        "、": ",",
        "；": ";",
        "：": ":",
        "（": "(",
        "）": ")",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
        "！": "!",
        "？": "?",
        "\u3000": " ",
        "\xa0": " ",
    }
)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese (OpenCC)."""
    return _t2s().convert(text)


def traditional_share(text: str) -> float:
    """Share of CJK characters that OpenCC would change: > ~5% means the text is traditional."""
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    sample = "".join(cjk[:20000])
    simplified = to_simplified(sample)
    return sum(a != b for a, b in zip(sample, simplified, strict=False)) / len(sample)


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations such as 醫(yī)療 -> 醫療."""
    return PINYIN_RE.sub("", text)


def tidy_spaces(text: str) -> str:
    """Drop NBSP/ideographic spaces and spaces that PDF extraction puts between CJK and digits."""
    text = text.replace("\xa0", " ").replace("\u3000", " ").strip()
    text = _SPACE_BETWEEN_RE.sub("", text)
    return re.sub(r" {2,}", " ", text)


def match_key(text: str) -> str:
    """A form for matching: punctuation variants unified, whitespace removed."""
    return re.sub(r"\s+", "", text.translate(_MATCH_TABLE))


def _plausible(text: str) -> float:
    """Share of characters from GB2312 level 1 (common hanzi) or full-width punctuation."""
    good = 0
    for ch in text:
        try:
            code = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if len(code) == 2 and (0xB0 <= code[0] <= 0xD7 or code[0] in (0xA1, 0xA3)):
            good += 1
    return good / max(len(text), 1)


def _shift_decode(run: str) -> str | None:
    try:
        return run.encode("gb18030")[1:].decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _repair_run(line: str, start: int) -> tuple[str, int]:
    """Repair the damaged run that follows the '?' marks ending at ``start``."""
    best = None
    for end in range(start + 2, min(len(line), start + 40) + 1):
        run = line[start:end]
        repaired = _shift_decode(run)
        if not repaired:
            continue
        # Scored in simplified form: a traditional page's characters are mostly outside GB2312.
        new, old = _plausible(to_simplified(repaired)), _plausible(to_simplified(run))
        if new >= 0.8 and new > old + 0.3:
            best = (end, repaired)
    if best is None:
        return line, start
    end, repaired = best
    return line[:start] + repaired + line[end:], start + len(repaired)


def repair_gbk_shift(line: str) -> str:
    """Repair runs of mojibake left by a GBK byte stream read one byte out of step.

    Some web pages lose a byte (shown as '?') and every following pair of bytes is read
    across two characters: （二）突出重點 becomes ?。ǘ┩怀鲋攸c. Re-encoding the run and
    decoding it one byte later restores the text; a run is rewritten only when the result is
    clearly more plausible Chinese. The '?' marks stay (a character there is really lost),
    except at the start of a line, where they would hide the clause number.
    """
    pos = 0
    while (mark := line.find("?", pos)) >= 0:
        start = mark
        while start < len(line) and line[start] == "?":
            start += 1
        repaired, pos = _repair_run(line, start)
        if repaired != line and not line[:mark].strip():
            repaired, pos = repaired[:mark] + repaired[start:], pos - (start - mark)
        line = repaired
        pos = max(pos, start)
    return line


# Control characters (C0 but tab and newline, DEL, C1): never text in a plan, and the start of
# terminal escape sequences (ESC [31m, ESC ]0;title BEL, the 8-bit CSI 0x9B).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a reader cannot see: the controls above plus format characters (zero-width spaces and
# joiners, bidirectional overrides that reorder what a terminal or browser shows, the BOM,
# the soft hyphen, invisible tags) and the line/paragraph separators some renderers break on.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def drop_controls(text: str) -> str:
    """``text`` without control characters (tab and newline kept): what ingest reads."""
    return _CONTROL_RE.sub("", text) if _CONTROL_RE.search(text) else text


def show_invisible(text: str) -> str:
    """``text`` with every control or invisible format character written as ``<U+200B>``, so
    no escape sequence reaches a terminal, a CI log or an XML report raw and a reviewer sees a
    zero-width space inside 市卫<U+200B>健委 (tab and newline kept)."""
    if not isinstance(text, str) or not _INVISIBLE_RE.search(text):
        return text
    return _INVISIBLE_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
