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
from dataclasses import dataclass, field

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


REPORT_NAME_RE = re.compile(
    r"(?:index|validation)\.(?:md|html)|diff-.+-vs-.+\.(?:md|html|docx)|matrix-.+\.(?:json|xlsx)"
)
MATRIX_MIN_PLANS = 2  # a parent with this many local plans diffed against it gets a matrix


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
    files: dict[str, str | bytes]  # file name -> text (xlsx, docx: bytes), contact details redacted
    diffs: list  # the index rows (plancheck.report.index.IndexDiff), for gates
    matrices: list = field(default_factory=list)  # plancheck.report.matrix.CoverageMatrix


def build_reports(
    manifest: Manifest,
    *,
    formats: Sequence[str] = ("markdown",),
    progress: Callable[[str], None] = lambda _: None,
    executor=None,
) -> dict[str, str | bytes]:
    """All report files as {file name: text (xlsx, docx: bytes)}, with contact details redacted."""
    return build_report_set(manifest, formats=formats, progress=progress, executor=executor).files


def batch_steps(manifest: Manifest) -> int:
    """How many progress steps a batch takes: each ingest, the validation, each diff."""
    held = manifest.with_sources()
    return len(held) + 1 + len(plan_pairs(manifest, {p.id: 0 for p in held}))


def ingest_and_validate(job: tuple) -> tuple:
    """One plan: read it from its source's bytes and check it against the rules (runs in a
    worker, which needs no file system shared with the client: the job holds the document)."""
    from plancheck.normalise.contacts import redact_tasks
    from plancheck.plans.loading import load_from_bytes
    from plancheck.report.redaction import redact_value
    from plancheck.validate.engine import validate_tasks

    plan, document, book, registry, converter = job
    loaded = load_from_bytes(plan, document, converter=converter)
    findings = validate_tasks(
        loaded.tasks, loaded.plan, book, registry=registry, source_lines=loaded.source_lines
    )
    # Everything rendered from here on is built from redacted text (before any redline).
    loaded.tasks = redact_tasks(loaded.tasks)
    return loaded, redact_value(list(findings))


def diff_pair(job: tuple) -> tuple[dict[str, str | bytes], object, object]:
    """One pair: the diff, its report files, its index row and, for a parent pair, its column
    of the parent's coverage matrix: (requirement rows, MatrixColumn) (runs in a worker)."""
    from plancheck.align import diff_plans
    from plancheck.align.engine import prepare_plan
    from plancheck.align.state import DiffState
    from plancheck.plans.loading import plan_info_of
    from plancheck.report.diff_markdown import render_diff_markdown
    from plancheck.report.index import index_diff
    from plancheck.report.matrix import MatrixColumn, column_states, requirement_rows
    from plancheck.report.redaction import redact_value

    pair, ref, tgt, formats = job
    state = DiffState()
    parent = prepare_plan(ref.tasks, plan_info_of(ref))  # read once: for the diff and the rows
    diff = diff_plans(parent, tgt.tasks, target_info=plan_info_of(tgt), state=state)
    diff = redact_value(diff)
    column = None
    if pair.relation == "parent":
        rows = requirement_rows(parent, state.wording)
        states = column_states(rows, diff)
        column = (rows, MatrixColumn(tgt.plan.id, tgt.plan.title, states, pair.stem))
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
    from plancheck.normalise.contacts import redact

    # the last pass over the rendered text runs here, in the worker, not in the client
    files = {name: redact(text) if isinstance(text, str) else text for name, text in files.items()}
    return files, index_diff(diff, pair.relation, pair.filename), column


def coverage_matrices(manifest: Manifest, columns: Sequence[tuple]) -> list:
    """The coverage matrix of every parent with MATRIX_MIN_PLANS or more local plans diffed
    against it, from the columns the diffs gave ((parent id, rows, MatrixColumn)), in
    manifest order of the parents and of their plans."""
    from plancheck.report.matrix import build_matrix

    by_parent: dict[str, list[tuple]] = {}
    for parent, rows, column in columns:
        by_parent.setdefault(parent, []).append((rows, column))
    out = []
    for plan in manifest.plans:
        found = by_parent.get(plan.id, [])
        if len(found) >= MATRIX_MIN_PLANS:
            out.append(build_matrix(plan.id, plan.title, found[0][0], [c for _, c in found]))
    return out


