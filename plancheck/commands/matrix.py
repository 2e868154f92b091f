"""`plancheck matrix PARENT [CHILDREN… | FOLDER]`: one parent's coverage matrix alone."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

FORMATS = ("markdown", "html", "json", "xlsx")

HELP = {
    "parent": "上级方案：清单中的方案编号、原文文件或任务表 CSV。 "
    "The parent plan: manifest id, raw source file or task CSV.",
    "children": "本地方案（形式同上），或一个方案文件夹；省略时取清单中以 PARENT 为上级的方案。 "
    "Local plans (same forms), or one folder of plans; none: the manifest's plans whose parent is PARENT.",
    "manifest": "数据集清单。 Dataset manifest.",
    "format": "输出格式。 Output format: markdown | html | json | xlsx.",
    "output": "写入此文件而不是标准输出（xlsx 必须指定）。 "
    "Write to this file instead of stdout (required for xlsx).",
    "executor": "比对在哪里运行。 Where the diffs run: "
    "local (processes, default) | serial | dask-local | dask://host:port.",
}


def matrix(
    parent: str = typer.Argument(..., help=HELP["parent"]),
    children: list[str] = typer.Argument(None, help=HELP["children"]),
    manifest: Path = typer.Option(Path("datasets/plans.yaml"), "--manifest", help=HELP["manifest"]),
    format: str = typer.Option("markdown", "--format", help=HELP["format"]),
    output: Path = typer.Option(None, "--output", "-o", help=HELP["output"]),
    executor: str = typer.Option("local", "--executor", help=HELP["executor"]),
) -> None:
    """上级方案的每项要求在各本地方案中承接、弱化、遗漏或仅上级可承接；The coverage matrix:
    each requirement of PARENT in each local plan — carried, weakened, left out, please check
    or higher-level only — most often left out first, with totals per plan.

    与 `plancheck report` 写入 index.html、matrix-PARENT.json 和 matrix-PARENT.xlsx 的矩阵相同
    （同一次比对的结果）。 The same matrix `plancheck report` writes (from the same diffs).

    Examples:

        plancheck matrix liaoning-2019

        plancheck matrix province.docx cities/ --format html -o matrix.html

        plancheck matrix city.txt county-a.txt county-b.txt --format xlsx -o matrix.xlsx

        plancheck matrix city.txt counties/ --format json --executor serial
    """
    from plancheck.cli import fail
    from plancheck.io.atomic import atomic_write_bytes, atomic_write_text
    from plancheck.plans.batch import matrix_of_specs
    from plancheck.plans.executors import make_executor
    from plancheck.plans.manifest import load_manifest
    from plancheck.report.matrix_render import (
        render_matrix_html,
        render_matrix_json,
        render_matrix_markdown,
        render_matrix_xlsx,
    )

    if format not in FORMATS:
        fail(f"--format {format!r} is not one of {', '.join(FORMATS)}")
    if format == "xlsx" and output is None:
        fail("--format xlsx writes a workbook; name it with --output FILE.xlsx")
    man = load_manifest(manifest) if manifest.is_file() else None
    with make_executor(executor) as run:
        result = matrix_of_specs(parent, children or [], manifest=man, executor=run)
    rendered: str | bytes
    if format == "json":
        rendered = render_matrix_json([result])
    elif format == "html":
        rendered = render_matrix_html([result])
    elif format == "xlsx":
        rendered = render_matrix_xlsx(result)
    else:
        rendered = (
            "\n".join(["# 覆盖矩阵 Coverage matrix", "", *render_matrix_markdown(result)]) + "\n"
        )
    if output is None:
        typer.echo(rendered, nl=False)
        return
    sources = [Path(s) for s in (parent, *(children or [])) if Path(s).is_file()]
    if isinstance(rendered, bytes):
        atomic_write_bytes(output, rendered, sources=sources)
    else:
        atomic_write_text(output, rendered, sources=sources)
    print(f"wrote {output.as_posix()}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("matrix")(handle_errors(matrix))
