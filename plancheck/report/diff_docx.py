"""The review as a Word document: every finding a comment in the margin of the local plan.

One comment per finding of ``diff_findings`` (the list every other format shows, same order,
numbered ［1］, ［2］ … like the rows of the final table), anchored on the target clause it
concerns, or on the words themselves when the finding names target words found in the
clause (弱化：「全面实行…」→「推进…」 sits on 推进…). A finding the diff is not sure of starts with
请核对 please check and names the nearest target text. The document opens with a page of the
summary and coverage and ends with a table of all findings (landscape, header row repeated).

Where the comments go:

- When the target is a Word file (``target_docx``), into a copy of it: its styles, numbering,
  tables, headers and sections are kept, the opening page is put before its first paragraph
  and the table after its last. A clause's lines are the body's paragraphs and table rows as
  the .docx reader numbers them (``ingest.formats.docx.body_lines``); a clause in a table row
  is anchored on the row's paragraph that holds the words (else its longest). Contact details
  in the copy's text (body, headers, footers, notes, existing comments) are masked as in
  every other output. The source file is never written.
- Otherwise the local plan is written from its task table: the section headings
  (``sections``: task id -> "二、重点任务 / （一）…") and each clause under its task id.

An omitted clause has no target clause: its comment sits where the parent's order puts it
(after the target clause of the nearest earlier carried reference clause, else before the
first), or, for a "please check", on the clause holding the nearest target text.

Deterministic: fixed core properties and comment dates, comments in findings order,
``docx_xml.normalise_package`` for the zip; the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from plancheck import __version__
from plancheck.align.model import ClauseRef, PlanDiff
from plancheck.errors import InputError
from plancheck.normalise.contacts import find_contacts, redact
from plancheck.report import docx_xml
from plancheck.report.diff_findings import (
    FINDING_LABELS,
    DiffFinding,
    clause_anchor,
    diff_findings,
    finding_counts,
)
from plancheck.report.sides import Sides, sides_for
from plancheck.report.xlsx import FIXED_DATE

INITIALS = "PC"
GREY = RGBColor(0x66, 0x66, 0x66)
_TRAILING = "，,。；;：:、 "  # a phrase's closing punctuation is not needed to find its words


# --------------------------------------------------------------------------- comment text


def _where(ids: Sequence[str], lines: str) -> str:
    return f"{'、'.join(ids)}（第 {lines} 行）" if ids else "—"


def _at(ids: Sequence[str], lines: str) -> str:
    return f"{'、'.join(ids)} 第 {lines} 行" if ids else "—"


def comment_text(finding: DiffFinding, number: int, sides: Sides, *, placed: bool = False) -> str:
    """A finding as the text of its comment: number, kind, what changed, where, evidence."""
    f = finding
    ref = f"{sides.reference} {_at(f.reference_ids, f.reference_lines)}"
    head = f"［{number}］{'' if f.confident else '请核对 please check · '}{f.label}"
    if f.kind == "omitted_clause":
        what = f"{ref}在{sides.target}方案中没有承接：「{f.reference_text}」"
    elif f.kind in ("omitted_requirement", "higher_level_requirement"):
        what = f"「{f.reference_text}」（{ref}）"
    elif f.kind == "lead_changed":
        what = f"{f.reference_text or '—'} → {f.target_text or '—'}（{ref}）"
    elif f.kind == "units_changed":
        what = f"{f.detail}（{ref}）"
    else:
        what = f"「{f.reference_text}」→「{f.target_text}」（{ref}）"
    lines = [f"{head}：{what}"]
    if f.detail and f.kind != "units_changed":
        lines.append(f"说明 detail：{f.detail}")
    if f.rule or f.evidence:
        parts = [
            f"规则 rule: {f.rule}" if f.rule else "",
            f"依据 evidence: {f.evidence}" if f.evidence else "",
        ]
        lines.append("；".join(p for p in parts if p))
    if not f.confident:
        lines.append(f.closest or "比对不确定，请人工核对 the diff is not sure: check by reading")
    if f.target_ids:
        lines.append(f"{sides.target} {_at(f.target_ids, f.target_lines)}")
    if placed:
        lines.append(
            f"批注位置：按{sides.reference}条款顺序应在此处 placed where the parent's order puts it"
        )
    return "\n".join(redact(line) for line in lines)


# --------------------------------------------------------------------------- building blocks


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    size: float | None = None,
    grey: bool = False,
) -> Run:
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = GREY
    return run


def _para(doc: Any, text: str = "", **style: Any) -> Paragraph:
    paragraph = doc.add_paragraph()
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _heading(doc: Any, text: str, size: float = 14) -> Paragraph:
    """A heading by direct formatting: a reviewer's own heading styles may carry outline
    numbering that does not belong on plancheck's pages."""
    paragraph = _para(doc, text, bold=True, size=size)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _table(
    doc: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float = 9,
) -> Any:
    table = doc.add_table(rows=1, cols=len(headers))
    table.autofit = False
    docx_xml.table_borders(table)
    docx_xml.repeat_header(table.rows[0])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid (LibreOffice and WPS lay out by it), cells below
    for cells in [headers, *rows]:
        row = table.rows[0] if cells is headers else table.add_row()
        for cell, text, width in zip(row.cells, cells, widths, strict=True):
            cell.width = Cm(width)
            _run(cell.paragraphs[0], redact(str(text)), bold=cells is headers, size=size)
    return table


