"""`plancheck report`: the main job — validation and every diff, as Markdown and/or HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from plancheck.commands import ALLOW_OUTSIDE_HELP

FORMATS = {
    "markdown": ("markdown",),
    "html": ("html",),
    "both": ("markdown", "html"),
    "docx": ("html", "docx"),
}

HELP = {
    "folder": "方案文件夹：在内存中扫描，无需清单（见 `plancheck scan`）。 "
    "A folder of plans: scanned in memory, no manifest needed (see `plancheck scan`).",
    "out": "报告写入的文件夹。 Folder for the reports.",
    "manifest": "数据集清单。 Dataset manifest.",
    "format": "报告格式（HTML 为自包含文件；docx 另写每份比对的 Word 审阅文档和修订对照）。 "
    "markdown | html | both (HTML: self-contained files) | docx (HTML plus, per diff, the Word "
    "review with findings as comments and the tracked-changes comparison).",
    "fail_on": "比对结果有以下情况时以 1 退出。 "
    "Exit 1 when a diff has: omitted | weakened | changed | never.",
    "min_coverage": "某份比对的条款覆盖率低于 PCT% 时以 1 退出。 "
    "Exit 1 when a diff's clause coverage is below PCT percent.",
    "executor": "读取和比对在哪里运行。 Where ingests and diffs run: "
    "local (processes, default) | serial | dask-local | dask://host:port.",
}


def report(
    folder: Path = typer.Argument(None, help=HELP["folder"]),
    out: Path = typer.Option(Path("reports"), "--out", help=HELP["out"]),
    manifest: Path = typer.Option(Path("datasets/plans.yaml"), "--manifest", help=HELP["manifest"]),
    format: str = typer.Option("markdown", "--format", help=HELP["format"]),
    fail_on: str = typer.Option("never", "--fail-on", help=HELP["fail_on"]),
    min_coverage: float = typer.Option(None, "--min-coverage", help=HELP["min_coverage"]),
    executor: str = typer.Option("local", "--executor", help=HELP["executor"]),
    allow_outside_sources: bool = typer.Option(
        False, "--allow-outside-sources", help=ALLOW_OUTSIDE_HELP
    ),
) -> None:
    """校验清单（或 FOLDER）中的每个方案，并与上级和同级方案逐一比对；Validate every plan of
    the manifest (or of FOLDER) and diff each against its parent and peers.

    给出 FOLDER 时，上级、同级和所引方案取自文件本身的文字；可能的相关方案只列出，不比对。
    整套报告先写入 OUT 旁的临时文件夹，最后整体替换，出错、Ctrl-C 或被终止时旧报告保持不变；
    清单中已没有的方案的报告会被删除并列出，OUT 中的其他文件保留。

    With FOLDER, the plans' parents, peers and cited plans come from the documents' own words
    (as `plancheck scan FOLDER` shows them); suggested relatives are listed, never diffed.

    Writes OUT/index.md, OUT/validation.md and OUT/diff-<target>-vs-<reference>.md; with
    --format html or both also OUT/index.html and one self-contained .html per diff (open it
    in any browser; it needs no network); with --format docx the HTML and, per diff,
    OUT/diff-<target>-vs-<reference>.docx (the local plan, every finding a Word comment) and
    OUT/diff-<target>-vs-<reference>-redline.docx (tracked changes). The whole set is written into a temporary folder
    beside OUT and swapped in at the end, so an error, Ctrl-C or kill leaves the previous set
    intact; reports of plans no longer in the manifest are removed and listed. Other files in
    OUT are kept.

    退出状态 Exit status: 0, 1 when a gate (--fail-on, --min-coverage) fails, 2 on errors.

    Examples:

        plancheck report

        plancheck report --format both --fail-on omitted

        plancheck report --format docx --out /tmp/review

        plancheck report --out /tmp/audit --manifest other/plans.yaml

        plancheck report plans-from-the-province/ --out /tmp/audit

        plancheck report plans/ --executor dask://scheduler.example:8786
    """
    from plancheck.cli import fail
    from plancheck.commands.diff import check_gate_options, exit_on_gate
    from plancheck.io.folder_swap import replace_folder
    from plancheck.plans.batch import batch_steps, build_report_set, stale_report_test
    from plancheck.plans.executors import make_executor
    from plancheck.plans.manifest import load_manifest
    from plancheck.report.diff_gate import gate_all

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of {', '.join(FORMATS)}")
    check_gate_options(fail_on, min_coverage)
    from plancheck.ingest.formats.office import OfficeConverter

    # One converter for the run: every legacy office file is converted in one LibreOffice
    # start, in a private folder removed when the run ends.
    with make_executor(executor) as run, OfficeConverter() as converter:
        if folder is not None:
            from plancheck.commands.scan import scan_with_progress

            scanned = scan_with_progress(folder, run, converter=converter)
            man, suggestions = scanned.manifest, scanned.suggestions
        else:
            man = load_manifest(manifest, allow_outside_sources=allow_outside_sources)
            suggestions = None
        steps = batch_steps(man)
        show = sys.stderr.isatty() and steps > 3  # a bar only when someone watches
        with typer.progressbar(
            length=steps, label="plancheck report", file=sys.stderr, hidden=not show
        ) as bar:
            built = build_report_set(
                man,
                formats=FORMATS[format],
                progress=lambda _: bar.update(1),
                executor=run,
                suggestions=suggestions,
                converter=converter,
            )
    stale = replace_folder(
        out,
        built.files,
        stale_report_test(built.files),
        sources=[p.source for p in man.with_sources()],
    )
    start = "index.html" if "html" in FORMATS[format] else "index.md"
    typer.echo(f"wrote {len(built.files)} reports to {out.as_posix()}/ (start with {start})")
    if stale:
        typer.echo(
            f"removed {len(stale)} report(s) of plans no longer in the manifest: {', '.join(stale)}"
        )
    exit_on_gate(gate_all(built.diffs, fail_on, min_coverage))


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("report")(handle_errors(report))
