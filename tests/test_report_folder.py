"""`plancheck report FOLDER`: a folder with no manifest gives the reports a hand-written one gives."""

from __future__ import annotations

from plan_factory import province_specs, write_plans
from typer.testing import CliRunner

from plancheck.cli import app

HAND_WRITTEN = """\
# written by a reviewer, by hand
plans:
  - {id: guowuyuan-2018, title: 国务院办公厅关于改革完善医疗卫生行业综合监管制度的指导意见,
     jurisdiction: 国务院, level: national, doc_number: 国办发〔2018〕63号, source: null}
  - {id: chuannan-2019, title: 川南省改革完善医疗卫生行业综合监管制度实施方案, jurisdiction: 川南省,
     level: province, doc_number: 川南府办发〔2019〕41号, source: plans/川南省/省级方案.txt, parent: guowuyuan-2018}
  - {id: luchuan-2020, title: 泸川市改革完善医疗卫生行业综合监管制度实施方案, jurisdiction: 泸川市,
     level: city, doc_number: 泸府办发〔2020〕1号, source: plans/川南省/泸川市/市级方案.txt, parent: chuannan-2019}
  - {id: luanyuan-2021, title: 泸安源县改革完善医疗卫生行业综合监管制度实施方案,
     jurisdiction: 泸安源县, level: county, source: plans/川南省/泸川市/泸安源县.txt,
     parent: luchuan-2020, peers: [luningyuan-2021]}
  - {id: luningyuan-2021, title: 泸宁源县改革完善医疗卫生行业综合监管制度实施方案,
     jurisdiction: 泸宁源县, level: county, source: plans/川南省/泸川市/泸宁源县.txt,
     parent: luchuan-2020, peers: [luanyuan-2021]}
"""


def reports(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_folder_without_manifest_gives_the_hand_written_manifest_reports(tmp_path):
    plans = tmp_path / "plans"
    write_plans(plans, province_specs(cities=1, counties_per_city=2))
    (tmp_path / "plans.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    runner = CliRunner()
    scanned = runner.invoke(app, ["report", str(plans), "--out", str(tmp_path / "scanned")])
    assert scanned.exit_code == 0, scanned.output
    hand = runner.invoke(
        app,
        ["report", "--manifest", str(tmp_path / "plans.yaml"), "--out", str(tmp_path / "hand")],
    )
    assert hand.exit_code == 0, hand.output
    got, expected = reports(tmp_path / "scanned"), reports(tmp_path / "hand")
    assert sorted(got) == sorted(
        [
            "diff-luanyuan-2021-vs-luchuan-2020.md",
            "diff-luningyuan-2021-vs-luchuan-2020.md",
            "diff-luchuan-2020-vs-chuannan-2019.md",
            "index.md",
            "matrix-luchuan-2020.json",
            "matrix-luchuan-2020.xlsx",
            "validation.md",
        ]
    )
    assert got == expected


def test_report_on_a_folder_that_is_not_there_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["report", str(tmp_path / "missing"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
