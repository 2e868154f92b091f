"""Scans and photos (a PDF without a text layer, .png/.jpg/.tif): OCR with RapidOCR.

The engine was chosen by measured accuracy on pages built like the tests build them (a plan
printed by LibreOffice, rendered by pdftoppm at 200 dpi, Gaussian noise sigma 25, rotated by
up to 1.5 degrees, read at 150-200 dpi): RapidOCR (PP-OCR models inside its wheel, onnxruntime) read 99.6-99.8 %
of the characters, Tesseract 5 ``chi_sim`` (``--psm 6``) 82-97 %, at about the same time per
page, so RapidOCR reads and Tesseract is not used.

What the reader assumes and does:
- a page is rendered (PDF: ``pdftoppm`` at ``DPI``, in a private temporary folder, under a
  time limit) or decoded (Pillow; images larger than ``MAX_PIXELS`` are refused before they
  are decoded, every frame of a TIFF is a page) and scaled down to an A4 page at ``DPI``
  when larger (a phone photo of a page), which is all the detail the engine needs;
- pages are upright, give or take a few degrees (a scan or a photo of a page), so the
  engine's 180-degree line classifier is not run (a fifth of the time per page);
- the engine returns text boxes; boxes whose vertical centres lie within half a box height
  are one line, read left to right, and a gap wider than 1.5 box heights between two boxes
  of a line is a cell boundary (a tab, so the table readers see the cells);
- each line keeps the lowest confidence of its boxes (``Document.confidence``); lines below
  ``LOW_CONFIDENCE`` are listed by ``low_confidence_lines`` so nobody trusts a misread unit
  name without checking it;
- page numbers and repeated page edges go as for a PDF (``pdf.strip_furniture``), hard wraps
  are rejoined by the PDF text reader.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from plancheck.errors import InputError
from plancheck.ingest.formats import choose_reader
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import pdf_text

__all__ = ["DPI", "LOW_CONFIDENCE", "low_confidence_lines", "ocr_images", "ocr_pdf"]

DPI = 150  # detection time grows with the pixels: 150 dpi reads as well as 200 in 60 % of the time
LOW_CONFIDENCE = 0.80
MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 M pixels
MAX_PAGES = 300
_RENDER_SECONDS = 20  # per page, for pdftoppm
# Pages are rendered to this many pixels on their long side (an A4 page at DPI), whatever
# page size the scanner wrote: bounded memory, and the size the engine reads best.
_LONG_SIDE = round(297 / 25.4 * DPI)


def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise InputError(
            "reading a scan or photo needs the OCR engine, which is not installed; "
            "install it with: python3 -m pip install rapidocr_onnxruntime"
        ) from None
    import logging

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR()


def _lines(result) -> list[tuple[str, float]]:
    """RapidOCR boxes -> (line text, lowest confidence), top to bottom."""
    boxes = []
    for points, text, score in result or []:
        ys = [p[1] for p in points]
        xs = [p[0] for p in points]
        height = max(max(ys) - min(ys), 1.0)
        boxes.append(((min(ys) + max(ys)) / 2, min(xs), max(xs), height, str(text), float(score)))
    boxes.sort()
    rows: list[list[tuple]] = []
    for box in boxes:
        if rows and abs(box[0] - rows[-1][0][0]) <= min(box[3], rows[-1][0][3]) / 2:
            rows[-1].append(box)
        else:
            rows.append([box])
    out = []
    for row in rows:
        text, end = "", None
        for _, left, right, height, words, _ in sorted(row, key=lambda b: b[1]):
            if end is not None and left - end > 1.5 * height:
                text += "\t"
            text += words
            end = right
        out.append((text, min(b[5] for b in row)))
    return out


def _read_pages(path: Path, images) -> Document:
    """OCR every page image (numpy arrays) and read the text like a PDF's text layer."""
    from plancheck.ingest.formats.pdf import strip_furniture

    engine = _engine()
    pages: list[list[tuple[str, float]]] = []
    for image in images:
        result, _ = engine(image, use_cls=False)  # pages are upright (see the module text)
        pages.append(_lines(result))
    texts = strip_furniture([[text for text, _ in page] for page in pages])
    lines: list[str] = []
    confidence: dict[int, float] = {}
    starts: list[int] = []
    for page, kept in zip(pages, texts, strict=True):
        starts.append(len(lines) + 1)
        for (_, score), text in zip(page, kept, strict=True):
            lines.append(text)
            if text.strip():
                confidence[len(lines)] = round(score, 3)
    if not any(line.strip() for line in lines):
        raise InputError(f"{path}: OCR found no text on this scan; check that it is a plan page")
    from plancheck.ingest.shapes.text_table import with_tables

    reader = choose_reader(lines, default=pdf_text)
    doc = with_tables(reader, path, lines)
    return replace(doc, shape=f"ocr:{doc.shape}", page_starts=tuple(starts), confidence=confidence)


def _fit(image):
    """``image`` no larger than an A4 page at DPI on its long side."""
    long_side = max(image.size)
    if long_side <= _LONG_SIDE * 1.1:
        return image
    scale = _LONG_SIDE / long_side
    return image.resize((round(image.width * scale), round(image.height * scale)))


def ocr_images(path: Path, data: bytes) -> Document:
    """A photo or scan saved as an image (.png, .jpg, .tif: every frame a page)."""
    import io

    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size  # read from the header, before anything is decoded
        if width * height > MAX_PIXELS:
            raise InputError(
                f"{path}: {width} x {height} pixels is too large for a page (limit "
                f"{MAX_PIXELS // 1_000_000} M pixels); scan at 300 dpi or less"
            )
        frames = []
        for n, frame in enumerate(ImageSequence.Iterator(image)):
            if n >= MAX_PAGES:
                raise InputError(f"{path}: more than {MAX_PAGES} pages; split the scan")
            frames.append(np.asarray(_fit(frame.convert("RGB"))))
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InputError(f"{path}: this image is damaged or not a picture; scan it again") from None
    return _read_pages(path, frames)


def ocr_pdf(path: Path, data: bytes, pages: int) -> Document:
    """A PDF without a text layer: every page rendered by pdftoppm, then OCR."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise InputError(
            f"{path}: this PDF has no text layer, and rendering its pages for OCR needs "
            "poppler; install it with: apt-get install poppler-utils"
        )
    if pages > MAX_PAGES:
        raise InputError(f"{path}: {pages} scanned pages (limit {MAX_PAGES}); split the scan")
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="plancheck-ocr-") as tmp:
        folder = Path(tmp)
        (folder / "in.pdf").write_bytes(data)
        try:
            subprocess.run(
                [program, "-r", str(DPI), "-scale-to", str(_LONG_SIDE), "-gray", "-png",
                 str(folder / "in.pdf"), str(folder / "p")],
                stdin=subprocess.DEVNULL, capture_output=True, check=True,
                timeout=_RENDER_SECONDS * max(pages, 1),
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise InputError(
                f"{path}: rendering the scanned pages took too long; split the scan"
            ) from None
        except subprocess.CalledProcessError:
            raise InputError(
                f"{path}: the scanned pages cannot be rendered; re-export the PDF"
            ) from None
        images = sorted(folder.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        arrays = [np.asarray(Image.open(image).convert("RGB")) for image in images]
    return _read_pages(path, arrays)


def low_confidence_lines(doc: Document, threshold: float | None = None) -> list[int]:
    """Source lines OCR read with a confidence below ``threshold`` (default
    ``LOW_CONFIDENCE``): check them against the scan."""
    bar = LOW_CONFIDENCE if threshold is None else threshold
    return sorted(n for n, score in doc.confidence.items() if score < bar)
