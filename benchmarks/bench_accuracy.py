"""Accuracy of `diff_plans` on single known edits: recall per edit kind, precision overall.

Every clause of the bundled plans (datasets/tasks/*.csv) is edited one way at a time, and the
original plan is diffed against the copy with that one edit. The truth is known by
construction: the diff must report the edit (recall, per kind), and anything else it reports
is a false positive (precision, over all edits). An unchanged copy must yield nothing.

Edit kinds (each applied where the clause allows it; a clause that does not is skipped):
  phrase_deleted   one comma phrase of a sentence with several deleted  -> omitted requirement
                   (a phrase the plan restates in another clause is not chosen: the diff looks
                   for a requirement in the whole target, so deleting it here omits nothing)
  member_dropped   the middle member of a 、-list dropped                -> weakened
  hedge_inserted   探索/逐步/试点 put before a verb                        -> weakened
  degree_dropped   a degree word (全面, 严格, 切实, ...) deleted          -> weakened
  verb_softened    实现/实行/建成/制定/形成/纳入 replaced by 推进/推动       -> weakened
  figure_changed   a year or a percentage changed                       -> deadline/target changed
  unit_dropped     the last responsible unit dropped                    -> units dropped
  lead_changed     the first two responsible units swapped              -> lead changed

    python benchmarks/bench_accuracy.py [--per-kind 120] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from multiprocessing import Pool
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plancheck.align import DiffState, PlanDiff, diff_plans, prepare_plan  # noqa: E402
from plancheck.align.phrases import phrases_of  # noqa: E402
from plancheck.align.similarity import cosine_matrix  # noqa: E402
from plancheck.align.text import clause_body, score_key  # noqa: E402
from plancheck.table.io import read_tasks_csv  # noqa: E402

HEDGES = ("探索", "逐步", "试点")
VERB = re.compile(r"(?<![探索逐步试点研究推动])(建立|完善|实行|推行|开展|建设|加强|落实|健全)")
DEGREE = re.compile(r"全面|严格|切实|全程|坚决|一律|必须|严禁|确保")
STRONG = re.compile(r"实现|实行|建成|制定|形成|纳入")
FIGURE = re.compile(r"(20\d\d)年|(\d+(?:\.\d+)?)%")
LIST = re.compile(r"([\u4e00-\u9fff]{2,8})、([\u4e00-\u9fff]{2,8})、([\u4e00-\u9fff]{2,8})")
KINDS = (
    "phrase_deleted",
    "member_dropped",
    "hedge_inserted",
    "degree_dropped",
    "verb_softened",
    "figure_changed",
    "unit_dropped",
    "lead_changed",
)


def _restated(phrase: str, elsewhere: Sequence[str]) -> bool:
    """The plan says this phrase again in another clause (cosine >= 0.6): deleting it here
    leaves it carried, so it is no known omission."""
    return bool(elsewhere) and float(cosine_matrix([phrase], elsewhere).max()) >= 0.6


def _text_edit(
    kind: str, text: str, rng: random.Random, elsewhere: Sequence[str] = ()
) -> tuple[str, str] | None:
    """(edited text, what was edited) or None when the clause does not allow the edit.
    ``elsewhere``: the phrases of the plan's other clauses."""
    body = clause_body(text)
    if kind == "phrase_deleted":
        sentences: dict[int, list] = {}
        for p in phrases_of(body):
            if not p.title:
                sentences.setdefault(p.sentence, []).append(p)
        choices = [p for group in sentences.values() if len(group) >= 2 for p in group]
        choices = [p for p in choices if len(score_key(p.text)) >= 6 and text.count(p.text) == 1]
        choices = [p for p in choices if not _restated(p.text, elsewhere)]
        if not choices:
            return None
        phrase = rng.choice(choices)
        return text.replace(phrase.text, "", 1), phrase.text
    if kind == "member_dropped":
        found = [m for m in LIST.finditer(body)]
        if not found:
            return None
        m = rng.choice(found)
        return text.replace(m.group(0), f"{m.group(1)}、{m.group(3)}", 1), m.group(2)
    pattern = {"hedge_inserted": VERB, "degree_dropped": DEGREE, "verb_softened": STRONG}.get(kind)
    if pattern is not None:
        found = [m for m in pattern.finditer(body) if text.count(body) == 1]
        if not found:
            return None
        m = rng.choice(found)
        if kind == "hedge_inserted":
            new = rng.choice(HEDGES) + m.group(0)
        elif kind == "degree_dropped":
            new = ""
        else:
            new = rng.choice(("推进", "推动"))
        edited = body[: m.start()] + new + body[m.end() :]
        return text.replace(body, edited, 1), m.group(0)
    if kind == "figure_changed":
        found = list(FIGURE.finditer(body))
        if not found or text.count(body) != 1:
            return None
        m = rng.choice(found)
        year, percent = m.group(1), m.group(2)
        new = f"{int(year) + 1}年" if year else f"{max(float(percent) - 10, 1):g}%"
        return text.replace(body, body[: m.start()] + new + body[m.end() :], 1), m.group(0)
    return None


