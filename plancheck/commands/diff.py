"""`plancheck diff REFERENCE TARGET`: clause-by-clause audit of a local plan against its parent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from plancheck.commands import ALLOW_OUTSIDE_HELP

if TYPE_CHECKING:
    from plancheck.align.model import PlanDiff
    from plancheck.plans.loading import ReviewSource

FORMATS = ("markdown", "html", "json", "xlsx", "docx", "redline-docx")
BINARY = ("xlsx", "docx", "redline-docx")
FAIL_ON = ("omitted", "weakened", "changed", "never")

HELP = {
    "reference": "上级方案（或同级方案）：清单中的方案编号、原文文件或任务表 CSV。 "
    "Higher-level plan (or peer): manifest id, raw source file or task CSV.",
    "target": "落实它的本地方案，形式同上。 Local plan implementing it, in any of the same forms.",
    "format": "输出格式。 Output format: markdown | html | json | xlsx | docx（本地方案，"
    "问题为批注 the local plan with every finding a comment）| redline-docx（修订模式逐条对照 "
    "tracked changes, clause by clause）.",
    "output": "写入此文件而不是标准输出（xlsx、docx、redline-docx 必须指定）。 "
    "Write to this file instead of stdout (required for xlsx, docx, redline-docx).",
    "fail_on": "目标方案有以下情况时以 1 退出：omitted（遗漏条款或要求）| weakened（另含弱化）"
    "| changed（另含其他改动）| never。 Exit 1 when the target has: omitted (clauses or "
    "requirements left out) | weakened (also weakenings) | changed (also other changes) | never.",
    "min_coverage": "条款覆盖率低于 PCT% 时以 1 退出。 "
    "Exit 1 when the clause coverage is below PCT percent.",
}


def render(
    diff: PlanDiff, format: str, relation: str = "parent", review: ReviewSource | None = None
) -> str | bytes:
    """The diff in one format: Markdown, self-contained HTML, JSON (the contract), or the
    bytes of an xlsx workbook, the Word review (on ``review``: the target's own .docx or its
    section headings) or the tracked-changes comparison."""
    if format == "docx":
        from plancheck.report.diff_docx import render_review_docx

        return render_review_docx(
            diff,
            relation=relation,
            target_docx=review.docx if review else None,
            sections=review.sections if review else None,
        )
    if format == "redline-docx":
        from plancheck.report.diff_redline_docx import render_redline_docx

        return render_redline_docx(diff, relation=relation)
    if format == "json":
        from plancheck.report.diff_json import render_diff_json

        return render_diff_json(diff, relation=relation)
    if format == "html":
        from plancheck.report.diff_html import render_diff_html

        return render_diff_html(diff, relation=relation)
    if format == "xlsx":
        from plancheck.report.diff_xlsx import render_diff_xlsx

        return render_diff_xlsx(diff, relation=relation)
    from plancheck.report.diff_markdown import render_diff_markdown

    return render_diff_markdown(diff, relation=relation)


def relation_of(reference: str, target: str, allow_outside_sources: bool = False) -> str:
    """peer when the manifest lists REFERENCE among TARGET's peers, else parent."""
    from plancheck.plans.manifest import DEFAULT_MANIFEST, load_manifest

    if not DEFAULT_MANIFEST.is_file():
        return "parent"
    plan = load_manifest(DEFAULT_MANIFEST, allow_outside_sources=allow_outside_sources).get(target)
    return "peer" if plan is not None and reference in plan.peers else "parent"


def check_gate_options(fail_on: str, min_coverage: float | None) -> None:
    from plancheck.cli import fail

    if fail_on not in FAIL_ON:
        fail(f"--fail-on {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    if min_coverage is not None and not 0 <= min_coverage <= 100:
        fail(f"--min-coverage {min_coverage:g} is not a percentage between 0 and 100")


def exit_on_gate(reasons: list[str]) -> None:
    """Print why the gate failed (one line each, on stderr) and exit 1; nothing when it passed."""
    for reason in reasons:
        typer.echo(f"gate failed: {reason}", err=True)
    if reasons:
        raise typer.Exit(1)


def diff(
    reference: str = typer.Argument(..., help=HELP["reference"]),
    target: str = typer.Argument(..., help=HELP["target"]),
    format: str = typer.Option("markdown", "--format", help=HELP["format"]),
    output: Path = typer.Option(None, "--output", "-o", help=HELP["output"]),
    fail_on: str = typer.Option("never", "--fail-on", help=HELP["fail_on"]),
    min_coverage: float = typer.Option(None, "--min-coverage", help=HELP["min_coverage"]),
    allow_outside_sources: bool = typer.Option(
        False, "--allow-outside-sources", help=ALLOW_OUTSIDE_HELP
    ),
) -> None:
    """逐条比对本地方案与上级方案（或同级方案）；Compare a local plan with its higher-level plan
    (or a peer plan), clause by clause.

    报告先列出问题：遗漏的条款与要求、弱化的要求、改动的目标、时限和单位。各格式均隐去联系方式。
    The report opens with the findings: omitted clauses, requirements left out, weakened
    requirements, changed targets, dates and units. Contact details are redacted in every
    format.

    退出状态 Exit status: 0, 1 when a gate (--fail-on, --min-coverage) fails, 2 on errors.

    Examples:

        plancheck diff liaoning-2019 lingyuan-2021

        plancheck diff liaoning-2019 lingyuan-2021 --format html -o lingyuan.html

        plancheck diff guangyuan leshan --format json --output /tmp/leshan.json

        plancheck diff liaoning-2019 lingyuan-2021 --format xlsx -o lingyuan.xlsx

        plancheck diff liaoning-2019 lingyuan-2021 --format docx -o review.docx

        plancheck diff liaoning-2019 lingyuan-2021 --format redline-docx -o redline.docx

        plancheck diff liaoning-2019 lingyuan-2021 --fail-on omitted --min-coverage 90
    """
    from plancheck.cli import fail
    from plancheck.io.atomic import atomic_write_bytes, atomic_write_text

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of {', '.join(FORMATS)}")
    if format in BINARY and output is None:
        suffix = "xlsx" if format == "xlsx" else "docx"
        fail(f"--format {format} writes a file; name it with --output FILE.{suffix}")
    check_gate_options(fail_on, min_coverage)
    from plancheck.plans.loading import diff_loaded, load_plan, review_source
    from plancheck.report.diff_gate import gate_failures
    from plancheck.report.index import index_diff
    from plancheck.report.redaction import redact_value

    relation = relation_of(reference, target, allow_outside_sources)
    ref = load_plan(reference, allow_outside_sources=allow_outside_sources)
    tgt = load_plan(target, allow_outside_sources=allow_outside_sources)
    result = redact_value(diff_loaded(ref, tgt))
    review = review_source(tgt) if format == "docx" else None
    rendered = render(result, format, relation, review)
    if output is None:
        typer.echo(rendered, nl=False)
    else:
        sources = [Path(s) for s in (reference, target) if Path(s).is_file()]
        sources += [Path(i.source_file) for i in (result.reference, result.target) if i.source_file]
        if isinstance(rendered, bytes):
            atomic_write_bytes(output, rendered, sources=sources)
        else:
            atomic_write_text(output, rendered, sources=sources)
        typer.echo(f"wrote {output.as_posix()}", err=True)
    exit_on_gate(gate_failures(index_diff(result, relation, ""), fail_on, min_coverage))


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("diff")(handle_errors(diff))
