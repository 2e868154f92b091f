"""PDF as printed from Word: the test writes a .docx with a red header, a running header, a
page-number footer (— 3 —, - 3 -, 第3页) and the 印发 block, LibreOffice prints it to PDF, and
the PDF must give the task table of the .docx (tasks, ids, texts, lead units), with every
task on the page it is printed on."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.accounting import account_lines
from plancheck.ingest.formats.office import find_soffice

pytestmark = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (apt-get install libreoffice-writer-nogui) missing"
)
COMPARED = ["task_id", "kind", "text", "units", "lead_unit", "deadline"]
UNITS = ["市卫健委", "市市场监管局", "市医保局", "市公安局", "市财政局", "市人力资源社会保障局"]
CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + CN[n - 11]


def _page_field(paragraph, before: str, after: str) -> None:
    """``before`` + Word's PAGE field + ``after`` (the number Word prints on each page)."""
    paragraph.add_run(before)
    run = paragraph.add_run()._r
    for kind, text in (("begin", ""), ("", "PAGE"), ("separate", ""), ("", "1"), ("end", "")):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == "PAGE" else "w:t")
            el.text = text
        run.append(el)
    paragraph.add_run(after)


def printed_docx(path: Path, footer: tuple[str, str], clauses: int = 16) -> Path:
    """A notice as offices print it: red header, number, title, body over several pages."""
    document = docx.Document()
    section = document.sections[0]
    _page_field(section.footer.paragraphs[0], *footer)
    section.header.paragraphs[0].add_run("某市人民政府办公室规范性文件")
    red = document.add_paragraph().add_run("某市人民政府办公室文件")
    red.font.size, red.font.color.rgb = Pt(36), RGBColor(255, 0, 0)
    for text in (
        "某府办发〔2023〕12号",
        "某市人民政府办公室关于印发某市医疗卫生行业综合监管实施方案的通知",
        "各县（区）人民政府，市政府各部门：",
        "现将《某市医疗卫生行业综合监管实施方案》印发给你们，请认真贯彻执行。",
        "一、总体要求",
        "到2025年底，基本建立职责明确、分工协作、科学有效的综合监管制度。" * 3,
        "二、重点任务",
    ):
        document.add_paragraph(text)
    body = "建立健全监督检查制度，落实属地管理责任，强化部门协同联动，推进信息共享和联合惩戒，"
    for n in range(1, clauses + 1):
        lead, partner = UNITS[n % len(UNITS)], UNITS[(n + 1) % len(UNITS)]
        document.add_paragraph(
            f"（{_cn(n)}）加强第{n}项监管工作。{body * 3}确保各项措施落到实处。"
            f"（责任单位：{lead}、{partner}）"
        )
    for text in (
        "三、保障措施",
        "（一）加强组织领导。各县（区）要建立工作机制，明确责任分工。（责任单位：各县区人民政府）",
        "某市人民政府办公室",
        "2023年5月1日",
        "抄送：市委办公室，市人大常委会办公室。",
        "某市人民政府办公室 2023年5月1日印发",
    ):
        document.add_paragraph(text)
    document.save(path)
    return path


def to_pdf(source: Path) -> Path:
    out = source.parent
    subprocess.run(
        [find_soffice() or "soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}",
         "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / f"{source.stem}.pdf"


@pytest.mark.parametrize(
    "footer", [("— ", " —"), ("- ", " -"), ("第", "页")], ids=["dash", "hyphen", "di-ye"]
)
def test_printed_pdf_gives_the_table_of_its_docx(tmp_path, footer):
    source = printed_docx(tmp_path / "plan.docx", footer)
    pdf = to_pdf(source)
    expected = build_task_table(source, plan_id="p")
    table = build_task_table(pdf, plan_id="p")
    assert len(expected) == 18  # the target, 16 clauses, 1 safeguard
    assert table[COMPARED].to_dict("records") == expected[COMPARED].to_dict("records")
    doc = read_document(pdf)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages]
    assert len(pages) >= 3 and len(doc.page_starts) == len(pages)
    # Every task is on the page it names: its first words are printed on that page.
    for _, row in table.iterrows():
        page = doc.page_of(row["line_start"])
        assert page is not None
        assert row["text"][:8] in pages[page - 1].replace(" ", "").replace("\n", "")
    assert table["line_start"].is_monotonic_increasing
    # Page furniture is not text: no page number, running header or red header in a task.
    text = "".join(table["text"])
    assert "规范性文件" not in text and "办公室文件" not in text and "印发" not in text
    roles = account_lines(doc).roles
    first = {doc.lines[n - 1]: role for n, role in roles.items()}
    assert first["某市人民政府办公室文件"] == "letterhead"
    assert roles[max(roles)] == "printing"  # the 印发 line closes the document