def _short(digest: str) -> str:
    return digest[:12] if digest else "—"


def opening_page(
    doc: Any,
    diff: PlanDiff,
    findings: Sequence[DiffFinding],
    sides: Sides,
    *,
    title: str,
    how_to_read: str,
) -> list[Any]:
    """The summary page (title, the two plans, coverage, finding counts, how to read it),
    ending in a page break; returns its paragraphs and tables in order."""
    s, ref, tgt = diff.summary, diff.reference, diff.target
    made: list[Any] = [
        _para(doc, title, bold=True, size=18),
        _para(doc, redact(tgt.title or tgt.id), bold=True, size=14),
        _para(doc, redact(f"{sides.against}：{ref.title or ref.id}")),
    ]
    rows = [
        ("方案 plan id", ref.id, tgt.id),
        ("标题 title", ref.title or "—", tgt.title or "—"),
        ("来源文件 source", ref.source_file or "—", tgt.source_file or "—"),
        ("SHA-256", _short(ref.sha256), _short(tgt.sha256)),
    ]
    made.append(_table(doc, ["", sides.reference_plan, sides.target_plan], rows, (3.2, 6.4, 6.4)))
    counts = finding_counts(findings)
    unsure = sum(not f.confident for f in findings)
    made.append(_heading(doc, "覆盖情况 Coverage"))
    for line in (
        f"覆盖率 coverage: {s.coverage:.1%}（{sides.reference}条款中被{sides.target}承接的比例）",
        f"要求覆盖率 requirement coverage: {s.requirement_coverage:.1%}（{sides.reference}的 {s.reference_requirements} 项要求中{sides.target}承接 {s.carried_requirements} 项）",
        f"{sides.reference}条款 reference clauses: {s.reference_clauses}；{sides.target}条款 target clauses: {s.target_clauses}",
        f"条款 clauses: 保留 kept {s.kept}；有变化 changed {s.changed}；缺失 omitted {s.omitted}；{sides.target}新增 added {s.added}",
    ):
        made.append(_para(doc, f"• {line}"))
    made.append(_heading(doc, f"问题 Findings（{len(findings)}）"))
    kinds = [f"{FINDING_LABELS[k]} {n}" for k, n in counts.items() if n]
    made.append(_para(doc, "；".join([*kinds, f"请核对 please check {unsure}"])))
    made.append(_heading(doc, "如何阅读 How to read"))
    made.append(_para(doc, how_to_read))
    last = _para(
        doc,
        f"plancheck {__version__}；规则版本 rules version: {diff.rules_version or '—'}",
        grey=True,
        size=8,
    )
    last.add_run().add_break(WD_BREAK.PAGE)
    made.append(last)
    return made


def findings_table(doc: Any, findings: Sequence[DiffFinding], sides: Sides) -> None:
    """Every finding, numbered as its comment, in a landscape section at the end."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = max(width, height), min(width, height)
    _heading(doc, f"全部问题 All findings（{len(findings)}）")
    rows = []
    for number, f in enumerate(findings, start=1):
        notes = [
            f.detail,
            f"规则 rule: {f.rule}" if f.rule else "",
            f"依据 evidence: {f.evidence}" if f.evidence else "",
        ]
        if not f.confident:
            notes.append(f.closest or "请核对")
        rows.append(
            (
                str(number),
                f.label if f.confident else f"请核对 {f.label}",
                _where(f.reference_ids, f.reference_lines),
                _where(f.target_ids, f.target_lines),
                f.reference_text,
                f.target_text,
                "；".join(n for n in notes if n),
            )
        )
    headers = [
        "序号 No.",
        "类型 kind",
        f"{sides.reference}条款（行）",
        f"{sides.target}条款（行）",
        f"{sides.reference}原文",
        f"{sides.target}原文",
        "说明 notes",
    ]
    if rows:
        _table(doc, headers, rows, (1.2, 2.8, 2.6, 2.6, 6.2, 6.2, 4.4), size=8)
    else:
        _para(doc, "无 None.")


def new_document(title: str) -> Any:
    """An empty A4 document with a Chinese body font and fixed core properties."""
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    docx_xml.east_asian_font(normal, "宋体")
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, docx_xml.AUTHOR, docx_xml.AUTHOR
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    return doc


def save(doc: Any) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return docx_xml.normalise_package(buffer.getvalue())


# --------------------------------------------------------------------------- anchoring


@dataclass
class Clauses:
    """Where each target clause is in the document: task id -> its paragraphs, and for a
    clause in a table row the row's paragraphs (one of them is chosen per finding)."""

    paragraphs: dict[str, list[Paragraph]] = field(default_factory=dict)
    in_row: set[str] = field(default_factory=set)
    fallback: Paragraph | None = None  # where a finding with nowhere else to go is put


