"""Benchmark `diff_plans`: 3,000 synthetic local plans of ~100 clauses, each against its parent.

Parents are built from the seed plans' sentences; each local plan perturbs its parent the way
real local plans do (clauses dropped, moved, split and merged; sentences dropped; wording
weakened; dates and units changed). Prints ms per pair, wall time and peak memory, then
the same work with a difflib scorer in place of the TF-IDF cosine, timed on a small sample and
extrapolated (difflib is far too slow to run in full).

The workers generate each chunk of synthetic plans before diffing it; only the diffs are timed,
and the headline wall time is the busiest worker's total diff time (the run's full wall time,
generation and process start-up included, is printed after it).

    python benchmarks/bench_diff.py [--pairs 3000] [--parents 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from difflib import SequenceMatcher
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plancheck.align import DiffState, PreparedPlan, diff_plans, prepare_plan  # noqa: E402
from plancheck.align.text import clause_body, split_sentences  # noqa: E402
from plancheck.table.schemas import TASK_COLUMNS  # noqa: E402

UNITS = [
    "市卫健委",
    "市场监管局",
    "医保局",
    "财政局",
    "发改局",
    "公安局",
    "司法局",
    "人社局",
    "审计局",
    "市委宣传部",
    "市委网信办",
    "民政局",
]
WEAKER = [
    ("建成", "基本建成"),
    ("全面推行", "逐步推行"),
    ("制定", "探索制定"),
    ("严禁", "规范"),
    ("建立", "探索建立"),
    ("实现", "推进"),
]
CLAUSES_PER_PLAN = 100


def seed_sentences() -> list[str]:
    """Every sentence of the seed task tables (datasets/tasks/*.csv; run plancheck ingest first)."""
    from plancheck.table.io import read_tasks_csv

    paths = sorted((ROOT / "datasets" / "tasks").glob("*.csv"))
    if not paths:
        sys.exit("no task tables in datasets/tasks; run `plancheck ingest` first")
    sentences = []
    for path in paths:
        for text in read_tasks_csv(path)["text"]:
            sentences += split_sentences(clause_body(text))
    return sorted(set(sentences))


def make_table(plan_id: str, clauses: list[tuple[str, list[str]]]) -> pd.DataFrame:
    n = len(clauses)
    columns = {
        "plan_id": [plan_id] * n,
        "task_id": [str(k) for k in range(1, n + 1)],
        "seq": list(range(1, n + 1)),
        "kind": ["item"] * n,
        "section": [""] * n,
        "heading": [""] * n,
        "text": [text for text, _ in clauses],
        "units": [units for _, units in clauses],
        "units_raw": ["、".join(units) for _, units in clauses],
        "lead_unit": [units[0] if units else None for _, units in clauses],
        "lead_by_order": [False] * n,
        "units_inherited": [False] * n,
        "deadline": [None] * n,
        "deadline_parsed": [None] * n,
        "source_file": [f"{plan_id}.txt"] * n,
        "line_start": list(range(1, n + 1)),
        "line_end": list(range(1, n + 1)),
    }
    return pd.DataFrame(columns, columns=TASK_COLUMNS)


def make_parent(rng: random.Random, pool: list[str]) -> list[tuple[str, list[str]]]:
    clauses = []
    for _ in range(CLAUSES_PER_PLAN):
        text = "".join(rng.sample(pool, rng.randint(2, 5)))
        if rng.random() < 0.1:
            text = f"到{rng.choice([2020, 2021, 2022])}年，{text}"
        clauses.append((text, rng.sample(UNITS, rng.randint(1, 4))))
    return clauses


def _perturb_text(rng: random.Random, text: str) -> str:
    sentences = split_sentences(text)
    if len(sentences) > 1 and rng.random() < 0.15:
        sentences.pop(rng.randrange(len(sentences)))
    if len(sentences) > 1 and rng.random() < 0.1:
        rng.shuffle(sentences)
    text = "".join(sentences)
    if rng.random() < 0.15:
        strong, weak = rng.choice(WEAKER)
        text = text.replace(strong, weak, 1)
    if rng.random() < 0.1:
        text = text.replace("年，", "年底，", 1)
    return text


def _perturb_units(rng: random.Random, units: list[str]) -> list[str]:
    units = list(units)
    if len(units) > 1 and rng.random() < 0.15:
        units.pop(rng.randrange(1, len(units)))
    if len(units) > 1 and rng.random() < 0.1:
        units[0], units[1] = units[1], units[0]
    return units


def make_child(
    rng: random.Random, parent: list[tuple[str, list[str]]], pool: list[str]
) -> list[tuple[str, list[str]]]:
    child: list[tuple[str, list[str]]] = []
    for text, units in parent:
        roll = rng.random()
        if roll < 0.05:
            continue  # dropped
        text, units = _perturb_text(rng, text), _perturb_units(rng, units)
        sentences = split_sentences(text)
        if roll < 0.10 and len(sentences) > 1:  # split
            cut = rng.randint(1, len(sentences) - 1)
            child += [("".join(sentences[:cut]), units), ("".join(sentences[cut:]), units)]
        elif roll < 0.15 and child:  # merged into the previous clause
            child[-1] = (child[-1][0] + text, child[-1][1])
        else:
            child.append((text, units))
    for _ in range(rng.randint(0, 3)):  # moved
        i, j = rng.randrange(len(child)), rng.randrange(len(child))
        child.insert(j, child.pop(i))
    for _ in range(rng.randint(0, 5)):  # local additions
        child.insert(
            rng.randrange(len(child) + 1), ("".join(rng.sample(pool, 2)), rng.sample(UNITS, 2))
        )
    return child


_STATE: dict = {}


def _init(pool: list[str], n_parents: int) -> None:
    rng = random.Random(0)
    parents = [make_parent(rng, pool) for _ in range(n_parents)]
    _STATE.update(
        pool=pool,
        parents=parents,
        # each parent is read once per worker, as a batch tool would (prepare_plan)
        tables=[prepare_plan(make_table(f"p{k}", p)) for k, p in enumerate(parents)],
        state=DiffState(),  # one per worker: the wording model and registry, read once
    )


def local_plan(index: int) -> tuple[PreparedPlan, pd.DataFrame]:
    """(prepared parent, local plan table) of pair ``index`` (deterministic)."""
    k = index % len(_STATE["parents"])
    child = make_child(random.Random(index + 1), _STATE["parents"][k], _STATE["pool"])
    return _STATE["tables"][k], make_table(f"c{index}", child)


def _run(indices: range) -> tuple[int, float, list[float], float]:
    """Generate, then diff, each local plan of a chunk; only the diffs are timed.
    Returns (worker pid, ms spent generating, ms per diff, CPU ms of the chunk's diffs)."""
    start = time.perf_counter()
    pairs = [local_plan(index) for index in indices]
    generating = (time.perf_counter() - start) * 1000
    times, cpu = [], time.process_time()
    for reference, local in pairs:
        start = time.perf_counter()
        diff_plans(reference, local, state=_STATE["state"])
        times.append((time.perf_counter() - start) * 1000)
    return os.getpid(), generating, times, (time.process_time() - cpu) * 1000


def _difflib_matrix(reference: list[str], target: list[str]) -> np.ndarray:
    """The alignment's similarity matrix computed with difflib ratios (the naive approach)."""
    return np.array([[SequenceMatcher(None, a, b).ratio() for b in target] for a in reference])


def difflib_sample_ms(pool: list[str], sample: int) -> float:
    """ms per pair to score a 100 x ~100 pair with difflib (similarity matrix only)."""
    rng = random.Random(7)
    times = []
    for _ in range(sample):
        parent = make_parent(rng, pool)
        child = make_child(rng, parent, pool)
        start = time.perf_counter()
        _difflib_matrix([t for t, _ in parent], [t for t, _ in child])
        times.append((time.perf_counter() - start) * 1000)
    return float(np.mean(times))


def _peak_mb() -> float:
    """Peak resident memory of this process and of its finished workers (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--parents", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--difflib-sample", type=int, default=1)
    args = parser.parse_args()
    pool = seed_sentences()
    print(
        f"seed sentences: {len(pool)}; {args.pairs} local plans of ~{CLAUSES_PER_PLAN} clauses; {args.workers} workers"
    )
    chunks = [range(k, min(k + 25, args.pairs)) for k in range(0, args.pairs, 25)]
    start = time.perf_counter()
    with Pool(args.workers, initializer=_init, initargs=(pool, args.parents)) as workers:
        results = workers.map(_run, chunks, chunksize=1)
    wall = time.perf_counter() - start
    times = [ms for _, _, chunk, _ in results for ms in chunk]
    busy: dict[int, float] = {}
    for pid, _, chunk, _ in results:
        busy[pid] = busy.get(pid, 0.0) + sum(chunk) / 1000
    generated = sum(generating for _, generating, _, _ in results) / 1000
    cpu_ms = sum(cpu for *_, cpu in results) / args.pairs
    print(
        f"tf-idf: {np.mean(times):.1f} ms per pair (median {np.median(times):.1f}, p95 {np.percentile(times, 95):.1f})"
    )
    print(
        f"tf-idf: {max(busy.values()):.1f} s wall in diffs for {args.pairs} pairs (busiest worker; budget <= 60 s for 3,000); peak memory {_peak_mb():.0f} MB per process"
    )
    print(
        f"        CPU {cpu_ms:.1f} ms per pair; {cpu_ms * args.pairs / 1000 / args.workers:.1f} s on {args.workers} otherwise idle cores (load average now {os.getloadavg()[0]:.1f}: a shared machine inflates the wall figures)"
    )
    print(
        f"        {wall:.1f} s wall in all, of which generating the synthetic plans (not timed above) took {generated / args.workers:.1f} s per worker"
    )
    if args.difflib_sample < 1:
        print("difflib: not sampled (--difflib-sample 0)")
        return
    per_pair = difflib_sample_ms(pool, args.difflib_sample)
    print(
        f"difflib: {per_pair:.0f} ms per pair for the similarity matrix alone ({args.difflib_sample} sampled)"
    )
    print(
        f"difflib: extrapolated {per_pair * args.pairs / 1000 / args.workers / 60:.0f} min wall for {args.pairs} pairs on {args.workers} workers"
    )


if __name__ == "__main__":
    main()
