"""The main job: validate every plan of the manifest and diff each plan against its parent
and its peers, as a set of Markdown files (file name -> text). Pure: nothing is written here.

Pairs: (parent, plan) for every plan whose parent has a bundled source; for peers (plans that
implement the same parent) the plan with fewer tasks is taken as the reference, because the
finer plan (a task-division table) splits the coarser plan's clauses, not the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plancheck.plans.manifest import Manifest


@dataclass(frozen=True)
class Pair:
    reference: str
    target: str
    relation: str  # "parent" or "peer"

    @property
    def filename(self) -> str:
        return f"diff-{self.target}-vs-{self.reference}.md"


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


def _index(manifest: Manifest, validation, diffs: list[tuple[Pair, object]]) -> str:
    summary = validation.summary
    lines = [
        "# plancheck 审查报告索引 Audit report index",
        "",
        f"- [校验结果 Validation](validation.md): {len(manifest.with_sources())} 个方案 plans，"
        f"{summary.get('errors', 0)} 个错误 errors，{summary.get('warnings', 0)} 个警告 warnings",
        "",
        "## 方案比对 Plan diffs",
        "",
    ]
    for pair, diff in diffs:
        s = diff.summary
        kind = "上级方案 parent" if pair.relation == "parent" else "同级方案 peer"
        lines.append(
            f"- [{pair.target} ↔ {pair.reference}]({pair.filename})（{kind}）: "
            f"上级条款 {s.reference_clauses} 条，保留 kept {s.kept}，有变化 changed {s.changed}，"
            f"缺失 omitted {s.omitted}，本级新增 added {s.added}；"
            f"条款内遗漏要求 requirements left out {s.omitted_requirements}"
        )
    return "\n".join(lines) + "\n"


def build_reports(
    manifest: Manifest, *, progress: Callable[[str], None] = lambda _: None
) -> dict[str, str]:
    """All report files as {file name: Markdown}, with contact details redacted."""
    from plancheck.align import diff_plans
    from plancheck.normalise.contacts import redact
    from plancheck.plans.loading import load_plan, plan_info_of
    from plancheck.registry.lookup import load_registry
    from plancheck.report.diff_markdown import render_diff_markdown
    from plancheck.report.findings_markdown import render as render_findings
    from plancheck.validate.engine import validate_loaded
    from plancheck.validate.rulebook import load_rulebook

    loaded = {}
    for plan in manifest.with_sources():
        progress(f"ingest {plan.id}")
        loaded[plan.id] = load_plan(plan.id, manifest)
    progress("validate")
    validation = validate_loaded(list(loaded.values()), load_rulebook(), registry=load_registry())
    files = {"validation.md": render_findings(validation.findings, validation.summary)}
    diffs = []
    for pair in plan_pairs(manifest, {k: len(v.tasks) for k, v in loaded.items()}):
        progress(f"diff {pair.target} vs {pair.reference}")
        ref, tgt = loaded[pair.reference], loaded[pair.target]
        diff = diff_plans(
            ref.tasks, tgt.tasks, reference_info=plan_info_of(ref), target_info=plan_info_of(tgt)
        )
        files[pair.filename] = render_diff_markdown(diff)
        diffs.append((pair, diff))
    files["index.md"] = _index(manifest, validation, diffs)
    return {name: redact(text) for name, text in files.items()}
