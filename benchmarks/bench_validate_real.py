"""Benchmark: unit findings (PC101-PC104) and lead units on real plans, against truth by reading.

Run from the repository root:  python benchmarks/bench_validate_real.py [--half tuning|held-back|all]

Truth is in ``benchmarks/gold_units/*.yaml``, one file per document, written by reading the
document (the seeds under ``datasets/raw`` and real plans under ``../shared/corpus``; set
$PLANCHECK_SHARED when the corpus is elsewhere). A file names its document, its half (tuning:
may be looked at while changing the code; held-back: figures only, never tuned on), the
jurisdiction, level and date the plan is read with, every units note by the source line it is
written on (its units in order and its lead unit), and for every name the notes write its truth
as that jurisdiction uses it: ``ok`` (a body, collective or class written as used: no finding),
``{truth: alias, fix: X}`` (an abbreviation or informal name of X; ``fix: null``: no rewrite is
certain), ``{truth: unknown}`` or ``{truth: abolished, fix: successor}``.

For each document the plan is ingested and validated as ``plancheck validate`` does; each
PC102/PC103/PC104 finding is right when the finding's unit is one the note at that line really
names and the name's truth is that rule's; a PC101 finding is right when no note belongs to the
task. A fix is wrong when the name needs none or the gold names another (or none). Lead units:
the share of notes whose task has the gold lead. Prints the figures per document and per half.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plancheck.ingest import read_document, tasks_from_document  # noqa: E402
from plancheck.plans.manifest import Plan  # noqa: E402
from plancheck.registry.lookup import load_registry  # noqa: E402
from plancheck.validate.engine import validate_tasks  # noqa: E402
from plancheck.validate.rulebook import load_rulebook  # noqa: E402

GOLD = Path(__file__).resolve().parent / "gold_units"
RULES = ("PC101", "PC102", "PC103", "PC104")
TRUTH_OF = {"PC102": "unknown", "PC103": "alias", "PC104": "abolished"}


def shared_folder() -> Path | None:
    """$PLANCHECK_SHARED, else the first ``shared`` folder beside the checkout or above it."""
    if os.environ.get("PLANCHECK_SHARED"):
        return Path(os.environ["PLANCHECK_SHARED"])
    return next((p / "shared" for p in REPO.parents if (p / "shared" / "corpus").is_dir()), None)


@dataclass
class Score:
    right: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    wrong_fixes: int = 0
    fixes: int = 0
    notes: int = 0
    leads_right: int = 0
    mentions: int = 0
    missed: Counter = field(default_factory=Counter)  # gold alias/unknown/abolished not reported
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.right.update(other.right)
        self.found.update(other.found)
        self.missed.update(other.missed)
        for name in ("wrong_fixes", "fixes", "notes", "leads_right", "mentions"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def _truth(value: object) -> tuple[str, str | None]:
    if value == "ok" or value is None:
        return "ok", None
    assert isinstance(value, dict), value
    return str(value["truth"]), value.get("fix")


def _unit_of(message: str) -> str:
    return message.split("“", 1)[1].split("”", 1)[0]


def score_document(gold: dict, path: Path) -> Score:
    score = Score()
    doc = read_document(path)
    tasks = tasks_from_document(doc, "plan", path.name)
    plan = Plan(
        id="plan", title=path.stem, jurisdiction=gold.get("jurisdiction") or "",
        level=gold["level"], issued=gold.get("issued"),
    )  # fmt: skip
    findings = validate_tasks(
        tasks, plan, load_rulebook(), registry=load_registry(), source_lines=doc.lines
    )
    spans = list(zip(tasks["task_id"], tasks["line_start"], tasks["line_end"], strict=True))
    task_of_line = {}
    for note in gold["notes"]:
        owner = next((t for t, a, b in spans if a <= note["line"] <= b), None)
        task_of_line[note["line"]] = owner
    notes_of_task: dict[str, list[dict]] = {}
    for note in gold["notes"]:
        if task_of_line[note["line"]] is not None:
            notes_of_task.setdefault(task_of_line[note["line"]], []).append(note)
    names = {str(k): _truth(v) for k, v in (gold.get("names") or {}).items()}
    lead_of = dict(zip(tasks["task_id"], tasks["lead_unit"], strict=True))
    for note in gold["notes"]:
        score.notes += 1
        score.mentions += len(note["units"])
        task = task_of_line[note["line"]]
        if task is not None and lead_of.get(task) == note["lead"]:
            score.leads_right += 1
        else:
            score.errors.append(
                f"line {note['line']}: lead {lead_of.get(task)!r}, truth {note['lead']!r}"
            )
    reported: set[tuple[str | None, str, str]] = set()
    for f in findings:
        if f.code not in RULES:
            continue
        score.found[f.code] += 1
        if f.code == "PC101":
            right = f.task_id not in notes_of_task
        else:
            unit = _unit_of(f.message)
            reported.add((f.task_id, unit, f.code))
            named = any(unit in n["units"] for n in notes_of_task.get(f.task_id or "", []))
            truth, fix = names.get(unit, ("missing", None))
            right = named and truth == TRUTH_OF[f.code]
            if f.fix:
                score.fixes += 1
                if not right or f.fix != fix:
                    score.wrong_fixes += 1
                    score.errors.append(f"{f.code} {unit} -> wrong fix {f.fix!r} (truth {fix!r})")
        score.right[f.code] += right
        if not right:
            score.errors.append(f"{f.code} task {f.task_id}: {f.message}")
    for task, notes in notes_of_task.items():
        for unit in {u for n in notes for u in n["units"]}:
            truth, _ = names.get(unit, ("missing", None))
            code = next((c for c, t in TRUTH_OF.items() if t == truth), None)
            if code and (task, unit, code) not in reported:
                score.missed[code] += 1
    return score


def _print(label: str, score: Score) -> None:
    parts = []
    for code in RULES:
        if score.found[code]:
            parts.append(
                f"{code} {score.right[code]}/{score.found[code]} = {score.right[code] / score.found[code]:.3f}"
            )
        else:
            parts.append(f"{code} -")
    lead = score.leads_right / score.notes if score.notes else 0.0
    missed = ", ".join(f"{c} {n}" for c, n in sorted(score.missed.items())) or "none"
    print(
        f"{label}: {score.mentions} unit mentions in {score.notes} notes; precision {'; '.join(parts)};"
        f" fixes {score.fixes}, wrong fixes {score.wrong_fixes}; lead units {score.leads_right}/"
        f"{score.notes} = {lead:.3f}; missed {missed}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tuning", "held-back", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list every wrong finding and lead")
    args = parser.parse_args()
    shared = shared_folder()
    halves: dict[str, Score] = {}
    for gold_path in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if args.half != "all" and gold["half"] != args.half:
            continue
        base = REPO if gold["document"].startswith("datasets/") else shared
        if base is None or not (base / gold["document"]).is_file():
            print(f"{gold_path.stem}: skipped ({gold['document']} is not here)")
            continue
        score = score_document(gold, base / gold["document"])
        _print(f"{gold_path.stem} [{gold['half']}]", score)
        if args.errors:
            for line in score.errors:
                print(f"    {line}")
        halves.setdefault(gold["half"], Score()).add(score)
    total = Score()
    for half, score in sorted(halves.items()):
        _print(f"== {half}", score)
        total.add(score)
    _print("== all", total)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
