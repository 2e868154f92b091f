"""Benchmark: one topic's nationwide tree of plans, scanned and reported as a user would.

    python3 benchmarks/bench_nationwide.py [--scale 1.0] [--executors local,dask-local]

Generates 1 national, 31 provincial, 300 city and 3,000 county plans (``--scale`` multiplies the
provinces, cities and counties: 0.05 gives 1 + 2 + 15 + 150), each of 30-120 clauses in the three
shapes ingest knows (notice with a red header, plain text, task-division table), every plan
citing its parent by title (cities also by number), then for each executor runs `scan` and
`report --format both` on the folder (scan, ingest + validation, diffs, matrices and index,
writing) with a progress bar on stderr, and prints the time per stage, plans per second, and
the peak memory of each worker. Then times the coverage matrix of a parent with 300 local plans
(the widest matrix of the run, widened to 300 columns: building it, its JSON, xlsx and the
index.html section). Targets (issue 24): the whole tree <= 25 min on the 2-core development
machine; a 300-plan matrix <= 30 s. The folder is made in a temporary directory and removed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import typer  # noqa: E402
from plan_factory import Spec, cited_title, write_plans  # noqa: E402

from plancheck.io.folder_swap import replace_folder  # noqa: E402
from plancheck.plans.batch import (  # noqa: E402
    batch_steps,
    build_report_set,
    matrix_files,
    stale_report_test,
)
from plancheck.plans.executors import make_executor  # noqa: E402
from plancheck.plans.folder import scan_plans  # noqa: E402

PROVINCES, CITIES, COUNTIES = 31, 300, 3000
SYLLABLES = "安宁平和兴顺丰泰昌康乐寿源阳城溪台山江川林水云华东西南北中长青白金石玉"
NATIONAL_NUMBER = "国办发〔2018〕63号"


def _name(k: int, width: int, suffix: str) -> str:
    """A distinct made-up place name for index ``k`` (``width`` syllables)."""
    chars, n = [], k
    for _ in range(width):
        chars.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
    return "".join(chars) + suffix


def _clauses(k: int) -> int:
    return 30 + (k * 37) % 91  # 30-120, spread evenly


def nationwide_specs(scale: float) -> list[Spec]:
    """The tree: national -> provinces -> cities -> counties, each citing its parent."""
    provinces = max(1, round(PROVINCES * scale))
    cities = max(provinces, round(CITIES * scale))
    counties = max(cities, round(COUNTIES * scale))
    shapes = ("notice", "plain", "table")
    specs = [Spec("全国/国家方案.txt", "国务院", "province", NATIONAL_NUMBER, 2018, tasks=120)]
    k = 0
    for p in range(provinces):
        province = _name(p, 2, "省")
        number = f"{province[0]}政办发〔2019〕{p + 1}号"
        specs.append(Spec(f"{province}/省级方案.txt", province, "province", number, 2019,
                          cited_title("国务院", "办公厅"), NATIONAL_NUMBER, shapes[p % 3],
                          _clauses(k)))  # fmt: skip
        k += 1
        mine = cities // provinces + (p < cities % provinces)
        for c in range(mine):
            city_index = sum(cities // provinces + (q < cities % provinces) for q in range(p)) + c
            city = _name(city_index + 100, 2, "市")
            city_number = f"{city[0]}府办发〔2020〕{city_index + 1}号"
            specs.append(Spec(f"{province}/{city}/市级方案.txt", city, "city", city_number, 2020,
                              cited_title(province, "人民政府办公厅"), number,
                              shapes[(p + c) % 3], _clauses(k)))  # fmt: skip
            k += 1
            per_city = counties // cities + (city_index < counties % cities)
            for n in range(per_city):
                county = _name(city_index * 16 + n + 2000, 3, "县")
                specs.append(Spec(f"{province}/{city}/{county}.txt", county, "county", None, 2021,
                                  cited_title(city), None, shapes[(c + n) % 3],
                                  _clauses(k)))  # fmt: skip
                k += 1
    return specs


def _peak_mb(kilobytes: int) -> float:
    return kilobytes / 1024  # ru_maxrss is in KiB on Linux


def run_once(folder: Path, out: Path, executor: str) -> dict:
    """Scan + report + write through one executor: seconds per stage and worker peaks."""
    stages: dict[str, float] = {}
    peaks: dict[str, float] = {}
    worker_cpu = 0.0
    cpu_start = _cpu()
    start = time.perf_counter()
    with make_executor(executor) as run:
        scanned = scan_plans(folder, mapper=run.map)
        stages["scan"] = time.perf_counter() - start
        manifest = scanned.manifest
        marks: dict[str, float] = {}
        with typer.progressbar(
            length=batch_steps(manifest), label=f"report ({executor})", file=sys.stderr
        ) as bar:

            def progress(step: str) -> None:
                kind = step.split(" ", 1)[0]
                marks[kind] = time.perf_counter()  # the last step of each kind
                bar.update(1)

            began = time.perf_counter()
            built = build_report_set(
                manifest,
                formats=("markdown", "html"),
                progress=progress,
                executor=run,
                suggestions=scanned.suggestions,
            )
            ended = time.perf_counter()
        stages["ingest + validate"] = marks.get("validate", began) - began
        stages["diffs"] = marks.get("diff", marks.get("validate", began)) - marks.get(
            "validate", began
        )
        stages["matrices + index"] = ended - marks.get("diff", marks.get("validate", began))
        if executor.startswith("dask"):
            client = run._client  # our executor's client: ask each worker its own peak
            found = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            peaks = {addr: _peak_mb(kb) for addr, kb in sorted(found.items())}
            worker_cpu = sum(client.run(time.process_time).values())
    if executor == "local":  # the pool's workers are reaped: their largest peak
        peaks = {"largest pool worker": _peak_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}  # fmt: skip
    began = time.perf_counter()
    replace_folder(out, built.files, stale_report_test(built.files))
    stages["write"] = time.perf_counter() - began
    total = time.perf_counter() - start
    cpu = _cpu() - cpu_start + worker_cpu  # this process, its reaped pool, the Dask workers
    return {
        "cpu": cpu,
        "stages": stages,
        "total": total,
        "plans": len(manifest.plans),
        "diffs": len(built.diffs),
        "files": len(built.files),
        "matrices": built.matrices,
        "peaks": peaks,
        "client_peak": _peak_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
    }


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def wide_matrix(matrices: list, width: int) -> tuple[float, int, int]:
    """Seconds to build and render a matrix of ``width`` local plans (the run's widest,
    its columns repeated under new ids), its requirement count and its files' bytes."""
    from dataclasses import replace

    from plancheck.report.index_html import render_index_html
    from plancheck.report.matrix import build_matrix

    base = max(matrices, key=lambda m: len(m.columns))
    columns = [
        replace(base.columns[k % len(base.columns)], plan=f"plan-{k:03d}") for k in range(width)
    ]
    start = time.perf_counter()
    matrix = build_matrix(base.parent, base.parent_title, base.requirements, columns)
    files = matrix_files([matrix])
    page = render_index_html([], [], {}, matrices=[matrix])
    seconds = time.perf_counter() - start
    size = sum(len(v) for v in files.values()) + len(page.encode())
    return seconds, len(matrix.requirements), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the nationwide tree")
    parser.add_argument("--executors", default="local,dask-local")
    parser.add_argument("--wide", type=int, default=300, help="local plans of the wide matrix")
    args = parser.parse_args()
    specs = nationwide_specs(args.scale)
    clauses = sum(s.tasks for s in specs)
    print(f"tree: {len(specs):,} plans ({sum(s.level == 'province' for s in specs) - 1} provinces, "
          f"{sum(s.level == 'city' for s in specs)} cities, {sum(s.level == 'county' for s in specs)} "
          f"counties, 1 national), {clauses:,} clauses")  # fmt: skip
    results = {}
    matrices: list = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        write_plans(folder, specs)
        for executor in args.executors.split(","):
            results[executor] = run_once(folder, Path(tmp) / f"out-{executor}", executor)
            matrices = results[executor]["matrices"] or matrices
            outputs = {p.name: p.read_bytes() for p in (Path(tmp) / f"out-{executor}").iterdir()}
            results[executor]["outputs"] = outputs
    cores = os.cpu_count() or 1
    print(f"measured on {cores} cores, load average {os.getloadavg()[0]:.1f} (machine shared)")
    for executor, r in results.items():
        print(f"{executor}: {r['total']:.1f} s total, {r['plans'] / r['total']:.2f} plans/s, "
              f"{r['diffs']} diffs, {r['files']} files, {len(r['matrices'])} matrices")  # fmt: skip
        print(f"  cpu {r['cpu']:.1f} s ({r['cpu'] / r['plans']:.3f} s per plan)")
        for stage, seconds in r["stages"].items():
            print(f"  {stage:18s} {seconds:8.1f} s")
        for worker, mb in r["peaks"].items():
            print(f"  peak {worker}: {mb:,.0f} MB")
        print(f"  peak client: {r['client_peak']:,.0f} MB")
    if len(results) > 1:
        first, *rest = results.values()
        same = all(r["outputs"] == first["outputs"] for r in rest)
        print(f"same bytes from every executor: {same}")
    full = sum(1 for _ in nationwide_specs(1.0))
    for executor, r in results.items():
        minutes = full / (r["plans"] / r["total"]) / 60
        idle = full * r["cpu"] / r["plans"] / cores / 60
        print(f"nationwide ({full:,} plans) with {executor}: {minutes:.0f} min at this run's pace, "
              f"{idle:.0f} min on an idle {cores}-core machine (cpu / cores; target 25 min)")  # fmt: skip
    if matrices:
        seconds, rows, size = wide_matrix(matrices, args.wide)
        print(f"matrix of a parent with {args.wide} local plans ({rows} requirements): "
              f"{seconds:.1f} s to build, JSON + xlsx + HTML {size / 2**20:.1f} MB (target 30 s)")  # fmt: skip


if __name__ == "__main__":
    main()
