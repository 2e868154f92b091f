"""Speed of the formats a reviewer receives: legacy .doc in a batch with one warm converter,
and the formats that worked before (text, .docx, .pdf, .xlsx, .ofd) per file.

    python3 benchmarks/bench_formats.py            # everything (needs LibreOffice for .doc)
    python3 benchmarks/bench_formats.py --today    # only the formats read before .doc/.ofd

Budgets (issue 22): .doc -> task table <= 2 s per file in a batch of 50 with a warm
converter; OCR <= 6 s per A4 page on the 2 cores; the formats of before no slower than before (run ``--today`` with PYTHONPATH
pointing at the old and the new tree to compare; it uses only ``build_task_table``).
The inputs are written here: plans of 20 clauses with a unit note each and an annex table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH = 50
REPEAT = 20  # reads per file for the formats of before
UNITS = ["市卫健委", "市市场监管局", "市医保局", "市公安局", "市财政局", "市发展改革委"]


def plan_paragraphs(n: int) -> list[str]:
    out = [
        f"某市第{n}号医疗卫生行业综合监管实施方案",
        "一、总体要求",
        "到2025年底，基本建成综合监管制度。",
        "二、重点任务",
    ]
    for c in range(1, 21):
        out.append(
            f"（{c}）加强第{c}项工作。建立健全监督检查制度，落实属地管理责任，强化部门协同联动。"
            f"（责任单位：{UNITS[(c + n) % 6]}、{UNITS[(c + n + 1) % 6]}）"
        )
    return out


def write_docx(path: Path, n: int) -> Path:
    import docx

    document = docx.Document()
    for text in plan_paragraphs(n):
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate(
        (("具体任务", "责任单位", "完成时限"), ("1.建立协调机制。", "市卫健委", "2025年9月"),
         ("2.开展双随机抽查。", "市市场监管局", "持续开展"))
    ):  # fmt: skip
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.add_paragraph("某市人民政府办公室")
    document.save(path)
    return path


def soffice(args: list[str], out: Path) -> None:
    """The benchmark's own LibreOffice run (inputs are made with it, not timed)."""
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}",
         "--headless", "--norestore", *args],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def bench_doc(folder: Path) -> None:
    from plancheck.ingest import build_task_table, prepare_legacy
    from plancheck.ingest.formats.office import OfficeConverter, find_soffice

    if find_soffice() is None:
        print(".doc: skipped (no LibreOffice: apt-get install libreoffice-writer-nogui)")
        return
    sources = [write_docx(folder / f"plan{n:02d}.docx", n) for n in range(BATCH)]
    out = folder / "doc"
    out.mkdir()
    soffice(["--convert-to", "doc", "--outdir", str(out), *map(str, sources)], out)
    docs = sorted(out.glob("*.doc"))
    start = time.perf_counter()
    with OfficeConverter() as converter:
        prepare_legacy(converter, docs)
        converted = time.perf_counter() - start
        tables = [build_task_table(doc, plan_id=doc.stem, converter=converter) for doc in docs]
        runs = converter.runs
    total = time.perf_counter() - start
    right = sum(
        list(t["lead_unit"]) == list(build_task_table(s, plan_id=s.stem)["lead_unit"])
        for t, s in zip(tables, sources, strict=True)
    )
    print(
        f".doc batch of {len(docs)}: {total:.1f} s = {total / len(docs):.2f} s/file "
        f"(budget 2 s; LibreOffice {converted:.1f} s in {runs} start(s)); "
        f"{right}/{len(docs)} tables equal to their .docx"
    )
    start = time.perf_counter()
    for doc in docs[:3]:
        build_task_table(doc, plan_id=doc.stem)
    cold = (time.perf_counter() - start) / 3
    print(f".doc one at a time (a LibreOffice start per file): {cold:.2f} s/file")


