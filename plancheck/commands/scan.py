"""`plancheck scan FOLDER`: the plan tree of a folder, from the documents' own words."""

from __future__ import annotations

import json
from pathlib import Path

import typer

LEVEL_NAMES = {"national": "国家", "province": "省级", "city": "市级", "county": "县级"}

HELP = {
    "folder": "存放方案文件的文件夹（递归查找）。 "
    "Folder holding the plan documents (searched recursively).",
    "write_manifest": "把扫描结果合并进此清单（不存在则新建）。 "
    "Merge the scan into this manifest (created if missing).",
    "format": "输出格式。 Output format: text | json.",
    "executor": "在哪里读取文件。 Where documents are read: "
    "local | serial | dask-local | dask://host:port.",
}


def scan(
    folder: Path = typer.Argument(..., help=HELP["folder"]),
    write_manifest: Path = typer.Option(None, "--write-manifest", help=HELP["write_manifest"]),
    format: str = typer.Option("text", "--format", help=HELP["format"]),
    executor: str = typer.Option("local", "--executor", help=HELP["executor"]),
) -> None:
    """读取 FOLDER 中的每个方案，并找出它落实的上级方案；Read every plan in FOLDER and link
    each to the plan it implements.

    标题、文号、日期、层级和所引上级方案均取自文件本身。所引方案不在文件夹中的标为不可用；
    上级方案不在文件夹中的，最多给出三个可能的相关方案（不会自动采用）。
    Title, document number, date, level and the cited higher plans come from each document.
    A cited plan that is not in the folder is listed as not available; a plan whose parent
    is not in the folder gets up to three suggested relatives (never adopted). With
    --write-manifest, an existing manifest keeps its comments and hand-written fields.

    Examples:

        plancheck scan datasets/raw

        plancheck scan plans/ --write-manifest plans/plans.yaml

        plancheck scan plans/ --format json
    """
    from plancheck.cli import fail
    from plancheck.io.atomic import atomic_write_text
    from plancheck.io.paths import check_output_target
    from plancheck.plans.executors import make_executor
    from plancheck.plans.folder import tree_records
    from plancheck.plans.manifest import load_manifest
    from plancheck.plans.manifest_write import merge_manifest_text

    if format not in ("text", "json"):
        fail(f"--format {format!r} is not one of text, json")
    if write_manifest:
        check_output_target(write_manifest)  # never a link, FIFO or folder, checked before reading
    # The manifest being merged into is only compared with the scan, never read from its
    # sources, so a source outside the repository is not refused here.
    existing = (
        load_manifest(write_manifest, allow_outside_sources=True)
        if write_manifest and write_manifest.exists()
        else None
    )
    from plancheck.ingest.formats.office import OfficeConverter

    with make_executor(executor) as run, OfficeConverter() as converter:
        scanned = scan_with_progress(folder, run, existing, converter)
    records = tree_records(scanned)
    if write_manifest:
        check_output_target(write_manifest, [p.source for p in scanned.plans])
        text = merge_manifest_text(write_manifest, list(scanned.entries))
        atomic_write_text(write_manifest, text)
    if format == "json":
        skipped = [{"file": p.as_posix(), "reason": r} for p, r in scanned.skipped]
        typer.echo(json.dumps({"plans": records, "skipped": skipped}, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_tree_text(records))
        for path, reason in scanned.skipped:
            typer.echo(f"跳过 skipped {path.as_posix()}: {reason}")
    if write_manifest:
        typer.echo(f"wrote {write_manifest.as_posix()}", err=format == "json")


def scan_with_progress(folder: Path, run, manifest=None, converter=None):
    """Scan ``folder`` through the executor ``run``, with a progress bar when someone watches."""
    import sys

    from plancheck.plans.folder import scan_plans
    from plancheck.plans.scan import plan_files

    count = len(plan_files(folder))
    show = sys.stderr.isatty() and count > 3
    with typer.progressbar(
        length=count, label="plancheck scan", file=sys.stderr, hidden=not show
    ) as bar:

        def counted(function, items):
            for result in run.map(function, items):
                bar.update(1)
                yield result

        return scan_plans(folder, manifest, mapper=counted, converter=converter)


def _line(record: dict) -> str:
    number = f"（{record['doc_number']}）" if record["doc_number"] else ""
    where = f" [{record['source']}]" if record["held"] else " — 不在文件夹中 not available"
    via = {"doc_number": " ← 按文号 by number", "title": " ← 按标题 by title"}.get(
        record.get("parent_via") or "", ""
    )
    level = LEVEL_NAMES.get(record["level"], record["level"])
    return f"{level} {record['id']}: {record['title']}{number}{where}{via}"


def render_tree_text(records: list[dict]) -> str:
    """Plans indented under their parents; plans with no parent at the top level."""
    ids = {r["id"] for r in records}
    children: dict[str | None, list[dict]] = {}
    for record in records:
        parent = record["parent"] if record["parent"] in ids else None
        children.setdefault(parent, []).append(record)
    order = {level: i for i, level in enumerate(LEVEL_NAMES)}
    for group in children.values():
        group.sort(key=lambda r: (order.get(r["level"], 9), r["id"]))
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for record in children.get(parent, []):
            lines.append("  " * depth + _line(record))
            if record["suggested"]:
                shown = "，".join(
                    f"{s['id']} {s['score']:.3f}（{'同级' if s['relation'] == 'peer' else '上级'}）"
                    for s in record["suggested"]
                )
                lines.append("  " * (depth + 1) + f"建议 suggested, not adopted: {shown}")
            walk(record["id"], depth + 1)

    walk(None, 0)
    held = sum(r["held"] for r in records)
    lines.append(
        f"\n{held} 个方案 plans in the folder，{len(records) - held} 个引用的方案不在文件夹中 cited plans not available"
    )
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("scan")(handle_errors(scan))
