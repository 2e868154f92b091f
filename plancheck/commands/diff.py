"""`plancheck diff REFERENCE TARGET`: clause-by-clause audit of a local plan against its parent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from plancheck.align.model import PlanDiff

FORMATS = ("markdown", "json")


def render(diff: PlanDiff, format: str) -> str:
    """The diff as JSON (the documented contract) or as the Markdown audit report."""
    if format == "json":
        return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"
    from plancheck.report.diff_markdown import render_diff_markdown

    return render_diff_markdown(diff)


def diff(
    reference: str = typer.Argument(
        ..., help="Higher-level plan: manifest id, raw source file or task CSV."
    ),
    target: str = typer.Argument(..., help="Local plan implementing it, in any of the same forms."),
    format: str = typer.Option("markdown", "--format", help="markdown | json"),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
) -> None:
    """Compare a local plan with its higher-level plan, clause by clause.

    Every reference clause is reported as kept, changed or omitted, with the requirements the
    target left out or weakened, changed dates and targets, and changed responsible units.

    Examples:

        plancheck diff liaoning-2019 lingyuan-2021

        plancheck diff guangyuan leshan --format json --output /tmp/leshan.json

        plancheck diff datasets/tasks/liaoning-2019.csv datasets/tasks/lingyuan-2021.csv
    """
    from plancheck.cli import fail
    from plancheck.io.atomic import atomic_write_text

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of {', '.join(FORMATS)}")
    from plancheck.plans.loading import diff_specs

    text = render(diff_specs(reference, target), format)
    if output is None:
        typer.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        typer.echo(f"wrote {output.as_posix()}", err=True)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("diff")(handle_errors(diff))
