"""`plancheck ingest` and `plancheck tasks`: source documents -> normalised task tables."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from plancheck.commands import ALLOW_OUTSIDE_HELP

OUT_DEFAULT = Path("datasets/tasks")

HELP = {
    "sources": "方案原文文件；默认处理清单中的全部方案。 "
    "Source documents; default: every plan in the manifest.",
    "out": "写出 <plan_id>.csv 与 datapackage.json 的文件夹。 "
    "Folder for <plan_id>.csv and datapackage.json.",
    "manifest": "数据集清单。 Dataset manifest.",
    "encoding": "原文的文字编码（默认自动识别）。 Text encoding of the sources (default: detected).",
    "plan": "清单中的方案编号、原文文件或任务表 CSV。 Manifest plan id, raw source file, or task CSV.",
    "format": "输出格式。 Output format: table | csv | json | xlsx.",
    "output": "写入此文件而不是标准输出（xlsx 必须指定）。 "
    "Write to this file instead of stdout (required for xlsx).",
    "bom": "CSV 以 UTF-8 字节序标记开头，便于 Excel/WPS 正确读取（默认：用 --output 写文件时开启，"
    "输出到标准输出时关闭）。 Start CSV with a UTF-8 byte-order mark so Excel/WPS read it right "
    "(default: on when writing a file with --output, off on stdout).",
    "source_encoding": "原文的文字编码。 Text encoding of a raw source.",
    "meta": "打印文件自述的标题、文号、日期和引用，而不是任务。 "
    "Print what the document says about itself instead of its tasks.",
}


def ingest(
    sources: list[Path] = typer.Argument(None, help=HELP["sources"]),
    out: Path = typer.Option(OUT_DEFAULT, "--out", help=HELP["out"]),
    manifest: Path = typer.Option(Path("datasets/plans.yaml"), "--manifest", help=HELP["manifest"]),
    encoding: str = typer.Option(None, "--encoding", help=HELP["encoding"]),
    allow_outside_sources: bool = typer.Option(
        False, "--allow-outside-sources", help=ALLOW_OUTSIDE_HELP
    ),
) -> None:
    """把方案整理成任务表；Normalise plans into task tables.

    Examples:

        plancheck ingest                      # every plan in datasets/plans.yaml

        plancheck ingest new-plan.txt --out /tmp/tasks
    """
    from plancheck.io.atomic import atomic_write_text
    from plancheck.io.paths import inside
    from plancheck.plans.loading import load_plan
    from plancheck.plans.manifest import load_manifest
    from plancheck.table.datapackage import write_datapackage
    from plancheck.table.io import tasks_to_csv_text

    man = (
        load_manifest(manifest, allow_outside_sources=allow_outside_sources)
        if manifest.exists() or not sources
        else None
    )
    specs = (
        [str(s) for s in sources] if sources or man is None else [p.id for p in man.with_sources()]
    )
    loaded = [
        load_plan(spec, man, encoding=encoding) for spec in specs
    ]  # all read before any write
    sources = [plan.source_path for plan in loaded if plan.source_path is not None]
    sources += [Path(s) for s in specs if Path(s).is_file()]
    for plan in loaded:
        path = inside(out, f"{plan.plan.id}.csv")
        atomic_write_text(path, tasks_to_csv_text(plan.tasks), sources=sources)
        typer.echo(f"{plan.plan.id}: {len(plan.tasks)} tasks -> {path.as_posix()}")
        note = furniture_note(plan.furniture)
        if note:  # never lose text silently: one line per plan on stderr
            typer.echo(f"{plan.plan.id}: {note}", err=True)
        if plan.uncertain:
            typer.echo(f"{plan.plan.id}: {ocr_note(plan.uncertain)}", err=True)
    write_datapackage(out)


def furniture_note(furniture: dict[str, int]) -> str | None:
    """The stderr note saying how many lines were left out as furniture, by kind."""
    if not furniture:
        return None
    kinds = ", ".join(f"{kind} {n}" for kind, n in furniture.items())
    total = sum(furniture.values())
    lines = "line" if total == 1 else "lines"
    return f"note: {total} {lines} left out as document furniture ({kinds})"


def ocr_note(lines: tuple[int, ...]) -> str:
    """The stderr note naming the lines OCR read with low confidence (check them by eye)."""
    from plancheck.ingest.formats import ocr

    shown = ", ".join(str(n) for n in lines[:20]) + (" …" if len(lines) > 20 else "")
    return (
        f"注意 note: OCR 置信度低的 {len(lines)} 行 lines read with low OCR confidence "
        f"(< {ocr.LOW_CONFIDENCE:.2f})，请对照原件核对 check them against the scan: {shown}"
    )


def _records(tasks) -> list[dict]:
    records = tasks.astype(object).where(tasks.notna(), None).to_dict(orient="records")
    for record in records:
        record["units"] = list(record["units"])
        for key in ("seq", "line_start", "line_end"):
            record[key] = int(record[key])
        record["units_inherited"] = bool(record["units_inherited"])
        record["lead_by_order"] = bool(record["lead_by_order"])
    return records


def tasks(
    plan: str = typer.Argument(..., help=HELP["plan"]),
    format: str = typer.Option("table", "--format", help=HELP["format"]),
    output: Path = typer.Option(None, "--output", "-o", help=HELP["output"]),
    bom: bool = typer.Option(None, "--bom/--no-bom", help=HELP["bom"]),
    encoding: str = typer.Option(None, "--encoding", help=HELP["source_encoding"]),
    meta: bool = typer.Option(False, "--meta", help=HELP["meta"]),
    allow_outside_sources: bool = typer.Option(
        False, "--allow-outside-sources", help=ALLOW_OUTSIDE_HELP
    ),
) -> None:
    """打印一个方案的任务表（加 --meta 则打印标题、文号、日期和引用）；Print one plan's task
    table (or, with --meta, its title, number, date and citations).

    Examples:

        plancheck tasks lingyuan-2021

        plancheck tasks datasets/raw/000_6019df887036e20a.txt --format json

        plancheck tasks datasets/raw/002_82fb3db6e2e51aed.txt --meta

        plancheck tasks lingyuan-2021 --format xlsx --output lingyuan.xlsx

        plancheck tasks lingyuan-2021 --format csv --output lingyuan.csv   # with a BOM for Excel
    """
    from plancheck.cli import fail
    from plancheck.plans.loading import load_plan

    if format not in TASK_FORMATS:
        fail(f"--format {format!r} is not one of {', '.join(TASK_FORMATS)}")
    if format == "xlsx" and output is None:
        fail("--format xlsx writes a workbook; name it with --output FILE.xlsx")
    if meta:
        _print_meta(plan, format, encoding, allow_outside_sources)
        return
    loaded = load_plan(plan, encoding=encoding, allow_outside_sources=allow_outside_sources)
    rendered = _render_tasks(loaded.tasks, format)
    note = furniture_note(loaded.furniture)
    if note:  # never lose text silently: say what was left out, on stderr
        typer.echo(note, err=True)
    if loaded.uncertain:  # a misread unit name must not be trusted unseen
        typer.echo(ocr_note(loaded.uncertain), err=True)
    if (
        isinstance(rendered, str)
        and format == "csv"
        and (bom if bom is not None else output is not None)
    ):
        rendered = "\ufeff" + rendered
    _emit(rendered, output)


TASK_FORMATS = ("table", "csv", "json", "xlsx")


def _render_tasks(table, format: str) -> str | bytes:
    if format == "xlsx":
        from plancheck.report.tasks_xlsx import render_tasks_xlsx

        return render_tasks_xlsx(table)
    if format == "csv":
        from plancheck.table.io import tasks_to_csv_text

        return tasks_to_csv_text(table)
    if format == "json":
        return json.dumps(_records(table), ensure_ascii=False, indent=2) + "\n"
    return _table_text(table) + "\n"


def _emit(rendered: str | bytes, output: Path | None) -> None:
    """Print ``rendered`` or write it atomically to ``output``."""
    from plancheck.io.atomic import atomic_write_bytes, atomic_write_text

    if output is None:
        typer.echo(rendered, nl=False)
        return
    if isinstance(rendered, bytes):
        atomic_write_bytes(output, rendered)
    else:
        atomic_write_text(output, rendered)
    typer.echo(f"wrote {output.as_posix()}", err=True)


def _print_meta(spec: str, format: str, encoding: str | None, allow_outside: bool) -> None:
    from plancheck.plans.scan import metadata_record, source_of_spec

    source = source_of_spec(spec, allow_outside_sources=allow_outside)
    record = metadata_record(source, encoding=encoding)
    if format == "json":
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    labels = {
        "title": "标题 title", "office": "发文机关 office", "doc_number": "文号 number",
        "issued": "成文日期 issued", "jurisdiction": "地区 jurisdiction", "level": "层级 level",
    }  # fmt: skip
    for key, label in labels.items():
        typer.echo(f"{label}: {record[key] or '—'}")
    typer.echo("引用 citations:")
    for cite in record["citations"]:
        typer.echo(f"  《{cite['title']}》 {cite['doc_number'] or '（无文号 no number）'}")
    if not record["citations"]:
        typer.echo("  —")


def _table_text(table) -> str:
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    rows = [
        (
            r.task_id,
            r.lead_unit if isinstance(r.lead_unit, str) else "—",
            ("*" if r.units_inherited else "") + str(len(r.units)),
            _short(r.text),
            f"{r.line_start}-{r.line_end}",
        )
        for r in table.itertuples()
    ]
    from plancheck.normalise.text import show_invisible

    shown = [[show_invisible(str(cell)) for cell in row] for row in rows]  # for a terminal
    return tabulate.tabulate(
        shown,
        headers=["任务", "牵头单位", "单位数", "任务内容", "行"],
        tablefmt="simple",
        disable_numparse=True,  # task ids such as 3.10 are text, not the number 3.1
    )


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("ingest")(handle_errors(ingest))
    app.command("tasks")(handle_errors(tasks))