def _find(paragraph: Paragraph, phrase: str) -> tuple[int, int] | None:
    words = phrase.strip().rstrip(_TRAILING).strip()
    if len(words) < 2:
        return None
    start = docx_xml.direct_text(paragraph).find(words)
    return None if start < 0 else (start, start + len(words))


def _runs(paragraph: Paragraph, elements: Sequence[Any]) -> list[Run]:
    return [Run(r, paragraph) for r in elements]


def anchor_runs(paragraphs: Sequence[Paragraph], phrase: str, *, in_row: bool = False) -> list[Run]:
    """The runs a comment covers: the words of ``phrase`` where one paragraph holds them,
    else the whole clause (for a table row: its longest paragraph)."""
    if phrase:
        for paragraph in paragraphs:
            span = _find(paragraph, phrase)
            if span and (runs := docx_xml.runs_covering(paragraph, *span)):
                return _runs(paragraph, runs)
    if in_row and paragraphs:
        paragraphs = [max(paragraphs, key=lambda p: len(docx_xml.direct_text(p)))]
    with_runs = [p for p in paragraphs if p.runs]
    if not with_runs:
        paragraph = paragraphs[0]
        return [paragraph.add_run("")]
    return [with_runs[0].runs[0], with_runs[-1].runs[-1]]


def _target_clauses(diff: PlanDiff) -> dict[str, ClauseRef]:
    return {ref.task_id: ref for clause in diff.clauses for ref in clause.target}


def _clause_at_line(targets: Mapping[str, ClauseRef], line: str) -> str | None:
    try:
        number = int(line)
    except ValueError:
        return None
    for task_id, ref in targets.items():
        if ref.line_start <= number <= ref.line_end:
            return task_id
    return None


def _placement(diff: PlanDiff) -> dict[str, str | None]:
    """For each omitted clause's anchor: the target clause the parent's order puts it after
    (its nearest earlier carried group's last target clause), else before (the next one's
    first); None when the target has no clause at all."""
    out: dict[str, str | None] = {}
    groups = [c for c in diff.clauses if c.reference]
    for k, clause in enumerate(groups):
        if clause.target:
            continue
        earlier = [c for c in groups[:k] if c.target]
        later = [c for c in groups[k + 1 :] if c.target]
        if earlier:
            out[clause_anchor(clause)] = max(earlier[-1].target, key=lambda r: r.line_end).task_id
        elif later:
            out[clause_anchor(clause)] = min(later[0].target, key=lambda r: r.line_start).task_id
        else:
            out[clause_anchor(clause)] = None
    return out


def add_comments(
    doc: Any, diff: PlanDiff, findings: Sequence[DiffFinding], clauses: Clauses, sides: Sides
) -> None:
    """One comment per finding, in findings order, on the words or clause it concerns."""
    targets = _target_clauses(diff)
    placed_after = _placement(diff)
    for number, f in enumerate(findings, start=1):
        task_ids = [t for t in f.target_ids if t in clauses.paragraphs]
        # the words: the target's own, or for a "please check" the nearest text, if it is here
        phrase, placed = f.target_text or ("" if f.confident else f.closest_text), False
        if not task_ids and not f.confident and f.closest_lines:
            near = _clause_at_line(targets, f.closest_lines.split("、")[0].split("–")[0])
            if near in clauses.paragraphs:
                task_ids, phrase = [near], f.closest_text
        if not task_ids and f.anchor in placed_after:
            near = placed_after[f.anchor]
            task_ids, placed = ([near] if near in clauses.paragraphs else []), True
        paragraphs = [p for t in task_ids for p in clauses.paragraphs[t]]
        if not paragraphs:
            paragraphs = [clauses.fallback] if clauses.fallback is not None else []
        if not paragraphs:
            continue
        runs = anchor_runs(paragraphs, phrase, in_row=any(t in clauses.in_row for t in task_ids))
        doc.add_comment(
            runs,
            text=comment_text(f, number, sides, placed=placed),
            author=docx_xml.AUTHOR,
            initials=INITIALS,
        )


# --------------------------------------------------------------------------- the two shapes

