"""The diff as JSON: the align model's contract plus the relation and the findings list.

``findings`` is the same list, in the same order, that the Markdown, HTML and xlsx reports
show (``diff_findings``); each finding is {"kind", "reference_ids", "target_ids",
"reference_lines", "target_lines", "reference_text", "target_text", "detail", "rule",
"evidence", "anchor"}.
"""

from __future__ import annotations

import json

from plancheck.align.model import PlanDiff
from plancheck.report.diff_findings import diff_findings


def diff_document(diff: PlanDiff, *, relation: str = "parent") -> dict:
    data = diff.to_dict()
    data["relation"] = relation
    data["findings"] = [finding.to_dict() for finding in diff_findings(diff)]
    return data


def render_diff_json(diff: PlanDiff, *, relation: str = "parent") -> str:
    return json.dumps(diff_document(diff, relation=relation), ensure_ascii=False, indent=2) + "\n"
