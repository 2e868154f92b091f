"""Every output format renders the same findings; JUnit and SARIF parse and carry them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from wcwidth import wcswidth

from plancheck.report import (
    findings_github,
    findings_json,
    findings_junit,
    findings_markdown,
    findings_sarif,
    findings_text,
)
from plancheck.validate.findings import Finding, Location, Severity, summarise

FINDINGS = [
    Finding(
        "PC101",
        "missing-lead-unit",
        Severity.ERROR,
        "liaoning",
        "2.1.1",
        Location("raw/a.txt", 28),
        "任务未写明责任单位",
    ),
    Finding(
        "PC103",
        "alias-unit-name",
        Severity.WARNING,
        "lingyuan",
        "2.1",
        Location("raw/b.txt", 37),
        "别名“市卫健委”",
        "市卫生健康委",
    ),
    Finding(
        "PC501",
        "phone-number",
        Severity.ERROR,
        "chongqing",
        None,
        Location("raw/c.txt", 56),
        "电话, 已隐去: 100%",
    ),
]
SUMMARY = summarise(
    FINDINGS, plans=["liaoning", "lingyuan", "chongqing", "leshan"], tasks=10, baselined=0, fixed=0
)


def test_text_table_lines_up_chinese() -> None:
    text = findings_text.render(FINDINGS, SUMMARY, "zh")
    table = [line for line in text.splitlines()[:5] if line.strip()]
    assert len(table) == 5
    # Columns line up in display width: the code column starts at the same cell on every row,
    # although the file names before it differ and later cells hold Chinese.
    assert len({wcswidth(line[: line.index("PC")]) for line in table[2:]}) == 1
    assert len({wcswidth(line[: line.index(" 2.1")]) for line in table[2:] if " 2.1" in line}) == 1
    assert "2 个错误，1 个警告" in text


def test_text_without_findings_says_so() -> None:
    assert "No findings." in findings_text.render([], summarise([], plans=["a"], tasks=1), "en")


def test_json_carries_every_field() -> None:
    data = json.loads(findings_json.render(FINDINGS, SUMMARY, "zh"))
    assert data["summary"]["errors"] == 2
    assert set(data["findings"][0]) >= {
        "code",
        "severity",
        "plan_id",
        "task_id",
        "source_file",
        "line",
        "message",
        "fix",
    }
    assert data["findings"][1]["fix"] == "市卫生健康委"


def test_junit_parses_and_carries_the_findings() -> None:
    strict = SUMMARY | {"fail_on": "warning"}
    root = ET.fromstring(findings_junit.render(FINDINGS, strict, "zh").encode("utf-8"))
    failures = root.findall(".//failure")
    assert [f.get("message") for f in failures] == [
        f.message for f in sorted(FINDINGS, key=lambda f: f.plan_id)
    ]
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"chongqing", "leshan", "liaoning", "lingyuan"}
    assert suites["leshan"].get("failures") == "0" and root.get("tests") == "4"


def test_junit_failures_agree_with_the_exit_status() -> None:
    """With --fail-on error (exit 0 on warnings) a warning is a passing case, not a failure."""
    root = ET.fromstring(findings_junit.render(FINDINGS, SUMMARY, "zh").encode("utf-8"))
    assert [f.get("message") for f in root.findall(".//failure")] == [
        "电话, 已隐去: 100%",
        "任务未写明责任单位",
    ]
    assert root.get("failures") == "2"
    outs = [
        case.find("system-out").text
        for case in root.iter("testcase")
        if case.find("system-out") is not None
    ]
    assert len(outs) == 1 and "别名“市卫健委”" in outs[0]


def test_junit_parses_with_a_control_character_in_a_message() -> None:
    bad = Finding("PC301", "x", Severity.ERROR, "p", "1", Location("a.txt", 1), "文字\x07\x1b末尾")
    text = findings_junit.render([bad], summarise([bad], plans=["p"], tasks=1), "zh")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.find(".//failure").get("message") == "文字\ufffd\ufffd末尾"


def test_sarif_parses_and_carries_the_findings() -> None:
    data = json.loads(findings_sarif.render(FINDINGS, SUMMARY, "en"))
    run = data["runs"][0]
    assert data["version"] == "2.1.0"
    assert [r["ruleId"] for r in run["results"]] == ["PC101", "PC103", "PC501"]
    location = run["results"][2]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "raw/c.txt"}, "region": {"startLine": 56}}
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["PC101", "PC103", "PC501"]


def test_github_annotations_escape_properties_and_data() -> None:
    lines = findings_github.render(FINDINGS, SUMMARY, "zh").splitlines()
    assert lines[0].startswith("::error file=raw/a.txt,line=28,title=PC101 missing-lead-unit::")
    assert lines[1].endswith("电话, 已隐去: 100%25")


def test_github_shows_errors_first_and_ends_with_the_summary() -> None:
    """GitHub shows 10 annotations of each kind: errors must not hide behind warnings."""
    many = [FINDINGS[1]] * 12 + [FINDINGS[0]]
    lines = findings_github.render(many, summarise(many, plans=["a"], tasks=1), "en").splitlines()
    assert lines[0].startswith("::error") and all(x.startswith("::warning") for x in lines[1:13])
    assert lines[-1].startswith("::notice title=plancheck::checked 1 plan(s)")


def test_markdown_is_a_table() -> None:
    text = findings_markdown.render(FINDINGS, SUMMARY, "en")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(FINDINGS) and "`PC103`" in text


@pytest.mark.parametrize(
    "module", [findings_text, findings_markdown, findings_json, findings_junit, findings_sarif]
)
def test_renderers_are_deterministic(module) -> None:
    assert module.render(FINDINGS, SUMMARY, "zh") == module.render(
        list(FINDINGS), dict(SUMMARY), "zh"
    )
