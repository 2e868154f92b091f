"""`plancheck report`: the main job — validation and every diff, written as Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def report(
    out: Path = typer.Option(Path("reports"), "--out", help="Folder for the Markdown reports."),
    manifest: Path = typer.Option(
        Path("datasets/plans.yaml"), "--manifest", help="Dataset manifest."
    ),
) -> None:
    """Validate every plan of the manifest and diff each against its parent and peers.

    Writes OUT/index.md, OUT/validation.md and OUT/diff-<target>-vs-<reference>.md. Every
    report is built before any file is written, and each file is replaced atomically, so a
    failed run leaves the previous reports intact.

    Examples:

        plancheck report

        plancheck report --out /tmp/audit --manifest other/plans.yaml
    """
    from plancheck.io.atomic import atomic_write_text
    from plancheck.plans.batch import build_reports
    from plancheck.plans.manifest import load_manifest

    man = load_manifest(manifest)
    steps = 1 + 2 * len(man.with_sources())
    show = (
        sys.stderr.isatty() and steps > 3
    )  # a bar only when someone watches and there is much to do
    with typer.progressbar(
        length=steps, label="plancheck report", file=sys.stderr, hidden=not show
    ) as bar:
        files = build_reports(man, progress=lambda _step: bar.update(1))
    for name, text in sorted(files.items()):
        atomic_write_text(out / name, text)
    typer.echo(f"wrote {len(files)} reports to {out.as_posix()}/ (start with index.md)")


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("report")(handle_errors(report))
