"""Unit names that only look like a registry name — a zero-width space inside 市卫健委, a
Kangxi radical for 生, full-width letters, a bidirectional override — are reported (PC102,
with the name they imitate and the odd characters) and shown with the invisible characters
made visible; never taken silently as the canonical body, and never rewritten by --fix."""

from __future__ import annotations

import json

import pytest

from plancheck.registry.lookup import load_registry

LOOKALIKES = [
    ("市卫\u200b健委", "市卫生健康委", "U+200B"),  # zero-width space inside an alias
    ("市卫生\u200d健康委", "市卫生健康委", "U+200D"),  # zero-width joiner
    ("市卫⽣健康委", "市卫生健康委", "U+2F63"),  # KANGXI RADICAL LIFE for 生
    ("市卫生健康委\u202e", "市卫生健康委", "U+202E"),  # right-to-left override
    ("市医保局\ufeff", "市医保局", "U+FEFF"),  # a BOM inside the text
    ("市医疗保障局\u00ad", "市医保局", "U+00AD"),  # soft hyphen
]


@pytest.mark.parametrize("name, imitated, odd", LOOKALIKES)
def test_lookalikes_are_unknown_with_the_imitated_name_suggested(name, imitated, odd):
    resolution = load_registry().resolve(name, level="city")
    assert resolution.status == "unknown" and resolution.canonical is None
    assert resolution.suggestions[0].startswith(imitated) and odd in resolution.suggestions[0]


@pytest.mark.parametrize("name", ["ｓ市医保局", "市ＷＳＪＫＷ", "市卫生健康委Ａ"])
def test_full_width_letters_are_never_canonical(name):
    assert load_registry().resolve(name, level="city").status == "unknown"


def test_the_plain_names_still_resolve():
    registry = load_registry()
    assert registry.resolve("市卫健委", level="city").status == "alias"
    assert registry.resolve("市卫生健康委", level="city").status == "canonical"


PLAN = """\
某市改革完善医疗卫生行业综合监管制度实施方案

一、重点任务
（一）加强医疗机构监管。（责任单位：市卫\u200b健委，2020年底前完成）
（二）推进信息公开。（责任单位：市卫⽣健康委）
（三）强化药品监管。（责任单位：市卫健委）
"""


def test_validate_reports_them_and_fix_leaves_them(cli, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(PLAN, "utf-8")
    assert cli("ingest", source, "--out", tmp_path / "tasks", timeout=60).code == 0
    table = tmp_path / "tasks" / "plan.csv"
    run = cli("validate", table, "--format", "json", "--lang", "en", timeout=60)
    assert run.code == 1, run.err
    findings = json.loads(run.out)["findings"]
    by_line = {(f["code"], f["line"]): f["message"] for f in findings}
    assert "市卫<U+200B>健委" in by_line["PC102", 4] and "市卫生健康委" in by_line["PC102", 4]
    assert "U+2F63" in by_line["PC102", 5]
    assert ("PC103", 6) in by_line  # the real alias: fixable
    before = table.read_text("utf-8")
    assert cli("validate", table, "--fix", timeout=60).code in (0, 1)
    after = table.read_text("utf-8")
    assert "市卫\u200b健委" in after and "市卫⽣健康委" in after  # not rewritten
    assert after != before  # the real alias was fixed (units_raw keeps the plan's wording)
    assert '"[""市卫生健康委""]",责任单位：市卫健委' in after
