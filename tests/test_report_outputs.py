"""One diff, four outputs (Markdown, HTML, JSON, xlsx): the same findings, no contact details,
the same bytes on every run; and the spreadsheet exports of tasks and validation."""

from __future__ import annotations

import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from openpyxl import load_workbook
from test_align_synthetic import CLAUSES, table
from typer.testing import CliRunner

from plancheck.align import diff_plans
from plancheck.cli import app
from plancheck.plans.loading import diff_specs
from plancheck.report.diff_findings import FINDING_LABELS, diff_findings
from plancheck.report.diff_html import render_diff_html
from plancheck.report.diff_json import render_diff_json
from plancheck.report.diff_markdown import render_diff_markdown
from plancheck.report.diff_xlsx import render_diff_xlsx
from plancheck.report.redaction import redact_value
from plancheck.table.io import write_tasks_csv

PHONE, PERSON = "13812345678", "张晓明"
CONTACT = f"联系人：{PERSON}，联系电话：{PHONE}。"


def _contact_pair():
    """Target drops clause 7 (which holds a contact line) and weakens clause 11."""
    ref_items = list(CLAUSES)
    ref_items[6] = (ref_items[6][0] + CONTACT, ref_items[6][1])
    items = list(ref_items)
    items[10] = (items[10][0].replace("全市建成", "全市基本建成"), ["市卫健委"])
    del items[6]
    return diff_plans(table("ref", ref_items), table("tgt", items))


def _keys_from_json(text: str) -> list[tuple]:
    return [
        (f["kind"], "、".join(f["reference_ids"]), "、".join(f["target_ids"]))
        for f in json.loads(text)["findings"]
    ]


