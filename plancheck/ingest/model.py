"""What a reader returns: cleaned paragraphs and table rows, each with its source lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Paragraph:
    """A logical paragraph after rejoining broken lines; lines are 1-based, inclusive."""

    text: str
    line_start: int
    line_end: int
    # Word's automatic numbering: the number Word shows (already put before ``text``) and the
    # list level (0 = outermost); None where the number is typed or the format has no lists.
    number: str | None = None
    list_level: int | None = None


@dataclass
class TableRow:
    """One task-division table row. ``cells`` maps a role (key/text/units/deadline/note)
    to its text; ``inherited`` names the roles whose blank cell was filled from above."""

    cells: dict[str, str]
    line_start: int
    line_end: int
    section: str = ""
    inherited: set[str] = field(default_factory=set)


@dataclass
class Document:
    """A source document as a reader understood it."""

    path: Path
    shape: str
    lines: list[str]  # cleaned text of every source line; lines[i] is source line i + 1
    paragraphs: list[Paragraph] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    has_key_column: bool = False
    # Lines the reader left out on purpose (line -> "navigation" / "spam" / ...), for accounting.
    dropped: dict[int, str] = field(default_factory=dict)
    # Lines of tables that are no task row: header rows, banners, title rows.
    table_lines: set[int] = field(default_factory=set)
    # Where a line is when the format has no lines of its own (a sheet and row: "任务!5").
    locations: dict[int, str] = field(default_factory=dict)
    # A paged format (PDF, OFD, a scan): the first line of each page, in order (page 1 first).
    page_starts: tuple[int, ...] = ()
    # Text read by OCR: source line -> the engine's confidence (0-1) for that line.
    confidence: dict[int, float] = field(default_factory=dict)

    def page_of(self, line: int) -> int | None:
        """The page (1-based) source line ``line`` is on; None for a format without pages."""
        from bisect import bisect_right

        return bisect_right(self.page_starts, line) or None if self.page_starts else None
