"""Dates, quantified targets and frequencies stated inside a requirement sentence.

They are compared as structured values, so 到2020年 -> 到2020年底 or 90% -> 80% is reported as a
changed date or target even when the rest of the sentence reads the same.
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


def _squash(values: list[str]) -> list[str]:
    return sorted({re.sub(r"\s+", "", value) for value in values})


def sentence_facts(sentence: str) -> dict[str, list[str]]:
    """{"dates": [...], "targets": [...]} as written (whitespace removed), sorted."""
    dates = _squash(_DATE.findall(sentence))
    targets = (
        _PERCENT.findall(sentence) + _FREQUENCY.findall(sentence) + _QUANTITY.findall(sentence)
    )
    return {"dates": dates, "targets": _squash(targets)}


def fact_sets(facts: dict[str, list[str]]) -> dict[str, set[str]]:
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


def changed_fields_by_key(before: dict[int, dict], after: dict[int, dict]) -> dict[int, set[str]]:
    """``changed_fields`` for many records at once (one DeepDiff call: it has a high fixed cost)."""
    out: dict[int, set[str]] = {key: set() for key in before}
    differing = [key for key in before if before[key] != after[key]]
    if not differing:
        return out
    diff = DeepDiff({k: before[k] for k in differing}, {k: after[k] for k in differing})
    for report in diff.values():
        for path in report:
            match = re.match(r"root\[(\d+)\]\['([^']+)'\]", str(path))
            if match:
                out[int(match.group(1))].add(match.group(2))
    return out
