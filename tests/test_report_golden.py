"""`plancheck report` on the bundled datasets: golden files, determinism, no contact details.

The committed reports/ folder is the golden copy. After an intended change, regenerate it
for review with:  PLANCHECK_UPDATE_GOLDEN=1 python3 -m pytest tests/test_report_golden.py
"""

from __future__ import annotations

import os

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.plans.batch import Pair, build_reports, plan_pairs
from plancheck.plans.manifest import load_manifest

GOLDEN = ROOT / "reports"
BOTH = ("markdown", "html")


@pytest.fixture(scope="module")
def reports():
    return build_reports(load_manifest(ROOT / "datasets" / "plans.yaml"), formats=BOTH)


def test_pairs_are_parent_and_peer_comparisons():
    manifest = load_manifest(ROOT / "datasets" / "plans.yaml")
    counts = {
        "leshan": 90,
        "guangyuan": 25,
        "lingyuan-2021": 26,
        "liaoning-2019": 26,
        "chongqing-2019": 30,
    }
    assert plan_pairs(manifest, counts) == [
        Pair("guangyuan", "leshan", "peer"),
        Pair("liaoning-2019", "lingyuan-2021", "parent"),
    ]


def test_reports_match_the_golden_files(reports):
    if os.environ.get("PLANCHECK_UPDATE_GOLDEN"):
        for name, text in reports.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    committed = {
        p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.iterdir()) if p.is_file()
    }
    assert sorted(committed) == sorted(reports)
    for name, text in reports.items():
        assert committed[name] == text, f"{name} differs; regenerate with PLANCHECK_UPDATE_GOLDEN=1"


def test_reports_are_byte_identical_across_runs(reports):
    assert build_reports(load_manifest(ROOT / "datasets" / "plans.yaml"), formats=BOTH) == reports


def test_no_contact_details_anywhere_in_reports(reports):
    text = "\n".join(reports.values())
    for secret in ("67703018", "67706772", "644540744@qq.com", "江雪芹"):
        assert secret not in text
    assert "datasets/raw/003_321ef95c29761d99.txt:56" in reports["validation.md"]  # still flagged


def test_report_command_writes_the_folder(tmp_path):
    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "diff-leshan-vs-guangyuan.md",
        "diff-lingyuan-2021-vs-liaoning-2019.md",
        "index.md",
        "validation.md",
    ]
    assert (
        "/" not in (tmp_path / "index.md").read_text(encoding="utf-8").split("](")[1].split(")")[0]
    )
