"""Benchmark: ingest 1,000 generated plans of mixed shapes (about 20 KB each) in one process.

Run from the repository root:  python benchmarks/bench_ingest.py [--plans N] [--seed S]

Shapes: plain text with units in brackets, clause titles on their own line with unit lines
under them, OCR Markdown, a plan with a tab-separated task table, a Markdown pipe table, an
.xlsx workbook, a .docx with typed numbering and a .docx table, and a saved web page. Every
plan is generated from the same phrase pool with a known number of tasks, so the run also
checks accuracy: tasks found / tasks written, and lead units right. Prints plans/s and ms per
plan by shape (after start-up: the first plan of each shape is read once before timing).
Target: <= 50 ms per plan on the 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import docx  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from plancheck.errors import InputError  # noqa: E402
from plancheck.ingest import build_task_table  # noqa: E402

CN = "一二三四五六七八九十"
VERBS = ["建立", "完善", "健全", "推进", "加强", "落实", "深化", "优化", "规范", "探索"]
OBJECTS = ["综合监管制度", "信用记录", "执法机制", "审批流程", "政务服务", "信息公开平台",
           "考核评价体系", "联合惩戒机制", "要素保障", "风险预警机制"]  # fmt: skip
UNITS = ["区发改局", "区财政局", "区卫健局", "区市场监管局", "区政务服务中心", "区司法局"]
TARGET_BYTES = 20_000


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(VERBS)}{rng.choice(OBJECTS)}，"
        f"确保{rng.choice(OBJECTS)}取得实效。"
    )


def _tasks(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(title, body, lead, partner) until the plan is about TARGET_BYTES of UTF-8."""
    out, size = [], 0
    while size < TARGET_BYTES * 0.9:
        title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
        body = "".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        lead, partner = rng.sample(UNITS, 2)
        out.append((title, body, lead, partner))
        size += len((title + body + lead + partner).encode()) + 40
    return out


def _outline(tasks, clause) -> list[str]:
    lines = ["某区实施方案", "为贯彻落实上级部署，制定本方案。", "一、重点任务"]
    for i, task in enumerate(tasks):
        if i and i % 9 == 0:
            lines.append(f"{CN[min(i // 9, 9)]}、重点任务{i // 9}")
        lines += clause(i % 9 + 1, *task)
    return lines + ["", "某区人民政府办公室", "2023年3月1日"]


def plain(path, tasks):
    lines = _outline(tasks, lambda n, t, b, u, p: [f"（{CN[n - 1]}）{t}。{b}（{u}牵头，{p}配合）"])
    path.write_text("\n".join(lines), encoding="utf-8")


def own_line(path, tasks):
    def clause(n, t, b, u, p):
        return [
            f"（{CN[n - 1]}）{t}",
            b,
            f"牵头单位：{u}",
            f"配合单位：{p}",
            "完成时限：2023年底前",
        ]

    path.write_text("\n".join(_outline(tasks, clause)), encoding="utf-8")


def ocr_markdown(path, tasks):
    lines = _outline(
        tasks, lambda n, t, b, u, p: [f"## （{CN[n - 1]}）{t}。{b}（责任单位：{u}、{p}）", ""]
    )
    path.write_text(
        "\n".join(f"# {x}" if x.endswith("重点任务") else x for x in lines), encoding="utf-8"
    )


def _rows(tasks):
    return [(str(i), t, b, u, p, "2023年6月") for i, (t, b, u, p) in enumerate(tasks, 1)]


HEADER = ("序号", "重点任务", "具体任务", "牵头单位", "配合单位", "完成时限")


def tsv(path, tasks):
    lines = ["某区任务分工表", "\t".join(HEADER)] + ["\t".join(row) for row in _rows(tasks)]
    path.write_text("\n".join(lines), encoding="utf-8")


def markdown(path, tasks):
    lines = ["# 某区任务分工表", "| " + " | ".join(HEADER) + " |", "|" + "---|" * 6]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(tasks)]
    path.write_text("\n".join(lines), encoding="utf-8")


