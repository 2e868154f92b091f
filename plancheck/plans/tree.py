"""Plan records -> the plan tree: parents, external parents, peers and suggested relatives.

    from plancheck.plans.scan import scan_folder
    from plancheck.plans.tree import build_tree
    tree = build_tree(scan_folder("datasets/raw").plans)

How links are made (all from the documents' own words):

- A citation resolves to a plan of the folder by its document number, else by its normalised
  title (``title_key``: wrapper, office and spaces removed).
- The parent is the nearest level up among the cited plans *held in the folder*; when none is
  held, the nearest level up among the cited plans that are not (an external parent, "not
  available"). Citations that are not the parent stay listed as cited plans.
- Citations of the same document by several plans (one with its number, one without) are one
  external plan: merged by document number, then by title key.
- Plans that implement the same parent at the same level are peers.
- A plan that cites no plan a level up gets up to three *suggested* relatives among the plans
  of the folder at its level or above: character n-gram cosine of the texts, with the score. A
  suggestion is never adopted as a parent; the reviewer decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from plancheck.ingest.metadata import LEVELS, Citation, place_of, title_key
from plancheck.plans.scan import ScannedPlan, plan_id_base, unique_ids

TOP_SUGGESTIONS = 3


@dataclass(frozen=True)
class ExternalPlan:
    """A cited plan that is not in the folder."""

    id: str
    title: str
    doc_number: str | None
    level: str | None
    jurisdiction: str | None
    cited_by: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    id: str
    score: float
    relation: str  # "parent" (a level up) or "peer" (the same level)


@dataclass(frozen=True)
class TreeNode:
    """Links of one plan of the folder. ``parent`` is a plan id (held or external)."""

    id: str
    level: str | None
    parent: str | None
    parent_via: str | None  # "doc_number" | "title" | None
    parent_held: bool
    cited: tuple[str, ...]  # every cited plan's id, held or external, in citation order
    peers: tuple[str, ...]
    suggested: tuple[Suggestion, ...]


@dataclass(frozen=True)
class PlanTree:
    nodes: tuple[TreeNode, ...]
    externals: tuple[ExternalPlan, ...]

    def node(self, plan_id: str) -> TreeNode | None:
        return next((n for n in self.nodes if n.id == plan_id), None)

    def external(self, plan_id: str) -> ExternalPlan | None:
        return next((e for e in self.externals if e.id == plan_id), None)


_T = TypeVar("_T")


def _rank(level: str | None) -> int | None:
    return LEVELS.index(level) if level in LEVELS else None


def _is_above(cited: str | None, citing: str | None) -> bool:
    """A cited plan can be the parent when it is a level up (or a level is unknown)."""
    a, b = _rank(cited), _rank(citing)
    return a is None or b is None or a < b


def _resolve(cite: Citation, by_number: dict, by_key: dict) -> tuple[ScannedPlan | None, str]:
    if cite.doc_number and cite.doc_number in by_number:
        return by_number[cite.doc_number], "doc_number"
    if cite.key in by_key:
        return by_key[cite.key], "title"
    return None, ""


class _Externals:
    """Cited plans outside the folder, merged by document number then title key."""

    def __init__(self) -> None:
        self.entries: list[dict] = []

    def add(self, cite: Citation, citing: str) -> dict:
        for entry in self.entries:
            same_number = cite.doc_number and entry["doc_number"] == cite.doc_number
            if same_number or entry["key"] == cite.key:
                entry["doc_number"] = entry["doc_number"] or cite.doc_number
                entry["cited_by"].append(citing)
                return entry
        inner = title_key(cite.title) if "关于印发" in cite.title else cite.title
        entry = {"key": cite.key, "title": inner, "doc_number": cite.doc_number,
                 "level": cite.level, "cited_by": [citing]}  # fmt: skip
        self.entries.append(entry)
        return entry


def _nearest(candidates: Sequence[tuple[str | None, _T]]) -> _T | None:
    """The candidate nearest above (highest rank number); the first cited wins a tie."""
    best: _T | None = None
    best_rank = -2
    for level, item in candidates:
        ranked = _rank(level)
        rank = ranked if ranked is not None else -1
        if rank > best_rank:
            best, best_rank = item, rank
    return best


def _suggest(plans: Sequence[ScannedPlan], lonely: list[int]) -> dict[str, tuple]:
    """Top-3 relatives (at the same level or above) of each plan whose parent is not held."""
    from plancheck.align.similarity import cosine_matrix

    if not lonely or len(plans) < 2:
        return {}
    texts = [p.text for p in plans]
    scores = cosine_matrix(texts, texts)  # every text weighs the same in the idf
    out = {}
    for i in lonely:
        row = i
        plan = plans[i]
        options = []
        for j, other in enumerate(plans):
            if j == i or not (_is_above(other.meta.level, plan.meta.level) or
                              other.meta.level == plan.meta.level):  # fmt: skip
                continue
            relation = "peer" if other.meta.level == plan.meta.level else "parent"
            options.append((-round(float(scores[row, j]), 3), other.id, relation))
        options.sort()
        out[plan.id] = tuple(
            Suggestion(pid, -neg, rel) for neg, pid, rel in options[:TOP_SUGGESTIONS]
        )
    return out


def build_tree(plans: Sequence[ScannedPlan]) -> PlanTree:
    """Parents, external parents, peers and suggestions of the plans of one folder."""
    by_number = {p.meta.doc_number: p for p in plans if p.meta.doc_number}
    by_key = {title_key(p.meta.title): p for p in plans if p.meta.title}
    externals = _Externals()
    links = {}
    for plan in plans:
        held: list[tuple[str | None, tuple[str, str]]] = []
        outside: list[tuple[str | None, dict[str, Any]]] = []
        cited: list[Any] = []
        for cite in plan.meta.citations:
            target, via = _resolve(cite, by_number, by_key)
            if target is not None and target.id != plan.id:
                cited.append(target.id)
                if _is_above(target.meta.level, plan.meta.level):
                    held.append((target.meta.level, (target.id, via)))
            elif target is None:
                entry = externals.add(cite, plan.id)
                cited.append(entry)
                if _is_above(cite.level, plan.meta.level):
                    outside.append((cite.level, entry))
        links[plan.id] = (_nearest(held), _nearest(outside), cited)
    external_ids = _external_ids(externals.entries, {p.id for p in plans})
    nodes = _nodes(plans, links, external_ids)
    return PlanTree(nodes=nodes, externals=_external_records(externals.entries, external_ids))


def _external_ids(entries: list[dict], taken: set[str]) -> dict[int, str]:
    bases = [plan_id_base(place_of(e["title"]), _year(e), "cited") for e in entries]
    return {id(e): i for e, i in zip(entries, unique_ids(bases, taken), strict=True)}


def _year(entry: dict) -> int | None:
    number = entry["doc_number"] or ""
    return int(number.split("〔")[1][:4]) if "〔" in number else None


def _external_records(entries: list[dict], ids: dict[int, str]) -> tuple[ExternalPlan, ...]:
    return tuple(
        ExternalPlan(
            id=ids[id(e)],
            title=e["title"],
            doc_number=e["doc_number"],
            level=e["level"],
            jurisdiction=place_of(e["title"]),
            cited_by=tuple(dict.fromkeys(e["cited_by"])),
        )
        for e in entries
    )


def _nodes(plans, links, external_ids) -> tuple[TreeNode, ...]:
    parents = {}
    for plan in plans:
        held, outside, _ = links[plan.id]
        if held is not None:
            parents[plan.id] = (held[0], held[1], True)
        elif outside is not None:
            parents[plan.id] = (external_ids[id(outside)], None, False)
        else:
            parents[plan.id] = (None, None, False)
    lonely = [i for i, p in enumerate(plans) if parents[p.id][0] is None]
    suggestions = _suggest(plans, lonely)
    nodes = []
    for plan in plans:
        parent, via, held = parents[plan.id]
        peers = sorted(
            other.id
            for other in plans
            if other.id != plan.id
            and parent is not None
            and parents[other.id][0] == parent
            and other.meta.level == plan.meta.level
        )
        cited = tuple(c if isinstance(c, str) else external_ids[id(c)] for c in links[plan.id][2])
        nodes.append(
            TreeNode(
                plan.id,
                plan.meta.level,
                parent,
                via,
                held,
                cited,
                tuple(peers),
                suggestions.get(plan.id, ()),
            )  # fmt: skip
        )
    return tuple(nodes)
