"""HTML reader: the article body (not the site around it), cleaned like the web_page reader."""

from __future__ import annotations

import html

import pytest
from conftest import SEEDS

from plancheck.errors import InputError
from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.formats import sniff

LINE_COLUMNS = ("source_file", "line_start", "line_end")


def page(article: str, charset: str = "utf-8") -> str:
    """A government-site page: navigation, header, breadcrumbs, script, footer around ``article``."""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>某市人民政府</title><script>var menu = "首页 政务公开 办事服务";</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/bsfw">办事服务</a>
<a href="/hdjl">互动交流</a> <a href="/zjsz">走进某市</a></div>
<header><h1>某市人民政府门户网站</h1></header>
<div class="main">
  <div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
  <div class="TRS_Editor">{article}</div>
  <ul class="related"><li><a href="/1">关于做好春节期间安全生产工作的通知</a></li>
  <li><a href="/2">某市召开全市经济工作会议</a></li></ul>
</div>
<footer>主办单位：某市人民政府办公室 联系电话：0833-2139876 备案号：蜀ICP备12345678号</footer>
<script>document.write("统计代码");</script>
</body></html>"""


def _paragraphs(lines: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)


PLAN = [
    "某市改革完善医疗卫生行业综合监管制度实施方案",
    "一、总体要求",
    "到2020年底，基本建成综合监管制度。",
    "二、重点任务",
    "（一）加强党的领导。建立卫生监督协调员制度。（责任单位：市卫健委、市财政局）",
    "（二）明确监管责任。建立督查机制。（责任单位：市卫健委）",
]


def test_article_body_without_site_chrome(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(page(_paragraphs(PLAN)), encoding="utf-8")
    doc = read_document(path)
    text = "\n".join(doc.lines)
    assert doc.shape.startswith("html:")
    for chrome in ("首页", "当前位置", "主办单位", "统计代码", "关于做好春节", "ICP"):
        assert chrome not in text
    tasks = build_task_table(path).set_index("task_id")
    assert list(tasks.index) == ["1", "2.1", "2.2"]
    assert tasks.loc["2.1", "units"] == ["市卫健委", "市财政局"]
    assert doc.lines[tasks.loc["2.2", "line_start"] - 1].startswith("（二）明确监管责任")


def test_traditional_page_with_pinyin_matches_the_text_export(tmp_path):
    raw = SEEDS["liaoning-2019"].read_text(encoding="utf-8").split("\n")
    path = tmp_path / "liaoning.html"
    path.write_text(page(_paragraphs([line for line in raw if line.strip()])), encoding="utf-8")
    from_text = build_task_table(SEEDS["liaoning-2019"], plan_id="p")
    from_html = build_task_table(path, plan_id="p")
    columns = [c for c in from_text.columns if c not in LINE_COLUMNS]
    assert len(from_html) == len(from_text) > 20
    assert from_html[columns].equals(from_text[columns])
    assert "醫" not in "".join(from_html["text"]) and "(yī)" not in "".join(from_html["text"])


def test_task_table_with_rowspan_and_colspan(tmp_path):
    table = """<table border="1">
<tr><th>重点任务</th><th>具体任务</th><th>责任单位</th></tr>
<tr><td colspan="3">健全监管体系</td></tr>
<tr><td rowspan="2">加强领导</td><td>1.完善工作机制。</td><td rowspan="2">市卫健委、市财政局</td></tr>
<tr><td>2.落实责任。</td></tr>
<tr><td>强化监管</td><td>1.开展检查。</td><td>市市场监管局</td></tr>
</table>"""
    path = tmp_path / "t.html"
    path.write_text(page(f"<p>附件</p>{table}"), encoding="utf-8")
    tasks = build_task_table(path).set_index("task_id")
    assert list(tasks.index) == ["1.1", "1.2", "2.1"]
    assert tasks.loc["1.2", "lead_unit"] == "市卫健委" and tasks.loc["1.2", "units_inherited"]
    assert (
        tasks.loc["1.2", "heading"] == "加强领导" and tasks.loc["1.1", "section"] == "健全监管体系"
    )
    assert tasks.loc["2.1", "lead_unit"] == "市市场监管局"


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "gb18030"])
def test_declared_chinese_charset(tmp_path, charset):
    path = tmp_path / "p.html"
    # GB2312 pages routinely hold GBK-only characters (镕): decoding uses the GB18030 superset.
    lines = [*PLAN[:4], "（一）加强党的领导。朱镕基同志强调。（责任单位：市卫健委）", PLAN[5]]
    path.write_bytes(page(_paragraphs(lines), charset).encode("gbk"))
    tasks = build_task_table(path)
    assert "朱镕基" in "".join(tasks["text"]) and len(tasks) == 3


def test_page_that_lies_about_its_charset_is_detected(tmp_path):
    path = tmp_path / "p.html"
    path.write_bytes(page(_paragraphs(PLAN), "utf-8").encode("gb18030"))
    assert "加强党的领导" in "".join(build_task_table(path)["text"])


def test_encoding_override_applies_to_html(tmp_path):
    path = tmp_path / "p.html"
    import opencc

    traditional = opencc.OpenCC("s2t").convert(page(_paragraphs(PLAN), "utf-8"))
    path.write_bytes(traditional.encode("big5"))  # the page says utf-8 but is Big5
    tasks = build_task_table(path, encoding="big5")
    assert "加强党的领导" in "".join(tasks["text"])  # read as Big5, then simplified


@pytest.mark.parametrize(
    "head",
    [
        "<!DOCTYPE html>",
        "<!doctype HTML>",
        "<html lang='zh'>",
        "\ufeff<html>",
        "<?xml version='1.0'?>\n<!DOCTYPE html>",
    ],
)
def test_sniff_html_by_content(head):
    assert sniff(f"{head}<body><p>一、总体要求</p></body></html>".encode()) == "html"


def test_sniff_plain_text_is_not_html():
    assert sniff("一、总体要求\n<html> 出现在正文中间\n".encode()) is None
    assert sniff(SEEDS["liaoning-2019"].read_bytes()) is None


def test_html_with_a_txt_name_is_still_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(page(_paragraphs(PLAN)), encoding="utf-8")
    assert read_document(path).shape.startswith("html:")


def test_page_without_text_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><script>1</script></body></html>"
    )
    with pytest.raises(InputError, match="no text"):
        read_document(path)


def test_page_without_clauses_is_a_clear_error(tmp_path):
    path = tmp_path / "news.html"
    path.write_text(page("<p>今天天气很好，市民纷纷外出游玩。</p>"), encoding="utf-8")
    with pytest.raises(InputError, match="no recognisable clauses"):
        build_task_table(path)
