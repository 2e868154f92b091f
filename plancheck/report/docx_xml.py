"""The WordprocessingML python-docx has no API for, in one small module.

python-docx writes paragraphs, runs, tables and comments; it does not write tracked changes
(``w:ins`` / ``w:del``), split a run at a character, draw table borders without a named style,
set the East Asian font, or save the same bytes twice (its zip entries carry the time of
saving, and every comment the time it was added). Everything here works on the elements the
python-docx objects wrap (``paragraph._p``, ``run._r``, ``table._tbl``: python-docx's own
documented way down to the XML) with lxml, and only here.

Determinism: every tracked change and comment carries ``FIXED_DATE`` and the author
``plancheck``; ids are given by the caller in document order; ``normalise_package`` rewrites
the zip with fixed entry times, so the same document gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from plancheck.normalise.contacts import MASK
from plancheck.report.xlsx import FIXED_DATE

AUTHOR = "plancheck"
DATE = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def element(obj: Any) -> Any:
    """The lxml element a python-docx paragraph, run or table wraps (or the element itself)."""
    for name in ("_p", "_r", "_tbl"):
        if hasattr(obj, name):
            return getattr(obj, name)
    return obj


def _text_run(text: str, *, deleted: bool = False, rpr: Any = None) -> Any:
    """A ``w:r`` holding ``text`` (line breaks as ``w:br``; ``w:delText`` inside a deletion)."""
    run = parse_xml(f"<w:r {nsdecls('w')}/>")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    tag = "w:delText" if deleted else "w:t"
    for k, piece in enumerate(text.split("\n")):
        if k:
            run.append(parse_xml(f"<w:br {nsdecls('w')}/>"))
        node = etree.SubElement(run, qn(tag))
        node.text = piece
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _change(kind: str, change_id: int) -> Any:
    return parse_xml(
        f'<w:{kind} {nsdecls("w")} w:id="{change_id}" w:author="{AUTHOR}" w:date="{DATE}"/>'
    )


def add_tracked(paragraph: Any, kind: str, text: str, change_id: int, rpr: Any = None) -> None:
    """Append ``text`` to the paragraph as a tracked insertion (``kind`` "insert") or
    deletion ("delete"): Word's ``w:ins`` / ``w:del`` around a run, with id, author, date."""
    wrapper = _change("ins" if kind == "insert" else "del", change_id)
    wrapper.append(_text_run(text, deleted=kind == "delete", rpr=rpr))
    element(paragraph).append(wrapper)


def track_paragraph_mark(paragraph: Any, kind: str, change_id: int) -> None:
    """Mark the paragraph's own end as inserted or deleted, so accepting (or rejecting) every
    change leaves no empty paragraph behind."""
    p_pr = element(paragraph).get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = etree.SubElement(p_pr, qn("w:rPr"))
    r_pr.append(_change("ins" if kind == "insert" else "del", change_id))


def _simple(run: Any) -> bool:
    """A run of one ``w:t`` (and its properties): it can be cut at any character."""
    children = [c for c in run if c.tag != qn("w:rPr")]
    return len(children) == 1 and children[0].tag == qn("w:t")


def _cut(run: Any, offset: int) -> Any:
    """Split a simple run at ``offset``; returns the new second half (inserted after it)."""
    tail = copy.deepcopy(run)
    text = run.find(qn("w:t")).text or ""
    for node, piece in (
        (run.find(qn("w:t")), text[:offset]),
        (tail.find(qn("w:t")), text[offset:]),
    ):
        node.text = piece
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(tail)
    return tail


def runs_covering(paragraph: Any, start: int, end: int) -> list[Any]:
    """The direct runs of the paragraph that hold characters ``start``..``end`` of its text
    (the runs' text joined), cutting simple runs so the range begins and ends on a run
    boundary; a run that cannot be cut (a field, a drawing) is taken whole."""
    runs = list(element(paragraph).iterchildren(qn("w:r")))
    out, pos = [], 0
    for run in runs:
        text = "".join(node.text or "" for node in run.iter(qn("w:t")))
        lo, hi = pos, pos + len(text)
        pos = hi
        if hi <= start or lo >= end or not text:
            continue
        if _simple(run) and lo < start:
            run = _cut(run, start - lo)
            lo = start
        if _simple(run) and hi > end:
            _cut(run, end - lo)
        out.append(run)
    return out


def direct_text(paragraph: Any) -> str:
    """The text of a paragraph's direct runs, as ``runs_covering`` counts it."""
    return "".join(
        node.text or ""
        for node in element(paragraph).iterchildren(qn("w:r"))
        for node in node.iter(qn("w:t"))
    )


def mask_spans(
    paragraph: Any, find: Callable[[str], list[tuple[str, int, int]]], mask: str = MASK
) -> None:
    """Replace each span ``find`` reports in the paragraph's text (every ``w:t`` under it, in
    order, runs of hyperlinks and insertions included) by ``mask``, even when the span runs
    over several runs: the first run of the span takes the mask, the others lose its text."""
    nodes = list(element(paragraph).iter(qn("w:t")))
    texts = [node.text or "" for node in nodes]
    spans = find("".join(texts))
    for _, start, end in reversed(spans):  # right to left: earlier offsets stay valid
        pos, masked = 0, False
        for k, text in enumerate(texts):
            lo, hi = pos, pos + len(text)
            pos = hi
            if hi <= start or lo >= end:
                continue
            keep_head = text[: max(start - lo, 0)]
            keep_tail = text[end - lo :] if end < hi else ""
            texts[k] = keep_head + ("" if masked else mask) + keep_tail
            masked = True
    for node, text in zip(nodes, texts, strict=True):
        if node.text != text:
            node.text = text
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def table_borders(table: Any, size: int = 4) -> None:
    """Single-line borders on every cell edge (no named table style needed: a reviewer's own
    document may have none)."""
    tbl_pr = element(table).tblPr
    borders = etree.SubElement(tbl_pr, qn("w:tblBorders"))
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = etree.SubElement(borders, qn(f"w:{edge}"))
        for key, value in (
            ("val", "single"),
            ("sz", str(size)),
            ("space", "0"),
            ("color", "808080"),
        ):
            node.set(qn(f"w:{key}"), value)


def repeat_header(row: Any) -> None:
    """Repeat a table's first row at the top of every page it runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    etree.SubElement(tr_pr, qn("w:tblHeader"))


def east_asian_font(style: Any, name: str, lang: str = "zh-CN") -> None:
    """Give a style its East Asian font and language (python-docx sets Latin fonts only)."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.SubElement(r_pr, qn("w:rFonts"))
    fonts.set(qn("w:eastAsia"), name)
    lang_node = r_pr.find(qn("w:lang"))
    if lang_node is None:
        lang_node = etree.SubElement(r_pr, qn("w:lang"))
    lang_node.set(qn("w:eastAsia"), lang)


def move_before(items: Sequence[Any], anchor: Any) -> None:
    """Move paragraphs / tables (in order) to just before ``anchor`` in the body."""
    target = element(anchor)
    for item in items:
        target.addprevious(element(item))


def _fixed_comment_dates(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for comment in root.iter(qn("w:comment")):
        comment.set(qn("w:date"), DATE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def normalise_package(data: bytes) -> bytes:
    """The same .docx with fixed zip entry times and fixed comment dates: the same document
    gives the same bytes (python-docx stamps both with the time of saving)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "word/comments.xml":
                blob = _fixed_comment_dates(blob)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, blob)
    return out.getvalue()
