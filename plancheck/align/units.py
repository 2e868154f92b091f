"""Responsible units compared by function, not by name.

省卫生健康委, 市卫健委 and 县卫生健康局 are the same function at three levels, so a unit is
reduced to a key before comparing. The department registry provides the key when it is
available; ``fallback_unit_key`` is a small stand-in that strips the level prefix and the
jurisdiction's name and folds the commonest aliases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from plancheck.align.model import UnitChanges

UnitKey = Callable[[str], "str | None"]

_PREFIX = re.compile(r"^(?:国家|省|市|县|区|自治区|州)(?=.{2,})")
# Common names of one function; the key is the first (normalised) form.
_ALIASES: dict[str, tuple[str, ...]] = {
    "卫生健康": (
        "卫健委",
        "卫健局",
        "卫生健康委员会",
        "卫生健康委",
        "卫生健康局",
        "卫生和计划生育委员会",
        "卫计委",
        "卫计局",
        "卫生局",
    ),
    "市场监管": (
        "市场监督管理局",
        "市场监管局",
        "工商行政管理局",
        "工商局",
        "食品药品监督管理局",
        "食药监局",
        "质监局",
    ),
    "医疗保障": ("医疗保障局", "医保局"),
    "发展改革": ("发展和改革委员会", "发展改革委", "发改委", "发改局"),
    "人力资源社会保障": (
        "人力资源和社会保障局",
        "人力资源社会保障局",
        "人力资源社会保障厅",
        "人社局",
        "人社厅",
    ),
    "生态环境": ("生态环境局", "生态环境厅", "环境保护局", "环保局"),
    "文化旅游": ("文化广电旅游局", "文旅广电局", "文化和旅游局", "文旅局", "文化和旅游厅"),
    "营商环境": ("营商环境建设局", "营商环境局", "营商局"),
    "政府督查": ("政府督查室", "督查室"),
}
_ALIAS_KEY = {alias: key for key, aliases in _ALIASES.items() for alias in aliases}
_SUFFIX = re.compile(r"(?:厅|局|委员会|委|办公室|办)$")


def fallback_unit_key(name: str, strip_names: Iterable[str] = ()) -> str | None:
    """A function key without the registry: 省卫生健康委/县卫健局 -> 卫生健康, 市司法局 -> 司法."""
    unit = re.sub(r"\s+", "", name or "")
    for place in strip_names:
        if place and unit.startswith(place) and len(unit) > len(place) + 1:
            unit = unit[len(place) :]
    unit = _PREFIX.sub("", unit)
    if not unit:
        return None
    for alias in sorted(_ALIAS_KEY, key=len, reverse=True):
        if unit.endswith(alias):
            return _ALIAS_KEY[alias]
    return _SUFFIX.sub("", unit) or unit


def _keyed(units: Sequence[str], key: UnitKey) -> dict[str, str]:
    """{function key: first name given for it}, in order of first appearance."""
    keyed: dict[str, str] = {}
    for unit in units:
        keyed.setdefault(key(unit) or f"?{unit}", unit)
    return keyed


def compare_units_many(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    reference_key: UnitKey,
    target_key: UnitKey,
) -> list[UnitChanges]:
    """Dropped/added units and a changed lead for each (reference, target) unit list, compared
    by function: the lead changed when the first unit of each side has another function.

    A side that names no units cannot be compared (a provincial summary often lists none), so
    only the leads are reported then, and nothing is called dropped or added.
    """
    out = []
    for ref_units, tgt_units in pairs:
        if not (ref_units and tgt_units):
            leads = (ref_units[0] if ref_units else None, tgt_units[0] if tgt_units else None)
            out.append(UnitChanges(reference_lead=leads[0], target_lead=leads[1]))
            continue
        ref, tgt = _keyed(ref_units, reference_key), _keyed(tgt_units, target_key)
        if ref.keys() == tgt.keys():  # the same functions (most groups): nothing dropped or added
            dropped: tuple[str, ...] = ()
            added: tuple[str, ...] = ()
        else:
            dropped = tuple(name for key, name in ref.items() if key not in tgt)
            added = tuple(name for key, name in tgt.items() if key not in ref)
        lead_changed = next(iter(ref)) != next(iter(tgt))
        out.append(UnitChanges(dropped, added, ref_units[0], tgt_units[0], lead_changed))
    return out


def compare_units(
    reference: Sequence[str], target: Sequence[str], reference_key: UnitKey, target_key: UnitKey
) -> UnitChanges:
    """``compare_units_many`` for one pair."""
    return compare_units_many([(reference, target)], reference_key, target_key)[0]
