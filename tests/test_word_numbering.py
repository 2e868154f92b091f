"""Word's automatic numbering: an auto-numbered plan gives the tasks of the typed one."""

from __future__ import annotations

import docx
import pytest
from docx.oxml import parse_xml

from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.formats.word_numbering import format_number

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Level (format, level text) as Chinese plans number: 一、 / （一） / 1. / ①.
LEVELS = [
    ("chineseCounting", "%1、"),
    ("chineseCounting", "（%2）"),
    ("decimal", "%3."),
    ("decimalEnclosedCircle", "%4"),
]
PLAN = [  # (level or None for unnumbered, text)
    (None, "某县改革完善综合监管制度实施方案"),
    (0, "总体要求"),
    (None, "到2023年底，建立综合监管制度。"),
    (0, "重点任务"),
    (1, "强化信用监管。建立医疗机构信用记录。（责任单位：县卫健局）"),
    (1, "加强执法监督"),
    (2, "开展专项整治。（县卫健局牵头，县公安局配合）"),
    (2, "完善执法机制。"),
    (3, "细化执法流程。"),
    (1, "推进信息公开。公布检查结果。（责任单位：县卫健局、县政府办）"),
    (0, "保障措施"),
    (1, "加强组织领导。各部门要落实责任。"),
]


def _numbering_xml(start_override: bool) -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS)
    )
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    return (
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="7">{levels}</w:abstractNum>'
        f'<w:num w:numId="3"><w:abstractNumId w:val="7"/>{override if start_override else ""}'
        "</w:num></w:numbering>"
    )


def _auto(path, start_override: bool = False) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element  # the test writes its own lists
    for child in list(numbering):
        numbering.remove(child)
    for child in list(parse_xml(_numbering_xml(start_override))):
        numbering.append(child)
    for level, text in PLAN:
        paragraph = document.add_paragraph(text)
        if level is not None:
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>')
            )
    document.save(path)


def _typed(path) -> None:
    counters = [0, 0, 0, 0]
    document = docx.Document()
    for level, text in PLAN:
        if level is not None:
            counters[level] += 1
            counters[level + 1 :] = [0] * (3 - level)
            fmt, label = LEVELS[level]
            text = label.replace(f"%{level + 1}", format_number(counters[level], fmt)) + text
        document.add_paragraph(text)
    document.save(path)


@pytest.mark.parametrize("start_override", [False, True])
def test_auto_numbered_plan_matches_the_typed_one(tmp_path, start_override):
    _auto(tmp_path / "auto.docx", start_override)
    _typed(tmp_path / "typed.docx")
    auto = build_task_table(tmp_path / "auto.docx").set_index("task_id")
    typed = build_task_table(tmp_path / "typed.docx").set_index("task_id")
    assert list(auto.index) == ["1", "2.1", "2.2.1", "2.2.2", "2.2.2.1", "2.3", "3.1"]
    columns = ["text", "units", "lead_unit", "heading"]
    assert auto[columns].to_dict() == typed[columns].to_dict()
    assert auto.loc["2.2.1", "units"] == ["县卫健局", "县公安局"]
    paragraphs = read_document(tmp_path / "auto.docx").paragraphs
    shown = [(p.number, p.list_level) for p in paragraphs if p.number]
    assert shown[:4] == [("一、", 0), ("二、", 0), ("（一）", 1), ("（二）", 1)]
    assert ("①", 3) in shown and all(
        p.number is None for p in read_document(tmp_path / "typed.docx").paragraphs
    )


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (11, "chineseCounting", "十一"),
        (3, "decimalEnclosedCircle", "③"),
        (2, "ideographTraditional", "乙"),
        (12, "decimalFullWidth", "１２"),
        (4, "lowerRoman", "iv"),
        (1, "bullet", None),
    ],
)
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown
