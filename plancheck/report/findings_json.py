"""JSON report: ``{"summary": {...}, "findings": [...]}``, equal to ValidationResult.to_dict()."""

from __future__ import annotations

import json
from typing import Any

from plancheck.validate.findings import Finding


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    data = {"summary": summary, "findings": [f.to_dict() for f in findings]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
