"""A Frictionless Data Package descriptor for the folder of normalised task tables."""

from __future__ import annotations

import json
from pathlib import Path

from plancheck.io.atomic import atomic_write_text

FIELDS = [
    ("plan_id", "string", "Plan id from datasets/plans.yaml"),
    ("task_id", "string", "The document's own numbering, e.g. 2.1.3; unique within a plan"),
    ("seq", "integer", "Order of the task in the document, from 1"),
    (
        "kind",
        "string",
        "target (overall-target paragraph), item (numbered clause) or row (table row)",
    ),
    ("section", "string", "Enclosing headings, outermost first"),
    ("heading", "string", "Nearest heading or key task"),
    (
        "text",
        "string",
        "Task wording, simplified Chinese, broken lines rejoined, units note removed",
    ),
    ("units", "string", "Responsible units as a JSON array; the first is the lead unit"),
    ("units_raw", "string", "The units note or cell as written"),
    ("lead_unit", "string", "First responsible unit (牵头单位)"),
    (
        "lead_by_order",
        "boolean",
        "No unit is labelled lead (shared duty): the first listed is taken",
    ),
    ("units_inherited", "boolean", "Units were filled from a merged table cell above"),
    ("deadline", "string", "Deadline as written"),
    ("deadline_parsed", "string", "YYYY, YYYY-MM, YYYY-MM-DD or 'ongoing'"),
    ("source_file", "string", "Source document the task was read from"),
    ("line_start", "integer", "First source line of the task (1-based)"),
    ("line_end", "integer", "Last source line of the task (1-based)"),
    (
        "ocr_confidence",
        "number",
        "Lowest OCR confidence (0-1) of the task's lines; empty when the source was not OCR'd",
    ),
]


def descriptor(csv_names: list[str]) -> dict:
    schema = {
        "fields": [{"name": n, "type": t, "description": d} for n, t, d in FIELDS],
        "primaryKey": ["plan_id", "task_id"],
    }
    resources = [
        {
            "name": Path(name).stem,
            "path": name,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }
        for name in sorted(csv_names)
    ]
    return {
        "name": "plancheck-tasks",
        "title": "plancheck normalised task tables",
        "resources": resources,
    }


def write_datapackage(folder: Path) -> Path:
    """(Re)write ``folder/datapackage.json`` listing every task CSV in the folder."""
    folder = Path(folder)
    names = [p.name for p in folder.glob("*.csv")]
    path = folder / "datapackage.json"
    atomic_write_text(path, json.dumps(descriptor(names), ensure_ascii=False, indent=2) + "\n")
    return path
