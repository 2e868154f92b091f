"""Scanned plans -> manifest entries, merged into an existing manifest without losing a word.

The existing file is read with ruamel.yaml's round-trip loader, so its comments, key order and
hand-written entries survive. A scanned plan is the same entry as a hand-written one when both
name the same source file (held plans), or the same document number, else the same normalised
title (cited plans that are not in the folder). Hand-written fields win: a scanned value only
fills a field the entry lacks or leaves empty. New plans are appended, level by level.
Suggested relatives are written as a comment on the entry's ``parent`` line, never as a
parent: the reviewer adopts one by writing it there.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, replace
from pathlib import Path

from plancheck.errors import ConfigError
from plancheck.ingest.metadata import LEVELS, title_key
from plancheck.plans.manifest import Manifest, Plan
from plancheck.plans.scan import ScannedPlan
from plancheck.plans.tree import PlanTree

FIELDS = ("id", "title", "jurisdiction", "level", "issued", "doc_number", "source", "parent")
HEADER = """\
The plans plancheck knows about, written by `plancheck scan --write-manifest`.
Edit freely: hand-written fields win over scanned ones when the scan runs again.
  parent     the plan this one implements (the diff compares against it)
  peers      plans implementing the same parent at the same level
  source     null for a plan that is cited but not in the folder (not available)
"""


@dataclass(frozen=True)
class ScannedEntry:
    """A manifest entry built from the scan (ids already mapped to the manifest's)."""

    plan: Plan
    suggested: tuple[tuple[str, float, str], ...] = ()  # (id, score, parent | peer)


def apply_hand_written(plans: list[ScannedPlan], manifest: Manifest | None) -> list[ScannedPlan]:
    """The scanned plans with the manifest's id, title, number, date and level where it has
    them (matched by source file), so links resolve by what the reviewer wrote."""
    if manifest is None:
        return list(plans)
    by_source = {p.source.resolve(): p for p in manifest.with_sources() if p.source}
    out = []
    for plan in plans:
        hand = by_source.get(plan.source.resolve())
        if hand is None:
            out.append(plan)
            continue
        meta = replace(
            plan.meta,
            title=hand.title or plan.meta.title,
            doc_number=hand.doc_number or plan.meta.doc_number,
            issued=hand.issued or plan.meta.issued,
            level=hand.level or plan.meta.level,
        )
        out.append(replace(plan, id=hand.id, meta=meta))
    return out


def external_id_map(tree: PlanTree, manifest: Manifest | None) -> dict[str, str]:
    """Scanned external ids -> hand-written ids of the same cited plan (number, then title)."""
    if manifest is None:
        return {}
    unheld = [p for p in manifest.plans if p.source is None]
    mapping = {}
    for ext in tree.externals:
        same = next((p for p in unheld if ext.doc_number and p.doc_number == ext.doc_number), None)
        same = same or next((p for p in unheld if title_key(p.title) == title_key(ext.title)), None)
        if same is not None:
            mapping[ext.id] = same.id
    return mapping


def scanned_entries(
    plans: list[ScannedPlan], tree: PlanTree, id_map: dict[str, str] | None = None
) -> list[ScannedEntry]:
    """Manifest entries for the held plans and the cited plans outside the folder."""
    ids = id_map or {}

    def rename(plan_id: str) -> str:
        return ids.get(plan_id, plan_id)

    entries = []
    for plan in plans:
        node = tree.node(plan.id)
        if node is None:  # every scanned plan is a node of its own tree
            continue
        meta = plan.meta
        entries.append(ScannedEntry(
            Plan(id=plan.id, title=meta.title or plan.source.stem,
                 jurisdiction=meta.jurisdiction or "", level=meta.level or "city",
                 issued=meta.issued, doc_number=meta.doc_number, source=plan.source,
                 parent=rename(node.parent) if node.parent else None,
                 peers=tuple(rename(p) for p in node.peers)),
            tuple((rename(s.id), s.score, s.relation) for s in node.suggested),
        ))  # fmt: skip
    for ext in tree.externals:
        entries.append(ScannedEntry(Plan(
            id=rename(ext.id), title=ext.title, jurisdiction=ext.jurisdiction or "",
            level=ext.level or "province", doc_number=ext.doc_number,
        )))  # fmt: skip
    return entries


def _value(plan: Plan, key: str, folder: Path):
    value = getattr(plan, key)
    if key == "source" and value is not None:
        return Path(os.path.relpath(Path(value).resolve(), folder.resolve())).as_posix()
    if key == "issued" and value:
        return dt.date.fromisoformat(value)
    return value


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments and order survive
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.representer.add_representer(type(None), _null)
    return yaml


def _null(representer, _value):
    """Empty fields as ``null``, as a person writes them (ruamel writes nothing by default)."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _load_existing(path: Path, yaml):
    from ruamel.yaml import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    if not path.exists():
        doc = CommentedMap()
        doc["plans"] = CommentedSeq()
        doc.yaml_set_start_comment(HEADER)
        return doc
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the manifest ({err}); fix it first") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("plans"), list):
        raise ConfigError(f"{path}: expected a top-level 'plans:' list; fix it first")
    return doc


def _matching(existing, entry: ScannedEntry, folder: Path):
    for item in existing:
        if not isinstance(item, dict):
            continue
        if item.get("id") == entry.plan.id:
            return item
        source = item.get("source")
        if entry.plan.source is not None and source and _same_file(folder / str(source), entry):
            return item
    return None


def _same_file(path: Path, entry: ScannedEntry) -> bool:
    return entry.plan.source is not None and path.resolve() == entry.plan.source.resolve()


def _comment_suggestions(item, entry: ScannedEntry) -> None:
    if entry.suggested and not item.get("parent"):
        text = ", ".join(f"{pid} {score:.3f}" for pid, score, _ in entry.suggested)
        item.yaml_add_eol_comment(f"suggested, not adopted: {text}", "parent")


def merge_manifest_text(path: Path, entries: list[ScannedEntry]) -> str:
    """The manifest text with the scanned entries merged in (hand-written fields win)."""
    from ruamel.yaml import CommentedMap

    path = Path(path)
    folder = path.parent
    yaml = _yaml()
    doc = _load_existing(path, yaml)
    plans = doc["plans"]
    rank = {level: i for i, level in enumerate(LEVELS)}
    new = []
    for entry in entries:
        item = _matching(plans, entry, folder)
        if item is None:
            item = CommentedMap()
            new.append((rank.get(entry.plan.level, 9), entry.plan.id, item))
        for key in FIELDS:
            if item.get(key) in (None, "", []):
                item[key] = _value(entry.plan, key, folder)
        if entry.plan.peers and not item.get("peers"):
            item["peers"] = list(entry.plan.peers)
        _comment_suggestions(item, entry)
    for _, _, item in sorted(new, key=lambda t: t[:2]):
        plans.append(item)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return buffer.getvalue()
