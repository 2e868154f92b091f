"""The coverage matrix: one parent, several local plans built from it with known drops and
weakenings; the matrix must say which plan drops which requirement, from the diffs' findings."""

from __future__ import annotations

import dataclasses
import json
import re

import openpyxl
import pytest
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.plans.batch import build_report_set
from plancheck.plans.loading import diff_specs
from plancheck.plans.manifest import load_manifest
from plancheck.report.matrix import (
    CoverageMatrix,
    MatrixColumn,
    Requirement,
    build_matrix,
    column_states,
    share_carried,
)

CLAUSES = (
    "建立医疗卫生行业综合监管协调机制，明确各部门监管职责，定期召开联席会议。",
    "全面推行医疗机构承诺制审批，压缩审批时限，公开办事指南。",
    "规范中医诊所备案管理，组织中药饮片质量抽检，公布抽检不合格名单。",
    "加强医保基金使用监管，严厉打击欺诈骗保行为，建立举报奖励制度。",
    "推进综合监管信息平台建设，实现监管数据互联互通，定期发布监管工作报告。",
)
NUMERALS = "一二三四五六七八九"


def plan_text(place: str, clauses: list[str]) -> str:
    lines = [f"{place}医疗卫生行业综合监管实施方案", "", "一、重点任务"]
    lines += [f"（{NUMERALS[k]}）{text}（责任单位：卫生健康委）" for k, text in enumerate(clauses)]
    return "\n".join(lines) + "\n"


def edited(drop_clause: int | None = None, drop: str = "", weaken: tuple[str, str] = ("", "")):
    """The parent's clauses with one clause left out, one phrase cut, one word replaced."""
    out = []
    for k, text in enumerate(CLAUSES):
        if k == drop_clause:
            continue
        if drop:
            text = text.replace(drop, "")
        if weaken[0]:
            text = text.replace(*weaken)
        out.append(text)
    return out


# truth by construction: a drops clause (三) and 建立举报奖励制度; b weakens 全面推行 (探索) and
# drops 建立举报奖励制度; c carries everything
CHILDREN = {
    "anxian": ("泸安县", edited(2, "，建立举报奖励制度")),
    "ningxian": ("泸宁县", edited(None, "，建立举报奖励制度", ("全面推行", "探索推行"))),
    "pingxian": ("泸平县", edited()),
}


