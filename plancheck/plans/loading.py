"""Resolve what a user names on the command line to a plan and its task table.

A spec is a manifest id (``lingyuan-2021``), a raw source file (ingested on the fly), or a
normalised task CSV written by ``plancheck ingest``. Used by every command that reads plans.
A string that is a manifest id is always that plan; only a spec that is not an id is read as
a path (pass a ``Path`` to insist on a file).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from plancheck.errors import InputError
from plancheck.ingest.formats import DOCUMENT_SUFFIXES
from plancheck.plans.manifest import DEFAULT_MANIFEST, Manifest, Plan, load_manifest

if TYPE_CHECKING:
    from plancheck.align.model import PlanDiff, PlanInfo

PLAN_SUFFIXES = (*DOCUMENT_SUFFIXES, ".csv", ".zip")


@dataclass
class LoadedPlan:
    plan: Plan
    tasks: pd.DataFrame
    source_lines: list[str] | None  # cleaned source text; source_lines[i] is line i + 1
    source_path: Path | None
    furniture: dict[str, int] = field(default_factory=dict)  # lines left out, by kind
    uncertain: tuple[int, ...] = ()  # source lines OCR read with low confidence
    sha256: str = ""  # of the source's bytes, when it was read from bytes (no file needed)


@dataclass(frozen=True)
class SourceDocument:
    """A source document as bytes with its name (the path reports show): what a worker of a
    cluster is sent, so it needs no file system shared with the client."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def source_document(path: Path) -> SourceDocument:
    """Read a source file (bounded, regular files only) as a ``SourceDocument``."""
    from plancheck.ingest.decode import read_source_bytes

    return SourceDocument(display_path(path), read_source_bytes(path))


def load_from_bytes(
    plan: Plan, document: SourceDocument, *, encoding: str | None = None, converter=None
) -> LoadedPlan:
    """A manifest plan from its source's bytes: what ``load_plan`` gives for it, without
    opening a file (the task table names ``document.name``, as it names the file)."""
    from plancheck.ingest import document_from_bytes, tasks_from_document
    from plancheck.ingest.accounting import KEPT, account_lines

    doc = document_from_bytes(
        Path(document.name), document.data, encoding=encoding, converter=converter
    )
    tasks = tasks_from_document(doc, plan.id, document.name)
    counts = account_lines(doc).counts()
    furniture = {kind: n for kind, n in counts.items() if kind not in KEPT}
    return LoadedPlan(
        plan,
        tasks,
        doc.lines,
        Path(document.name),
        furniture,
        _uncertain(doc),
        document.sha256,
    )


def _uncertain(doc) -> tuple[int, ...]:
    """Source lines OCR read with low confidence (none for a document with a text layer)."""
    if not doc.confidence:
        return ()
    from plancheck.ingest.formats.ocr import low_confidence_lines

    return tuple(low_confidence_lines(doc))


def display_path(path: Path) -> str:
    """A stable, relative name for reports: relative to the working folder when inside it."""
    rel = os.path.relpath(Path(path).resolve(), Path.cwd())
    if not rel.startswith(".."):
        return Path(rel).as_posix()
    from plancheck.ingest.archive import split_member

    inside = split_member(Path(path))  # a zip's member: the zip's name and the member
    return f"{inside[0].name}/{inside[1]}" if inside else Path(path).name


def guess_level(tasks: pd.DataFrame) -> str:
    """Level of a plan that is in no manifest, from the prefixes of its units (default city)."""
    prefixes = [unit[0] for units in tasks["units"] for unit in units if unit]
    counts = {
        level: sum(p == ch for p in prefixes)
        for level, ch in (("province", "省"), ("city", "市"), ("county", "县"))
    }
    best = max(counts, key=lambda level: counts[level])
    return best if counts[best] else "city"


