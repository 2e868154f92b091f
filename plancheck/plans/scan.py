"""A folder of plan documents -> plan records, from the documents' own words.

    from plancheck.plans.scan import scan_folder
    scanned = scan_folder("datasets/raw")

Every file with a plan suffix under the folder (recursively, in path order; hidden files,
symbolic links and linked folders are left out; the documents inside a .zip count as files
of the folder, named ``a.zip/member.docx``) is read with the
ingest reader its content calls for; a file that is not a readable plan is listed in
``skipped`` with the reason, never silently dropped. A plan's id is the pinyin of its
jurisdiction plus the year of its document number or issue date (``lingyuan-2021``), else the
file's stem; a repeated id gets ``-2``, ``-3`` in path order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from plancheck.errors import InputError, PlancheckError
from plancheck.ingest.formats import DOCUMENT_SUFFIXES as SCAN_SUFFIXES
from plancheck.ingest.metadata import DocumentMeta, read_metadata

PLACE_SUFFIX_RE = re.compile(
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗)$"
)
SIMILARITY_CHARS = 20_000  # enough text to tell plans apart; bounds the similarity's cost
MAX_FILES = 50_000  # a province is ~150 plans, the country ~3,400 per topic
ID_CHARS = 48


@dataclass(frozen=True)
class ScannedPlan:
    """One plan found in the folder: its id, file, metadata and text (for similarity)."""

    id: str
    source: Path
    meta: DocumentMeta
    text: str


@dataclass(frozen=True)
class ScanResult:
    plans: tuple[ScannedPlan, ...]
    skipped: tuple[tuple[Path, str], ...] = field(default_factory=tuple)


def slug(name: str) -> str:
    """An ASCII id part: pinyin for Chinese, lower-case letters and digits, dashes between."""
    from pypinyin import lazy_pinyin

    words = lazy_pinyin(name)
    text = "".join(w if re.fullmatch(r"[a-z]+", w) else f"-{w}-" for w in words).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:ID_CHARS].strip("-")


def plan_id_base(place: str | None, year: int | None, fallback: str) -> str:
    """``<pinyin of the place>-<year>``; the file stem when the document names no place."""
    if not place:
        return slug(fallback) or "plan"
    short = PLACE_SUFFIX_RE.sub("", place) if len(place) > 2 else place
    return slug(short) + (f"-{year}" if year else "")


def unique_ids(bases: list[str], taken: set[str] | None = None) -> list[str]:
    """The bases made unique in order (``x``, ``x-2``, ``x-3``)."""
    used = set(taken or ())
    next_suffix: dict[str, int] = {}  # per base, where the search resumes: linear, not quadratic
    out = []
    for base in bases:
        n = next_suffix.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        next_suffix[base] = n + 1
        used.add(candidate)
        out.append(candidate)
    return out


def plan_files(folder: Path) -> list[Path]:
    """Plan documents under ``folder``, sorted by relative path; hidden files are skipped."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder; name the folder that holds the plans")
    found = []
    for path in folder.rglob("*"):  # symlinked folders are not followed
        suffix = path.suffix.lower()
        if suffix not in (*SCAN_SUFFIXES, ".zip") or path.is_symlink() or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if suffix == ".zip":  # a zip of attachments: each member is a file of the folder
            found += _members_or_archive(path)
        else:
            found.append(path)
        if len(found) > MAX_FILES:
            raise InputError(
                f"{folder}: more than {MAX_FILES:,} plan files; scan one province's folder at a time"
            )
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _members_or_archive(path: Path) -> list[Path]:
    """The documents inside the zip ``path`` (``a.zip/x.docx``), or the zip itself when it
    cannot be listed, so that reading it says what is wrong (the folder lists it as skipped)."""
    from plancheck.ingest.archive import archive_documents

    try:
        return archive_documents(path) or [path]
    except PlancheckError:
        return [path]


