"""JSON report: ``{"summary": {...}, "findings": [...]}``, equal to ValidationResult.to_dict()."""

from __future__ import annotations

import json
from typing import Any

from plancheck.validate.findings import Finding


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    # One finding per line: readable and diffable, and each line is one call of the C
    # encoder (indent=2 makes json fall back to its slow Python encoder).
    head = json.dumps(summary, ensure_ascii=False, sort_keys=False)
    rows = ",\n".join(json.dumps(f.to_dict(), ensure_ascii=False) for f in findings)
    return (
        f'{{"summary": {head},\n"findings": [\n{rows}\n]}}\n'
        if rows
        else (f'{{"summary": {head},\n"findings": []}}\n')
    )