def matrix_files(matrices: Sequence) -> dict[str, str | bytes]:
    """matrix-<parent>.json and matrix-<parent>.xlsx for each matrix."""
    from plancheck.report.matrix_render import render_matrix_json, render_matrix_xlsx

    files: dict[str, str | bytes] = {}
    for matrix in matrices:
        files[f"matrix-{matrix.parent}.json"] = render_matrix_json([matrix])
        files[f"matrix-{matrix.parent}.xlsx"] = render_matrix_xlsx(matrix)
    return files


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
    from plancheck.plans.loading import source_document
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
    # each document read here and sent as bytes with its name (workers share no files)
    jobs = [
        (plan, source_document(plan.source), book, registry, converter)  # type: ignore[arg-type]
        for plan in held
    ]
    loaded, findings = {}, []
    for (spec, *_), (plan, found) in zip(jobs, run.map(ingest_and_validate, jobs), strict=True):
        plan_id = spec.id
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
    rows, plans, columns = [], index_plans(manifest, suggestions), []
    checked: set[str] = set()
    for pair, (pair_files, row, column) in zip(pairs, run.map(diff_pair, diff_jobs), strict=True):
        progress(f"diff {pair.target} vs {pair.reference}")
        files.update(pair_files)
        checked.update(pair_files)  # redacted in the worker
        rows.append(row)
        if column is not None:
            columns.append((pair.reference, *column))
    matrices = coverage_matrices(manifest, columns)  # from the diffs' results: no second pass
    files.update(matrix_files(matrices))
    files["index.md"] = render_index_markdown(plans, rows, validation.summary, matrices)
    if "html" in formats:
        from plancheck.report.index_html import render_index_html

        files["index.html"] = render_index_html(
            plans,
            rows,
            validation.summary,
            with_markdown="markdown" in formats,
            with_word="docx" in formats,
            matrices=matrices,
        )
    redacted = {
        name: redact(text) if isinstance(text, str) and name not in checked else text
        for name, text in files.items()
    }  # the workbooks are built from redacted text; the diffs' files were redacted in workers
    return ReportSet(redacted, rows, matrices)


def load_redacted(job: tuple) -> object:
    """One plan named on the command line, loaded and redacted (runs in a worker)."""
    from plancheck.normalise.contacts import redact_tasks
    from plancheck.plans.loading import load_plan

    spec, manifest = job
    loaded = load_plan(spec, manifest)
    loaded.tasks = redact_tasks(loaded.tasks)
    return loaded


def local_plan_specs(parent: str, children: Sequence[str], manifest: Manifest | None) -> list[str]:
    """What ``plancheck matrix PARENT [CHILDREN… | FOLDER]`` compares with PARENT: the files
    named, every plan file of a FOLDER (the parent's own file left out), or with no CHILDREN
    the plans the manifest gives PARENT as their parent."""
    from pathlib import Path

    from plancheck.errors import InputError
    from plancheck.plans.loading import iter_plan_specs

    if not children:
        found = (
            [p.id for p in manifest.with_sources() if p.parent == parent]
            if manifest is not None and manifest.get(parent) is not None
            else []
        )
        if not found:
            raise InputError(
                f"{parent}: no local plans of it in the manifest; name them (plancheck matrix PARENT CHILD… or PARENT FOLDER)"
            )
        return found
    specs = iter_plan_specs(list(children))
    own = Path(parent).resolve() if Path(parent).is_file() else None
    return [s for s in specs if own is None or Path(s).resolve() != own]


def matrix_of_specs(
    parent: str,
    children: Sequence[str] = (),
    *,
    manifest: Manifest | None = None,
    executor=None,
    progress: Callable[[str], None] = lambda _: None,
):
    """The coverage matrix of PARENT against its local plans (see ``local_plan_specs``), from
    the same per-pair diffs ``build_report_set`` runs, through ``executor``."""
    from plancheck.errors import InputError
    from plancheck.plans.executors import SerialExecutor
    from plancheck.report.matrix import build_matrix

    run = executor or SerialExecutor()
    specs = local_plan_specs(parent, children, manifest)
    jobs = [(spec, manifest) for spec in (parent, *specs)]
    plans = list(run.map(load_redacted, jobs))
    progress("load")
    ref, local = plans[0], plans[1:]
    ids = [p.plan.id for p in local]
    twice = sorted({i for i in ids if ids.count(i) > 1} | ({ref.plan.id} & set(ids)))
    if twice:
        raise InputError(
            f"plan id {twice[0]} is named twice; give each local plan once (two files of one name: use task CSVs or a manifest)"
        )
    pairs = [Pair(ref.plan.id, p.plan.id, "parent") for p in local]
    diff_jobs = [(pair, ref, tgt, ()) for pair, tgt in zip(pairs, local, strict=True)]
    columns = []
    for pair, (_, _, column) in zip(pairs, run.map(diff_pair, diff_jobs), strict=True):
        progress(f"diff {pair.target}")
        columns.append(column)
    return build_matrix(ref.plan.id, ref.plan.title, columns[0][0], [c for _, c in columns])
