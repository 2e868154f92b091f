"""Structured fields of a requirement and of an aligned clause group, and how they differ.

Dates, quantified targets and frequencies inside a requirement phrase, and the group's
deadlines, are compared as structured values, so 到2020年 -> 到2020年底 or 90% -> 80% is
reported as a changed date or target even when the rest of the wording reads the same.
Flat records are compared field by field; DeepDiff only sees nested ones, and its paths
(``root[3]['units']``) stay inside this module: callers get plain field names. A group's
units are sets of function keys and a lead, compared directly in ``units.py``.
"""

from __future__ import annotations

import re

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
    """Per record key, the top-level fields whose values differ.

    The records are flat (strings and sets of strings: dates, targets, units, lead, deadline),
    so ``!=`` per field says exactly what a structural diff would, at a small fraction of
    DeepDiff's cost (about 0.5 ms per differing record, which alone would take the whole
    per-pair speed budget of a batch). DeepDiff is kept for nested records, should a caller
    pass one; its paths (``root[3]['units']``) stay inside this function."""
    out: dict[int, set[str]] = {key: set() for key in before}
    nested = []
    for key, ref in before.items():
        tgt = after.get(key, {})
        if ref == tgt:
            continue
        if _flat(ref) and _flat(tgt):
            out[key] = {f for f in ref.keys() | tgt.keys() if ref.get(f) != tgt.get(f)}
        else:
            nested.append(key)
    if nested:
        from deepdiff import DeepDiff  # only here: every diff CLI run would pay its import

        diff = DeepDiff({k: before[k] for k in nested}, {k: after.get(k, {}) for k in nested})
        for report in diff.values():
            for path in report:
                match = _PATH.match(str(path))
                if match:
                    out[int(match.group(1))].add(match.group(2))
    return out


def _flat(record: dict) -> bool:
    """Only strings, None and sets of strings (numbers excluded: DeepDiff tells 1 from 1.0)."""
    return all(
        value is None
        or isinstance(value, str)
        or (isinstance(value, (set, frozenset)) and all(isinstance(v, str) for v in value))
        for value in record.values()
    )
