"""Structured fields of a requirement and of an aligned clause group, compared with DeepDiff.

Dates, quantified targets and frequencies inside a requirement phrase, and the group's units
and deadlines, are compared as structured values, so 到2020年 -> 到2020年底 or 90% -> 80% is
reported as a changed date or target even when the rest of the wording reads the same.
DeepDiff's paths (``root[3]['units']``) stay inside this module: callers get plain field names.
"""

from __future__ import annotations

import re

from deepdiff import DeepDiff

_DATE = re.compile(
    r"(?:到|至|于|在|从)?\s*\d{4}\s*年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?"
    r"(?:底|末|前|以前|年底|上半年|下半年|第[一二三四]季度)?"
)
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之[零一二三四五六七八九十百点]+")
_FREQUENCY = re.compile(
    r"每(?:[一两二三四五六]?(?:年|半年|季度|个月|月|周|日|天))|年度|季度|定期|不定期|常态化"
)
_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:个|家|次|人|项|所|张|万元|亿元|天|小时|个工作日|个月)")
_PATH = re.compile(r"root\[(\d+)\]\['([^']+)'\]")


def _squash(values: list[str]) -> list[str]:
    return sorted({re.sub(r"\s+", "", value) for value in values})


def sentence_facts(sentence: str) -> dict[str, tuple[str, ...]]:
    """{"dates": (...), "targets": (...)} as written (whitespace removed), sorted."""
    targets = (
        _PERCENT.findall(sentence) + _FREQUENCY.findall(sentence) + _QUANTITY.findall(sentence)
    )
    return {"dates": tuple(_squash(_DATE.findall(sentence))), "targets": tuple(_squash(targets))}


def changed_fields_by_key(before: dict[int, dict], after: dict[int, dict]) -> dict[int, set[str]]:
    """Per record key, the top-level fields whose values differ. Records that are equal as a
    whole (most of them) are skipped; the rest go through one DeepDiff call. Pass collections
    as sets where order carries no meaning: DeepDiff then compares them by membership."""
    out: dict[int, set[str]] = {key: set() for key in before}
    differ = [key for key in before if before[key] != after.get(key)]
    if not differ:
        return out
    diff = DeepDiff({k: before[k] for k in differ}, {k: after.get(k, {}) for k in differ})
    for report in diff.values():
        for path in report:
            match = _PATH.match(str(path))
            if match:
                out[int(match.group(1))].add(match.group(2))
    return out