def _expected(kind: str, diff: PlanDiff, task_id: str, what: str) -> tuple[bool, int]:
    """(the edit was found, how many other things were reported)."""
    items = []
    for clause in diff.clauses:
        if clause.status in ("omitted", "added"):
            items.append(("clause", clause.status, ""))
            continue
        items += [("omitted", "", text) for text in clause.omitted_requirements]
        items += [("higher", "", text) for text in clause.higher_level_requirements]
        items += [("changed", c.kind, c.reference) for c in clause.changed_requirements]
        if clause.units.dropped or clause.units.added:
            items.append(("units", "dropped", ""))
        if clause.units.lead_changed:
            items.append(("units", "lead", ""))
    want = {
        "phrase_deleted": lambda i: i[0] == "omitted" and score_key(what) in score_key(i[2]),
        "member_dropped": lambda i: i == ("changed", "weakened", i[2]),
        "hedge_inserted": lambda i: i == ("changed", "weakened", i[2]),
        "degree_dropped": lambda i: i == ("changed", "weakened", i[2]),
        "verb_softened": lambda i: i == ("changed", "weakened", i[2]),
        "figure_changed": lambda i: (
            i[0] == "changed" and i[1] in ("deadline_changed", "target_changed")
        ),
        "unit_dropped": lambda i: i == ("units", "dropped", ""),
        "lead_changed": lambda i: i == ("units", "lead", ""),
    }[kind]
    hits = [i for i in items if want(i)]
    return bool(hits), len(items) - min(len(hits), 1)


_STATE: dict = {}


def _init() -> None:
    _STATE["state"] = DiffState()
    _STATE["plans"] = {
        path.stem: read_tasks_csv(path)
        for path in sorted((ROOT / "datasets" / "tasks").glob("*.csv"))
    }
    _STATE["prepared"] = {
        name: prepare_plan(table, state=_STATE["state"]) for name, table in _STATE["plans"].items()
    }


def _run(case: tuple[str, str, int, int]) -> tuple[str, bool, int]:
    kind, plan, row, seed = case
    table: pd.DataFrame = _STATE["plans"][plan].copy()
    rng = random.Random(seed)
    task_id = str(table["task_id"].iat[row])
    if kind in ("unit_dropped", "lead_changed"):
        units = list(table["units"].iat[row])
        units = units[:-1] if kind == "unit_dropped" else [units[1], units[0], *units[2:]]
        table.at[table.index[row], "units"] = units
        table.at[table.index[row], "lead_unit"] = units[0]
        what = ""
    else:
        edit = _text_edit(kind, str(table["text"].iat[row]), rng, _elsewhere(table, row))
        if edit is None:
            return kind, False, -1
        table.at[table.index[row], "text"], what = edit
    diff = diff_plans(_STATE["prepared"][plan], table, state=_STATE["state"])
    found, others = _expected(kind, diff, task_id, what)
    return kind, found, others


def _elsewhere(table: pd.DataFrame, row: int) -> list[str]:
    """The requirement phrases of every clause of ``table`` but ``row``."""
    texts = table["text"].tolist()
    return [p.text for k, t in enumerate(texts) if k != row for p in phrases_of(clause_body(t))]


def _cases(per_kind: int) -> list[tuple[str, str, int, int]]:
    """Every (kind, plan, clause) the edit applies to, a deterministic sample per kind."""
    plans = {
        path.stem: read_tasks_csv(path)
        for path in sorted((ROOT / "datasets" / "tasks").glob("*.csv"))
    }
    cases = []
    for kind in KINDS:
        candidates = []
        for name, table in plans.items():
            for row in range(len(table)):
                units = table["units"].iat[row]
                if kind in ("unit_dropped", "lead_changed"):
                    if len(units) >= 2 and len(set(units[:2])) == 2:
                        candidates.append((kind, name, row, row))
                elif _text_edit(
                    kind, str(table["text"].iat[row]), random.Random(row), _elsewhere(table, row)
                ):
                    candidates.append((kind, name, row, row))
        random.Random(0).shuffle(candidates)
        cases += candidates[:per_kind]
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    _init()
    unchanged = [
        sum(1 for c in diff_plans(p, t, state=_STATE["state"]).clauses if c.status != "kept")
        for p, t in zip(_STATE["prepared"].values(), _STATE["plans"].values(), strict=True)
    ]
    cases = _cases(args.per_kind)
    with Pool(args.workers, initializer=_init) as pool:
        results = [r for r in pool.map(_run, cases, chunksize=8) if r[2] >= 0]
    found, tried, false = Counter(), Counter(), 0
    for kind, hit, others in results:
        tried[kind] += 1
        found[kind] += hit
        false += others
    print(f"unchanged copies: {sum(unchanged)} clauses reported as not kept (want 0)")
    print(f"{'edit kind':<16} {'edits':>6} {'found':>6} {'recall':>7}")
    for kind in KINDS:
        recall = found[kind] / tried[kind] if tried[kind] else float("nan")
        print(f"{kind:<16} {tried[kind]:>6} {found[kind]:>6} {recall:>7.3f}")
    tp = sum(found.values())
    print(f"precision: {tp / (tp + false):.3f} ({tp} edits found, {false} other reports)")
    print(
        f"recall (all kinds): {tp / sum(tried.values()):.3f}; {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