HOW_TO_READ = (
    "每条问题都是一条批注，标在本级方案中它涉及的条款或词句上（Word / WPS：审阅 → 显示批注；"
    "LibreOffice：视图 → 批注）。标「请核对」的是比对不确定、需要人工核对的问题。批注的［序号］"
    "与文末「全部问题」表的序号一致。Every finding is a comment on the clause or words it "
    "concerns; 请核对 marks the ones to check by reading; the table at the end lists them all."
)


def _sections_of(section: str) -> list[str]:
    return [part.strip() for part in section.split(" / ") if part.strip()]


def _write_plan(doc: Any, diff: PlanDiff, sections: Mapping[str, str], sides: Sides) -> Clauses:
    """The local plan from its task table: section headings where they change, each clause
    under its task id, in document order."""
    clauses = Clauses()
    clauses.fallback = _heading(
        doc, redact(f"{sides.target_plan}：{diff.target.title or diff.target.id}"), size=15
    )
    shown: list[str] = []
    refs = sorted(_target_clauses(diff).values(), key=lambda r: (r.line_start, r.line_end))
    for ref in refs:
        path = _sections_of(redact(sections.get(ref.task_id, "")))
        common = 0
        while common < min(len(path), len(shown)) and path[common] == shown[common]:
            common += 1
        for depth, name in enumerate(path[common:], start=common):
            _heading(doc, name, size=max(14 - 1.5 * depth, 11))
        shown = path
        made = []
        for k, line in enumerate(ref.text.split("\n")):
            paragraph = doc.add_paragraph()
            if k == 0:
                _run(paragraph, f"{ref.task_id}　", grey=True, size=8)
            paragraph.add_run(redact(line))
            made.append(paragraph)
        clauses.paragraphs[ref.task_id] = made
    return clauses


def _redact_copy(doc: Any) -> None:
    """Contact details masked in every text part of the copy (body, headers, footers, notes,
    comments), as in every other output."""
    for part in doc.part.package.iter_parts():
        root = getattr(part, "element", None)
        if root is None or not str(part.partname).startswith("/word/"):
            continue
        for p in root.iter(qn("w:p")):
            docx_xml.mask_spans(p, find_contacts)


def _copy_clauses(doc: Any, diff: PlanDiff) -> Clauses:
    """The target clauses' paragraphs in the reviewer's own file, by the reader's line numbers."""
    from plancheck.ingest.formats.docx import body_lines

    lines = body_lines(doc.element.body)
    clauses = Clauses()
    for task_id, ref in _target_clauses(diff).items():
        blocks = [
            lines[n - 1]
            for n in range(ref.line_start, ref.line_end + 1)
            if 0 < n <= len(lines) and lines[n - 1] is not None
        ]
        if any(b.tag == qn("w:tr") for b in blocks):
            clauses.in_row.add(task_id)
        paragraphs = [
            Paragraph(p, doc)
            for b in blocks
            for p in ([b] if b.tag == qn("w:p") else b.iter(qn("w:p")))
        ]
        if paragraphs:
            clauses.paragraphs[task_id] = paragraphs
    first = next((b for b in lines if b is not None and b.tag == qn("w:p")), None)
    clauses.fallback = Paragraph(first, doc) if first is not None else None
    return clauses


def _open_copy(data: bytes, name: str) -> Any:
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # a damaged or unusual package fails in many library-specific ways
        raise InputError(
            f"{name or 'the target'}: cannot open this Word file to write the review into; "
            "save it again in Word as .docx, or diff its task CSV instead"
        ) from None


def render_review_docx(
    diff: PlanDiff,
    *,
    relation: str = "parent",
    target_docx: bytes | None = None,
    sections: Mapping[str, str] | None = None,
) -> bytes:
    """The review document's bytes: the reviewer's own .docx (``target_docx``) with the
    findings as comments, or the local plan written from its task table."""
    sides = sides_for(relation)
    findings = diff_findings(diff)
    title = "方案比对审阅 Plan review"
    if target_docx is None:
        doc = new_document(f"{title}：{diff.target.title or diff.target.id}")
        opening_page(doc, diff, findings, sides, title=title, how_to_read=HOW_TO_READ)
        clauses = _write_plan(doc, diff, sections or {}, sides)
    else:
        doc = _open_copy(target_docx, diff.target.source_file)
        _redact_copy(doc)
        clauses = _copy_clauses(doc, diff)  # lines counted before anything is added
        body = doc.element.body
        first = next((child for child in body if child.tag != qn("w:sectPr")), None)
        made = opening_page(doc, diff, findings, sides, title=title, how_to_read=HOW_TO_READ)
        if first is not None:
            docx_xml.move_before(made, first)
    add_comments(doc, diff, findings, clauses, sides)
    findings_table(doc, findings, sides)
    return save(doc)
