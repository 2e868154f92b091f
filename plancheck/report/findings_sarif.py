"""SARIF 2.1.0 for code-scanning tools: one run, the rules seen, one result per finding."""

from __future__ import annotations

import json
from typing import Any

from plancheck import __version__
from plancheck.validate.findings import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rules(findings: list[Finding]) -> list[dict[str, Any]]:
    seen = {f.code: f for f in findings}
    return [
        {"id": code, "name": f.name, "defaultConfiguration": {"level": f.severity.value}}
        for code, f in sorted(seen.items())
    ]


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    region = {"startLine": finding.line} if finding.line is not None else {}
    return {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": finding.severity.value,
        "message": {"text": finding.message + (f" (fix: {finding.fix})" if finding.fix else "")},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.source_file},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {"plancheck/v1": "|".join(finding.baseline_key())},
        "properties": {"plan_id": finding.plan_id, "task_id": finding.task_id, "fix": finding.fix},
    }


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    rules = _rules(findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    driver = {
        "name": "plancheck",
        "version": __version__,
        "informationUri": "https://example.invalid/plancheck",
        "rules": rules,
    }
    run = {
        "tool": {"driver": driver},
        "results": [_result(f, index) for f in findings],
        "properties": {"summary": summary},
    }
    return (
        json.dumps(
            {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2
        )
        + "\n"
    )
