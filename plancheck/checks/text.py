"""Task-text checks: empty or truncated text, traditional characters, pinyin, web junk.

Plans repeat boilerplate, so every check runs on the distinct texts only and the results
are mapped back to rows through the factorised codes.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from plancheck.checks import Param, hits, register_check
from plancheck.checks.context import CheckContext, check_patterns, line_hits, t2s

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


def distinct_texts(ctx: CheckContext) -> tuple[np.ndarray, pd.Index]:
    """(codes, values): task text factorised once per plan and shared by the text checks."""
    if "texts" not in ctx.memo:
        text = ctx.tasks["text"].fillna("").astype(str)
        ctx.memo["texts"] = pd.factorize(text)
    return ctx.memo["texts"]


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
    rows = _rows_where(ctx, flags)
    tails = ctx.tasks["text"].to_numpy()[rows]
    return hits(rows, tail=pd.Series(["…" + t.rstrip()[-8:] for t in tails], dtype=object))


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
    codes, _ = distinct_texts(ctx)
    return hits(rows, chars=changed[codes[rows]] if len(rows) else [])


@register_check("pinyin_annotation", fields=("example",))
def pinyin_annotation(ctx: CheckContext) -> pd.DataFrame:
    _, values = distinct_texts(ctx)
    found = pd.Series(values, dtype=object).str.extract(f"({PINYIN_RE})")[0]
    flags = found.notna().to_numpy()
    rows = _rows_where(ctx, flags)
    codes, _ = distinct_texts(ctx)
    return hits(rows, example=found.to_numpy()[codes[rows]] if len(rows) else [])


def junk_regex(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


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
    codes, _ = distinct_texts(ctx)
    return hits(rows, match=matches[codes[rows]] if len(rows) else [])


@register_check(
    "web_junk_lines",
    scope="document",
    params={"patterns": Param(list, DEFAULT_JUNK, "regular expressions", check_patterns)},
    fields=("count",),
)
def web_junk_lines(ctx: CheckContext, patterns: list[str]) -> pd.DataFrame:
    """Site navigation and spam anywhere in the source, even where ingest dropped it from tasks."""
    return line_hits(ctx, junk_regex(patterns))
