"""The main job: validate every plan of the manifest and diff each plan against its parent
and its peers, as a set of report files (file name -> text). Pure: nothing is written here.

Pairs: (parent, plan) for every plan whose parent has a bundled source; for peers (plans that
implement the same parent) the plan with fewer tasks is taken as the reference, because the
finer plan (a task-division table) splits the coarser plan's clauses, not the other way round.
How the index looks is decided in ``plancheck.report.index``; this module only gathers records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plancheck.plans.manifest import Manifest

REPORT_FORMATS = ("markdown", "html")


@dataclass(frozen=True)
class Pair:
    reference: str
    target: str
    relation: str  # "parent" or "peer"

    @property
    def stem(self) -> str:
        return f"diff-{self.target}-vs-{self.reference}"

    @property
    def filename(self) -> str:
        return f"{self.stem}.md"


def plan_pairs(manifest: Manifest, task_counts: dict[str, int]) -> list[Pair]:
    """Every (reference, target) pair to diff, in manifest order, each pair once."""
    held = {plan.id for plan in manifest.with_sources()}
    pairs: list[Pair] = []
    seen: set[frozenset[str]] = set()
    for plan in manifest.with_sources():
        if plan.parent in held:
            pairs.append(Pair(plan.parent, plan.id, "parent"))
            seen.add(frozenset((plan.parent, plan.id)))
        for peer in plan.peers:
            key = frozenset((plan.id, peer))
            if peer in held and key not in seen:
                seen.add(key)
                coarse, fine = sorted((plan.id, peer), key=lambda p: (task_counts[p], p))
                pairs.append(Pair(coarse, fine, "peer"))
    return pairs


def index_plans(manifest: Manifest) -> list:
    """Every plan of the manifest as an index record (its parent's title and number)."""
    from plancheck.report.index import IndexPlan

    records = []
    for plan in manifest.plans:
        parent = manifest.get(plan.parent) if plan.parent else None
        records.append(
            IndexPlan(
                id=plan.id,
                title=plan.title,
                level=plan.level,
                doc_number=plan.doc_number or "",
                parent=plan.parent or "",
                parent_title=parent.title if parent else "",
                parent_doc_number=(parent.doc_number or "") if parent else "",
                parent_has_source=bool(parent and parent.source is not None),
                peers=plan.peers,
                has_source=plan.source is not None,
            )
        )
    return records


@dataclass(frozen=True)
class ReportSet:
    files: dict[str, str]  # file name -> text, contact details redacted
    diffs: list  # the index rows (plancheck.report.index.IndexDiff), for gates


def build_reports(
    manifest: Manifest,
    *,
    formats: Sequence[str] = ("markdown",),
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, str]:
    """All report files as {file name: text}, with contact details redacted."""
    return build_report_set(manifest, formats=formats, progress=progress).files


def build_report_set(
    manifest: Manifest,
    *,
    formats: Sequence[str] = ("markdown",),
    progress: Callable[[str], None] = lambda _: None,
) -> ReportSet:
    """The report files and the index rows of every diff."""
    from plancheck.align import diff_plans
    from plancheck.normalise.contacts import redact
    from plancheck.plans.loading import load_plan, plan_info_of
    from plancheck.registry.lookup import load_registry
    from plancheck.report.diff_markdown import render_diff_markdown
    from plancheck.report.findings_markdown import render as render_findings
    from plancheck.report.index import index_diff, render_index_markdown
    from plancheck.report.redaction import redact_value
    from plancheck.validate.engine import validate_loaded
    from plancheck.validate.rulebook import load_rulebook

    loaded = {}
    for plan in manifest.with_sources():
        progress(f"ingest {plan.id}")
        loaded[plan.id] = load_plan(plan.id, manifest)
    progress("validate")
    validation = validate_loaded(list(loaded.values()), load_rulebook(), registry=load_registry())
    files = {"validation.md": render_findings(validation.findings, validation.summary)}
    rows, plans = [], index_plans(manifest)
    for pair in plan_pairs(manifest, {k: len(v.tasks) for k, v in loaded.items()}):
        progress(f"diff {pair.target} vs {pair.reference}")
        ref, tgt = loaded[pair.reference], loaded[pair.target]
        diff = diff_plans(
            ref.tasks, tgt.tasks, reference_info=plan_info_of(ref), target_info=plan_info_of(tgt)
        )
        diff = redact_value(diff)
        if "markdown" in formats:
            files[pair.filename] = render_diff_markdown(diff, relation=pair.relation)
        if "html" in formats:
            from plancheck.report.diff_html import render_diff_html

            files[f"{pair.stem}.html"] = render_diff_html(diff, relation=pair.relation)
        rows.append(index_diff(diff, pair.relation, pair.filename))
    files["index.md"] = render_index_markdown(plans, rows, validation.summary)
    if "html" in formats:
        from plancheck.report.index_html import render_index_html

        files["index.html"] = render_index_html(
            plans, rows, validation.summary, with_markdown="markdown" in formats
        )
    return ReportSet({name: redact(text) for name, text in files.items()}, rows)
