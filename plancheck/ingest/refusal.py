"""The message for a document that is not a plan: what was seen, why that is no plan, and
what to try - on one line, since the CLI prints it as the error."""

from __future__ import annotations

from plancheck.ingest.paragraphs import strip_markdown
from plancheck.normalise.numbering import parse_marker
from plancheck.normalise.text import tidy_spaces


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe(lines: list[str], *, tables: int = 0, unit: str = "paragraph") -> str:
    """'42 paragraphs, none numbered; no table with a task column' for the text seen
    (``unit`` is "row" for a workbook, whose lines are its rows)."""
    texts = [tidy_spaces(strip_markdown(line)) for line in lines if line.strip()]
    numbered = sum(parse_marker(text.lstrip("\t"))[0] is not None for text in texts)
    seen = _count(len(texts), unit) + (
        ", none numbered" if not numbered else f", only {numbered} numbered"
    )
    if tables:
        seen += f"; {_count(tables, 'table')} without a header naming a task column"
    else:
        seen += "; no table with a task column"
    return seen


def refusal(path: object, lines: list[str], *, tables: int = 0, unit: str = "paragraph") -> str:
    """The whole one-line message for ``path``."""
    return (
        f"{path}: not a recognisable plan (no recognisable clauses or table rows found): "
        f"{describe(lines, tables=tables, unit=unit)}. A plan needs numbered clauses (一、 （一） 1.) or a "
        "task table whose header names its columns (序号, 重点任务/具体任务, 责任单位, 完成时限); "
        "check that this is the plan itself and not its cover letter, or export the table with "
        "its header row"
    )
