"""Benchmark: a province's worth of plans, scanned and reported with no manifest.

    python3 benchmarks/bench_scan.py [--cities 14] [--counties 100] [--tasks 40]
                                     [--executor local|serial|dask-local]

Generates 1 provincial plan, 14 city plans and 100 county plans (mixed shapes: notice with a
red header, plain text with a wrapped title, task-division table; document numbers in several
bracket spellings; every plan citing its parent, some by number, some by title only), then
runs `scan` and `report` on the folder as a user would. Prints the tree's accuracy against the
known truth, plans/s and the total time (budget: 60 s on the 2-core development machine), and
the nationwide extrapolation (~3,400 plans per topic). The folder is generated in a temporary
directory and removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from plan_factory import province_specs, title_of, write_plans  # noqa: E402

from plancheck.plans.batch import build_report_set  # noqa: E402
from plancheck.plans.executors import make_executor  # noqa: E402
from plancheck.plans.folder import scan_plans  # noqa: E402

NATIONWIDE = 3400  # 31 provinces + ~330 cities + ~2,800 counties, one topic


def accuracy(folder, specs) -> tuple[int, int]:
    """Plans whose parent is the one they were written to cite (the province: the external)."""
    by_title = {p.meta.title: p for p in folder.plans}
    right = 0
    for spec in specs:
        plan = by_title.get(title_of(spec.place))
        if plan is None:
            continue
        node = folder.tree.node(plan.id)
        if spec.level == "province":
            ext = folder.tree.external(node.parent) if node.parent else None
            right += bool(ext and ext.doc_number == spec.parent_number)
        else:
            parent_place = spec.parent_title.split("人民政府")[0]
            parent = by_title.get(title_of(parent_place))
            right += bool(parent and node.parent == parent.id and plan.meta.level == spec.level)
    return right, len(specs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=14)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=40, help="clauses per plan")
    parser.add_argument("--executor", default="local")
    args = parser.parse_args()
    specs = province_specs(args.cities, 0, counties=args.counties, tasks=args.tasks)
    with tempfile.TemporaryDirectory() as tmp:
        write_plans(Path(tmp), specs)
        start, cpu_start = time.perf_counter(), _cpu()
        with make_executor(args.executor) as run:
            folder = scan_plans(tmp, mapper=run.map)
            scanned = time.perf_counter()
            built = build_report_set(folder.manifest, executor=run)
        total = time.perf_counter() - start
        cpu = _cpu() - cpu_start  # this process and its reaped workers
    right, count = accuracy(folder, specs)
    diffs = len(built.diffs)
    scan_s, report_s = scanned - start, total - (scanned - start)
    print(f"plans: {count} (1 province, {args.cities} cities, {args.counties} counties), "
          f"{args.tasks} clauses each, executor {args.executor}")  # fmt: skip
    print(f"tree: {right}/{count} parents right ({right / count:.1%}), "
          f"{len(folder.tree.externals)} cited plan(s) outside the folder, {diffs} diffs")  # fmt: skip
    print(f"scan:   {scan_s:6.1f} s  ({count / scan_s:.1f} plans/s)")
    print(
        f"report: {report_s:6.1f} s  ({count / report_s:.1f} plans/s, {diffs / report_s:.1f} diffs/s)"
    )
    print(f"total:  {total:6.1f} s  ({count / total:.1f} plans/s)  budget 60 s: "
          f"{'within' if total <= 60 else 'OVER'}")  # fmt: skip
    cores = os.cpu_count() or 1
    print(f"cpu:    {cpu:6.1f} s  ({cpu / count:.3f} s per plan; load average now "
          f"{os.getloadavg()[0]:.1f} on {cores} cores)")  # fmt: skip
    wall = NATIONWIDE * total / count / 60
    idle = NATIONWIDE * cpu / count / cores / 60
    print(f"nationwide (~{NATIONWIDE} plans, one topic): {wall:.0f} min at this run's pace; "
          f"{idle:.0f} min on an idle {cores}-core machine (cpu time / cores); with Dask on N "
          f"such machines about {idle:.0f}/N min (reads and diffs are independent tasks)")  # fmt: skip


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


if __name__ == "__main__":
    main()