def bench_today(folder: Path) -> None:
    """Per-file read time of the formats of before (only build_task_table, old API)."""
    import openpyxl

    from plancheck.ingest import build_task_table

    text = folder / "plan.txt"
    text.write_text("\n".join(plan_paragraphs(1)) + "\n", encoding="utf-8")
    docx_path = write_docx(folder / "plan.docx", 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "具体任务", "牵头单位", "完成时限"])
    for r in range(1, 41):
        sheet.append([str(r), f"开展第{r}项工作。", UNITS[r % 6], "2025年9月"])
    book.save(folder / "plan.xlsx")
    files = [text, docx_path, folder / "plan.xlsx"]
    pdf = folder / "pdf" / "plan.pdf"
    try:
        pdf.parent.mkdir()
        soffice(["--convert-to", "pdf", "--outdir", str(pdf.parent), str(docx_path)], pdf.parent)
        files.append(pdf)
    except (OSError, subprocess.SubprocessError):
        print("pdf: skipped (no LibreOffice to print one)")
    for path in files:
        build_task_table(path, plan_id="p")  # imports and first-use work out of the timing
        start = time.perf_counter()
        for _ in range(REPEAT):
            build_task_table(path, plan_id="p")
        each = (time.perf_counter() - start) / REPEAT * 1000
        print(f"{path.suffix}: {each:.1f} ms/file ({REPEAT} reads)")


def bench_ofd(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_formats_ofd import write_ofd

    from plancheck.ingest import build_task_table

    path = write_ofd(folder / "plan.ofd")
    build_task_table(path, plan_id="p")
    start = time.perf_counter()
    for _ in range(REPEAT):
        build_task_table(path, plan_id="p")
    print(f".ofd: {(time.perf_counter() - start) / REPEAT * 1000:.1f} ms/file ({REPEAT} reads)")


def bench_ocr(folder: Path, pages: int = 3) -> None:
    """OCR per A4 page (200 dpi, noise, small rotation) and its character accuracy against the
    page's text layer; the engine's start-up is timed apart (once per document)."""
    import difflib
    import io

    try:
        import numpy as np
        import pypdf
        from PIL import Image
        from rapidocr_onnxruntime import RapidOCR  # noqa: F401
    except ImportError:
        print("OCR: skipped (python3 -m pip install rapidocr_onnxruntime)")
        return
    if shutil.which("pdftoppm") is None or shutil.which("soffice") is None:
        print("OCR: skipped (needs poppler-utils and LibreOffice to build the pages)")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_formats_printed import printed_docx

    from plancheck.ingest.formats import ocr

    source = printed_docx(folder / "plan.docx", ("— ", " —"), clauses=19)
    soffice(["--convert-to", "pdf", "--outdir", str(folder), str(source)], folder)
    pdf = folder / "plan.pdf"
    truth = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages]
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-l", str(pages), str(pdf), str(folder / "p")],
        check=True, capture_output=True,
    )  # fmt: skip
    rng = np.random.default_rng(22)
    images = []
    for n, path in enumerate(sorted(folder.glob("p-*.png"))):
        image = Image.open(path).convert("L").rotate((-1) ** n * 1.2, expand=True, fillcolor=255)
        noisy = np.asarray(image).astype(np.int16) + rng.normal(0, 25, image.size[::-1])
        images.append(
            np.asarray(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).convert("RGB"))
        )
    start = time.perf_counter()
    engine = ocr._engine()
    startup = time.perf_counter() - start
    scores, times, cpu = [], [], []
    for image, text in zip(images, truth, strict=False):
        start, used = time.perf_counter(), time.process_time()
        result, _ = engine(np.asarray(ocr._fit(Image.fromarray(image))), use_cls=False)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
        got = "".join(line for line, _ in ocr._lines(result))
        want = "".join(text.split())
        got = "".join(got.split())
        matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
        scores.append(sum(b.size for b in matcher.get_matching_blocks()) / max(len(want), 1))
    print(
        f"OCR (RapidOCR): {sum(times) / len(times):.1f} s wall per A4 page (200 dpi scan read at "
        f"{ocr.DPI} dpi; budget "
        f"6 s; slowest {max(times):.1f} s), {sum(cpu) / len(cpu):.1f} CPU s per page (all "
        f"threads; load average {os.getloadavg()[0]:.1f}); engine start {startup:.1f} s once "
        "per document; "
        f"characters right {min(scores):.1%}-{max(scores):.1%} on {len(times)} noisy, rotated pages"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--today", action="store_true", help="only the formats of before")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "today").mkdir()
        bench_today(folder / "today")
        if not args.today:
            (folder / "ofd").mkdir()
            bench_ofd(folder / "ofd")
            (folder / "doc").mkdir()
            bench_doc(folder / "doc")
            (folder / "ocr").mkdir()
            bench_ocr(folder / "ocr")


if __name__ == "__main__":
    main()
