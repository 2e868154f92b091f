"""SARIF 2.1.0 for code-scanning tools: one run, its rules, one result per finding.

Each rule carries its name, a short description (the English message template), a full
description and help (why it matters, a bad and a good example) from the rule catalogue.
``partialFingerprints`` is the finding's content fingerprint (plan, rule, task text,
subject) plus its occurrence number, so it is unique per finding and survives edits that
move lines or renumber tasks.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from plancheck import __version__
from plancheck.validate.findings import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning"}


def _rule(code: str, seen: Finding, rule: Any, lang: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": code,
        "name": seen.name,
        "defaultConfiguration": {"level": LEVELS[seen.severity.value]},
    }
    if rule is not None:
        why = rule.why[lang]
        fix = rule.fix.get(lang, "")
        example = f"Bad: {rule.bad}\nGood: {rule.good}" + (f"\nFix: {fix}" if fix else "")
        entry["shortDescription"] = {"text": rule.message["en"]}
        entry["fullDescription"] = {"text": why}
        entry["help"] = {
            "text": f"{why}\n\n{example}",
            "markdown": f"{why}\n\n**Bad**\n\n```text\n{rule.bad}\n```\n\n"
            f"**Good**\n\n```text\n{rule.good}\n```" + (f"\n\n**Fix**: {fix}" if fix else ""),
        }
        entry["properties"] = {"tags": [rule.check], "why": rule.why}
    return entry


def _result(finding: Finding, index: dict[str, int], occurrence: int) -> dict[str, Any]:
    region = {"startLine": finding.line} if finding.line else {}
    physical: dict[str, Any] = {"artifactLocation": {"uri": finding.source_file or "."}}
    if region:
        physical["region"] = region
    key = finding.fingerprint or "|".join(finding.baseline_key())
    return {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message + (f" (fix: {finding.fix})" if finding.fix else "")},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"plancheck/v2": f"{key}:{occurrence}"},
        "properties": {"plan_id": finding.plan_id, "task_id": finding.task_id, "fix": finding.fix},
    }


def render(
    findings: list[Finding], summary: dict[str, Any], lang: str = "zh", book: Any = None
) -> str:
    seen = {f.code: f for f in findings}
    rules = [
        _rule(code, f, book.get(code) if book is not None else None, lang)
        for code, f in sorted(seen.items())
    ]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    counts: Counter[tuple[str, str]] = Counter()
    results = []
    for finding in findings:
        key = (finding.code, finding.fingerprint or "|".join(finding.baseline_key()))
        counts[key] += 1
        results.append(_result(finding, index, counts[key]))
    driver = {"name": "plancheck", "version": __version__, "rules": rules}
    run = {"tool": {"driver": driver}, "results": results, "properties": {"summary": summary}}
    return (
        json.dumps(
            {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2
        )
        + "\n"
    )
