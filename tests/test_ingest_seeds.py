"""The five seeds, counted and checked by hand against the source documents."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS

from plancheck.ingest import read_document

# (tasks, shape) per seed, counted by hand: 000 has 87 numbered rows + 3 unnumbered rows;
# 001 and 002 have 1 target paragraph + 25 items; 003 has 1 target + 13 numbered clauses +
# 16 table rows; 004 has 1 target + 24 clauses (（一）…（二十四）).
EXPECTED = {
    "leshan": (90, "word_table"),
    "liaoning-2019": (26, "web_page"),
    "lingyuan-2021": (26, "ocr_markdown"),
    "chongqing-2019": (30, "plan_with_table"),
    "guangyuan": (25, "pdf_text"),
}


@pytest.mark.parametrize("plan_id", sorted(EXPECTED))
def test_task_count_and_shape(seed_tables, plan_id):
    count, shape = EXPECTED[plan_id]
    assert len(seed_tables[plan_id]) == count
    assert read_document(SEEDS[plan_id]).shape == shape


def _lead(table, task_id):
    return table.set_index("task_id").loc[task_id, "lead_unit"]


@pytest.mark.parametrize(
    ("plan_id", "task_id", "lead"),
    [
        ("leshan", "1.1", "市委组织部"),
        ("leshan", "1.4", "市纪委监委"),
        ("leshan", "2.1", "各县（市、区）人民政府"),
        ("leshan", "8.1", "市市场监管局"),
        ("leshan", "11.1", "市医保局"),
        ("leshan", "26.1", "市网信办"),
        ("lingyuan-2021", "2.1.1", "市卫健委"),
        ("lingyuan-2021", "2.2.1", "市工商局"),
        ("lingyuan-2021", "3.5", "市卫健委"),
        ("guangyuan", "2.1", "市委组织部"),
        ("guangyuan", "4.14", "市司法局"),
        ("guangyuan", "5.21", "市司法局"),
        ("guangyuan", "5.24", "市委宣传部"),
        ("chongqing-2019", "A.1", "市卫生健康委"),
        ("chongqing-2019", "A.7", "试点区县"),
        ("chongqing-2019", "A.16", "试点行业组织"),
    ],
)
def test_lead_units(seed_tables, plan_id, task_id, lead):
    assert _lead(seed_tables[plan_id], task_id) == lead


def test_every_item_has_lead_unit_where_the_source_gives_one(seed_tables):
    for plan_id in ("leshan", "lingyuan-2021", "guangyuan"):
        items = seed_tables[plan_id][seed_tables[plan_id]["kind"] != "target"]
        assert items["lead_unit"].notna().all(), plan_id


def test_liaoning_has_no_units_and_no_spam(seed_tables):
    table = seed_tables["liaoning-2019"]
    assert table["units"].map(len).sum() == 0
    assert table["lead_unit"].isna().all()
    text = "".join(table["text"])
    for spam in ("无码", "影院", "欧美", "亚洲"):
        assert spam not in text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)  # no pinyin left
    assert "醫" not in text and "监管" in text  # simplified


def test_liaoning_damaged_clause_number_is_recovered(seed_tables):
    table = seed_tables["liaoning-2019"].set_index("task_id")
    assert table.loc["2.2.1", "heading"] == "突出重点领域,深化全要素、全流程监管"
    assert table.loc["2.2.9", "text"].startswith("加强健康产业监管")
    assert table.loc["3.5", "text"].startswith("加强宣传引导")


def test_leshan_merged_cells_are_inherited(seed_tables):
    table = seed_tables["leshan"].set_index("task_id")
    # Blank unit cells at source lines 16, 20, 52, 56, 60, 68, 114, 118, 122, 216, 220, 224, 278.
    assert table["units_inherited"].sum() == 13
    assert table.loc["1.2", "units"] == ["市委组织部", "市卫生健康委"]
    assert table.loc["1.2", "units_inherited"]
    assert not table.loc["1.1", "units_inherited"]
    assert table.loc["3.2", "units"] == ["市卫生健康委"]
    assert table.loc["6.1", "heading"] == "优化医疗卫生行业要素准入"


def test_chongqing_deadlines_and_contacts(seed_tables):
    table = seed_tables["chongqing-2019"].set_index("task_id")
    assert table.loc["A.1", ["deadline", "deadline_parsed"]].tolist() == ["2019年7月", "2019-07"]
    assert table.loc["A.4", "deadline_parsed"] == "ongoing"
    assert table.loc["A.15", "deadline_parsed"] == "2019-11"
    assert table.loc["A.7", "units_inherited"]
    assert "联系" not in "".join(table["text"])  # the contact line is not task text
    assert "试点范围" not in set(table["heading"])  # scope paragraph is context, not a task


def test_lines_point_into_the_source(seed_tables):
    table = seed_tables["guangyuan"].set_index("task_id")
    assert (table.loc["3.7", "line_start"], table.loc["3.7", "line_end"]) == (148, 182)
    lingyuan = seed_tables["lingyuan-2021"].set_index("task_id")
    assert (lingyuan.loc["2.1.3", "line_start"], lingyuan.loc["2.1.3", "line_end"]) == (39, 41)


def test_guangyuan_annex_of_duties_is_not_a_task_list(seed_tables):
    text = "".join(seed_tables["guangyuan"]["text"])
    assert "主要职责分工" not in text and "卫生健康行政部门依法负责" not in text


def test_collective_unit_kept_whole(seed_tables):
    units = seed_tables["leshan"].set_index("task_id").loc["2.2", "units"]
    assert units == ["市卫生健康委", "各县（市、区）人民政府"]


# Text accounting: between the first and last task line, every Chinese character of the
# cleaned source is in exactly one task (text + units note), except heading and context lines
# listed here by hand.
NON_TASK_LINES = {
    "liaoning-2019": (20, 82, {20, 24, 26, 36, 56, 72}),
    "lingyuan-2021": (27, 105, {27, 31, 33, 47, 73, 93}),
    "chongqing-2019": (21, 54, {21, 25, 27, 29, 39, 48}),
    "guangyuan": (12, 522, {12, 32, 126, 310, 422}),
}
_MARKER = re.compile(r"^\s*#*\s*(?:[（(][一二三四五六七八九十]+[）)]|\d+\s*[、.．])")


def _cjk(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff]", "", text)


@pytest.mark.parametrize("plan_id", sorted(NON_TASK_LINES))
def test_no_text_lost_or_duplicated(seed_tables, plan_id):
    first, last, skip = NON_TASK_LINES[plan_id]
    lines = read_document(SEEDS[plan_id]).lines
    source = "".join(_MARKER.sub("", lines[n - 1]) for n in range(first, last + 1) if n not in skip)
    table = seed_tables[plan_id]
    body = table[table["kind"] != "row"]
    tasks = "".join(t + u for t, u in zip(body["text"], body["units_raw"], strict=True))
    assert _cjk(tasks) == _cjk(source)


def test_table_rows_carry_every_task_cell(seed_tables):
    lines = read_document(SEEDS["leshan"]).lines
    cells = [line.strip() for line in lines if re.match(r"^\t\s*\d+\s*[.、．]", line)]
    texts = seed_tables["leshan"]["text"].tolist()
    for cell in cells:
        body = _MARKER.sub("", cell).strip()
        assert sum(text == body for text in texts) == 1, cell


@pytest.mark.parametrize("plan_id", sorted(SEEDS))
def test_every_source_line_is_accounted_for(plan_id):
    from plancheck.ingest.accounting import account_lines

    doc = read_document(SEEDS[plan_id])
    account = account_lines(doc)
    assert sorted(account.roles) == [n for n, line in enumerate(doc.lines, 1) if line.strip()]


def test_lingyuan_furniture_is_counted_not_glued():
    from plancheck.ingest.accounting import KEPT, account_lines

    account = account_lines(read_document(SEEDS["lingyuan-2021"]))
    dropped = {n: role for n, role in account.roles.items() if role not in KEPT}
    # Counted by hand: the red header (凌源市人民政府办公室文件, 凌政办发〔2021〕3号), office and
    # date under the cover letter, (此件公开发布), the two rules around 抄送, the office, 印发
    # date and 共印6份 at the end.
    assert dropped == {
        3: "letterhead", 5: "letterhead", 15: "signature", 17: "date", 19: "printing", 107: "rule", 109: "distribution",
        111: "rule", 113: "signature", 115: "printing", 117: "printing",
    }  # fmt: skip
