"""Baselines: findings already known, so that CI fails only on new ones.

A baseline counts findings per (plan, task, rule code), never per line: editing a plan
moves lines but keeps the key. If a key had two findings in the baseline, the first two
findings with that key in a later run are "known" and a third one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from plancheck.errors import ConfigError
from plancheck.io.atomic import atomic_write_text
from plancheck.validate.findings import Finding

VERSION = 1
Key = tuple[str, str, str]


def baseline_counts(findings: list[Finding]) -> Counter[Key]:
    return Counter(f.baseline_key() for f in findings)


def baseline_text(findings: list[Finding]) -> str:
    """The baseline file's JSON text (sorted keys, no lines, no messages: stable in git)."""
    entries = [
        {"plan_id": plan, "task_id": task or None, "code": code, "count": count}
        for (plan, task, code), count in sorted(baseline_counts(findings).items())
    ]
    return (
        json.dumps({"version": VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"
    )


def write_baseline(findings: list[Finding], path: Path) -> None:
    atomic_write_text(Path(path), baseline_text(findings))


def load_baseline(path: Path) -> Counter[Key]:
    """Read a baseline written by ``write_baseline``; a bad file raises ConfigError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["findings"]
        return Counter(
            {
                (str(e["plan_id"]), str(e.get("task_id") or ""), str(e["code"])): int(
                    e.get("count", 1)
                )
                for e in entries
            }
        )
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: baseline not found; create it with --write-baseline {path}"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(
            f"{path}: not a plancheck baseline ({err}); re-create it with --write-baseline"
        ) from None


def apply_baseline(findings: list[Finding], known: Counter[Key]) -> tuple[list[Finding], int]:
    """(new findings, number of known findings left out)."""
    remaining = Counter(known)
    new: list[Finding] = []
    for finding in findings:
        key = finding.baseline_key()
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    return new, len(findings) - len(new)
