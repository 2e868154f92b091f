"""Dates, quantified targets and frequencies stated inside a requirement sentence.

They are compared as structured values, so 到2020年 -> 到2020年底 or 90% -> 80% is reported as a
changed date or target even when the rest of the sentence reads the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


def _squash(values: list[str]) -> list[str]:
    return sorted({re.sub(r"\s+", "", value) for value in values})


def sentence_facts(sentence: str) -> dict[str, tuple[str, ...]]:
    """{"dates": (...), "targets": (...)} as written (whitespace removed), sorted."""
    return dict(_facts(sentence))


@lru_cache(maxsize=1 << 14)
def _facts(sentence: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Cached: a batch meets the same reference sentences again and again."""
    dates = _squash(_DATE.findall(sentence))
    targets = (
        _PERCENT.findall(sentence) + _FREQUENCY.findall(sentence) + _QUANTITY.findall(sentence)
    )
    return (("dates", tuple(dates)), ("targets", tuple(_squash(targets))))


def fact_sets(facts: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    return {key: set(values) for key, values in facts.items()}


def changed_fields(before: dict, after: dict) -> set[str]:
    """Top-level keys whose values differ; DeepDiff's paths stay inside this function.

    Pass collections as sets: DeepDiff compares them by membership, and fast. Equal inputs,
    the common case, never reach DeepDiff."""
    if before == after:
        return set()
    diff = DeepDiff(before, after)
    fields: set[str] = set()
    for report in diff.values():
        for path in report:
            match = re.match(r"root\['([^']+)'\]", str(path))
            if match:
                fields.add(match.group(1))
    return fields


def _flat(record: dict) -> bool:
    """Only strings, None and sets of strings: for these, DeepDiff reports a path under a
    top-level field exactly when ``!=`` says the two values differ (numbers are left out:
    DeepDiff tells 1 from 1.0, ``!=`` does not)."""
    return all(
        value is None
        or type(value) is str
        or (type(value) in (set, frozenset) and _STR.issuperset(map(type, value)))
        for value in record.values()
    )


_STR = frozenset({str})


def changed_fields_by_key(before: dict[int, dict], after: dict[int, dict]) -> dict[int, set[str]]:
    """``changed_fields`` for many records at once.

    Flat records (strings and sets of strings: every caller's dates, targets and units) are
    compared field by field, which gives what DeepDiff's top-level paths would at a small
    fraction of its cost (about 0.15 ms per changed field, the largest single cost of a diff);
    any other record goes through one DeepDiff call, as its paths need interpreting."""
    out: dict[int, set[str]] = {key: set() for key in before}
    nested = []
    for key in before:
        ref, tgt = before[key], after[key]
        if ref == tgt:
            continue
        if _flat(ref) and _flat(tgt):
            missing = object()
            out[key] = {
                f for f in ref.keys() | tgt.keys() if ref.get(f, missing) != tgt.get(f, missing)
            }
        else:
            nested.append(key)
    if not nested:
        return out
    diff = DeepDiff({k: before[k] for k in nested}, {k: after[k] for k in nested})
    for report in diff.values():
        for path in report:
            match = re.match(r"root\[(\d+)\]\['([^']+)'\]", str(path))
            if match:
                out[int(match.group(1))].add(match.group(2))
    return out