def read_one(path: Path, encoding: str | None = None, converter=None) -> tuple[DocumentMeta, str]:
    """Metadata and similarity text of one document (raises PlancheckError when unreadable)."""
    from plancheck.ingest import read_document

    doc = read_document(path, encoding=encoding, converter=converter)
    text = "".join(line.strip() for line in doc.lines)[:SIMILARITY_CHARS]
    return read_metadata(doc), text


def _bytes_or_reason(path: Path) -> bytes | str:
    """The bytes of a document (read here, by the client) or why they cannot be read."""
    from plancheck.ingest.decode import read_source_bytes

    try:
        return read_source_bytes(path)
    except PlancheckError as err:
        return str(err)


def _read_or_reason(
    item: tuple[Path, bytes | str], converter=None
) -> tuple[DocumentMeta, str] | str:
    """One document's metadata from its name and bytes (runs in a worker: no file opened)."""
    from plancheck.ingest import document_from_bytes

    path, data = item
    if isinstance(data, str):
        return data
    try:
        doc = document_from_bytes(path, data, converter=converter)
    except PlancheckError as err:
        return str(err)
    text = "".join(line.strip() for line in doc.lines)[:SIMILARITY_CHARS]
    return read_metadata(doc), text


def scan_folder(folder: Path | str, *, mapper=map, converter=None) -> ScanResult:
    """Read every plan document under ``folder``. ``mapper`` runs the reads (an executor's
    ``map`` spreads them over processes; results come back in path order either way).
    ``converter`` (``ingest.formats.office.OfficeConverter``) reads the legacy office files:
    all of them are converted in one LibreOffice run before the reads start."""
    from functools import partial

    from plancheck.ingest import prepare_legacy

    files = plan_files(Path(folder))
    if not files:
        raise InputError(
            f"{folder}: holds no plan documents ({', '.join(SCAN_SUFFIXES)}); "
            "name the folder with the plans"
        )
    if converter is not None:
        prepare_legacy(converter, files)
    plans, skipped = [], []
    # documents travel to the workers as bytes with their names: no shared file system
    items = [(path, _bytes_or_reason(path)) for path in files]
    read = partial(_read_or_reason, converter=converter)
    for path, result in zip(files, mapper(read, items), strict=True):
        if isinstance(result, str):
            skipped.append((path, result))
        else:
            plans.append((path, *result))
    ids = unique_ids([plan_id_base(m.jurisdiction, m.year, p.stem) for p, m, _ in plans])
    return ScanResult(
        plans=tuple(ScannedPlan(i, p, m, t) for i, (p, m, t) in zip(ids, plans, strict=True)),
        skipped=tuple(skipped),
    )


def metadata_record(path: Path, *, encoding: str | None = None) -> dict:
    """What one document says about itself, as plain data (``plancheck tasks --meta``)."""
    meta, _ = read_one(Path(path), encoding)
    return {
        "title": meta.title,
        "office": meta.office,
        "doc_number": meta.doc_number,
        "issued": meta.issued,
        "jurisdiction": meta.jurisdiction,
        "level": meta.level,
        "citations": [
            {"title": c.title, "doc_number": c.doc_number, "level": c.level, "line": c.line}
            for c in meta.citations
        ],
    }


def source_of_spec(spec: str, *, allow_outside_sources: bool = False) -> Path:
    """A manifest id or a document path -> the document's path."""
    from plancheck.ingest.archive import split_member
    from plancheck.plans.manifest import DEFAULT_MANIFEST, load_manifest

    path = Path(spec)
    if path.is_file() or split_member(path) is not None:  # a file, or a member of a zip
        return path
    if DEFAULT_MANIFEST.exists():
        man = load_manifest(DEFAULT_MANIFEST, allow_outside_sources=allow_outside_sources)
        plan = man.get(spec)
        if plan is not None and plan.source is not None:
            return plan.source
    raise InputError(f"{spec}: no such document or manifest plan id with a source")
