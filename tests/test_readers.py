"""Each reader on a small document of its shape, plus shape detection and refusals."""

from __future__ import annotations

import pytest

from plancheck.errors import InputError
from plancheck.ingest import build_task_table, read_document

TABLE = "附件\n\n\t重点任务\n\t具体任务\n\t责任单位\n\n\t加强领导\n\t1.完善工作机制。\n\t市卫健委、市财政局\n\n\t\n\t2.落实责任。\n\t\n\n\t强化监管\n\t1.开展检查。\n\t市市场监管局\n"


def test_word_table_inherits_blank_units_within_key(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TABLE, encoding="utf-8")
    table = build_task_table(path).set_index("task_id")
    assert list(table.index) == ["1.1", "1.2", "2.1"]
    assert (
        table.loc["1.2", "units"] == ["市卫健委", "市财政局"]
        and table.loc["1.2", "units_inherited"]
    )
    assert (
        table.loc["2.1", "lead_unit"] == "市市场监管局" and not table.loc["2.1", "units_inherited"]
    )


def test_units_not_inherited_across_key_tasks(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(TABLE + "\n\t加强宣传\n\t1.开展宣传。\n\t\n", encoding="utf-8")
    row = build_task_table(path).set_index("task_id").loc["3.1"]
    assert row["units"] == [] and not row["units_inherited"]


OCR = """# 某市某某实施方案

为贯彻落实上级文件，制定本方案。

## 一、总体要求

到2020年底，基本建成综合监管制度。

## 二、重点任务

### (一) 建立监管体系

1、加强党的领导。坚持党的全面领导，要建立

卫生监督协调员制度。(责任单位：市卫健委、市场监管局等相关部门，列第一位的单位为牵头部门，下同)

2、明确监管责任。建立督查机制。（责任单位：市卫健委）

---

抄送：市委办公室。
"""


def test_ocr_markdown_rejoins_page_break_and_stops_at_distribution_list(tmp_path):
    path = tmp_path / "p.md"
    path.write_text(OCR, encoding="utf-8")
    table = build_task_table(path).set_index("task_id")
    assert list(table.index) == ["1", "2.1.1", "2.1.2"]
    assert table.loc["1", "kind"] == "target"
    assert table.loc["2.1.1", "text"].endswith("要建立卫生监督协调员制度。")
    assert table.loc["2.1.1", "units"] == ["市卫健委", "市场监管局"]
    assert (table.loc["2.1.1", "line_start"], table.loc["2.1.1", "line_end"]) == (13, 15)
    assert "抄送" not in "".join(table["text"])


TARGET = "到2020年，建立职责明确、管理有序、分工协作、科学有效的综合监管制度，健全多元化综合监管体系，实现法治化、规范化、常态化。"
CLAUSE_1 = "（一）加强党的领导。完善医疗卫生行业党建工作领导体制和工作机制，全面落实公立医院党委领导下的院长负责制，加大医疗卫生行业反腐败力度。（市委组织部、市卫生健康委负责）"
CLAUSE_2 = "（二）强化政府责任。各级政府要加强对综合监管的组织领导、统筹协调，充分发挥在法治建设、行业规划、标准制定等方面的主导作用。（市卫生健康委、各县区人民政府负责）"


def _wrap(text: str, width: int = 26) -> str:
    """Hard-wrap like a PDF export: fixed width, a blank line after every line."""
    return "".join(text[i : i + width] + "\n\n" for i in range(0, len(text), width))


PDF = (
    "某市实施方案\n\n一、总体要求\n\n"
    + _wrap(TARGET)
    + "二、重点任务\n\n"
    + _wrap(CLAUSE_1)
    + _wrap(CLAUSE_2)
)


def test_pdf_text_rejoins_hard_wraps(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(PDF, encoding="utf-8")
    assert read_document(path).shape == "pdf_text"
    table = build_task_table(path).set_index("task_id")
    assert list(table.index) == ["1", "2.1", "2.2"]
    assert table.loc["1", "text"] == TARGET
    assert table.loc["2.1", "units"] == ["市委组织部", "市卫生健康委"]
    assert table.loc["2.2", "lead_unit"] == "市卫生健康委"


WEB = "某市人民政府\n\n当前位置: 首頁 > 政務(wù)公開\n\n發(fā)布時間:2020-01-02\n\n一、總(zǒng)體(tǐ)要求。\n\n到2020年，全省建成綜(zōng)合監(jiān)管制度，健全監(jiān)管體(tǐ)系。\n\n二、重點(diǎn)任務(wù)\n\n1.落實(shí)監(jiān)管責(zé)任。建立綜(zōng)合監(jiān)管協(xié)調(diào)機制。\n\n\n免费电影在线观看,最新影院,亚洲精品视频,欧美大片\n"


def test_web_page_converts_and_drops_chrome_and_spam(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text(WEB, encoding="utf-8")
    doc = read_document(path)
    assert doc.shape == "web_page"
    table = build_task_table(path).set_index("task_id")
    assert list(table.index) == ["1", "2.1"]
    assert table.loc["2.1", "text"] == "落实监管责任。建立综合监管协调机制。"
    assert "影院" not in "".join(p.text for p in doc.paragraphs)
    assert "影院" in doc.lines[-2]  # kept in the source lines so validation can point at it


def test_plan_with_table_prefixes_annex_rows(tmp_path):
    body = "一、工作目标\n到2019年底，初步建立制度。\n二、主要任务\n（一）创新手段。完善机制。\n（二）加强执法。规范行为。\n（三）加强宣传。营造氛围。\n附件\n"
    table = "\t责任主体\n\t工作任务\n\t完成时限\n\n\t市卫生健康委\n\t1.成立领导小组。\n\t2019年7月\n\n\t\n\t2.建立工作制度。\n\t持续开展\n"
    path = tmp_path / "c.txt"
    path.write_text(body + table, encoding="utf-8")
    result = build_task_table(path).set_index("task_id")
    assert list(result.index) == ["1", "2.1", "2.2", "2.3", "A.1", "A.2"]
    assert result.loc["A.2", "deadline_parsed"] == "ongoing"
    assert result.loc["A.2", "units_inherited"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        # A picture is read by OCR; a broken one is refused as a damaged image.
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "image is damaged"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "binary"),
        ("这是一封普通的信，没有编号，也没有任务。\n谢谢。\n".encode(), "not a recognisable plan"),
    ],
)
def test_refusals(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        build_task_table(path)
