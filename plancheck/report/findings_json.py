"""JSON report: ``{"summary": {...}, "findings": [...]}``, equal to ValidationResult.to_dict().

One finding per line: readable and diffable, and each line is one call of the C encoder
(``indent`` makes json fall back to its slow Python encoder). ``render_chunks`` yields the
text piece by piece so a million findings are written without holding the whole report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from plancheck.validate.findings import Finding


def render_chunks(
    findings: list[Finding], summary: dict[str, Any], lang: str = "zh"
) -> Iterator[str]:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    yield f'{{"summary": {encode(summary)},\n"findings": ['
    for i, finding in enumerate(findings):
        yield ("\n" if i == 0 else ",\n") + encode(finding.to_dict())
    yield "\n]}\n" if findings else "]}\n"


def render(findings: list[Finding], summary: dict[str, Any], lang: str = "zh") -> str:
    return "".join(render_chunks(findings, summary, lang))
