"""`plancheck validate`: check plans against the rule catalogue; exit 0 / 1 / 2 for CI.

Defaults come from ``[tool.plancheck]`` (``--config FILE``, else the first pyproject.toml
with that table in the working folder or above; see ``plancheck.validate.settings``);
command-line options override them (``--select``) or add to them (``--ignore``,
``--extend-select``, ``--extend-ignore``), as in ruff.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import typer

from plancheck.commands import ALLOW_OUTSIDE_HELP

HELP = {
    "paths": "方案原文、任务表 CSV、文件夹或清单中的方案编号；默认检查清单中的全部方案。 "
    "Raw sources, task CSVs, folders or manifest ids; default: every plan in the manifest.",
    "config": "配置文件（默认向上查找含 [tool.plancheck] 的 pyproject.toml）。 "
    "Settings file (default: the nearest pyproject.toml with [tool.plancheck]).",
    "rules": "规则文件夹（rules-*.yaml，默认为内置规则）。 Folder of rules-*.yaml files.",
    "select": "只检查这些规则代码或前缀，逗号分隔（PC1,PC203），替换配置。 "
    "Only these codes or prefixes, comma-separated; replaces the configured list.",
    "extend_select": "在所选规则之外再加上这些。 Codes or prefixes to add to the selection.",
    "ignore": "跳过这些规则（追加到配置的 ignore）。 Skip these codes (added to the configured ignore).",
    "extend_ignore": "同 --ignore。 Same as --ignore.",
    "fail_on": "达到该级别即以 1 退出：error | warning | never（默认 error）。 "
    "Exit 1 on findings at or above: error | warning | never (default error).",
    "format": "报告格式（xlsx 须配合 --output）。 "
    "Report format: text | concise | markdown | json | junit | sarif | github | xlsx (needs --output).",
    "output": "报告写入此文件（原子写入），标准输出只打印汇总行。 "
    "Write the report here (atomically); stdout then gets the summary line.",
    "statistics": "只打印各规则的问题数。 Print the number of findings per rule only.",
    "baseline": "已知问题（JSON）；只报告新问题和已失效的基线条目。 "
    "Known findings (JSON): only new ones are reported, stale entries counted.",
    "write_baseline": "把当前问题记为基线。 Record the current findings as the baseline.",
    "fix": "把任务表（datasets/tasks/*.csv 或所给 CSV）中的部门别称改为规范名称，原文不动。 "
    "Rewrite unit aliases to canonical names in the task tables; raw sources are never touched.",
    "diff": "与 --fix 同用：只显示将要做的修改，不写文件。 With --fix: show the change, write nothing.",
    "only_plans": "跳过不是方案的文件（pre-commit 用：README 等静默跳过）。 "
    "Skip files that are not plans, quietly (for pre-commit).",
    "lang": "消息语言 zh（默认）| en。 Message language: zh (default) | en.",
    "manifest": "数据集清单。 Dataset manifest.",
}


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    from plancheck.errors import ConfigError

    if value not in allowed:
        raise ConfigError(f"{name} {value!r} is not one of {', '.join(allowed)}")
    return value


def _specs(paths: list[Path] | None, manifest: Any, settings: Any, only_plans: bool) -> list[str]:
    from plancheck.errors import InputError
    from plancheck.plans.loading import iter_plan_specs
    from plancheck.plans.validating import is_plan_file

    if not paths:
        if manifest is None:
            raise InputError(
                "no paths given and no manifest found; name plan files or pass --manifest"
            )
        return [plan.id for plan in manifest.with_sources()]
    given = [p for p in paths if not (p.exists() and settings.excluded(p))]
    if only_plans:
        given = [p for p in given if p.is_dir() or is_plan_file(p, manifest)]
    specs = iter_plan_specs(list(given)) if given else []
    specs = [s for s in specs if not settings.excluded(Path(s))]
    if only_plans:  # files found in folders too
        specs = [s for s in specs if not Path(s).is_file() or is_plan_file(Path(s), manifest)]
    return specs


def _book(rules: Path | None, settings: Any, options: dict[str, str | None]) -> Any:
    from plancheck.validate.rulebook import load_rulebook, parse_codes

    rules_dir = rules or settings.path_of("rules")
    select = parse_codes(options["select"]) or parse_codes(settings.get("select")) or ["ALL"]
    select += parse_codes(settings.get("extend-select")) + parse_codes(options["extend_select"])
    ignore = parse_codes(settings.get("ignore")) + parse_codes(settings.get("extend-ignore"))
    ignore += parse_codes(options["ignore"]) + parse_codes(options["extend_ignore"])
    return load_rulebook(rules_dir).select(select, ignore)


def _colour(output: Path | None) -> bool:
    return output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _render(fmt: str, result: Any, lang: str, book: Any, colour: bool) -> Iterable[str | bytes]:
    """The report in pieces: a renderer with ``render_chunks`` (JSON) streams, so a million
    findings are written without holding the whole report in memory."""
    import importlib

    renderer = importlib.import_module(f"plancheck.report.findings_{fmt}")
    if hasattr(renderer, "render_chunks"):
        return _batched(renderer.render_chunks(result.findings, result.summary, lang))
    extra: dict[str, Any] = {"sarif": {"book": book}, "concise": {"colour": colour}}.get(fmt, {})
    return [renderer.render(result.findings, result.summary, lang, **extra)]


def _batched(chunks: Iterable[str], size: int = 2000) -> Iterator[str]:
    """Pieces joined a few thousand at a time (fewer writes, little memory)."""
    batch: list[str] = []
    for chunk in chunks:
        batch.append(chunk)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _statistics(findings: list[Any]) -> str:
    from collections import Counter

    counts = Counter((f.code, f.name, f.fixable) for f in findings)
    per_code: dict[tuple[str, str], list[int]] = {}
    for (code, name, fixable), count in counts.items():
        entry = per_code.setdefault((code, name), [0, 0])
        entry[0] += count
        entry[1] += count if fixable else 0
    rows = sorted(per_code.items(), key=lambda item: (-item[1][0], item[0][0]))
    return "".join(
        f"{total:>7}  {code}  {name}{'  [*]' if fixable else ''}\n"
        for (code, name), (total, fixable) in rows
    )


def validate(
    paths: list[Path] = typer.Argument(None, help=HELP["paths"]),
    config: Path = typer.Option(None, "--config", help=HELP["config"]),
    rules: Path = typer.Option(None, "--rules", help=HELP["rules"]),
    select: str = typer.Option(None, "--select", help=HELP["select"]),
    extend_select: str = typer.Option(None, "--extend-select", help=HELP["extend_select"]),
    ignore: str = typer.Option(None, "--ignore", help=HELP["ignore"]),
    extend_ignore: str = typer.Option(None, "--extend-ignore", help=HELP["extend_ignore"]),
    fail_on: str = typer.Option(None, "--fail-on", help=HELP["fail_on"]),
    format: str = typer.Option(None, "--format", help=HELP["format"]),
    output: Path = typer.Option(None, "--output", help=HELP["output"]),
    statistics: bool = typer.Option(False, "--statistics", help=HELP["statistics"]),
    baseline: Path = typer.Option(None, "--baseline", help=HELP["baseline"]),
    write_baseline: Path = typer.Option(None, "--write-baseline", help=HELP["write_baseline"]),
    fix: bool = typer.Option(False, "--fix", help=HELP["fix"]),
    diff: bool = typer.Option(False, "--diff", help=HELP["diff"]),
    only_plans: bool = typer.Option(False, "--only-plans", help=HELP["only_plans"]),
    lang: str = typer.Option(None, "--lang", help=HELP["lang"]),
    manifest: Path = typer.Option(Path("datasets/plans.yaml"), "--manifest", help=HELP["manifest"]),
    allow_outside_sources: bool = typer.Option(
        False, "--allow-outside-sources", help=ALLOW_OUTSIDE_HELP
    ),
) -> None:
    """按规则目录校验方案；Check plans against the rule catalogue (see `plancheck rules`).

    退出状态 Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage/config/input error.

    Examples:

        plancheck validate                                   # every plan in the manifest

        plancheck validate datasets/tasks --format concise --lang en

        plancheck validate --format sarif --output plancheck.sarif

        plancheck validate --fix --diff                      # preview the fixes

        plancheck validate --write-baseline .plancheck-baseline.json

        plancheck validate --baseline .plancheck-baseline.json --fail-on warning
    """
    from plancheck.errors import ConfigError
    from plancheck.io.atomic import atomic_write_chunks
    from plancheck.normalise.contacts import redact
    from plancheck.plans.manifest import load_manifest
    from plancheck.plans.validating import validate_specs
    from plancheck.registry.lookup import load_registry
    from plancheck.report.findings_text import summary_line
    from plancheck.validate.engine import FindingStream
    from plancheck.validate.findings import fails, redact_findings
    from plancheck.validate.settings import FAIL_ON, FORMATS, LANGS, load_settings

    settings = load_settings(config)
    fail_on = _choice("--fail-on", fail_on or settings.get("fail-on", "error"), FAIL_ON)
    fmt = _choice("--format", format or settings.get("format", "text"), (*FORMATS, "xlsx"))
    if fmt == "xlsx" and output is None:
        raise ConfigError("--format xlsx writes a workbook; name it with --output FILE.xlsx")
    lang = _choice("--lang", lang or settings.get("lang", "zh"), LANGS)
    options: dict[str, str | None] = {
        "select": select,
        "extend_select": extend_select,
        "ignore": ignore,
        "extend_ignore": extend_ignore,
    }
    book = _book(rules, settings, options)
    man = (
        load_manifest(manifest, allow_outside_sources=allow_outside_sources)
        if manifest.exists()
        else None
    )
    specs = _specs(paths, man, settings, only_plans)
    if not specs:
        return  # --only-plans and nothing that is a plan: nothing to check
    result = validate_specs(
        specs,
        book,
        manifest=man,
        registry=load_registry(),
        lang=lang,
        fix=fix,
        preview=diff,
        baseline=baseline or settings.path_of("baseline"),
        write_baseline_to=write_baseline,
        ignored_for=settings.ignored_codes if settings.get("per-file-ignores") else None,
    )
    # no contact detail in a report (a stream is redacted plan by plan as it is written)
    if isinstance(result.findings, FindingStream):
        result.findings = result.findings.transformed(  # type: ignore[assignment]
            lambda found: redact_findings(found, redact)
        )
    else:
        result.findings = redact_findings(result.findings, redact)
    result.fail_on = fail_on
    for fixed in result.fixed_files:
        if diff:
            typer.echo(fixed.diff, nl=False)
        else:
            typer.echo(f"fixed {fixed.replaced} name(s) in {fixed.path}", err=True)
    pieces: Iterable[str | bytes]
    if statistics:
        pieces = [_statistics(result.findings) + summary_line(result.summary, lang) + "\n"]
    else:
        pieces = _render(fmt, result, lang, book, _colour(output))
    if output is not None:
        sources = [Path(s) for s in specs if Path(s).is_file()]
        sources += [p.source for p in man.with_sources() if p.source] if man else []
        atomic_write_chunks(output, pieces, sources=sources)
        typer.echo(summary_line(result.summary, lang))
    elif not diff:
        for piece in pieces:
            typer.echo(piece, nl=False)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from plancheck.report.findings_github import step_summary

        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(step_summary(result.findings, result.summary, lang))
    if fails(result.findings, fail_on):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("validate")(handle_errors(validate))
