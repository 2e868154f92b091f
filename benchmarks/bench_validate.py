"""Benchmark: validate a 1,000,000-row task table built from the seed tables, all default rules.

Run from the repository root:  python benchmarks/bench_validate.py [--rows N]

The table repeats the rows of datasets/tasks/*.csv (task ids made unique per block) and is
written to a temporary CSV; the timing includes reading it back (and checking it against the
task-table schema). Prints rows/s, wall and CPU time per stage and peak memory (max RSS).
Findings are returned as a lazy sequence; building every Finding object is timed apart.
Target: <= 5 s wall on 2 cores for 1M rows.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plancheck.registry.lookup import load_registry  # noqa: E402
from plancheck.table.io import read_tasks_csv, write_tasks_csv  # noqa: E402
from plancheck.validate.checks.context import CheckContext  # noqa: E402
from plancheck.validate.engine import frame_to_findings, validate_frame  # noqa: E402
from plancheck.validate.rulebook import load_rulebook  # noqa: E402


def build_table(rows: int) -> pd.DataFrame:
    seeds = pd.concat(
        [read_tasks_csv(p) for p in sorted((REPO / "datasets/tasks").glob("*.csv"))],
        ignore_index=True,
    )
    blocks = -(-rows // len(seeds))
    table = pd.concat([seeds] * blocks, ignore_index=True).iloc[:rows].copy()
    block = (pd.RangeIndex(len(table)) // len(seeds)).astype(str)
    table["task_id"] = block + "." + table["plan_id"] + "." + table["task_id"]
    table["plan_id"] = "bench"
    table["seq"] = range(1, len(table) + 1)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--csv", type=Path, help="reuse this task-table CSV instead of building one (not timed)"
    )
    args = parser.parse_args()
    book, registry = load_rulebook(), load_registry()
    plan = SimpleNamespace(
        id="bench", level="city", issued="2021-02-17", jurisdiction="四川省乐山市"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = args.csv or Path(tmp) / "bench.csv"
        if args.csv is None:
            write_tasks_csv(build_table(args.rows), path)
        clock = Clock()
        tasks = read_tasks_csv(path)
        clock.lap("read CSV (+ schema check)")
        frame = validate_frame(CheckContext(tasks, plan, registry=registry), book)
        clock.lap(f"validate ({len(book.rules)} rules)")
        objects = frame_to_findings(frame)
        clock.lap("findings")
        total_wall, total_cpu = clock.total()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = len(tasks)
    print(f"rows: {rows:,}  rules: {len(book.rules)}  findings: {len(objects):,}")
    for label, wall, cpu in clock.laps:
        print(f"{label:28s} {wall:6.2f} s wall  {cpu:6.2f} s cpu")
    print(
        f"{'wall (read+validate+findings)':28s} {total_wall:6.2f} s wall  {total_cpu:6.2f} s cpu"
        f"  -> {rows / total_wall:,.0f} rows/s"
    )
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")


class Clock:
    """Wall and CPU time per stage (CPU time shows how busy a shared machine was)."""

    def __init__(self) -> None:
        self.start = self.wall = time.perf_counter()
        self.start_cpu = self.cpu = time.process_time()
        self.laps: list[tuple[str, float, float]] = []
        self.marks: list[tuple[float, float]] = []

    def lap(self, label: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.laps.append((label, wall - self.wall, cpu - self.cpu))
        self.marks.append((wall, cpu))
        self.wall, self.cpu = wall, cpu

    def total(self) -> tuple[float, float]:
        wall, cpu = self.marks[-1]
        return wall - self.start, cpu - self.start_cpu


if __name__ == "__main__":
    main()
