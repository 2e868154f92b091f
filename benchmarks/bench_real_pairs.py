"""Accuracy of the diff on real pairs of plans, against truth written by reading them.

Each file in ``benchmarks/gold/`` (format: ``benchmarks/gold/README.md``) names a real pair of
documents under ``../shared/`` (the seeds and the corpus) and, for every requirement of the
reference inside a judged scope of lines, whether the target carries it, leaves it out, weakens
it, or whether only the higher level can carry it. The diff is run as ``plancheck diff`` runs it
(the same loading, the same findings list), with each plan's level taken from the gold file as a
manifest would give it, and every finding inside the scope is judged:

- a finding matches a gold requirement when the requirement's line lies in the finding's
  reference lines and the requirement's words are in the finding's text (or most of its
  character pairs are);
- a finding of kind K is right when at least half of the requirements it matches have status K;
  one that matches none (a heading, a table-of-contents line, a purpose sentence) is wrong;
- a requirement of status K is found when a finding of kind K matches it.

Findings of kind ``omitted_clause`` and ``omitted_requirement`` are "left out"; ``weakened`` is
weakened; ``higher_level_requirement`` is higher-level only. Findings folded into the report's
"please check" list (``confident: false``) are counted apart, as what the reviewer is asked to
look at, not as findings.

The pairs are split into a tuning half and a held-back half (the ``half`` of each gold file).
Thresholds are calibrated on the tuning half only; ``--explain`` lists the wrong and missed
findings of a tuning pair and refuses a held-back one.

    python3 benchmarks/bench_real_pairs.py                 # both halves, per pair and per half
    python3 benchmarks/bench_real_pairs.py --explain liaoning-lingyuan
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plancheck.align import diff_plans  # noqa: E402
from plancheck.align.model import PlanDiff  # noqa: E402
from plancheck.normalise.contacts import redact_tasks  # noqa: E402
from plancheck.normalise.text import match_key, strip_pinyin, to_simplified  # noqa: E402
from plancheck.plans.loading import load_plan, plan_info_of  # noqa: E402
from plancheck.report.diff_findings import DiffFinding, diff_findings  # noqa: E402

GOLD = ROOT / "benchmarks" / "gold"
STATUSES = ("carried", "omitted", "weakened", "higher_level")
# the finding kinds judged, and the gold status each asserts
KIND_STATUS = {
    "omitted_clause": "omitted",
    "omitted_requirement": "omitted",
    "weakened": "weakened",
    "higher_level_requirement": "higher_level",
}
JUDGED = ("omitted", "weakened", "higher_level")
LEVEL_WORDS = ("national", "province", "city", "county")
_PUNCT = re.compile(r"[\s，,。；;：:、！!？?（）()“”\"'《》〈〉【】\[\]—…·.]")


def shared_folder() -> Path:
    """Where the seeds and the corpus are: $PLANCHECK_SHARED, else ../shared beside the repo."""
    return Path(os.environ.get("PLANCHECK_SHARED") or ROOT.parent / "shared")


def norm(text: str) -> str:
    """Simplified characters, no pinyin, no punctuation or spaces: what matching compares."""
    return _PUNCT.sub("", match_key(to_simplified(strip_pinyin(text))))


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


@dataclass(frozen=True)
class Requirement:
    line: int
    text: str
    status: str
    target_lines: tuple[int, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        return norm(self.text)


@dataclass(frozen=True)
class Gold:
    pair: str
    half: str
    relation: str
    levels: tuple[str, str]
    reference: Path
    target: Path
    scope: tuple[tuple[int, int], ...]
    requirements: tuple[Requirement, ...]
    topic: str = ""

    def in_scope(self, lines: list[tuple[int, int]]) -> bool:
        return any(a <= e and s <= b for s, e in lines for a, b in self.scope)


def load_gold(path: Path, shared: Path) -> Gold:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = tuple(part.strip() for part in str(data["levels"]).replace("~", "->").split("->"))
    if len(levels) != 2 or any(level not in LEVEL_WORDS for level in levels):
        raise SystemExit(f"{path}: levels must be 'A -> B' with A, B in {LEVEL_WORDS}")
    requirements = []
    for n, item in enumerate(data["requirements"], start=1):
        if item["status"] not in STATUSES:
            raise SystemExit(f"{path}: requirement {n}: status {item['status']!r}")
        requirements.append(
            Requirement(
                int(item["line"]),
                str(item["text"]),
                str(item["status"]),
                tuple(int(x) for x in item.get("target_lines") or ()),
                str(item.get("note") or ""),
            )
        )
    return Gold(
        pair=str(data["pair"]),
        half=str(data["half"]),
        relation=str(data.get("relation", "parent")),
        levels=(levels[0], levels[1]),
        reference=shared / data["reference"],
        target=shared / data["target"],
        scope=tuple((int(a), int(b)) for a, b in data["scope"]),
        requirements=tuple(requirements),
        topic=str(data.get("topic", "")),
    )


def run_diff(gold: Gold) -> PlanDiff:
    """The diff as `plancheck diff REFERENCE TARGET` computes it, each plan's level from the gold
    file (a manifest would give it; a file alone has its level guessed)."""
    ref, tgt = load_plan(gold.reference), load_plan(gold.target)
    return diff_plans(
        redact_tasks(ref.tasks),
        redact_tasks(tgt.tasks),
        reference_info=replace(plan_info_of(ref), level=gold.levels[0]),
        target_info=replace(plan_info_of(tgt), level=gold.levels[1]),
    )


def line_ranges(span: str) -> list[tuple[int, int]]:
    """'22、43–45' -> [(22, 22), (43, 45)]."""
    out = []
    for part in re.split(r"[、,]\s*", span):
        numbers = [int(x) for x in re.findall(r"\d+", part)]
        if numbers:
            out.append((numbers[0], numbers[-1]))
    return out


def matches(requirement: Requirement, finding_key: str, lines: list[tuple[int, int]]) -> bool:
    if not any(s <= requirement.line <= e for s, e in lines):
        return False
    key = requirement.key
    if key and key in finding_key:
        return True
    if len(finding_key) >= 4 and finding_key in key:
        return True  # the finding is a piece of the requirement
    grams = bigrams(key)
    return len(grams & bigrams(finding_key)) >= 0.6 * len(grams)


def confident(finding: DiffFinding) -> bool:
    """Findings the report lists as findings (the rest are in its "please check" list)."""
    return bool(getattr(finding, "confident", True))


@dataclass
class PairScore:
    gold: Gold
    diff: PlanDiff
    seconds: float
    # per judged kind: right findings, all findings, found requirements, gold requirements
    right: Counter[str] = field(default_factory=Counter)
    made: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    truth: Counter[str] = field(default_factory=Counter)
    unsure: int = 0  # findings folded into "please check"
    unsure_right: int = 0  # ... of which the gold says the requirement is left out
    # omitted requirements matched by a confident or a please-check finding: what a reviewer
    # who reads both lists is shown
    found_with_checks: int = 0
    checks: list[tuple[DiffFinding, list[Requirement]]] = field(default_factory=list)
    wrong: list[tuple[DiffFinding, list[Requirement]]] = field(default_factory=list)
    missed: list[Requirement] = field(default_factory=list)

    @property
    def gold_coverage(self) -> float:
        counts = Counter(r.status for r in self.gold.requirements)
        total = sum(counts.values()) - counts["higher_level"]
        return (counts["carried"] + counts["weakened"]) / total if total else 1.0


def score_pair(gold: Gold) -> PairScore:
    start = time.perf_counter()
    diff = run_diff(gold)
    seconds = time.perf_counter() - start
    score = PairScore(gold, diff, seconds)
    for requirement in gold.requirements:
        score.truth[requirement.status] += 1
    hit: dict[str, set[int]] = {status: set() for status in JUDGED}
    checked: set[int] = set()  # omitted requirements matched by a please-check finding
    for finding in diff_findings(diff):
        status = KIND_STATUS.get(finding.kind)
        lines = line_ranges(finding.reference_lines)
        if status is None or not gold.in_scope(lines):
            continue
        key = norm(finding.reference_text)
        matched = [k for k, r in enumerate(gold.requirements) if matches(r, key, lines)]
        agreeing = [k for k in matched if gold.requirements[k].status == status]
        if not confident(finding):
            score.unsure += 1
            score.unsure_right += bool(matched and 2 * len(agreeing) >= len(matched))
            score.checks.append((finding, [gold.requirements[k] for k in matched]))
            checked.update(agreeing if status == "omitted" else ())
            continue
        score.made[status] += 1
        if matched and 2 * len(agreeing) >= len(matched):
            score.right[status] += 1
        else:
            score.wrong.append((finding, [gold.requirements[k] for k in matched]))
        hit[status].update(agreeing)
    for status in JUDGED:
        score.found[status] = len(hit[status])
    score.found_with_checks = len(hit["omitted"] | checked)
    score.missed = [
        r for k, r in enumerate(gold.requirements) if r.status in JUDGED and k not in hit[r.status]
    ]
    return score


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  —  "


def report(scores: list[PairScore]) -> None:
    head = (
        f"{'pair':26} {'half':5} {'reqs':>4} {'left out P':>11} {'R':>6} {'weak P':>8} "
        f"{'R':>6} {'higher P':>9} {'R':>6} {'check':>5} {'cov':>6} {'gold':>6} {'s':>5}"
    )
    print(head)
    print("-" * len(head))
    for s in scores:
        print(
            f"{s.gold.pair:26} {s.gold.half:5} {len(s.gold.requirements):4d} "
            f"{ratio(s.right['omitted'], s.made['omitted']):>6} ({s.made['omitted']:2d}) "
            f"{ratio(s.found['omitted'], s.truth['omitted']):>6} "
            f"{ratio(s.right['weakened'], s.made['weakened']):>8} "
            f"{ratio(s.found['weakened'], s.truth['weakened']):>6} "
            f"{ratio(s.right['higher_level'], s.made['higher_level']):>9} "
            f"{ratio(s.found['higher_level'], s.truth['higher_level']):>6} "
            f"{s.unsure:5d} {s.diff.summary.requirement_coverage:6.3f} {s.gold_coverage:6.3f} "
            f"{s.seconds:5.2f}"
        )
    print()
    print("per half (summed over its pairs):")
    for half in ("tune", "held"):
        part = [s for s in scores if s.gold.half == half]
        if not part:
            continue
        total = {
            name: sum((getattr(s, name) for s in part), Counter())
            for name in ("right", "made", "found", "truth")
        }
        print(
            f"  {half:5} pairs {len(part)}, requirements {sum(len(s.gold.requirements) for s in part)}"
            f" ({', '.join(f'{k} {v}' for k, v in sorted(total['truth'].items()))})"
        )
        for status, label in (
            ("omitted", "left out"),
            ("weakened", "weakened"),
            ("higher_level", "higher-level"),
        ):
            print(
                f"    {label:13} precision {ratio(total['right'][status], total['made'][status])}"
                f" ({total['right'][status]}/{total['made'][status]})"
                f"  recall {ratio(total['found'][status], total['truth'][status])}"
                f" ({total['found'][status]}/{total['truth'][status]})"
            )
        unsure, unsure_right = sum(s.unsure for s in part), sum(s.unsure_right for s in part)
        with_checks = sum(s.found_with_checks for s in part)
        print(
            f"    please check  {unsure} findings, {unsure_right} of them true left-outs;"
            f" left out recall with the list {ratio(with_checks, total['truth']['omitted'])}"
            f" ({with_checks}/{total['truth']['omitted']})"
        )
        print(
            "    requirement coverage: diff "
            + ", ".join(f"{s.diff.summary.requirement_coverage:.2f}" for s in part)
            + " | gold "
            + ", ".join(f"{s.gold_coverage:.2f}" for s in part)
        )


def explain(score: PairScore) -> None:
    print(f"== {score.gold.pair}: wrong findings")
    for finding, matched in score.wrong:
        print(f"  [{finding.kind}] L{finding.reference_lines}: {finding.reference_text[:80]}")
        for r in matched:
            print(f"      gold {r.status}: L{r.line} {r.text}  {r.note}")
        if finding.target_text:
            print(f"      target: {finding.target_text[:80]}")
    print(f"== {score.gold.pair}: please check")
    for finding, matched in score.checks:
        print(f"  [{finding.kind}] L{finding.reference_lines}: {finding.reference_text[:80]}")
        print(f"      closest ({finding.similarity}): {finding.closest_text[:70]}")
        for r in matched:
            print(f"      gold {r.status}: L{r.line} {r.text}  {r.note}")
    print(f"== {score.gold.pair}: missed")
    for r in score.missed:
        print(f"  gold {r.status}: L{r.line} {r.text} -> {r.target_lines} {r.note}")


def calibrate(scores: list[PairScore]) -> None:
    """Every judged finding of the tuning half (confident or not) with its nearness to target
    text and whether the gold says it is right: where to put the "please check" bar."""
    rows = []
    for score in scores:
        gold = score.gold
        absent = {
            (d.text, c.reference[0].line_start): d.absent
            for c in score.diff.clauses
            for d in c.omitted_details
        }
        clause_absent = {
            c.reference[0].line_start: sum(d.absent for d in c.omitted_details)
            / len(c.omitted_details)
            for c in score.diff.clauses
            if c.status == "omitted" and c.omitted_details
        }
        for finding in diff_findings(score.diff):
            status = KIND_STATUS.get(finding.kind)
            lines = line_ranges(finding.reference_lines)
            if status is None or not gold.in_scope(lines):
                continue
            key = norm(finding.reference_text)
            matched = [r for r in gold.requirements if matches(r, key, lines)]
            right = bool(matched) and 2 * sum(r.status == status for r in matched) >= len(matched)
            first = lines[0][0]
            gone = (
                clause_absent.get(first, 0.0)
                if finding.kind == "omitted_clause"
                else absent.get((finding.reference_text, first), 0.0)
            )
            rows.append((finding.kind, finding.similarity or 0.0, gone, right, gold.pair))
    rows.sort(key=lambda r: (r[0], r[2]))
    print(f"{'kind':26} {'near':>6} {'absent':>6}")
    for kind, similarity, gone, right, pair in rows:
        print(f"{kind:26} {similarity:6.3f} {gone:6.3f} {'right' if right else 'WRONG':5} {pair}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--explain", metavar="PAIR", help="list a tuning pair's wrong and missed")
    parser.add_argument("--half", choices=("tune", "held"), help="run one half only")
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="per left-out finding of the tuning half: its nearness and whether it is right",
    )
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of gold files")
    args = parser.parse_args(argv)
    shared = shared_folder()
    if not (shared / "corpus").is_dir():
        print(f"no corpus at {shared}: set PLANCHECK_SHARED to the shared folder", file=sys.stderr)
        return 2
    golds = [load_gold(path, shared) for path in sorted(args.gold.glob("*.yaml"))]
    if args.explain:
        chosen = [g for g in golds if g.pair == args.explain]
        if not chosen:
            print(f"no gold pair {args.explain}", file=sys.stderr)
            return 2
        if chosen[0].half != "tune":
            print(f"{args.explain} is held back: its findings are not shown", file=sys.stderr)
            return 2
        explain(score_pair(chosen[0]))
        return 0
    if args.calibrate:
        calibrate([score_pair(g) for g in golds if g.half == "tune"])
        return 0
    if args.half:
        golds = [g for g in golds if g.half == args.half]
    report([score_pair(g) for g in golds])
    return 0


if __name__ == "__main__":
    sys.exit(main())
