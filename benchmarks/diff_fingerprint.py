"""Fingerprints of the diff's results, to show a speed change left every diff as it was.

Diffs the synthetic pairs of bench_diff.py (each local plan against its parent) and every
ordered pair of the bundled plans in the manifest, and prints one SHA-256 prefix per set over
the full ``repr`` of each ``PlanDiff`` (floats included, so a change in the last digit shows).
Run it before and after a change that should not change results; the two outputs must match.

    python benchmarks/diff_fingerprint.py [--pairs 300] [--parents 10]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_diff  # noqa: E402  (the synthetic plans, as the speed benchmark makes them)

from plancheck.align import DiffState, diff_plans  # noqa: E402
from plancheck.plans.loading import diff_specs  # noqa: E402
from plancheck.plans.manifest import load_manifest  # noqa: E402


def bench_fingerprint(pairs: int, parents: int) -> str:
    bench_diff._init(bench_diff.seed_sentences(), parents)
    state, digest = DiffState(), hashlib.sha256()
    for index in range(pairs):
        reference, local = bench_diff.local_plan(index)
        digest.update(repr(diff_plans(reference, local, state=state)).encode())
    return digest.hexdigest()[:16]


def seed_fingerprint() -> tuple[str, int]:
    ids = [plan.id for plan in load_manifest().with_sources()]
    digest, count = hashlib.sha256(), 0
    for reference, target in itertools.permutations(ids, 2):
        digest.update(repr(diff_specs(reference, target)).encode())
        count += 1
    return digest.hexdigest()[:16], count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--parents", type=int, default=10)
    args = parser.parse_args()
    start = time.perf_counter()
    print(
        f"bench pairs ({args.pairs}, {args.parents} parents): {bench_fingerprint(args.pairs, args.parents)}"
    )
    seeds, count = seed_fingerprint()
    print(f"bundled plan pairs ({count}): {seeds}")
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