def _manifest_or_none(
    manifest: Manifest | Path | None, allow_outside_sources: bool = False
) -> Manifest | None:
    if isinstance(manifest, Manifest):
        return manifest
    path = Path(manifest) if manifest else DEFAULT_MANIFEST
    return (
        load_manifest(path, allow_outside_sources=allow_outside_sources) if path.exists() else None
    )


def _from_source(path: Path, plan: Plan | None, encoding: str | None, converter=None) -> LoadedPlan:
    from plancheck.ingest import read_document, tasks_from_document
    from plancheck.ingest.accounting import KEPT, account_lines
    from plancheck.ingest.metadata import read_metadata
    from plancheck.registry.records import LEVELS

    doc = read_document(path, encoding=encoding, converter=converter)
    plan_id = plan.id if plan else path.stem
    tasks = tasks_from_document(doc, plan_id, display_path(path))
    if plan is None:  # no manifest entry: what the document says about itself
        meta = read_metadata(doc)
        plan = Plan(
            id=plan_id,
            title=path.stem,
            jurisdiction=meta.jurisdiction or "",
            level=meta.level if meta.level in LEVELS else guess_level(tasks),
            issued=meta.issued,
            source=path,
        )
    counts = account_lines(doc).counts()
    furniture = {kind: n for kind, n in counts.items() if kind not in KEPT}
    return LoadedPlan(plan, tasks, doc.lines, path, furniture, _uncertain(doc))


def _from_csv(path: Path, manifest: Manifest | None) -> LoadedPlan:
    from plancheck.ingest import read_document
    from plancheck.table.io import read_tasks_csv

    tasks = read_tasks_csv(path)
    plan_id = str(tasks["plan_id"].iloc[0]) if len(tasks) else path.stem
    plan = manifest.get(plan_id) if manifest else None
    if plan is None:
        plan = Plan(id=plan_id, title=plan_id, jurisdiction="", level=guess_level(tasks))
    lines, source = None, None
    named = Path(tasks["source_file"].iloc[0]) if len(tasks) else None
    if named is not None and named.is_file() and may_read_source(named, path):
        source = named
        lines = read_document(source).lines
    return LoadedPlan(plan, tasks, lines, source)


def may_read_source(source: Path, csv: Path) -> bool:
    """Whether a task CSV's ``source_file`` may be read: only inside the CSV's repository
    (``io.paths.repository_root``) or the working folder. A CSV from a pull request could
    otherwise name ``/etc/passwd`` or ``../../secret.txt`` and have it read into a run."""
    from plancheck.io.paths import repository_root, resolves_inside

    return resolves_inside(source, repository_root(csv)) or resolves_inside(source, Path.cwd())


def load_plan(
    spec: str | Path,
    manifest: Manifest | Path | None = None,
    *,
    encoding: str | None = None,
    converter=None,
    allow_outside_sources: bool = False,
) -> LoadedPlan:
    """Load a plan by manifest id, raw source path or task CSV path (``converter``: see
    ``plancheck.ingest.read_document``; a manifest loaded here refuses sources outside its
    repository unless ``allow_outside_sources``)."""
    man = _manifest_or_none(manifest, allow_outside_sources)
    path = Path(spec)
    # An id is a name first: `docs` or `README.md` that is a manifest id loads that plan,
    # never the folder or file of the same name.
    plan = man.get(str(spec)) if man is not None and isinstance(spec, str) else None
    if plan is not None:
        if plan.source is None:
            raise InputError(
                f"plan {spec} has no bundled source document; add its source to {man.path if man else 'the manifest'}"
            )
        return _from_source(plan.source, plan, encoding, converter)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name a plan file, a task CSV or a manifest id")
    if not path.exists() and not _is_member(path):
        known = ", ".join(p.id for p in man.with_sources()) if man else "none (no manifest found)"
        raise InputError(f"{spec}: no such file or manifest plan id; known plan ids: {known}")
    if path.suffix.lower() == ".csv":
        return _from_csv(path, man)
    return _from_source(path, man.find_source(path) if man else None, encoding, converter)