def manifest_text(children: dict) -> str:
    lines = [
        "plans:",
        "  - {id: luchuan, title: 泸川市医疗卫生行业综合监管实施方案, jurisdiction: 泸川市,",
        "     level: city, source: parent.txt}",
    ]
    for plan_id, (place, _) in children.items():
        lines += [
            f"  - {{id: {plan_id}, title: {place}医疗卫生行业综合监管实施方案, jurisdiction: {place},",
            f"     level: county, source: {plan_id}.txt, parent: luchuan}}",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tree")
    (folder / "parent.txt").write_text(plan_text("泸川市", list(CLAUSES)), encoding="utf-8")
    for plan_id, (place, clauses) in CHILDREN.items():
        (folder / f"{plan_id}.txt").write_text(plan_text(place, clauses), encoding="utf-8")
    (folder / "plans.yaml").write_text(manifest_text(CHILDREN), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tree):
    return build_report_set(load_manifest(tree / "plans.yaml"), formats=("markdown", "html"))


def states_of(matrix: CoverageMatrix, text: str) -> dict[str, str]:
    row = next(k for k, r in enumerate(matrix.requirements) if r.text.startswith(text))
    return {column.plan: column.states[row] for column in matrix.columns}


def test_matrix_says_which_plan_drops_or_weakens_which_requirement(built):
    (matrix,) = built.matrices
    assert matrix.parent == "luchuan" and [c.plan for c in matrix.columns] == list(CHILDREN)
    assert len(matrix.requirements) == 15  # 5 clauses x 3 phrases
    for phrase in ("规范中医诊所备案管理", "组织中药饮片质量抽检", "公布抽检不合格名单"):
        assert states_of(matrix, phrase) == {
            "anxian": "omitted",
            "ningxian": "carried",
            "pingxian": "carried",
        }
    assert states_of(matrix, "建立举报奖励制度") == {
        "anxian": "omitted",
        "ningxian": "omitted",
        "pingxian": "carried",
    }
    assert states_of(matrix, "全面推行医疗机构承诺制审批") == {
        "anxian": "carried",
        "ningxian": "weakened",
        "pingxian": "carried",
    }
    totals = {c.plan: c.totals() for c in matrix.columns}
    assert (totals["anxian"]["omitted"], totals["anxian"]["carried"]) == (4, 11)
    assert (totals["ningxian"]["omitted"], totals["ningxian"]["weakened"]) == (1, 1)
    assert totals["pingxian"]["carried"] == 15
    # most often left out first: the phrase both a and b drop
    first = matrix.requirements[matrix.order()[0]]
    assert first.text == "建立举报奖励制度。" and first.clause == "1.4"


def test_matrix_agrees_with_each_diff(built, tree):
    """One computation: the matrix's counts are the diff's own (index rows)."""
    (matrix,) = built.matrices
    rows = {d.target: d for d in built.diffs}
    for column in matrix.columns:
        totals = column.totals()
        row = rows[column.plan]
        carried = (totals["carried"] + totals["weakened"]) / len(column.states)
        assert carried == pytest.approx(row.requirement_coverage)
        assert share_carried(column) == pytest.approx(row.requirement_coverage)  # as the diff page
        # a finding covers one phrase or a run of them; a weakened phrase may fire two rules
        assert (totals["omitted"] >= row.left_out) and (row.left_out > 0) == (totals["omitted"] > 0)
        assert 0 < totals["weakened"] <= row.weakened or totals["weakened"] == row.weakened == 0


def test_report_writes_the_matrix_as_json_xlsx_and_an_index_section(built, tmp_path):
    (matrix,) = built.matrices
    files = built.files
    data = json.loads(files["matrix-luchuan.json"])["matrices"][0]
    assert [p["id"] for p in data["plans"]] == list(CHILDREN)
    assert data["requirements"][0]["text"] == "建立举报奖励制度。"
    assert data["requirements"][0]["left_out_by"] == 2
    assert data["requirements"][0]["states"] == ["omitted", "omitted", "carried"]
    assert data["plans"][2]["totals"]["carried"] == 15
    (tmp_path / "m.xlsx").write_bytes(files["matrix-luchuan.xlsx"])
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    sheet = book["矩阵 matrix"]
    header = [c.value for c in sheet[1]]
    assert header[-3:] == list(CHILDREN)
    assert [c.value for c in sheet[2]][2:] == [
        "建立举报奖励制度。", 2, 0, 0, "遗漏 left out", "遗漏 left out", "承接 carried",
    ]  # fmt: skip
    totals = {row[0].value: row for row in book["合计 totals"].iter_rows(min_row=2)}
    assert totals["pingxian"][-1].value == 1.0
    html = files["index.html"]
    assert 'id="matrix"' in html and html.count('class="cell m-') == 15 * 3
    assert "<script" in html and not re.search(r"(?:src|href)=\"https?://", html)
    assert "覆盖矩阵 Coverage matrix" in files["index.md"]
    assert "| 1.4（第 7 行） | 建立举报奖励制度。 | 2 |" in files["index.md"]


def test_unsure_omission_is_please_check_not_left_out(tree, monkeypatch):
    """An omission the diff is not sure of (confident off) is its own cell state."""
    monkeypatch.chdir(tree)
    diff = diff_specs("parent.txt", "ningxian.txt")
    clauses = []
    for clause in diff.clauses:
        details = tuple(dataclasses.replace(d, confident=False) for d in clause.omitted_details)
        clauses.append(dataclasses.replace(clause, omitted_details=details))
    unsure = dataclasses.replace(diff, clauses=tuple(clauses))
    from plancheck.align.engine import prepare_plan
    from plancheck.align.state import DiffState
    from plancheck.plans.loading import load_plan
    from plancheck.report.matrix import requirement_rows

    rows = requirement_rows(prepare_plan(load_plan("parent.txt").tasks), DiffState().wording)
    sure, check = column_states(rows, diff), column_states(rows, unsure)
    k = next(i for i, r in enumerate(rows) if r.text == "建立举报奖励制度。")
    assert (sure[k], check[k]) == ("omitted", "check")
    matrix = build_matrix("p", "", rows, [MatrixColumn("x", "", check)])
    assert matrix.count(k, "omitted") == 0 and matrix.count(k, "check") == 1


def test_a_parent_with_one_local_plan_gets_no_matrix(tree):
    one = tree / "one.yaml"
    one.write_text(manifest_text({"anxian": CHILDREN["anxian"]}), encoding="utf-8")
    result = build_report_set(load_manifest(one))
    assert result.matrices == [] and not any(n.startswith("matrix-") for n in result.files)


def test_matrix_command_gives_the_reports_matrix(tree, built, monkeypatch):
    monkeypatch.chdir(tree)
    runner = CliRunner()
    by_id = runner.invoke(
        app, ["matrix", "luchuan", "--manifest", "plans.yaml", "--format", "json", "--executor", "serial"]
    )  # fmt: skip
    assert by_id.exit_code == 0, by_id.output
    assert by_id.output == built.files["matrix-luchuan.json"]
    files = runner.invoke(
        app, ["matrix", "parent.txt", "anxian.txt", "ningxian.txt", "pingxian.txt",
              "--manifest", "none.yaml", "--format", "json", "--executor", "serial"],
    )  # fmt: skip
    assert files.exit_code == 0, files.output
    folder = tree / "folder"
    folder.mkdir(exist_ok=True)
    for name in ("parent.txt", *(f"{p}.txt" for p in CHILDREN)):
        (folder / name).write_bytes((tree / name).read_bytes())
    whole = runner.invoke(
        app, ["matrix", "folder/parent.txt", "folder", "--manifest", "none.yaml",
              "--format", "json", "--executor", "serial"],
    )  # fmt: skip
    assert whole.exit_code == 0, whole.output
    got = [json.loads(r.output)["matrices"][0] for r in (files, whole)]
    assert got[0]["requirements"] == got[1]["requirements"]
    assert [p["id"] for p in got[1]["plans"]] == sorted(CHILDREN)  # file stems, folder order
    states = json.loads(by_id.output)["matrices"][0]["requirements"]
    assert [r["states"] for r in states] == [r["states"] for r in got[0]["requirements"]]
    markdown = runner.invoke(
        app, ["matrix", "luchuan", "--manifest", "plans.yaml", "--executor", "serial"]
    )
    assert markdown.exit_code == 0 and "建立举报奖励制度。" in markdown.output


def test_matrix_command_errors_are_one_line(tree, monkeypatch):
    monkeypatch.chdir(tree)
    runner = CliRunner()
    none = runner.invoke(app, ["matrix", "parent.txt", "--manifest", "none.yaml"])
    assert none.exit_code == 2 and "no local plans" in none.output
    assert "Traceback" not in none.output
    xlsx = runner.invoke(app, ["matrix", "luchuan", "--format", "xlsx"])
    assert xlsx.exit_code == 2 and "--output" in xlsx.output


def test_build_matrix_refuses_columns_of_another_parent():
    rows = [Requirement("1", 1, "a")]
    with pytest.raises(ValueError, match="states"):
        build_matrix("p", "", rows, [MatrixColumn("x", "", ("carried", "carried"))])
