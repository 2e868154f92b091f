"""Task-text checks: empty or truncated text, traditional characters, pinyin, web junk, and
text OCR was unsure of.

Plans repeat boilerplate, so every check runs on the distinct texts only and the results
are mapped back to rows through the factorised codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plancheck.table.columns import factorize_shared
from plancheck.validate.checks import Param, hits, register_check
from plancheck.validate.checks.context import CheckContext, check_patterns, line_hits, t2s
from plancheck.validate.checks.patterns import RulePattern

# A CJK character followed by a tone-marked syllable in brackets: 醫(yī), 療（liáo）.
PINYIN_RE = r"[\u4e00-\u9fff][(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*[)）]"
DEFAULT_JUNK = [
    r"当前位置\s*[:：]",
    r"首\s*页\s*>",
    r"浏览次数",
    r"发布时间\s*[:：]",
    r"信息来源\s*[:：]",
    r"索\s*引\s*号\s*[:：]",
    r"打印本页|关闭窗口|分享到",
    r"无码|人妻|国产亚洲|欧美一区|日韩精品",
]


def distinct_texts(ctx: CheckContext) -> tuple[np.ndarray, np.ndarray]:
    """(codes, values): task text factorised once per plan and shared by the text checks.

    Missing text counts as "" and other values as their ``str``, as the checks read them.
    """
    if "texts" not in ctx.memo:
        codes, uniques = factorize_shared(ctx.tasks["text"])
        strings = [u if isinstance(u, str) else str(u) for u in uniques] + [""]
        codes = np.where(codes < 0, len(uniques), codes)  # missing -> the "" slot
        merged, values = pd.factorize(np.fromiter(strings, dtype=object, count=len(strings)))
        ctx.memo["texts"] = (merged[codes], np.asarray(values, dtype=object))
    return ctx.memo["texts"]


def _per_value(ctx: CheckContext, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A per-distinct-text value for each hit row."""
    codes, _ = distinct_texts(ctx)
    return values[codes[rows]] if len(rows) else np.zeros(0, dtype=object)


def _rows_where(ctx: CheckContext, flags: np.ndarray) -> np.ndarray:
    codes, _ = distinct_texts(ctx)
    return np.flatnonzero(flags[codes]) if len(codes) else np.zeros(0, dtype="int64")


@register_check("task_text_empty")
def task_text_empty(ctx: CheckContext) -> pd.DataFrame:
    _, values = distinct_texts(ctx)
    flags = np.array([not v.strip() for v in values], dtype=bool)
    return hits(_rows_where(ctx, flags))


@register_check(
    "task_text_truncated",
    params={
        "endings": Param(
            list, ["，", ",", "、", "：", ":", "；", "（", "(", "“", "《", "…", "...", "\ufffd"]
        )
    },
    fields=("tail",),
)
def task_text_truncated(ctx: CheckContext, endings: list[str]) -> pd.DataFrame:
    _, values = distinct_texts(ctx)
    ends = tuple(endings)
    flags = np.array([bool(v.strip()) and v.rstrip().endswith(ends) for v in values], dtype=bool)
    tails = np.array(
        [("…" + v.rstrip()[-8:]) if f else "" for v, f in zip(values, flags, strict=True)],
        dtype=object,
    )
    rows = _rows_where(ctx, flags)
    return hits(rows, tail=_per_value(ctx, rows, tails))


def _changed_chars(text: str, ignore: str) -> str:
    converted = t2s().convert(text)
    if converted == text or len(converted) != len(text):
        return "" if converted == text else "…"
    pairs = dict.fromkeys(
        f"{a}→{b}" for a, b in zip(text, converted, strict=True) if a != b and a not in ignore
    )
    return "、".join(list(pairs)[:5])


@register_check(
    "traditional_chars",
    params={"ignore": Param(str, "", "characters never reported")},
    fields=("chars",),
)
def traditional_chars(ctx: CheckContext, ignore: str) -> pd.DataFrame:
    _, values = distinct_texts(ctx)
    changed = np.array([_changed_chars(v, ignore) for v in values], dtype=object)
    rows = _rows_where(ctx, changed != "")
    return hits(rows, chars=_per_value(ctx, rows, changed))


@register_check("pinyin_annotation", fields=("example",))
def pinyin_annotation(ctx: CheckContext) -> pd.DataFrame:
    _, values = distinct_texts(ctx)
    found = pd.Series(values, dtype=object).str.extract(f"({PINYIN_RE})")[0]
    flags = found.notna().to_numpy()
    rows = _rows_where(ctx, flags)
    return hits(rows, example=_per_value(ctx, rows, found.to_numpy(dtype=object)))


def junk_regex(patterns: list[str]) -> RulePattern:
    return RulePattern("|".join(f"(?:{p})" for p in patterns))


@register_check(
    "web_junk_text",
    params={"patterns": Param(list, DEFAULT_JUNK, "regular expressions", check_patterns)},
    fields=("match",),
)
def web_junk_text(ctx: CheckContext, patterns: list[str]) -> pd.DataFrame:
    _, values = distinct_texts(ctx)
    regex = junk_regex(patterns)
    # Match on simplified text so that navigation left in traditional characters is caught too.
    matches = np.array(
        [(m.group(0) if (m := regex.search(t2s().convert(v))) else "") for v in values],
        dtype=object,
    )
    rows = _rows_where(ctx, matches != "")
    return hits(rows, match=_per_value(ctx, rows, matches))


@register_check(
    "web_junk_lines",
    scope="document",
    params={"patterns": Param(list, DEFAULT_JUNK, "regular expressions", check_patterns)},
    fields=("count",),
)
def web_junk_lines(ctx: CheckContext, patterns: list[str]) -> pd.DataFrame:
    """Site navigation and spam anywhere in the source, even where ingest dropped it from tasks."""
    return line_hits(ctx, junk_regex(patterns))


# The bar below which OCR'd text is not to be trusted unseen: ``ingest.formats.ocr.LOW_CONFIDENCE``
# (the stderr note of ``plancheck tasks``), repeated here so validating a CSV never imports the
# readers (a test keeps the two equal).
LOW_CONFIDENCE = 0.80


def _check_share(value: float) -> None:
    if not 0.0 < value <= 1.0:
        raise ValueError("must be a confidence above 0 and at most 1")


@register_check(
    "ocr_low_confidence",
    params={
        "below": Param(
            (float, int),
            LOW_CONFIDENCE,
            "report tasks whose worst OCR line scored below this",
            _check_share,
        )
    },
    fields=("confidence",),
)
def ocr_low_confidence(ctx: CheckContext, below: float) -> pd.DataFrame:
    """Tasks read by OCR whose worst line the engine was unsure of (``ocr_confidence``, the
    lowest confidence of the task's lines; missing for text that was not OCR'd)."""
    if "ocr_confidence" not in ctx.tasks:
        return hits(confidence=np.zeros(0, dtype=object))
    scores = pd.to_numeric(ctx.tasks["ocr_confidence"], errors="coerce").to_numpy(dtype=float)
    rows = np.flatnonzero(scores < below)  # NaN (not OCR) compares False
    shown = np.array([f"{s:.2f}" for s in scores[rows]], dtype=object)
    return hits(rows, confidence=shown)
