"""Shared helpers for the validate/rules tests: a small fake registry and task-table builder.

The fake registry has the same shape as ``plancheck.registry.lookup`` (``resolve(name, level=)``
returning a Resolution) so the checks can be tested without the real departments.yaml.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pandas as pd

from plancheck.table.schemas import TASK_COLUMNS


@dataclass(frozen=True)
class Resolution:
    name: str
    status: str
    canonical: str | None = None
    function: str | None = None
    level: str | None = None
    kind: str | None = None
    abolished: str | None = None
    successor: str | None = None
    suggestions: tuple[str, ...] = ()


ENTRIES = {
    "市卫生健康委": ("canonical", "市卫生健康委", None, None),
    "市卫健委": ("alias", "市卫生健康委", None, None),
    "市市场监管局": ("canonical", "市市场监管局", None, None),
    "市场监管局": ("alias", "市市场监管局", None, None),
    "市医保局": ("canonical", "市医保局", None, None),
    "医保局": ("alias", "市医保局", None, None),
    "市工商局": ("canonical", "市工商局", "2018-10", "市市场监管局"),
    "工商局": ("alias", "市工商局", "2018-10", "市市场监管局"),
    "市卫计委": ("canonical", "市卫计委", "2019", "市卫生健康委"),
    "各县（市、区）人民政府": ("collective", None, None, None),
    "试点区县": ("non_government", None, None, None),
}


class FakeRegistry:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def resolve(self, name: str, *, level: str | None = None, **where: object) -> Resolution:
        self.calls.append(name)
        if name not in ENTRIES:
            near = tuple(
                difflib.get_close_matches(
                    name, [k for k, v in ENTRIES.items() if v[0] == "canonical"], 3, 0.5
                )
            )
            return Resolution(name, "unknown", suggestions=near)
        status, canonical, abolished, successor = ENTRIES[name]
        return Resolution(name, status, canonical, abolished=abolished, successor=successor)


def plan(issued: str | None = "2021-02-17", plan_id: str = "demo", level: str = "city") -> Any:
    return SimpleNamespace(id=plan_id, issued=issued, level=level, title="demo plan")


def row(**values: Any) -> dict[str, Any]:
    """One task row with harmless defaults; ``units`` sets lead_unit too."""
    units = list(values.pop("units", ["市卫生健康委"]))
    base = {
        "plan_id": "demo",
        "task_id": "1.1",
        "kind": "item",
        "section": "一、重点任务",
        "heading": "（一）",
        "text": "完善医疗卫生行业综合监管制度。",
        "units": units,
        "units_raw": "、".join(units),
        "lead_unit": units[0] if units else None,
        "lead_by_order": False,
        "units_inherited": False,
        "deadline": None,
        "deadline_parsed": None,
        "source_file": "raw/demo.txt",
        "ocr_confidence": None,  # not read by OCR
    }
    base.update(values)
    return base


def tasks(*rows: dict[str, Any]) -> pd.DataFrame:
    """A task table from rows; seq and (unless given) line numbers follow the row order."""
    records = []
    for i, values in enumerate(rows, start=1):
        record = dict(values)
        record.setdefault("line_start", i)
        record.setdefault("line_end", record["line_start"])
        record["seq"] = i
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    return frame[TASK_COLUMNS]


def numbered(*task_ids: str) -> pd.DataFrame:
    return tasks(*[row(task_id=t, line_start=i + 1) for i, t in enumerate(task_ids)])


def invoke_validate(*args: str) -> Any:
    """`plancheck validate ARGS…` run in-process, as a user would type it."""
    from typer.testing import CliRunner

    from plancheck.cli import app

    return CliRunner().invoke(app, ["validate", *args])
