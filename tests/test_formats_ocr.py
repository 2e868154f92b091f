"""Scans and photos through OCR: the test prints a .docx to PDF with LibreOffice, renders the
pages with pdftoppm at 200 dpi, adds noise and a small rotation, and saves them as a scanned
PDF (no text layer) and as a photo (.png). The task table must be the .docx's: the same
tasks, ids and lead units, and each text within 2 % of its characters."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_formats_printed import printed_docx, to_pdf

from plancheck.errors import InputError
from plancheck.ingest import build_task_table, read_document
from plancheck.ingest.formats import sniff
from plancheck.ingest.formats.office import find_soffice

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")
ImageFilter = pytest.importorskip("PIL.ImageFilter")
pytest.importorskip("rapidocr_onnxruntime", reason="pip install rapidocr_onnxruntime")
pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice and poppler-utils are needed to build the scans",
)
TOLERANCE = 0.02  # share of a task's characters OCR may get wrong


def scanned_pages(tmp_path: Path, clauses: int, angles: list[float]) -> list:
    """The printed plan's pages as a scanner gives them: grey, noisy, slightly rotated."""
    pdf = to_pdf(printed_docx(tmp_path / "plan.docx", ("— ", " —"), clauses=clauses))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(pdf), str(tmp_path / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    rng = np.random.default_rng(22)
    pages = []
    for path, angle in zip(sorted(tmp_path.glob("page-*.png")), angles, strict=False):
        image = Image.open(path).convert("L").rotate(angle, expand=True, fillcolor=255)
        noisy = np.asarray(image).astype(np.int16) + rng.normal(0, 25, image.size[::-1])
        pages.append(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)))
    return pages


def _close(expected, table) -> None:
    assert list(table["task_id"]) == list(expected["task_id"])
    assert list(table["lead_unit"].fillna("")) == list(expected["lead_unit"].fillna(""))
    for want, got in zip(expected["text"], table["text"], strict=True):
        same = difflib.SequenceMatcher(None, want, got, autojunk=False).ratio()
        assert same >= 1 - TOLERANCE, (want, got)


def test_scanned_pdf_gives_the_table_of_its_docx(tmp_path):
    pages = scanned_pages(tmp_path, clauses=6, angles=[1.0, -1.5])
    assert len(pages) == 2
    scan = tmp_path / "scan.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=200)
    expected = build_task_table(tmp_path / "plan.docx", plan_id="p")
    table = build_task_table(scan, plan_id="p")
    _close(expected, table)
    doc = read_document(scan)
    assert doc.shape.startswith("ocr:") and len(doc.page_starts) == 2
    # Every line OCR read keeps its confidence; the tasks' lines all have one.
    lines = {n for _, r in table.iterrows() for n in range(r["line_start"], r["line_end"] + 1)}
    assert all(0 < doc.confidence[n] <= 1 for n in lines if doc.lines[n - 1].strip())
    last = table.iloc[-1]
    assert doc.page_of(last["line_start"]) == 2


def test_photo_of_a_page(tmp_path, monkeypatch):
    (page, *_) = scanned_pages(tmp_path, clauses=3, angles=[1.5])
    photo = tmp_path / "photo.png"
    page.save(photo)
    assert sniff(photo.read_bytes()) == "image"
    expected = build_task_table(tmp_path / "plan.docx", plan_id="p")
    _close(expected, build_task_table(photo, plan_id="p"))
    # Lines below the confidence bar are named on stderr, so nobody trusts them unseen: with
    # the bar above every score, every line OCR read is named.
    from typer.testing import CliRunner

    from plancheck.cli import app
    from plancheck.ingest.formats import ocr

    doc = read_document(photo)
    monkeypatch.setattr(ocr, "LOW_CONFIDENCE", 1.01)
    assert ocr.low_confidence_lines(doc) == sorted(doc.confidence)
    result = CliRunner().invoke(app, ["tasks", str(photo)])
    assert result.exit_code == 0
    note = [line for line in result.stderr.splitlines() if "OCR" in line]
    assert len(note) == 1 and f"{len(doc.confidence)} 行" in note[0]


def test_missing_engine_is_one_line_naming_the_package(tmp_path, monkeypatch):
    photo = tmp_path / "p.png"
    Image.new("L", (50, 50), 255).save(photo)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(InputError, match="pip install rapidocr_onnxruntime"):
        read_document(photo)


def test_huge_image_is_refused_before_decoding(tmp_path):
    from plancheck.ingest.formats import ocr

    path = tmp_path / "big.png"
    Image.new("1", (9000, 9000), 1).save(path)
    with pytest.raises(InputError, match="too large"):
        ocr.ocr_images(path, path.read_bytes())


def test_a_blurred_line_is_marked_in_the_table_and_reported_by_validate(tmp_path):
    """One line of a scanned page blurred (as by a smudge or a fold): the task it belongs to,
    and only that task, carries a low ``ocr_confidence``, and ``plancheck validate`` names it
    (PC308) at its line with the confidence, so nobody trusts the misread unit name."""
    from typer.testing import CliRunner

    from plancheck.cli import app
    from plancheck.ingest.formats import ocr
    from plancheck.table.io import read_tasks_csv

    (page,) = scanned_pages(tmp_path, clauses=3, angles=[0.0])
    page = page.resize((page.width * 3 // 4, page.height * 3 // 4))  # the 150 dpi OCR reads
    # Where the units note of the second clause ends (…（责任单位：市医保 / 局、市公安局）).
    result, _ = ocr._engine()(np.asarray(page.convert("RGB")), use_cls=False)
    boxes = [points for points, text, _ in result if text.endswith("市公安局）")]
    xs, ys = [p[0] for p in boxes[0]], [p[1] for p in boxes[0]]
    box = (int(min(xs)) - 6, int(min(ys)) - 5, int(max(xs)) + 6, int(max(ys)) + 5)
    page.paste(page.crop(box).filter(ImageFilter.GaussianBlur(3)), box[:2])
    scan = tmp_path / "smudged.png"
    page.save(scan)

    out = tmp_path / "tasks"
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", str(scan), "--out", str(out)])
    assert ingest.exit_code == 0, ingest.output
    (csv,) = out.glob("*.csv")
    table = read_tasks_csv(csv).set_index("task_id")
    marked = table.index[table["ocr_confidence"] < ocr.LOW_CONFIDENCE].tolist()
    assert marked == ["2.2"], table["ocr_confidence"]  # the blurred line's task, nothing else
    assert table["ocr_confidence"].notna().all()  # every task of a scan has a confidence
    score = table.loc["2.2", "ocr_confidence"]

    report = runner.invoke(app, ["validate", str(csv), "--select", "PC308"])
    found = [line for line in report.output.splitlines() if "PC308" in line]
    assert len(found) == 1, report.output
    assert f":{table.loc['2.2', 'line_start']} " in found[0] and " 2.2 " in found[0]
    assert f"OCR 识别置信度低（{score:.2f}）" in found[0]
