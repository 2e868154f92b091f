"""Benchmark: `plancheck validate` on a repository's table against plain pandera, side by side.

Run from the repository root:  python benchmarks/bench_validate.py [--rows N] [--plans P]

The table is built the way a repository holds it: P plans (default 1,000), each made of one
seed plan's rows (datasets/tasks/*.csv) repeated to N / P rows, so task ids and ``seq``
repeat across plans (ids are made unique within each plan). It is written once as one CSV
and once as a folder of P per-plan CSVs. Three commands run one after another, each in its
own process (wall time and peak memory, max RSS, of that process):

- pandera: pandas reads the CSV, a pandera schema runs five checks equivalent to plancheck
  rules (task id unique per plan, lead unit present, text not empty, text not cut off,
  deadline readable) lazily, and the failure cases are written as JSON;
- plancheck, one CSV: ``plancheck validate big.csv --format json --output out.json``
  (every default rule, all 20);
- plancheck, folder: the same rows as P per-plan CSVs, one run.

Budgets (issue 24, streaming validation): one CSV <= 2x the pandera time and <= 1 GB peak
whatever the size (``--rows 10000000``: the same peak; the CSV is read 50,000 rows at a time and
the findings are streamed); the folder <= 3x the one-CSV time. The machine is shared: the three runs are measured in one go, side by side,
and CPU time is printed next to wall time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from plancheck.table.io import read_tasks_csv, tasks_to_csv_text  # noqa: E402

PANDERA_SCRIPT = r"""
import json, sys
import pandas as pd
import pandera.pandas as pa

ENDINGS = ("，", ",", "、", "：", ":", "；", "（", "(", "“", "《", "…", "...")
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, na_values=[""])
blank = lambda s: s.fillna("").str.strip() == ""
schema = pa.DataFrameSchema(
    checks=[
        pa.Check(lambda df: ~df.duplicated(["plan_id", "task_id"], keep=False), name="unique-id"),
        pa.Check(lambda df: ~(blank(df["lead_unit"]) & df["kind"].isin(["item", "row"])),
                 name="lead-unit"),
        pa.Check(lambda df: ~blank(df["text"]), name="text-empty"),
        pa.Check(lambda df: ~df["text"].fillna("").str.rstrip().str.endswith(ENDINGS),
                 name="text-cut"),
        pa.Check(lambda df: blank(df["deadline"]) | df["deadline_parsed"].notna(),
                 name="deadline"),
    ]
)
try:
    schema.validate(frame, lazy=True)
    cases = pd.DataFrame()
except pa.errors.SchemaErrors as err:
    cases = err.failure_cases
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(cases.to_json(orient="records", force_ascii=False))
print(len(cases))
"""


def build_plans(rows: int, plans: int) -> list[pd.DataFrame]:
    """``plans`` plans of about rows / plans rows each; ids and seq repeat across plans."""
    seeds = [read_tasks_csv(p) for p in sorted((REPO / "datasets/tasks").glob("*.csv"))]
    per_plan = rows // plans
    out = []
    for number in range(plans):
        seed = seeds[number % len(seeds)]
        blocks = -(-per_plan // len(seed))
        table = pd.concat([seed] * blocks, ignore_index=True).iloc[:per_plan].copy()
        block = (pd.RangeIndex(len(table)) // len(seed)).astype(str)
        # Repeats of the seed become sections R1, R2…: ids stay unique and well numbered.
        table["task_id"] = ("R" + block + "." + table["task_id"]).where(
            block != "0", table["task_id"]
        )
        table["plan_id"] = f"{seed['plan_id'].iloc[0]}-{number:04d}"
        table["seq"] = range(1, len(table) + 1)
        out.append(table)
    return out


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, stdout) of one command in its own process, through GNU
    time (/usr/bin/time, Debian package ``time``) so each run's own peak memory is known."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", *command], cwd=REPO, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr}")
    peak_kb, user, system = proc.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(peak_kb) / 1024, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--plans", type=int, default=1_000)
    args = parser.parse_args()
    run = timed
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        folder.mkdir()
        tables = build_plans(args.rows, args.plans)
        texts = [tasks_to_csv_text(t) for t in tables]
        big = Path(tmp) / "all-plans.csv"
        with open(big, "w", encoding="utf-8", newline="") as handle:
            handle.write(texts[0])
            for text in texts[1:]:
                handle.write(text.split("\n", 1)[1])
        for table, text in zip(tables, texts, strict=True):
            (folder / f"{table['plan_id'].iloc[0]}.csv").write_text(text, encoding="utf-8")
        rows = sum(len(t) for t in tables)
        del tables, texts
        cli = [sys.executable, "-m", "plancheck", "validate", "--fail-on", "never"]
        results = {
            "pandera (5 checks)": run(
                [sys.executable, "-c", PANDERA_SCRIPT, str(big), str(Path(tmp) / "pa.json")]
            ),
            "plancheck, one CSV": run(
                [*cli, str(big), "--format", "json", "--output", str(Path(tmp) / "one.json")]
            ),
            "plancheck, folder": run(
                [*cli, str(folder), "--format", "json", "--output", str(Path(tmp) / "dir.json")]
            ),
        }
        one = json.loads((Path(tmp) / "one.json").read_text(encoding="utf-8"))["summary"]
        folder_summary = json.loads((Path(tmp) / "dir.json").read_text(encoding="utf-8"))
        same = folder_summary["summary"]["by_code"] == one["by_code"]
    print(f"rows: {rows:,} in {args.plans:,} plans (task ids and seq repeat across plans)")
    print(f"plancheck findings: {one['findings']:,} ({len(one['by_code'])} rules fired);")
    print(f"  folder run finds the same per rule: {same}")
    print("measured one after another in one run, on a machine shared with other work:")
    for label, (wall, cpu, peak, _) in results.items():
        print(
            f"  {label:20s} {wall:7.2f} s wall {cpu:7.2f} s cpu"
            f"  {rows / wall:>10,.0f} rows/s  peak {peak:,.0f} MB"
        )
    base, one_run, dir_run = (results[k] for k in results)
    print(
        f"ratio one CSV / pandera: {one_run[0] / base[0]:.2f}x wall, {one_run[1] / base[1]:.2f}x cpu"
        " (budget 2x)"
    )
    print(f"peak memory one CSV: {one_run[2]:,.0f} MB (budget 1,024 MB)")
    print(
        f"ratio folder / one CSV: {dir_run[0] / one_run[0]:.2f}x wall,"
        f" {dir_run[1] / one_run[1]:.2f}x cpu (budget 3x)"
    )


if __name__ == "__main__":
    main()
