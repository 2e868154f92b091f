"""A folder of plans as the rest of plancheck sees it: scanned, linked, and as a Manifest.

    from plancheck.plans.folder import scan_plans
    folder = scan_plans("datasets/raw")
    folder.manifest          # a Manifest built in memory: `plancheck report FOLDER` runs on it
    folder.tree              # parents, external parents, peers, suggestions

With an existing manifest, its hand-written ids and fields are applied before linking, so a
link resolves by what the reviewer wrote (a document number the document itself omits).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plancheck.ingest.metadata import LEVELS
from plancheck.plans.manifest import Manifest
from plancheck.plans.manifest_write import (
    ScannedEntry,
    apply_hand_written,
    external_id_map,
    scanned_entries,
)
from plancheck.plans.scan import ScannedPlan, scan_folder
from plancheck.plans.tree import PlanTree, build_tree


@dataclass(frozen=True)
class ScannedFolder:
    folder: Path
    plans: tuple[ScannedPlan, ...]
    tree: PlanTree
    entries: tuple[ScannedEntry, ...]
    skipped: tuple[tuple[Path, str], ...]
    renamed: dict[str, str]  # scanned id of a cited plan -> the manifest's id for it

    @property
    def suggestions(self) -> dict[str, tuple]:
        """Plan id -> its suggested relatives ((id, score, relation), ...), for the index."""
        return {e.plan.id: e.suggested for e in self.entries if e.suggested}

    @property
    def manifest(self) -> Manifest:
        """The scan as a manifest held in memory (suggestions are not parents), its plans in
        the order a freshly written manifest has them (level, then id)."""
        rank = {level: i for i, level in enumerate(LEVELS)}
        plans = sorted((e.plan for e in self.entries), key=lambda p: (rank.get(p.level, 9), p.id))
        return Manifest(path=self.folder / "plans.yaml", plans=tuple(plans))


def scan_plans(folder: Path | str, manifest: Manifest | None = None, *, mapper=map, converter=None):
    """Scan ``folder`` and link its plans; ``manifest`` supplies hand-written fields;
    ``converter`` reads legacy office files (see ``scan_folder``)."""
    result = scan_folder(folder, mapper=mapper, converter=converter)
    plans = apply_hand_written(list(result.plans), manifest)
    tree = build_tree(plans)
    renamed = external_id_map(tree, manifest)
    entries = scanned_entries(plans, tree, renamed)
    return ScannedFolder(Path(folder), tuple(plans), tree, tuple(entries), result.skipped, renamed)


def tree_records(folder: ScannedFolder) -> list[dict]:
    """The tree as plain records, one per plan (held plans first, then cited plans outside
    the folder), for renderers and ``plancheck scan --format json``. Ids are the manifest's."""
    from plancheck.plans.loading import display_path

    nodes = {n.id: n for n in folder.tree.nodes}
    records = []
    for entry in folder.entries:
        plan, node = entry.plan, nodes.get(entry.plan.id)
        records.append({
            "id": plan.id, "title": plan.title, "level": plan.level,
            "jurisdiction": plan.jurisdiction, "doc_number": plan.doc_number,
            "issued": plan.issued,
            "source": display_path(plan.source) if plan.source else None,
            "held": plan.source is not None,
            "parent": plan.parent,
            "parent_via": node.parent_via if node else None,
            "parent_held": node.parent_held if node else False,
            "peers": list(plan.peers),
            "cited_by": [] if node else _cited_by(folder, plan.id),
            "suggested": [
                {"id": sid, "score": score, "relation": relation}
                for sid, score, relation in entry.suggested
            ],
        })  # fmt: skip
    return records


def _cited_by(folder: ScannedFolder, plan_id: str) -> list[str]:
    for ext in folder.tree.externals:
        if folder.renamed.get(ext.id, ext.id) == plan_id:
            return list(ext.cited_by)
    return []
