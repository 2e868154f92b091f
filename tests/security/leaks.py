"""Run every command in every output format on plans that carry contact details, and collect
everything written (stdout and files, xlsx unpacked to its XML text) for a leak check."""

from __future__ import annotations

import html
import zipfile
from pathlib import Path
from urllib.parse import unquote

DIFF_FORMATS = ("markdown", "html", "json", "xlsx")
VALIDATE_FORMATS = ("text", "concise", "markdown", "json", "junit", "sarif", "github", "xlsx")


def plan_text(title: str, clauses: list[str]) -> str:
    lines = [f"某市改革完善医疗卫生行业综合监管制度实施方案（{title}）", "", "一、重点任务"]
    numerals = "一二三四五六七八九十"
    lines += [f"（{numerals[i % 10]}）{clause}" for i, clause in enumerate(clauses)]
    return "\n".join(lines) + "\n"


def readable(path: Path) -> str:
    """A written file as text: xlsx parts joined, HTML entities and URL escapes undone."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            text = "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
    return text + "\n" + html.unescape(text) + "\n" + unquote(html.unescape(text))


def all_outputs(cli, folder: Path, reference: Path, target: Path) -> dict[str, str]:
    """{what was run: everything it printed or wrote} for every command and format."""
    out: dict[str, str] = {}
    manifest = folder / "plans.yaml"
    manifest.write_text(
        "plans:\n"
        f"  - {{id: ref, title: 上级方案, level: province, source: {reference.name}}}\n"
        f"  - {{id: tgt, title: 本级方案, level: city, source: {target.name}, parent: ref}}\n",
        encoding="utf-8",
    )
    for fmt in DIFF_FORMATS:
        dest = folder / f"diff.{fmt}"
        run = cli("diff", reference, target, "--format", fmt, "--output", dest, cwd=folder)
        assert run.code in (0, 1), run.err
        out[f"diff {fmt}"] = run.out + run.err + readable(dest)
    for fmt in VALIDATE_FORMATS:
        dest = folder / f"validate.{fmt}"
        run = cli("validate", target, "--format", fmt, "--output", dest, cwd=folder)
        assert run.code in (0, 1), run.err
        out[f"validate {fmt}"] = run.out + run.err + readable(dest)
    run = cli("tasks", target, "--format", "xlsx", "--output", folder / "tasks.xlsx", cwd=folder)
    if run.code == 0:
        out["tasks xlsx"] = run.out + run.err + readable(folder / "tasks.xlsx")
    reports = folder / "reports"
    run = cli("report", "--manifest", manifest, "--out", reports, "--format", "both", cwd=folder)
    assert run.code in (0, 1), run.err
    for path in sorted(reports.iterdir()):
        out[f"report {path.name}"] = readable(path)
    out["report stdout"] = run.out + run.err
    return out
