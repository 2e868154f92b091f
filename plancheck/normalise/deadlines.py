"""Deadlines as written (2019年9月, 2020年6月底前, 持续开展) -> a comparable date or period.

Returned forms: "YYYY-MM-DD", "YYYY-MM", "YYYY", "ongoing", or None when unreadable.
"""

from __future__ import annotations

import re

ONGOING_WORDS = ("持续开展", "持续推进", "长期坚持", "长期", "持续", "常态化", "每年", "逐年")
_DATE_RE = re.compile(
    r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)?\s*(底|末|年底|年末)?"
)
_SEASON_END = {
    "上半年": "06",
    "下半年": "12",
    "一季度": "03",
    "二季度": "06",
    "三季度": "09",
    "四季度": "12",
}


def parse_deadline(text: str | None) -> str | None:
    """Parse one deadline cell. A range (2019年8月至2020年8月) yields its end."""
    if text is None:
        return None
    text = re.sub(r"\s+", "", str(text))
    if not text:
        return None
    if any(word in text for word in ONGOING_WORDS):
        return "ongoing"
    matches = list(_DATE_RE.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    year, month, day, end = last.groups()
    for season, season_month in _SEASON_END.items():
        if season in text[last.end() : last.end() + 4]:
            return f"{year}-{season_month}"
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if month:
        return f"{year}-{int(month):02d}"
    return f"{year}-12" if end else year
