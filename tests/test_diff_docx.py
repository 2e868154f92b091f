"""The review in Word: findings as comments (docx) and the tracked-changes comparison
(redline-docx), read back with python-docx and, where LibreOffice is installed, as PDF."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from test_align_synthetic import CLAUSES, table
from typer.testing import CliRunner

from plancheck.align import diff_plans
from plancheck.cli import app
from plancheck.normalise.contacts import redact
from plancheck.plans.batch import Pair, diff_pair, is_report_name
from plancheck.plans.loading import diff_loaded, load_plan
from plancheck.report.diff_docx import comment_text, render_review_docx
from plancheck.report.diff_findings import diff_findings
from plancheck.report.diff_redline_docx import render_redline_docx
from plancheck.report.sides import sides_for
from plancheck.report.xlsx import FIXED_DATE
from plancheck.table.io import write_tasks_csv

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PHONE = "13812345678"
ADDED = "建立医疗卫生行业信用档案，按年度向社会公布。"


def _target_items() -> list[tuple[str, list[str]]]:
    """The reference clauses with known edits: clause 2's lead changed, 3 carries a phone
    number, 5 weakened (全面实行 -> 逐步推进), 7 left out, one clause added at the end."""
    items = list(CLAUSES)
    items[1] = (items[1][0], ["市场监管局", "市卫健委", "市政府督查室"])
    items[2] = (items[2][0] + f"联系电话：{PHONE}。", items[2][1])
    items[4] = (items[4][0].replace("全面实行", "逐步推进"), items[4][1])
    del items[6]
    return [*items, (ADDED, ["市卫健委"])]


@pytest.fixture(scope="module")
def pair_diff():
    return diff_plans(table("ref", CLAUSES), table("tgt", _target_items()))


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _anchors(document) -> dict[int, tuple[str, str]]:
    """comment id -> (text of the paragraph its range starts in, the text inside the range)."""
    out: dict[int, tuple[str, str]] = {}
    open_ranges: dict[int, tuple[str, list[str]]] = {}
    for p in document.element.body.iter(f"{W}p"):
        whole = "".join(t.text or "" for t in p.iter(f"{W}t"))
        for node in p.iter():
            if node.tag == f"{W}commentRangeStart":
                open_ranges[int(node.get(f"{W}id"))] = (whole, [])
            elif node.tag == f"{W}commentRangeEnd":
                start, words = open_ranges.pop(int(node.get(f"{W}id")))
                out[int(node.get(f"{W}id"))] = (start, "".join(words))
            elif node.tag == f"{W}t":
                for _, words in open_ranges.values():
                    words.append(node.text or "")
    assert not open_ranges, "every comment range ends"
    return out


def test_every_finding_is_a_comment_on_its_clause(pair_diff) -> None:
    findings = diff_findings(pair_diff)
    data = render_review_docx(pair_diff)
    document = docx.Document(io.BytesIO(data))
    comments = list(document.comments)
    assert len(comments) == len(findings) == 5
    anchors = _anchors(document)
    for number, (finding, comment) in enumerate(zip(findings, comments, strict=True), start=1):
        assert comment.text.startswith(f"［{number}］{finding.label}")
        assert comment.author == "plancheck"
        paragraph, words = anchors[comment.comment_id]
        if finding.target_ids:  # the clause's own paragraph starts with its task id
            assert paragraph.startswith(f"{finding.target_ids[0]}　")
    weakened = [c for f, c in zip(findings, comments, strict=True) if f.kind == "weakened"]
    assert {anchors[c.comment_id][1] for c in weakened} == {
        "逐步推进医疗机构、医师和护士电子化注册"
    }
    assert "「全面实行医疗机构、医师和护士电子化注册，」→「逐步推进" in weakened[0].text
    assert "规则 rule: verb_softened；依据 evidence: 实行、逐步推进" in weakened[0].text
    omitted = comments[0]  # clause 7 left out: placed after target clause 6 (ref 6's carrier)
    assert findings[0].kind == "omitted_clause" and "批注位置" in omitted.text
    assert anchors[omitted.comment_id][0].startswith("6　")
    lead = next(c for f, c in zip(findings, comments, strict=True) if f.kind == "lead_changed")
    assert "市卫健委 → 市场监管局" in lead.text


def test_review_opens_with_the_summary_and_ends_with_every_finding(pair_diff) -> None:
    findings = diff_findings(pair_diff)
    document = docx.Document(io.BytesIO(render_review_docx(pair_diff)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "方案比对审阅 Plan review"
    coverage = f"覆盖率 coverage: {pair_diff.summary.coverage:.1%}"
    assert any(coverage in t for t in texts[: texts.index("如何阅读 How to read")])
    last = document.tables[-1]
    assert len(last.rows) == len(findings) + 1
    assert [row.cells[0].text for row in last.rows[1:]] == [str(k) for k in range(1, 6)]
    assert last.rows[1].cells[1].text == findings[0].label
    assert document.sections[-1].page_width > document.sections[-1].page_height  # landscape
    assert document.core_properties.created == FIXED_DATE


def test_an_unsure_finding_is_a_please_check(pair_diff) -> None:
    finding = dataclasses.replace(
        diff_findings(pair_diff)[1],
        confident=False,
        closest_text="推进医疗机构电子化注册",
        closest_lines="10",
        similarity=0.5,
    )
    text = comment_text(finding, 2, sides_for("parent"))
    assert text.startswith("［2］请核对 please check · 弱化 weakened：")
    assert "最接近 closest: 推进医疗机构电子化注册（第 10 行，相似度 0.50）" in text


def _revision_texts(p) -> tuple[str, str]:
    """(all changes accepted, all rejected) of one paragraph, whitespace dropped."""
    accept, reject = [], []
    for node in p.iter(f"{W}t", f"{W}delText"):
        inserted = any(a.tag == f"{W}ins" for a in node.iterancestors())
        if node.tag == f"{W}t":
            accept.append(node.text or "")
        if not inserted:
            reject.append(node.text or "")
    return "".join("".join(accept).split()), "".join("".join(reject).split())


def test_redline_turns_each_parent_clause_into_the_local_one(pair_diff) -> None:
    data = render_redline_docx(pair_diff)
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    labels = [
        k for k, p in enumerate(paragraphs) if p.text.startswith("上级 ") and "→ 本级 " in p.text
    ]
    groups = [paragraphs[k + 1]._p for k in labels]
    accepted, rejected = zip(*(_revision_texts(p) for p in groups), strict=True)
    target = ["".join(redact(text).split()) for text, _ in _target_items()]
    reference = ["".join(text.split()) for text, _ in CLAUSES]
    assert [a for a in accepted if a] == target  # accept all: the local plan, in order
    assert [r for r in rejected if r] == reference  # reject all: the parent, in its order
    body = document.element.body
    changes = list(body.iter(f"{W}ins", f"{W}del"))
    assert len(changes) > 6
    for change in changes:
        assert change.get(f"{W}author") == "plancheck" and change.get(f"{W}date")
        assert change.tag != f"{W}del" or not list(change.iter(f"{W}t"))
        assert change.tag != f"{W}ins" or not list(change.iter(f"{W}delText"))
    ids = [int(c.get(f"{W}id")) for c in changes] + [c.comment_id for c in document.comments]
    assert len(ids) == len(set(ids))  # annotation ids unique across changes and comments
    omitted = groups[6]  # reference clause 7: one deletion, its paragraph mark too
    assert not list(omitted.iter(f"{W}t")) and omitted.find(f"{W}pPr/{W}rPr/{W}del") is not None
    added = groups[-1]
    assert _revision_texts(added) == ("".join(ADDED.split()), "")
    assert added.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    assert len(list(document.comments)) == len(diff_findings(pair_diff))


def test_same_bytes_twice_and_no_contact_details(pair_diff) -> None:
    for render in (render_review_docx, render_redline_docx):
        first = render(pair_diff)
        assert first == render(pair_diff)
        parts = _parts(first)
        assert not any(PHONE.encode() in blob for blob in parts.values())
        assert "［已隐去］".encode() in parts["word/document.xml"]


def _reviewer_docx(path: Path) -> None:
    """A local plan as a reviewer has it: a title, a contact table, a heading, the clauses in
    the office's own paragraph style with their units in brackets."""
    document = docx.Document()
    style = document.styles.add_style("本地正文", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("某市改革完善医疗卫生行业综合监管制度实施方案", style="Title")
    contacts = document.add_table(rows=2, cols=2)
    contacts.cell(0, 0).text, contacts.cell(0, 1).text = "联系人", f"联系人：张三，电话：{PHONE}"
    contacts.cell(1, 0).text, contacts.cell(1, 1).text = "备注", "无"
    document.add_paragraph("一、重点任务", style="Heading 1")
    for k, (text, units) in enumerate(_target_items(), start=1):
        document.add_paragraph(f"{k}．{text}（责任单位：{'、'.join(units)}）", style=style)
    document.save(path)


@pytest.fixture(scope="module")
def reviewer_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    source = folder / "local.docx"
    _reviewer_docx(source)
    reference = write_tasks_csv(table("ref", CLAUSES), folder / "ref.csv")
    return folder, reference, source


def test_comments_go_into_a_copy_of_the_reviewers_docx(reviewer_files) -> None:
    folder, reference, source = reviewer_files
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    outputs = []
    for name in ("a.docx", "b.docx"):
        out = folder / name
        result = CliRunner().invoke(
            app, ["diff", str(reference), str(source), "--format", "docx", "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    onto = CliRunner().invoke(
        app, ["diff", str(reference), str(source), "--format", "docx", "-o", str(source)]
    )
    assert onto.exit_code == 2 and "never overwrites a source" in onto.output
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # source never written
    document = docx.Document(io.BytesIO(outputs[0]))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "方案比对审阅 Plan review"
    title = texts.index("某市改革完善医疗卫生行业综合监管制度实施方案")
    assert document.paragraphs[title].style.name == "Title"  # the reviewer's own document follows
    clauses = [p for p in document.paragraphs if p.style.name == "本地正文"]
    assert len(clauses) == len(_target_items())
    findings = diff_findings(diff_loaded(load_plan(reference), load_plan(source)))
    comments = list(document.comments)
    assert [c.text.split("：")[0] for c in comments] == [
        f"［{k}］{f.label}" for k, f in enumerate(findings, start=1)
    ]
    anchors = _anchors(document)
    for finding, comment in zip(findings, comments, strict=True):
        paragraph, words = anchors[comment.comment_id]
        number = int(finding.target_ids[0].split(".")[-1]) if finding.target_ids else 6
        assert paragraph.startswith(f"{number}．"), (finding.kind, paragraph)
        if finding.kind == "weakened":
            assert words == "逐步推进医疗机构、医师和护士电子化注册"
    parts = _parts(outputs[0])
    assert not any(PHONE.encode() in blob for blob in parts.values())
    assert "联系人：［已隐去］" in document.tables[1].cell(0, 1).text


def test_diff_docx_needs_an_output_file(reviewer_files) -> None:
    _, reference, source = reviewer_files
    for format in ("docx", "redline-docx"):
        result = CliRunner().invoke(app, ["diff", str(reference), str(source), "--format", format])
        assert result.exit_code == 2
        assert f"--format {format} writes a file; name it with --output FILE.docx" in result.output


def test_report_writes_both_word_files_per_diff(reviewer_files) -> None:
    _, reference, source = reviewer_files
    pair = Pair("ref", "local", "parent")
    files, _, _ = diff_pair((pair, load_plan(reference), load_plan(source), ("html", "docx")))
    assert set(files) == {
        "diff-local-vs-ref.html",
        "diff-local-vs-ref.docx",
        "diff-local-vs-ref-redline.docx",
    }
    assert all(is_report_name(name) for name in files)
    review = docx.Document(io.BytesIO(files["diff-local-vs-ref.docx"]))
    assert any(p.style.name == "本地正文" for p in review.paragraphs)  # the reviewer's file


# Comments exported too: as annotations, and in the margin where LibreOffice can (7.5+)
PDF_EXPORT = (
    'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"},'
    '"ExportNotesInMargin":{"type":"boolean","value":"true"}}'
)


def test_a_clause_in_a_task_table_row_is_anchored_in_its_task_cell(tmp_path) -> None:
    from test_formats_docx import table_docx

    blocks = [["重点任务", "具体任务", "责任单位"]]
    for k, (text, units) in enumerate(CLAUSES[:6], start=1):
        text = text.replace("全面实行", "逐步推进") if k == 5 else text
        blocks.append([f"任务{k}", text, "、".join(units)])
    table_docx(tmp_path / "division.docx", ["某市任务分工"], blocks)
    reference = write_tasks_csv(table("ref", CLAUSES[:6]), tmp_path / "ref.csv")
    out = tmp_path / "review.docx"
    result = CliRunner().invoke(
        app,
        [
            "diff",
            str(reference),
            str(tmp_path / "division.docx"),
            "--format",
            "docx",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(out)
    anchors = _anchors(document)
    comments = list(document.comments)
    assert comments and all("弱化 weakened" in c.text for c in comments)
    for comment in comments:
        cell, words = anchors[comment.comment_id]
        assert cell.startswith("加强医疗卫生服务要素准入。")  # the task cell, not the key or units
        assert words == "逐步推进医疗机构、医师和护士电子化注册"


def test_index_links_the_word_files(pair_diff) -> None:
    from plancheck.report.index import index_diff
    from plancheck.report.index_html import render_index_html

    row = index_diff(pair_diff, "parent", "diff-tgt-vs-ref.md")
    page = render_index_html([], [row], {}, with_word=True)
    assert 'href="diff-tgt-vs-ref.docx"' in page and 'href="diff-tgt-vs-ref-redline.docx"' in page
    assert ".docx" not in render_index_html([], [row], {})


def _pdf_text(pdf: Path) -> str:
    """The PDF's text and its annotations' (LibreOffice exports comments as annotations, or
    in the margin where it can)."""
    from pypdf import PdfReader

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    notes = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            contents = annot.get_object().get("/Contents")
            if contents:
                notes.append(str(contents))
    return text + "\n".join(notes)


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="LibreOffice (libreoffice-writer-nogui) and poppler-utils are not installed",
)
def test_libreoffice_renders_comments_and_changes(reviewer_files, tmp_path) -> None:
    folder, reference, source = reviewer_files
    review, redline = tmp_path / "review.docx", tmp_path / "redline.docx"
    for format, out in (("docx", review), ("redline-docx", redline)):
        result = CliRunner().invoke(
            app, ["diff", str(reference), str(source), "--format", format, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    profile = (tmp_path / "lo-profile").as_uri()  # a fresh profile: no state from other runs
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", PDF_EXPORT,
         "--outdir", str(tmp_path), str(review), str(redline)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    review_text = _pdf_text(tmp_path / "review.pdf")
    assert "方案比对审阅 Plan review" in review_text
    assert "逐步推进医疗机构" in review_text and "［已隐去］" in review_text
    assert "［2］弱化 weakened" in review_text  # the comment itself
    redline_text = _pdf_text(tmp_path / "redline.pdf")
    assert "全面实行" in redline_text and "逐步推进" in redline_text  # deleted and inserted
    assert "".join(ADDED.split("，")[0].split()) in redline_text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
         str(tmp_path / "review.pdf"), str(tmp_path / "review-page1")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    assert (tmp_path / "review-page1.png").stat().st_size > 10_000