def _keys_from_xlsx(data: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(data))["问题 findings"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return [(row[0], row[2] or "", row[4] or "") for row in rows]


def _keys_from_html(text: str) -> list[tuple]:
    soup = BeautifulSoup(text, "html.parser")
    keys = []
    for li in soup.select("#findings li"):
        where = li.select_one(".where").get_text()
        ids = re.findall(r"(?:上级|本级|同级参照|本方案) ([\d.、~A-Z-]+|—)（", where)
        keys.append((li["data-kind"], ids[0].replace("—", ""), ids[1] if len(ids) > 1 else ""))
    return keys


def _markdown_lists(text: str) -> list[list]:
    """The findings section's lists in order: the confident findings, the 请核对 please-check
    list when there is one, and the folded reworded list."""
    soup = BeautifulSoup(MarkdownIt("commonmark").enable("table").render(text), "html.parser")
    lists = []
    for sibling in soup.find("h2").find_next_siblings():
        if sibling.name == "h2":
            break
        if sibling.name == "ul":
            lists.append(sibling.find_all("li"))
    details = soup.find("details")
    return lists + ([details.find_all("li")] if details else [])


def _key_of_markdown_item(li) -> tuple:
    labels = {label: kind for kind, label in FINDING_LABELS.items()}
    line = li.get_text()
    kind = next(kind for label, kind in labels.items() if line.startswith(label))
    ids = re.findall(r"(?:上级|本级|同级参照|本方案) ([\d.、~A-Z-]+|—)（", line)
    return (kind, ids[0].replace("—", ""), ids[1] if len(ids) > 1 else "")


@pytest.mark.parametrize("source", ["synthetic", "lingyuan", "leshan"])
def test_all_outputs_carry_the_same_findings(source) -> None:
    if source == "synthetic":
        diff, relation = redact_value(_contact_pair()), "parent"
    elif source == "lingyuan":
        diff, relation = redact_value(diff_specs("liaoning-2019", "lingyuan-2021")), "parent"
    else:
        diff, relation = redact_value(diff_specs("guangyuan", "leshan")), "peer"
    expected = [
        (f.kind, "、".join(f.reference_ids), "、".join(f.target_ids)) for f in diff_findings(diff)
    ]
    assert expected
    json_keys = _keys_from_json(render_diff_json(diff, relation=relation))
    html_keys = _keys_from_html(render_diff_html(diff, relation=relation))
    md_lists = [
        [_key_of_markdown_item(li) for li in items]
        for items in _markdown_lists(render_diff_markdown(diff, relation=relation))
    ]
    md_keys = [key for keys in md_lists for key in keys]
    xlsx_keys = _keys_from_xlsx(render_diff_xlsx(diff, relation=relation))
    assert json_keys == expected
    assert html_keys == expected
    assert xlsx_keys == expected
    md_order = {kind: i for i, kind in enumerate(FINDING_LABELS)}  # reworded folded last
    for keys in md_lists:  # each list in the order of the finding kinds
        assert sorted(keys, key=lambda k: md_order[k[0]]) == keys
    assert sorted(md_keys) == sorted(expected)


def test_synthetic_findings_are_the_known_changes() -> None:
    kinds = {(f.kind, f.reference_ids) for f in diff_findings(_contact_pair())}
    assert ("omitted_clause", ("7",)) in kinds
    assert ("weakened", ("11",)) in kinds


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_contact_details_are_masked_in_every_format(tmp_path) -> None:
    diff = redact_value(_contact_pair())
    outputs = {
        "markdown": render_diff_markdown(diff),
        "html": render_diff_html(diff),
        "json": render_diff_json(diff),
        "xlsx": _xlsx_text(render_diff_xlsx(diff)),
    }
    for name, text in outputs.items():
        assert PHONE not in text and PERSON not in text, name
        assert "［已隐去］" in text, name


def test_cli_diff_masks_contacts_in_every_format(tmp_path) -> None:
    ref_items = list(CLAUSES)
    ref_items[6] = (ref_items[6][0] + CONTACT, ref_items[6][1])
    paths = [
        str(write_tasks_csv(table(name, items), tmp_path / f"{name}.csv"))
        for name, items in (("ref", ref_items), ("tgt", CLAUSES[:7]))
    ]
    for fmt in ("markdown", "html", "json", "xlsx"):
        out = tmp_path / f"diff.{fmt}"
        result = CliRunner().invoke(app, ["diff", *paths, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = _xlsx_text(out.read_bytes()) if fmt == "xlsx" else out.read_text("utf-8")
        assert PHONE not in text and PERSON not in text, fmt


def test_same_inputs_same_bytes() -> None:
    first, second = _contact_pair(), _contact_pair()
    assert render_diff_xlsx(first) == render_diff_xlsx(second)
    assert render_diff_html(first) == render_diff_html(second)
    assert render_diff_json(first) == render_diff_json(second)


def test_html_escapes_document_text() -> None:
    items = [("建立<script>alert(1)</script>机制。", ["市卫健委"])] + CLAUSES[1:]
    html = render_diff_html(diff_plans(table("ref", items), table("tgt", CLAUSES[1:])))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_xlsx_sheets_header_and_formula_safety() -> None:
    items = [('=HYPERLINK("http://x")建立监管机制。', ["市卫健委", "市财政局"])] + CLAUSES[1:]
    data = render_diff_xlsx(diff_plans(table("ref", items), table("tgt", CLAUSES[1:])))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["问题 findings", "条款 clauses", "责任单位 units"]
    sheet = book["问题 findings"]
    assert sheet.freeze_panes == "A2"
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"  # a string, never a formula
    widths = {k: sheet.column_dimensions[k].width for k in "CH"}
    assert widths["H"] >= 30 and widths["H"] > 2 * widths["C"]  # Chinese text gets room


def test_cli_xlsx_needs_an_output_file(tmp_path) -> None:
    result = CliRunner().invoke(app, ["diff", "a", "b", "--format", "xlsx"])
    assert result.exit_code == 2 and "--output" in result.stderr
    result = CliRunner().invoke(app, ["tasks", "lingyuan-2021", "--format", "xlsx"])
    assert result.exit_code == 2 and "--output" in result.stderr


def test_tasks_xlsx_joins_units(tmp_path) -> None:
    out = tmp_path / "tasks.xlsx"
    items = [("加强监管。", ["市卫健委", "各县（市、区）人民政府"])] + CLAUSES[1:3]
    csv = write_tasks_csv(table("p", items), tmp_path / "p.csv")
    result = CliRunner().invoke(app, ["tasks", str(csv), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["任务 tasks"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["责任单位 units"] == "市卫健委、各县（市、区）人民政府"
    assert row["任务编号 task_id"] == "1" and sheet.freeze_panes == "A2"


def test_tasks_csv_bom_on_files_only(tmp_path) -> None:
    csv = write_tasks_csv(table("p", CLAUSES[:2]), tmp_path / "p.csv")
    out = tmp_path / "out.csv"
    assert (
        CliRunner().invoke(app, ["tasks", str(csv), "--format", "csv", "-o", str(out)]).exit_code
        == 0
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbfplan_id,")
    out.unlink()
    CliRunner().invoke(app, ["tasks", str(csv), "--format", "csv", "-o", str(out), "--no-bom"])
    assert out.read_bytes().startswith(b"plan_id,")
    stdout = CliRunner().invoke(app, ["tasks", str(csv), "--format", "csv"]).stdout
    assert stdout.startswith("plan_id,")
    stdout = CliRunner().invoke(app, ["tasks", str(csv), "--format", "csv", "--bom"]).stdout
    assert stdout.startswith("\ufeffplan_id,")


def test_validate_xlsx(tmp_path) -> None:
    out = tmp_path / "validation.xlsx"
    result = CliRunner().invoke(
        app, ["validate", "chongqing-2019", "--format", "xlsx", "--output", str(out)]
    )
    assert result.exit_code in (0, 1), result.output
    book = load_workbook(out)
    findings = book["问题 findings"]
    assert [c.value for c in findings[1]][:3] == ["规则 code", "名称 name", "级别 severity"]
    assert findings.max_row > 1
    text = _xlsx_text(out.read_bytes())
    for secret in ("67703018", "江雪芹"):
        assert secret not in text
    again = tmp_path / "again.xlsx"
    CliRunner().invoke(
        app, ["validate", "chongqing-2019", "--format", "xlsx", "--output", str(again)]
    )
    assert again.read_bytes() == out.read_bytes()
    result = CliRunner().invoke(app, ["validate", "chongqing-2019", "--format", "xlsx"])
    assert result.exit_code == 2
