"""JUnit XML: one test suite per plan, one test case per finding.

A finding at or above the ``--fail-on`` threshold (``summary["fail_on"]``) is a failure;
one below it is a passing case with the message in ``system-out``, so a dashboard agrees
with the exit status. A plan without findings gets one passing case, so CI dashboards
show it was checked. Characters XML 1.0 cannot hold (control characters a source may
carry) are replaced with U+FFFD, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from plancheck.report.findings_text import location
from plancheck.validate.findings import FAIL_ON_RANK, Finding

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def _case(suite: ET.Element, finding: Finding, fails: bool) -> bool:
    name = _xml(f"{finding.code} {finding.name} {finding.task_id or '-'} ({location(finding)})")
    case = ET.SubElement(suite, "testcase", classname=f"plancheck.{finding.plan_id}", name=name)
    fix = f"\nfix: {finding.fix}" if finding.fix else ""
    text = _xml(
        f"{finding.code} [{finding.severity.value}] {location(finding)}\n{finding.message}{fix}"
    )
    if fails:
        failure = ET.SubElement(
            case, "failure", type=finding.severity.value, message=_xml(finding.message)
        )
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text
    return fails


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    threshold = FAIL_ON_RANK[summary.get("fail_on", "error")]
    root = ET.Element("testsuites", name="plancheck validate")
    total = failures = 0
    by_plan: dict[str, list[Finding]] = {}
    for finding in findings:
        by_plan.setdefault(finding.plan_id, []).append(finding)
    for plan_id in sorted(set(summary["plans"]) | set(by_plan)):
        mine = by_plan.get(plan_id, [])
        suite = ET.SubElement(root, "testsuite", name=_xml(plan_id), tests=str(max(len(mine), 1)))
        failed = sum(_case(suite, f, f.severity.rank >= threshold) for f in mine)
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        if not mine:
            ET.SubElement(suite, "testcase", classname=f"plancheck.{plan_id}", name="validate")
        total += max(len(mine), 1)
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