def iter_plan_specs(paths: list[str | Path]) -> list[str]:
    """Expand folders into the plan files they hold (sorted); other paths pass through."""
    specs: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in PLAN_SUFFIXES
            )
            files = [m for p in files for m in _members_if_zip(p)]
            if not files:
                raise InputError(f"{path}: folder holds no plan files ({', '.join(PLAN_SUFFIXES)})")
            specs.extend(str(p) for p in files)
        else:
            specs.append(str(raw))
    return specs


def _is_member(path: Path) -> bool:
    from plancheck.ingest.archive import split_member

    return split_member(path) is not None


def _members_if_zip(path: Path) -> list[Path]:
    """A zip of attachments in a folder stands for its documents (``a.zip/x.docx``)."""
    if path.suffix.lower() != ".zip":
        return [path]
    from plancheck.errors import PlancheckError
    from plancheck.ingest.archive import archive_documents

    try:
        return archive_documents(path) or [path]
    except PlancheckError:
        return [path]  # reading it says what is wrong


def source_sha256(source: Path | None) -> str:
    """SHA-256 of a source's bytes (a file, or a member of a zip), "" when it is gone."""
    if not source:
        return ""
    if Path(source).is_file():
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    from plancheck.errors import PlancheckError
    from plancheck.ingest.decode import read_source_bytes

    try:
        return hashlib.sha256(read_source_bytes(Path(source))).hexdigest()
    except PlancheckError:
        return ""


def plan_info_of(loaded: LoadedPlan) -> PlanInfo:
    """The diff's view of a loaded plan: manifest metadata plus the source file's hash."""
    from plancheck.align.model import PlanInfo

    source = loaded.source_path
    digest = loaded.sha256 or source_sha256(source)
    plan = loaded.plan
    return PlanInfo(
        id=plan.id,
        title=plan.title,
        # read from bytes, the source is already named as the client names it
        source_file=(source.as_posix() if loaded.sha256 else display_path(source))
        if source
        else "",
        sha256=digest,
        jurisdiction=plan.jurisdiction,
        level=plan.level,
    )


def diff_loaded(ref: LoadedPlan, tgt: LoadedPlan) -> PlanDiff:
    """Diff two loaded plans. Contact details are masked in both task tables first, so no
    output of the diff (in any format, redlines included) can carry one, split or whole."""
    from plancheck.align import diff_plans
    from plancheck.normalise.contacts import redact_tasks

    return diff_plans(
        redact_tasks(ref.tasks),
        redact_tasks(tgt.tasks),
        reference_info=plan_info_of(ref),
        target_info=plan_info_of(tgt),
    )


def diff_specs(reference: str, target: str, *, allow_outside_sources: bool = False) -> PlanDiff:
    """Load both plans (manifest id, raw source or task CSV) and diff them (``diff_loaded``);
    the manifest refuses sources outside its repository unless ``allow_outside_sources``."""
    man = _manifest_or_none(None, allow_outside_sources)
    return diff_loaded(load_plan(reference, man), load_plan(target, man))


@dataclass(frozen=True)
class ReviewSource:
    """What the Word review of a plan is written on: the plan's own .docx (its bytes, when its
    source is a Word file, recognised by its bytes) and its section headings by task id (for a
    plan written from its task table), contact details masked."""

    docx: bytes | None
    sections: dict[str, str]


def review_source(loaded: LoadedPlan) -> ReviewSource:
    from plancheck.ingest.decode import read_source_bytes
    from plancheck.ingest.formats import sniff
    from plancheck.normalise.contacts import redact

    data = None
    if loaded.source_path is not None and Path(loaded.source_path).is_file():
        raw = read_source_bytes(loaded.source_path)
        data = raw if sniff(raw) == "docx" else None
    tasks = loaded.tasks
    sections = {
        str(t): redact(s) if isinstance(s, str) else ""
        for t, s in zip(tasks["task_id"], tasks["section"], strict=True)
    }
    return ReviewSource(data, sections)
