"""How a report names the two plans of a diff: a parent and its local plan, or two peers."""

from __future__ import annotations

from dataclasses import dataclass

RELATIONS = ("parent", "peer")


@dataclass(frozen=True)
class Sides:
    relation: str
    reference: str  # short label: 上级 / 同级参照
    target: str  # 本级 / 本方案
    reference_plan: str  # 上级方案 reference / 同级参照方案 peer
    target_plan: str
    against: str  # the line under the title

    @property
    def is_peer(self) -> bool:
        return self.relation == "peer"


def sides_for(relation: str = "parent") -> Sides:
    """Labels for a parent → local comparison, or for a comparison of two peer plans."""
    if relation == "peer":
        return Sides(
            "peer",
            "同级参照",
            "本方案",
            "同级参照方案 peer",
            "本方案 target",
            "同级比对 compared with peer",
        )
    return Sides(
        "parent",
        "上级",
        "本级",
        "上级方案 reference",
        "本级方案 target",
        "对照上级方案 against parent",
    )
