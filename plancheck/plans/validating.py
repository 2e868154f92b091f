"""Validating plans named as the user names them: load each, optionally fix aliases, validate,
then apply or write a CI baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plancheck.plans.loading import load_plan
from plancheck.validate import baseline as bl
from plancheck.validate.engine import ValidationResult, fix_aliases, validate_loaded
from plancheck.validate.rulebook import RuleBook


def validate_specs(
    specs: list[str],
    book: RuleBook,
    *,
    manifest: Any = None,
    registry: Any = None,
    lang: str = "zh",
    fix: bool = False,
    baseline: Path | None = None,
    write_baseline_to: Path | None = None,
) -> ValidationResult:
    """Load plans (manifest ids, raw sources or task CSVs), optionally fix, validate, baseline."""
    loaded = [load_plan(spec, manifest) for spec in specs]
    fixed = 0
    if fix and book.get("PC103"):
        fixed = sum(
            fix_aliases(item, spec, registry=registry)
            for item, spec in zip(loaded, specs, strict=True)
        )
    result = validate_loaded(loaded, book, registry=registry, lang=lang)
    known = None
    if write_baseline_to is not None:
        bl.write_baseline(result.findings, write_baseline_to)
        known = bl.baseline_counts(result.findings)  # what was just recorded is known
    elif baseline is not None:
        known = bl.load_baseline(baseline)
    if known is not None:
        result.findings, result.counts["baselined"] = bl.apply_baseline(result.findings, known)
    result.counts["fixed"] = fixed
    return result
