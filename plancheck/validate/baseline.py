"""Baselines: findings already known, so that CI fails only on new ones.

A baseline counts findings per (plan, rule code, content fingerprint), never per line or
task number: the fingerprint hashes the normalised task text and the finding's subject
(e.g. the unit), so editing a plan, inserting a task or renumbering keeps the key. If a key
had two findings in the baseline, the first two findings with that key in a later run are
"known" and a third one is new. Entries that match no finding any more are "stale": the
problem was fixed, and the baseline should be written again.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from plancheck.errors import ConfigError
from plancheck.io.atomic import atomic_write_text
from plancheck.io.paths import require_regular_file
from plancheck.validate.findings import Finding

VERSION = 2
Key = tuple[str, str, str]


def baseline_counts(findings: list[Finding]) -> Counter[Key]:
    return Counter(f.baseline_key() for f in findings)


def baseline_text(findings: list[Finding]) -> str:
    """The baseline file's JSON text (sorted, no lines, no messages: stable in git).

    ``task_id`` is kept for people reading the file; matching ignores it.
    """
    first_task: dict[Key, str | None] = {}
    for finding in findings:
        first_task.setdefault(finding.baseline_key(), finding.task_id)
    entries = [
        {
            "plan_id": plan,
            "code": code,
            "fingerprint": fingerprint,
            "task_id": first_task[(plan, code, fingerprint)],
            "count": count,
        }
        for (plan, code, fingerprint), count in sorted(baseline_counts(findings).items())
    ]
    return (
        json.dumps({"version": VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"
    )


def write_baseline(findings: list[Finding], path: Path) -> None:
    atomic_write_text(Path(path), baseline_text(findings))


def load_baseline(path: Path) -> Counter[Key]:
    """Read a baseline written by ``write_baseline``; a bad file raises ConfigError."""
    path = Path(path)
    require_regular_file(path, ConfigError, max_bytes=256 * 2**20)  # no FIFO, no /dev/zero
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"version {data.get('version')!r}, this plancheck writes {VERSION}")
        return Counter(
            {
                (str(e["plan_id"]), str(e["code"]), str(e["fingerprint"])): int(e.get("count", 1))
                for e in data["findings"]
            }
        )
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: baseline not found; create it with --write-baseline {path}"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ConfigError(
            f"{path}: not a plancheck baseline ({err}); re-create it with --write-baseline"
        ) from None


def apply_baseline(
    findings: list[Finding], known: Counter[Key]
) -> tuple[list[Finding], int, list[dict[str, Any]]]:
    """(new findings, number of known findings left out, stale baseline entries)."""
    remaining = Counter(known)
    new: list[Finding] = []
    for finding in findings:
        key = finding.baseline_key()
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    stale = [
        {"plan_id": plan, "code": code, "fingerprint": fingerprint, "count": count}
        for (plan, code, fingerprint), count in sorted(remaining.items())
        if count > 0
    ]
    return new, len(findings) - len(new), stale