def xlsx(path, tasks):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某区任务分工表"])
    sheet.append(list(HEADER))
    for row in _rows(tasks):
        sheet.append(list(row))
    book.save(path)


def docx_plan(path, tasks):
    document = docx.Document()
    for line in _outline(tasks, lambda n, t, b, u, p: [f"（{CN[n - 1]}）{t}。{b}（{u}负责）"]):
        document.add_paragraph(line)
    document.save(path)


def docx_table(path, tasks):
    document = docx.Document()
    document.add_paragraph("某区任务分工表")
    rows = _rows(tasks)
    table = document.add_table(rows=len(rows) + 1, cols=6)
    for row_cells, row in zip(table.rows, [HEADER, *rows], strict=True):
        for cell, value in zip(row_cells.cells, row, strict=True):
            cell.text = value
    document.save(path)


def html(path, tasks):
    body = "".join(
        f"<p>（{CN[(i % 9)]}）{t}。{b}（责任单位：{u}、{p}）</p>"
        + (f"<p>{CN[min(i // 9 + 1, 9)]}、重点任务</p>" if i % 9 == 8 else "")
        for i, (t, b, u, p) in enumerate(tasks)
    )
    page = (
        "<html><head><meta charset='utf-8'></head><body><div class='nav'><a>首页</a></div>"
        f"<div class='article'><h1>某区实施方案</h1><p>一、重点任务</p>{body}</div></body></html>"
    )
    path.write_text(page, encoding="utf-8")


SHAPES = {
    "plain": (plain, ".txt"), "own-line": (own_line, ".txt"), "ocr-markdown": (ocr_markdown, ".md"),
    "tsv": (tsv, ".txt"), "markdown-table": (markdown, ".md"), "xlsx": (xlsx, ".xlsx"),
    "docx-plan": (docx_plan, ".docx"), "docx-table": (docx_table, ".docx"), "html": (html, ".html"),
}  # fmt: skip


def _ingest(path: Path) -> pd.DataFrame:
    """The task table, or an empty one for a refused plan (counted as no task found)."""
    try:
        return build_task_table(path)
    except InputError:
        return pd.DataFrame({"lead_unit": []})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = sorted(SHAPES)
    with tempfile.TemporaryDirectory() as folder:
        plans = []
        for i in range(args.plans):
            shape = names[i % len(names)]
            write, ext = SHAPES[shape]
            tasks = _tasks(rng)
            path = Path(folder) / f"{i:04d}{ext}"
            write(path, tasks)
            plans.append((shape, path, tasks))
        for shape in names:  # start-up: imports and first-use work, not timed
            _ingest(next(p for s, p, _ in plans if s == shape))
        times, sizes, found, written, leads = (defaultdict(list) for _ in range(5))
        start = time.perf_counter()
        for shape, path, tasks in plans:
            t0 = time.perf_counter()
            table = _ingest(path)
            times[shape].append(time.perf_counter() - t0)
            sizes[shape].append(path.stat().st_size)
            found[shape].append(len(table))
            written[shape].append(len(tasks))
            expected = [lead for _, _, lead, _ in tasks]
            leads[shape].append(
                sum(a == b for a, b in zip(table["lead_unit"], expected, strict=False))
            )
        total = time.perf_counter() - start
    print(f"{args.plans} plans in {total:.1f} s: {args.plans / total:.1f} plans/s, "
          f"{1000 * total / args.plans:.1f} ms/plan (target <= 50 ms/plan)")  # fmt: skip
    print(f"{'shape':<15}{'plans':>6}{'KB':>7}{'ms/plan':>9}{'p95 ms':>8}{'tasks':>12}{'leads':>8}")
    for shape in names:
        ms = sorted(1000 * t for t in times[shape])
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        share = f"{sum(found[shape])}/{sum(written[shape])}"
        lead = sum(leads[shape]) / sum(written[shape])
        print(f"{shape:<15}{len(ms):>6}{statistics.mean(sizes[shape]) / 1024:>7.1f}"
              f"{statistics.mean(ms):>9.1f}{p95:>8.1f}{share:>12}{lead:>8.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
