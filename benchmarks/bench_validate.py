"""Benchmark: validate a 1,000,000-row task table built from the seed tables, all default rules.

Run from the repository root:  python benchmarks/bench_validate.py [--rows N]

The table repeats the rows of datasets/tasks/*.csv (task ids made unique per block) and is
written to a temporary CSV; the timing includes reading it back. Prints rows/s, wall time
per stage and peak memory (max RSS). Target: <= 5 s wall on 2 cores for 1M rows.
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

from plancheck.checks.context import CheckContext  # noqa: E402
from plancheck.registry import load_registry  # noqa: E402
from plancheck.rulebook import load_rulebook  # noqa: E402
from plancheck.tasks_io import read_tasks_csv, write_tasks_csv  # noqa: E402
from plancheck.validate import frame_to_findings, validate_frame  # noqa: E402


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
    args = parser.parse_args()
    book, registry = load_rulebook(), load_registry()
    plan = SimpleNamespace(
        id="bench", level="city", issued="2021-02-17", jurisdiction="四川省乐山市"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        write_tasks_csv(build_table(args.rows), path)
        t0 = time.perf_counter()
        tasks = read_tasks_csv(path)
        t1 = time.perf_counter()
        frame = validate_frame(CheckContext(tasks, plan, registry=registry), book)
        t2 = time.perf_counter()
        findings = frame_to_findings(frame)
        t3 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {len(tasks):,}  rules: {len(book.rules)}  findings: {len(findings):,}")
    print(f"read CSV:            {t1 - t0:6.2f} s")
    print(f"validate (columnar): {t2 - t1:6.2f} s")
    print(f"Finding objects:     {t3 - t2:6.2f} s")
    print(f"wall (read+validate):{t2 - t0:6.2f} s  -> {len(tasks) / (t2 - t0):,.0f} rows/s")
    print(f"wall (all):          {t3 - t0:6.2f} s  -> {len(tasks) / (t3 - t0):,.0f} rows/s")
    print(f"peak memory (max RSS): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
