"""OFD (GB/T 33190): the test writes the package (OFD.xml -> Document.xml -> Pages/Page_N/
Content.xml with positioned TextObject/TextCode), laid out as a converter lays out a plan:
lines wrapped at the page width, one line written character by character, a page number
at the foot of each page, a running header in a page template, an annex table as text
placed in columns. It must give the task table of the same plan written as text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from plancheck.errors import InputError
from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.formats import sniff

NS = "http://www.ofdspec.org/2016"
COMPARED = ["task_id", "kind", "text", "units", "lead_unit", "deadline"]
PLAN = [
    "某市医疗卫生行业综合监管实施方案",
    "一、总体要求",
    "到2025年底，基本建立职责明确、分工协作、科学有效的综合监管制度，形成专业高效、统一规范的监管体系。",
    "二、重点任务",
    *(
        f"（{cn}）加强第{n}项监管工作。建立健全监督检查制度，落实属地管理责任，强化部门协同联动，"
        f"推进信息共享和联合惩戒。（责任单位：{lead}、市财政局）"
        for n, (cn, lead) in enumerate(
            zip(
                "一二三四五六七八",
                ["市卫健委", "市医保局", "市公安局", "市市场监管局"] * 2,
                strict=True,
            ),
            1,
        )
    ),
    "三、保障措施",
    "（一）加强组织领导。各县（区）要建立工作机制。（责任单位：各县区人民政府）",
]
TABLE = [
    ["序号", "具体任务", "牵头单位", "完成时限"],
    ["1", "建立协调机制。", "市卫健委", "2025年9月"],
    ["2", "开展双随机抽查。", "市市场监管局", "持续开展"],
]
SIZE, LEADING, WIDTH, PER_PAGE = 4.0, 7.0, 28, 24  # mm, mm, characters per line, lines


def _text_object(n: int, x: float, y: float, text: str) -> str:
    return (
        f'<ofd:TextObject ID="{n}" Boundary="{x} {y} {SIZE * len(text)} {SIZE * 1.4}" '
        f'Font="2" Size="{SIZE}"><ofd:TextCode X="0" Y="{SIZE}">{text}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


def _layout() -> list[list[list[tuple[float, str]]]]:
    """Pages of lines of (x, text) pieces: paragraphs wrapped at WIDTH, then the table."""
    lines: list[list[tuple[float, str]]] = []
    for paragraph in PLAN:
        for start in range(0, len(paragraph), WIDTH):
            lines.append([(25.0, paragraph[start : start + WIDTH])])
    lines.append([(25.0, "附件")])
    columns = (25.0, 45.0, 110.0, 150.0)
    lines += [list(zip(columns, row, strict=True)) for row in TABLE]
    return [lines[i : i + PER_PAGE] for i in range(0, len(lines), PER_PAGE)]


def write_ofd(path: Path, *, per_character: int = 3) -> Path:
    """The package; line ``per_character`` of page 1 is one TextObject per character."""
    ids = iter(range(100, 100_000))
    pages = _layout()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
            'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>'
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        listed = "".join(
            f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
            for i in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
            "<ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            '</ofd:PageArea><ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
            f"</ofd:CommonData><ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        )
        archive.writestr(
            "Doc_0/Tpls/Tpl_0/Content.xml",
            f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">'
            f"{_text_object(1, 25, 10, '某市人民政府办公室')}</ofd:Layer></ofd:Content></ofd:Page>",
        )
        for p, lines in enumerate(pages):
            objects = []
            for i, pieces in enumerate(lines):
                y = 30 + i * LEADING + (0.4 if i % 2 else 0.0)  # baselines are not exact
                for x, text in pieces:
                    if p == 0 and i == per_character:
                        objects += [
                            _text_object(next(ids), x + k * SIZE, y, ch)
                            for k, ch in enumerate(text)
                        ]
                    else:
                        objects.append(_text_object(next(ids), x, y, text))
            objects.append(_text_object(next(ids), 100, 280, f"— {p + 1} —"))
            archive.writestr(
                f"Doc_0/Pages/Page_{p}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}">'
                '<ofd:Template TemplateID="9"/><ofd:Content><ofd:Layer ID="2">'
                + "".join(objects)
                + "</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return path


def test_ofd_gives_the_table_of_the_same_plan_as_text(tmp_path):
    ofd = write_ofd(tmp_path / "plan.ofd")
    text = tmp_path / "plan.txt"
    rows = ["\t".join(row) for row in TABLE]
    text.write_text("\n\n".join([*PLAN, "附件", "\n".join(rows)]) + "\n", encoding="utf-8")
    assert sniff(ofd.read_bytes()) == "ofd"
    expected = build_task_table(text, plan_id="p")
    table = build_task_table(ofd, plan_id="p")
    assert len(expected) == 12  # the target, 8 + 1 clauses, 2 annex rows
    assert table[COMPARED].to_dict("records") == expected[COMPARED].to_dict("records")
    doc = read_document(ofd)
    assert doc.shape.startswith("ofd:") and len(doc.page_starts) == 2
    row = table.set_index("task_id").loc["A.2"]
    assert doc.page_of(row["line_start"]) == 2 and row["lead_unit"] == "市市场监管局"
    assert not any("— 1 —" in line or line == "某市人民政府办公室" for line in doc.lines)


def test_ofd_parts_with_entities_are_refused(tmp_path):
    path = write_ofd(tmp_path / "plan.ofd")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["Doc_0/Document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        + parts["Doc_0/Document.xml"].split(b"?>", 1)[1]
    )
    bomb = tmp_path / "bomb.ofd"
    with zipfile.ZipFile(bomb, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with pytest.raises(InputError, match="DOCTYPE"):
        read_document(bomb)


def test_damaged_ofd_is_one_line(tmp_path):
    path = tmp_path / "bad.ofd"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='x'><unclosed>")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as err:
        read_document(path)
    assert "\n" not in str(err.value) and "damaged" in str(err.value)
