"""The Markdown reports as a CommonMark renderer shows them: no literal emphasis markers,
deleted and inserted text in <del>/<ins>, every findings link lands on a section; and the
diff gates (--fail-on, --min-coverage) as a CI job uses them."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from markdown_it import MarkdownIt
from test_align_synthetic import CLAUSES, table
from typer.testing import CliRunner

from plancheck.align import diff_plans
from plancheck.cli import app
from plancheck.report.diff_findings import diff_findings
from plancheck.report.diff_markdown import render_diff_markdown
from plancheck.table.io import write_tasks_csv

GOLDEN_DIFFS = sorted((ROOT / "reports").glob("diff-*.md"))


def _html(markdown: str) -> BeautifulSoup:
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return BeautifulSoup(rendered, "html.parser")


def _pair():
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), ["市卫健委"])
    items[3] = (items[3][0].replace("完善舆情监测和处置机制。", ""), items[3][1])
    del items[6]
    return table("ref", CLAUSES), table("tgt", items)


@pytest.mark.parametrize("path", GOLDEN_DIFFS, ids=lambda p: p.name)
def test_seed_reports_render_in_python_markdown(path) -> None:
    import markdown

    html = markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables"])
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text()
    assert "**" not in text and "~~" not in text and "\\_" not in text
    assert soup.find_all("del") and soup.find_all("ins") and soup.find("table")
    folded = soup.find("details")
    assert folded is None or folded.find_all("li")  # rewordings are a list, not raw text


@pytest.mark.parametrize("path", GOLDEN_DIFFS, ids=lambda p: p.name)
def test_seed_reports_render_without_literal_markers(path) -> None:
    soup = _html(path.read_text(encoding="utf-8"))
    text = soup.get_text()
    assert "**" not in text and "~~" not in text
    assert soup.find_all("del") and soup.find_all("ins")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    links = [a["href"][1:] for a in soup.find_all("a", href=True) if a["href"].startswith("#")]
    assert links and set(links) <= ids  # every finding links to its clause section


def test_findings_come_before_the_clause_sections() -> None:
    soup = _html((ROOT / "reports" / "diff-lingyuan-2021-vs-liaoning-2019.md").read_text("utf-8"))
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert headings[0].startswith("需要处理的问题 Findings")
    first_list = soup.find("h2").find_next("ul").get_text()
    assert "引导社会办医疗机构加强各环节自律" in first_list  # a left-out requirement, on screen one
    assert "增加限定词「基本」" in first_list  # 全省建成 -> 全市基本建成


def test_peer_report_says_peer() -> None:
    text = (ROOT / "reports" / "diff-leshan-vs-guangyuan.md").read_text("utf-8")
    assert "同级比对 compared with peer" in text and "同级参照条款" in text
    for label in ("上级条款", "上级方案", "上级原文", "上级行号", "对照上级"):
        assert label not in text


def test_redline_text_lands_in_the_right_elements() -> None:
    reference, target = _pair()
    diff = diff_plans(reference, target)
    soup = _html(render_diff_markdown(diff))
    clause = next(c for c in diff.clauses if c.status == "changed")
    paragraph = next(
        p.find_next("p") for p in soup.find_all("p") if p.get_text().startswith("逐字对照")
    )
    deleted = "".join(tag.get_text() for tag in paragraph.find_all("del"))
    inserted = "".join(tag.get_text() for tag in paragraph.find_all("ins"))
    for tag in paragraph.find_all("ins"):
        tag.extract()
    old_side = re.sub(r"\s", "", paragraph.get_text())
    assert old_side == re.sub(r"\s", "", clause.reference[0].text)
    assert "完善舆情监测和处置机制。" in deleted and not inserted


def test_markup_in_documents_is_escaped() -> None:
    reference = table(
        "ref", [("建立<script>alert(1)</script>**机制**。", ["市卫健委"])] + CLAUSES[1:]
    )
    soup = _html(render_diff_markdown(diff_plans(reference, table("tgt", CLAUSES[1:]))))
    assert not soup.find("script") and not soup.find("strong")
    assert "<script>alert(1)</script>**机制**" in soup.get_text()


@pytest.fixture()
def pair_csvs(tmp_path):
    reference, target = _pair()
    return [
        str(write_tasks_csv(df, tmp_path / f"{name}.csv"))
        for name, df in (("ref", reference), ("tgt", target))
    ]


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ([], 0),
        (["--fail-on", "never"], 0),
        (["--fail-on", "omitted"], 1),
        (["--fail-on", "weakened"], 1),
        (["--min-coverage", "100"], 1),
        (["--min-coverage", "80"], 0),
        (["--fail-on", "sometimes"], 2),
        (["--min-coverage", "150"], 2),
    ],
)
def test_diff_gate_exit_codes(pair_csvs, options, code) -> None:
    result = CliRunner().invoke(app, ["diff", *pair_csvs, "--format", "json", *options])
    assert result.exit_code == code, result.output
    if code == 1:
        assert result.stderr.startswith("gate failed: tgt vs ref")


def test_gate_ladder_on_weakening_only() -> None:
    items = list(CLAUSES)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), items[10][1])
    diff = diff_plans(table("ref", CLAUSES), table("tgt", items))
    from plancheck.report.diff_gate import gate_failures
    from plancheck.report.index import index_diff

    row = index_diff(diff, "parent", "")
    kinds = {f.kind for f in diff_findings(diff)}
    assert "weakened" in kinds and not kinds & {"omitted_clause", "omitted_requirement"}
    assert gate_failures(row, "omitted") == []
    assert len(gate_failures(row, "weakened")) == 1
    assert gate_failures(row, "changed") and gate_failures(row, "never") == []


def test_report_gate_writes_the_reports_then_exits_1(tmp_path) -> None:
    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path), "--fail-on", "omitted"])
    assert result.exit_code == 1, result.output
    assert "gate failed: lingyuan-2021 vs liaoning-2019: 7 项" in result.stderr
    assert (tmp_path / "index.md").is_file()


def test_cli_diff_of_two_peers_says_peer() -> None:
    result = CliRunner().invoke(app, ["diff", "guangyuan", "leshan"])
    assert result.exit_code == 0, result.output
    assert "同级比对 compared with peer: 广元市" in result.stdout
    assert "对照上级" not in result.stdout
