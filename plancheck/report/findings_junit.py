"""JUnit XML: one test suite per plan, one failing test case per finding.

A plan without findings gets one passing case, so CI dashboards show it was checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from plancheck.report.findings_text import location
from plancheck.validate.findings import Finding


def _case(suite: ET.Element, finding: Finding) -> None:
    name = f"{finding.code} {finding.name} {finding.task_id or '-'} ({location(finding)})"
    case = ET.SubElement(suite, "testcase", classname=f"plancheck.{finding.plan_id}", name=name)
    failure = ET.SubElement(case, "failure", type=finding.severity.value, message=finding.message)
    fix = f"\nfix: {finding.fix}" if finding.fix else ""
    failure.text = (
        f"{finding.code} [{finding.severity.value}] {location(finding)}\n{finding.message}{fix}"
    )


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    root = ET.Element(
        "testsuites", name="plancheck validate", tests="0", failures=str(len(findings))
    )
    total = 0
    for plan_id in sorted(set(summary["plans"]) | {f.plan_id for f in findings}):
        mine = [f for f in findings if f.plan_id == plan_id]
        suite = ET.SubElement(root, "testsuite", name=plan_id, tests=str(max(len(mine), 1)))
        suite.set("failures", str(len(mine)))
        suite.set("errors", "0")
        for finding in mine:
            _case(suite, finding)
        if not mine:
            ET.SubElement(suite, "testcase", classname=f"plancheck.{plan_id}", name="validate")
        total += max(len(mine), 1)
    root.set("tests", str(total))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
