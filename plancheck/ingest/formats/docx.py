"""Word (.docx): body paragraphs and task-division tables, merged cells read from the XML.

What "line" means for a .docx: the document body is numbered block by block in document
order - every body paragraph is one line, every table row is one line (its cells joined by
tabs in ``Document.lines``). ``line_start``/``line_end`` of paragraphs and rows use these
numbers, so "line 12" is the 12th paragraph-or-row of the body.

Merged cells: a vertically merged cell (``w:vMerge``) holds its text in its first row; the
rows below share that value and name the role in ``TableRow.inherited``. A horizontally
merged cell (``w:gridSpan``) is one value placed in the first column it covers. A row that is
a single cell across the whole table is a banner (a section heading), as in the text export.
Blank cells that are not merged are filled like the text export's blanks (same rules,
``plancheck.ingest.grid``), and are also marked inherited.

Word's automatic list numbering is not part of the paragraph text: ``word_numbering.py``
works out the number Word shows and puts it before the paragraph's text.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from plancheck.errors import InputError
from plancheck.ingest.decode import MAX_BYTES, check_size
from plancheck.ingest.formats.word_numbering import ListNumbering
from plancheck.ingest.grid import Grid, GridCell, GridReading, interpret
from plancheck.ingest.limits import clamp_span
from plancheck.ingest.model import Document, TableRow
from plancheck.ingest.paragraphs import join_paragraphs
from plancheck.normalise.text import tidy_spaces

NAME = "docx"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class _Cell:
    """One ``w:tc``: its paragraphs' texts, first grid column, width in columns, merge state."""

    parts: list[str]
    col: int
    span: int = 1
    continued: bool = False  # a w:vMerge continuation: the value is the cell above's

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Block:
    """A body paragraph (``cells`` empty) or a table row, numbered in document order."""

    line: int
    text: str = ""
    cells: list[_Cell] = field(default_factory=list)
    label: tuple[str, int] | None = None  # Word's list number and level


def _val(element, tag: str) -> str | None:
    child = element.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val", "")


def _paragraph_text(p) -> str:
    """Text of a ``w:p``: runs anywhere inside it (hyperlinks, tracked insertions, fields);
    deleted text (``w:delText``) and field codes (``w:instrText``) are other tags and are left out."""
    out = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        elif node.getparent().tag == f"{_W}r":  # a w:tab under w:tabs is a tab stop, not text
            out.append("\t" if node.tag == f"{_W}tab" else "\n")
    return "".join(out)


def _count(value, default: int) -> int:
    """A grid count from the XML (gridSpan, gridBefore), bounded; junk reads as ``default``."""
    try:
        return clamp_span(int(value)) if value is not None else default
    except (TypeError, ValueError):
        return default


def _row_cells(tr, above: dict[int, _Cell]) -> list[_Cell]:
    """The cells of a ``w:tr`` on the table grid; ``above`` maps a column to its last cell."""
    tr_pr = tr.find(f"{_W}trPr")
    col = _count(_val(tr_pr, "gridBefore") if tr_pr is not None else None, 0)
    cells = []
    for tc in tr.iterchildren(f"{_W}tc"):
        tc_pr = tc.find(f"{_W}tcPr")
        span = clamp_span(_count(_val(tc_pr, "gridSpan") if tc_pr is not None else None, 1))
        merge = _val(tc_pr, "vMerge") if tc_pr is not None else None
        parts = [tidy_spaces(_paragraph_text(p).replace("\n", "")) for p in tc.iter(f"{_W}p")]
        cell = _Cell([part for part in parts if part], col, span)
        if merge not in (None, "restart") and col in above:
            cell = _Cell(above[col].parts, col, span, continued=True)
        cells.append(cell)
        above[col] = cell
        col += span
    return cells


def _walk(body):
    """Body paragraphs (``w:p``) and table rows (``w:tr``) in document order, content controls
    looked into; ``None`` after each table's last row (the end of a table is not a line)."""
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            yield child
        elif child.tag == f"{_W}tbl":
            yield from child.iterchildren(f"{_W}tr")
            yield None
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _walk(child)


def body_lines(body) -> list:
    """The ``w:p`` / ``w:tr`` element of every line of a .docx body: item ``k`` is line
    ``k + 1``, numbered as ``read_docx`` numbers them (so a clause's lines find its paragraphs)."""
    return [element for element in _walk(body) if element is not None]


