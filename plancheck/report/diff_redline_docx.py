"""The comparison as Word tracked changes: each parent clause turned into the local clause it
became, clause by clause in the parent's order.

Every clause group of the diff is one paragraph: the reference text with the redline of
``redline.py`` (the same segments as the Markdown and HTML reports) written as Word's own
revisions, ``w:del`` for deleted and ``w:ins`` for inserted text, so a reviewer steps through
them in Word's or WPS's review pane and "accept all" gives the local plan's wording, "reject
all" the parent's. An omitted clause is one deletion (its paragraph mark too), a clause the
local plan added one insertion. A grey line above each paragraph names the clauses on both
sides, their source lines and status (not a revision), and the group's findings are comments
on it, numbered as in the review document.

Where an added clause goes: after the group whose target clauses come last before it in the
local plan (its neighbour in the local plan's order), else before the first group; the
parent's order is kept for everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.shared import Pt

from plancheck.align.model import ClauseDiff, PlanDiff
from plancheck.normalise.contacts import redact
from plancheck.report import docx_xml
from plancheck.report.diff_docx import (
    GREY,
    INITIALS,
    anchor_runs,
    comment_text,
    findings_table,
    new_document,
    opening_page,
    save,
)
from plancheck.report.diff_findings import DiffFinding, clause_anchor, diff_findings, line_span
from plancheck.report.diff_markdown import STATUS_LABELS
from plancheck.report.redline import redline_segments
from plancheck.report.sides import Sides, sides_for

HOW_TO_READ = (
    "每一条上级条款按上级的顺序，以修订（删除线为删去，下划线为新增）变成它在本级方案中的样子；"
    "本级方案未承接的条款整段删去，本级新增的条款整段插入。在 Word / WPS 的「审阅」中逐条查看、"
    "接受或拒绝修订：全部接受即为本级方案的表述，全部拒绝即为上级方案的表述。批注是该条的问题，"
    "序号与审阅文档一致。Each parent clause becomes the local clause as tracked changes, in "
    "the parent's order; accept all gives the local wording, reject all the parent's."
)


def _ordered(clauses: Sequence[ClauseDiff]) -> list[ClauseDiff]:
    """Reference groups in the parent's order, each added clause after its neighbour."""
    groups = [c for c in clauses if c.status != "added"]
    added = sorted(
        (c for c in clauses if c.status == "added"),
        key=lambda c: min(r.line_start for r in c.target),
    )
    after: dict[int, list[ClauseDiff]] = {}
    for clause in added:
        line = min(r.line_start for r in clause.target)
        before = [
            (max(r.line_end for r in g.target), k)
            for k, g in enumerate(groups)
            if g.target and max(r.line_end for r in g.target) < line
        ]
        after.setdefault(max(before)[1] if before else -1, []).append(clause)
    out = list(after.get(-1, []))
    for k, group in enumerate(groups):
        out += [group, *after.get(k, [])]
    return out


def _label(clause: ClauseDiff, sides: Sides) -> str:
    ref = "、".join(r.task_id for r in clause.reference) or "—"
    tgt = "、".join(t.task_id for t in clause.target) or "—"
    where = f"{sides.reference} {ref}（第 {line_span(clause.reference)} 行）→ {sides.target} {tgt}（第 {line_span(clause.target)} 行）"
    similarity = "" if clause.similarity is None else f" · 相似度 {clause.similarity:.2f}"
    return f"{where} · {STATUS_LABELS[clause.status]}{similarity}"


class _Ids:
    """Revision ids in document order, after the comments' (annotation ids stay unique)."""

    def __init__(self, start: int) -> None:
        self.next = start

    def __call__(self) -> int:
        self.next += 1
        return self.next


def _clause_paragraph(doc: Any, clause: ClauseDiff, ids: _Ids) -> Any:
    reference = redact("\n".join(r.text for r in clause.reference))
    target = redact("\n".join(t.text for t in clause.target))
    paragraph = doc.add_paragraph()
    if clause.status == "omitted":
        docx_xml.add_tracked(paragraph, "delete", reference, ids())
        docx_xml.track_paragraph_mark(paragraph, "delete", ids())
    elif clause.status == "added":
        docx_xml.add_tracked(paragraph, "insert", target, ids())
        docx_xml.track_paragraph_mark(paragraph, "insert", ids())
    else:
        for kind, text in redline_segments(reference, target):
            if kind == "equal":
                for k, piece in enumerate(text.split("\n")):
                    run = paragraph.add_run(piece)
                    if k:
                        run.add_break()  # a merged or split group: one clause a line
            else:
                docx_xml.add_tracked(paragraph, kind, text, ids())
    return paragraph


def render_redline_docx(diff: PlanDiff, *, relation: str = "parent") -> bytes:
    """The tracked-changes comparison document's bytes."""
    sides = sides_for(relation)
    findings = diff_findings(diff)
    title = "逐条对照（修订）Redline"
    doc = new_document(f"{title}：{diff.target.title or diff.target.id}")
    opening_page(doc, diff, findings, sides, title=title, how_to_read=HOW_TO_READ)
    by_clause: dict[str, list[tuple[int, DiffFinding]]] = {}
    for number, finding in enumerate(findings, start=1):
        by_clause.setdefault(finding.anchor, []).append((number, finding))
    ids = _Ids(len(findings))
    for clause in _ordered(diff.clauses):
        label = doc.add_paragraph()
        run = label.add_run(_label(clause, sides))
        run.font.size, run.font.color.rgb = Pt(8), GREY
        label.paragraph_format.keep_with_next = True
        label.paragraph_format.space_before = Pt(8)
        _clause_paragraph(doc, clause, ids)
        # the group's findings, on its label line (the revisions stay free to accept or reject)
        for number, finding in by_clause.get(clause_anchor(clause), []) if clause.reference else []:
            text = comment_text(finding, number, sides)
            doc.add_comment(
                anchor_runs([label], ""), text=text, author=docx_xml.AUTHOR, initials=INITIALS
            )
    findings_table(doc, findings, sides)
    return save(doc)
