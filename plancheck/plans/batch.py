"""The main job: validate every plan of the manifest and diff each plan against its parent
and its peers, as a set of report files (file name -> text). Pure: nothing is written here.

Pairs: (parent, plan) for every plan whose parent has a bundled source; peers (plans that
implement the same parent) are compared with each other when that parent has no source, so
they are not compared with it (with the parent held, each is already diffed against it, and
peer pairs would grow as the square of a city's counties). In a peer pair the plan with fewer
tasks is taken as the reference, because the finer plan (a task-division table) splits the
coarser plan's clauses, not the other way round.
How the index looks is decided in ``plancheck.report.index``; this module only gathers records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from plancheck.plans.manifest import Manifest

REPORT_FORMATS = ("markdown", "html", "docx")


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

    @property
    def word_files(self) -> tuple[str, str]:
        """The Word review (findings as comments) and the tracked-changes comparison."""
        return f"{self.stem}.docx", f"{self.stem}-redline.docx"


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
            if peer in held and key not in seen and plan.parent not in held:
                seen.add(key)
                coarse, fine = sorted((plan.id, peer), key=lambda p: (task_counts[p], p))
                pairs.append(Pair(coarse, fine, "peer"))
    return pairs


def index_plans(manifest: Manifest, suggestions: dict | None = None) -> list:
    """Every plan of the manifest as an index record (its parent's title and number), with
    the suggested relatives of a scan (id -> ((id, score, relation), ...)) where given."""
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
                suggested=tuple((suggestions or {}).get(plan.id, ())),
            )
        )
    return records


REPORT_NAME_RE = re.compile(r"(?:index|validation)\.(?:md|html)|diff-.+-vs-.+\.(?:md|html|docx)")


def is_report_name(name: str) -> bool:
    """A file name ``plancheck report`` writes (so a stale one may be removed)."""
    return REPORT_NAME_RE.fullmatch(name) is not None


def stale_report_test(written: Iterable[str]) -> Callable[[str], bool]:
    """Which report files in the folder are stale after a run that wrote ``written``.

    Stale = a report of a plan or pair that this run no longer has in any format. A report of a
    current pair in the other format (the HTML beside a Markdown-only run) is the reviewer's,
    not stale: it is kept.
    """
    current = {name.rsplit(".", 1)[0] for name in written}
    return lambda name: is_report_name(name) and name.rsplit(".", 1)[0] not in current


@dataclass(frozen=True)
class ReportSet:
    files: dict[str, str | bytes]  # file name -> text (or .docx bytes), contact details redacted
    diffs: list  # the index rows (plancheck.report.index.IndexDiff), for gates


def build_reports(
    manifest: Manifest,
    *,
    formats: Sequence[str] = ("markdown",),
    progress: Callable[[str], None] = lambda _: None,
    executor=None,
) -> dict[str, str | bytes]:
    """All report files as {file name: text or bytes}, with contact details redacted."""
    return build_report_set(manifest, formats=formats, progress=progress, executor=executor).files


def batch_steps(manifest: Manifest) -> int:
    """How many progress steps a batch takes: each ingest, the validation, each diff."""
    held = manifest.with_sources()
    return len(held) + 1 + len(plan_pairs(manifest, {p.id: 0 for p in held}))


def ingest_and_validate(job: tuple) -> tuple:
    """One plan: load it and check it against the rules (runs in a worker)."""
    from plancheck.normalise.contacts import redact_tasks
    from plancheck.plans.loading import load_plan
    from plancheck.report.redaction import redact_value
    from plancheck.validate.engine import validate_tasks

    plan_id, manifest, book, registry, converter = job
    loaded = load_plan(plan_id, manifest, converter=converter)
    findings = validate_tasks(
        loaded.tasks, loaded.plan, book, registry=registry, source_lines=loaded.source_lines
    )
    # Everything rendered from here on is built from redacted text (before any redline).
    loaded.tasks = redact_tasks(loaded.tasks)
    return loaded, redact_value(list(findings))


def diff_pair(job: tuple) -> tuple[dict[str, str | bytes], object]:
    """One pair: the diff, its report files and its index row (runs in a worker)."""
    from plancheck.align import diff_plans
    from plancheck.plans.loading import plan_info_of
    from plancheck.report.diff_markdown import render_diff_markdown
    from plancheck.report.index import index_diff
    from plancheck.report.redaction import redact_value

    pair, ref, tgt, formats = job
    diff = diff_plans(
        ref.tasks, tgt.tasks, reference_info=plan_info_of(ref), target_info=plan_info_of(tgt)
    )
    diff = redact_value(diff)
    files: dict[str, str | bytes] = {}
    if "markdown" in formats:
        files[pair.filename] = render_diff_markdown(diff, relation=pair.relation)
    if "html" in formats:
        from plancheck.report.diff_html import render_diff_html

        files[f"{pair.stem}.html"] = render_diff_html(diff, relation=pair.relation)
    if "docx" in formats:
        from plancheck.plans.loading import review_source
        from plancheck.report.diff_docx import render_review_docx
        from plancheck.report.diff_redline_docx import render_redline_docx

        review, redline = pair.word_files
        source = review_source(tgt)
        files[review] = render_review_docx(
            diff, relation=pair.relation, target_docx=source.docx, sections=source.sections
        )
        files[redline] = render_redline_docx(diff, relation=pair.relation)
    return files, index_diff(diff, pair.relation, pair.filename)


def build_report_set(
    manifest: Manifest,
    *,
    formats: Sequence[str] = ("markdown",),
    progress: Callable[[str], None] = lambda _: None,
    executor=None,
    suggestions: dict | None = None,
    converter=None,
) -> ReportSet:
    """The report files and the index rows of every diff. ``executor`` (plans.executors) runs
    the ingests and the diffs; by default they run in this process. Results come back in
    manifest order whatever the engine, so the files are the same bytes. ``converter``
    (``ingest.formats.office.OfficeConverter``) reads the legacy office sources: they are
    converted in one LibreOffice run before the ingests start."""
    from plancheck.normalise.contacts import redact
    from plancheck.plans.executors import SerialExecutor
    from plancheck.registry.lookup import load_registry
    from plancheck.report.findings_markdown import render as render_findings
    from plancheck.report.index import render_index_markdown
    from plancheck.validate.engine import ValidationResult
    from plancheck.validate.findings import Finding
    from plancheck.validate.rulebook import load_rulebook

    run = executor or SerialExecutor()
    book, registry = load_rulebook(), load_registry()
    held = manifest.with_sources()
    if converter is not None:
        from plancheck.ingest import prepare_legacy

        prepare_legacy(converter, [plan.source for plan in held if plan.source is not None])
    jobs = [(plan.id, manifest, book, registry, converter) for plan in held]
    loaded, findings = {}, []
    for (plan_id, *_), (plan, found) in zip(jobs, run.map(ingest_and_validate, jobs), strict=True):
        progress(f"ingest {plan_id}")
        loaded[plan_id] = plan
        findings += found
    progress("validate")
    validation = ValidationResult(
        findings=sorted(findings, key=Finding.sort_key),
        plans=list(loaded),
        tasks=sum(len(item.tasks) for item in loaded.values()),
    )
    files: dict[str, str | bytes] = {
        "validation.md": render_findings(validation.findings, validation.summary)
    }
    pairs = plan_pairs(manifest, {k: len(v.tasks) for k, v in loaded.items()})
    diff_jobs = [(p, loaded[p.reference], loaded[p.target], tuple(formats)) for p in pairs]
    rows, plans = [], index_plans(manifest, suggestions)
    for pair, (pair_files, row) in zip(pairs, run.map(diff_pair, diff_jobs), strict=True):
        progress(f"diff {pair.target} vs {pair.reference}")
        files.update(pair_files)
        rows.append(row)
    files["index.md"] = render_index_markdown(plans, rows, validation.summary)
    if "html" in formats:
        from plancheck.report.index_html import render_index_html

        files["index.html"] = render_index_html(
            plans,
            rows,
            validation.summary,
            with_markdown="markdown" in formats,
            with_word="docx" in formats,
        )
    return ReportSet(
        {name: redact(text) if isinstance(text, str) else text for name, text in files.items()},
        rows,
    )