def _blocks(body, numbering: ListNumbering) -> list[_Block]:
    """Body paragraphs and table rows in document order (content controls are looked into);
    a paragraph in a Word list starts with the number Word shows for it."""
    blocks: list[_Block] = []
    above: dict[int, _Cell] = {}
    line = 0  # the end-of-table markers take no number: line n is Document.lines[n - 1]
    for element in _walk(body):
        line += element is not None
        if element is None:
            blocks.append(_Block(0))  # end of table marker (not a line)
            above = {}
        elif element.tag == f"{_W}p":
            text = _paragraph_text(element)
            label = numbering.label(element) if text.strip() else None
            block = _Block(line, text=f"{label[0]}{text}" if label else text)
            block.label = label
            blocks.append(block)
        else:
            blocks.append(_Block(line, cells=_row_cells(element, above)))
    return blocks


def _grid_row(row: list[_Cell]) -> list[GridCell]:
    """A row on the table grid: a cell spanning columns stands in each (covered after the
    first); a vertically merged cell's value stands in the rows it covers (covered)."""
    out: list[GridCell] = []
    for cell in row:
        out += [GridCell("")] * (cell.col - len(out))
        out.append(GridCell(cell.text, covered=cell.continued, parts=tuple(cell.parts)))
        out += [GridCell(cell.text, covered=True, parts=tuple(cell.parts))] * (cell.span - 1)
    return out


def _table_rows(table: list[_Block]) -> tuple[GridReading | None, list[tuple[int, str]]]:
    """One Word table through the table interpreter; a layout table (no header naming a task
    column) gives its cells back as running text."""
    grid = Grid([_grid_row(block.cells) for block in table], [block.line for block in table])
    reading = interpret(grid)
    if reading is not None:
        return reading, []
    own = [
        (b.line, part)
        for b in table
        for cell in b.cells
        if not cell.continued
        for part in cell.parts
    ]
    return None, own


def _row_line(row: list[_Cell]) -> str:
    """What the row itself holds: a merged cell's value is shown in its first row only."""
    return "\t".join("" if cell.continued else cell.text for cell in row)


def _open(path: Path, data: bytes):
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = archive.getinfo("word/document.xml").file_size
        check_size(path, size, MAX_BYTES)  # a tiny zip can unpack to gigabytes
        document = docx.Document(io.BytesIO(data))
        return document.element.body, ListNumbering.of(
            _numbering(document), document.styles.element
        )
    except InputError:
        raise
    except Exception:  # a damaged zip or XML fails in many library-specific ways
        raise InputError(
            f"{path}: this Word file is damaged or not a real .docx; open and re-save it in Word"
        ) from None


def _numbering(document):
    """The numbering part's XML, or None when the document has no lists."""
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # python-docx's way of saying "no numbering part"
        return None


def read_docx(path: Path, data: bytes) -> Document:
    """Read a .docx: body paragraphs -> ``paragraphs``, task-division tables -> ``rows``."""
    body, numbering = _open(path, data)
    blocks = _blocks(body, numbering)
    lines: list[str] = []
    numbered: list[tuple[int, str]] = []
    rows: list[TableRow] = []
    header_lines: set[int] = set()
    has_key = False
    table: list[_Block] = []
    for block in [*blocks, _Block(0)]:
        if block.cells:
            lines.append(_row_line(block.cells))
            table.append(block)
            continue
        if table:  # the end of a table
            reading, text = _table_rows(table)
            numbered += text
            if reading is not None:
                rows += reading.rows
                header_lines |= reading.header_lines
                has_key = has_key or "key" in reading.roles
            table = []
        if block.line:
            lines.append(block.text.replace("\n", " "))
            numbered += [(block.line, tidy_spaces(part)) for part in block.text.split("\n")]
    labels = {block.line: block.label for block in blocks if block.label}
    paragraphs = [
        replace(para, number=labels[para.line_start][0], list_level=labels[para.line_start][1])
        if para.line_start in labels
        else para
        for para in join_paragraphs(numbered)
    ]
    return Document(path, NAME, lines, paragraphs, rows, has_key, table_lines=header_lines)
