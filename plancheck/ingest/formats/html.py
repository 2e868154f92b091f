"""A saved web page (.html): the article body, cleaned like the ``web_page`` text reader.

What "line" means for an .html file: a line of the article text as extracted here - one per
paragraph, heading, list item or line break; a task-division table becomes one line per
row, cells separated by tabs, so the table interpreter reads it (rowspan and
colspan blanks included), whatever reader the rest of the page goes to.

The article is the deepest container that holds most of the page's Chinese text outside
links (navigation is links), after script, style, navigation, header and footer are removed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from plancheck.errors import InputError
from plancheck.ingest.decode import decode_bytes
from plancheck.ingest.formats import choose_reader
from plancheck.ingest.limits import clamp_span
from plancheck.ingest.model import Document
from plancheck.ingest.shapes import web_page
from plancheck.ingest.shapes.text_table import with_tables
from plancheck.ingest.table import header_roles
from plancheck.normalise.text import traditional_share

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "select", "button", "svg", "head",
)  # fmt: skip
_CHROME_RE = re.compile(
    r"^(?:nav|navigation|navbar|menu|breadcrumbs?|crumbs?|footer|foot|sidebar|share)\b"
)
_CONTAINERS = ("div", "article", "section", "main", "td", "body")
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "main", "blockquote", "pre", "dt", "dd", "dl", "center", "body", "tbody", "thead",
}  # fmt: skip
_SHARE = 0.8  # the article holds at least this share of the page's own (non-link) text
_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)


def _utf8_with_non_ascii(data: bytes) -> bool:
    """Valid UTF-8 holding multi-byte characters: text in a legacy Chinese encoding almost
    never is (its two-byte codes break UTF-8's continuation-byte pattern within a few
    characters), so such bytes are UTF-8 whatever the page declares."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(path: Path, data: bytes, encoding: str | None = None) -> str:
    """Bytes -> text: the override, else the page's bytes, with its declared charset as the
    tie-breaker. A ``<meta charset>`` is a claim that may no longer hold (a page re-saved by
    another tool keeps the old declaration): UTF-8 bytes are read as UTF-8; otherwise the
    declared and the detected decodings are both tried and the one giving more Chinese
    characters wins (a page declared ISO-8859-1 that is GBK gives none as declared)."""
    declared = _CHARSET_RE.search(data[:4096].replace(b"\x00", b""))
    if encoding is not None or not declared or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, name=str(path), encoding=encoding)
    name = declared.group(1).decode("ascii").lower()
    name = "gb18030" if name in ("gb2312", "gbk", "x-gbk") else name
    if _utf8_with_non_ascii(data):
        return decode_bytes(data, name=str(path), encoding="utf-8")
    try:
        claimed: str | None = decode_bytes(data, name=str(path), encoding=name)
    except InputError:
        claimed = None  # the declaration does not even decode: detect instead
    try:
        detected = decode_bytes(data, name=str(path))
    except InputError:
        if claimed is None:
            raise
        return claimed
    return claimed if claimed is not None and _cjk(claimed) >= _cjk(detected) else detected


def _cjk(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _own_text(element) -> int:
    """Chinese characters in ``element`` outside links."""
    links = sum(_cjk(a.get_text()) for a in element.find_all("a"))
    return _cjk(element.get_text()) - links


def _is_chrome(element) -> bool:
    names = [element.get("id") or "", *(element.get("class") or [])]
    return any(_CHROME_RE.match(name.lower()) for name in names) or element.get("role") in (
        "navigation",
        "banner",
        "contentinfo",
    )


def article(soup):
    """The deepest container holding most of the page's own text."""
    for element in soup.find_all(_DROP_TAGS):
        element.decompose()
    for element in [e for e in soup.find_all(True) if not e.decomposed and _is_chrome(e)]:
        element.decompose()
    root = soup.body or soup
    total = _own_text(root)
    best = root
    for element in root.find_all(_CONTAINERS):
        if _own_text(element) >= _SHARE * total and len(list(element.parents)) > len(
            list(best.parents)
        ):
            best = element
    return best


def _cell_text(cell) -> str:
    return re.sub(r"\s+", " ", cell.get_text(" ")).strip()


def _is_task_table(table) -> bool:
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for tr in rows[:3]:
        if header_roles([_cell_text(c) for c in tr.find_all(["td", "th"], recursive=False)]):
            return True
    return False


def table_lines(table) -> list[str]:
    """A task table as tab-separated rows, one line each (the ``text_table`` layout, read by
    the table interpreter); a cell covered by a rowspan or colspan is a blank cell."""
    lines: list[str] = []
    pending: dict[int, tuple[int, int]] = {}  # column -> (rows still covered, colspan)
    for tr in (tr for tr in table.find_all("tr") if tr.find_parent("table") is table):
        cells: list[str] = []
        col = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            col = _skip_covered(pending, col, cells)
            span = _int(td.get("colspan"))
            cells += [_cell_text(td).replace("\t", " ")] + [""] * (span - 1)
            if _int(td.get("rowspan")) > 1:
                pending[col] = (_int(td.get("rowspan")) - 1, span)
            col += span
        for covered in sorted(pending):  # rowspans reaching past the row's last cell
            if covered >= col:
                col = _skip_covered(pending, covered, cells)
        lines.append("\t".join(cells) if any(cells) else "")
    return lines


def _skip_covered(pending: dict[int, tuple[int, int]], col: int, cells: list[str]) -> int:
    """Emit blank cells for columns still covered by a rowspan from above."""
    while col in pending:
        left, span = pending.pop(col)
        if left > 1:
            pending[col] = (left - 1, span)
        cells += [""] * span
        col += span
    return col


def _int(value) -> int:
    """A colspan/rowspan: at least 1, at most limits.MAX_SPAN (a hostile page says 10^8)."""
    try:
        return clamp_span(int(str(value).strip()))
    except (TypeError, ValueError):
        return 1


def text_lines(element) -> list[str]:
    """The visible text of ``element``, one line per block; task tables one row per line."""
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    lines = [""]

    def walk(node) -> None:
        if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            return
        if isinstance(node, NavigableString):
            lines[-1] += re.sub(r"\s+", " ", str(node))
        elif isinstance(node, Tag):
            if node.name == "br":
                lines.append("")
            elif node.name == "table" and _is_task_table(node):
                lines.extend(["", *table_lines(node), ""])
            else:
                block = node.name in _BLOCKS or node.name in ("td", "th")
                if block:
                    lines.append("")
                for child in node.children:
                    walk(child)
                if block:
                    lines.append("")

    walk(element)
    return _squeeze([line if "\t" in line else line.strip() for line in lines])


def _squeeze(lines: list[str]) -> list[str]:
    """At most one blank line in a row (a blank line separates table rows), none at the ends."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def read_html(path: Path, data: bytes, *, encoding: str | None = None) -> Document:
    """Read a saved web page: its article body through the text readers (web_page by default)."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(decode_html(path, data, encoding), "lxml")
    except InputError:
        raise
    except Exception:  # the parser is lenient; this is for truly broken input
        raise InputError(f"{path}: this web page cannot be parsed; save it again as HTML") from None
    raw = text_lines(article(soup))
    if not any(line.strip() for line in raw):
        raise InputError(f"{path}: this web page has no text; save the page with its content")
    traditional = traditional_share("\n".join(raw)) > 0.05
    lines = [_clean(line, traditional) for line in raw]
    reader = choose_reader(lines, default=web_page)
    doc = with_tables(reader, path, lines)
    return replace(doc, shape=f"html:{doc.shape}")


def _clean(line: str, traditional: bool) -> str:
    """The web_page reader's cleaning (script, pinyin), cell by cell in a table row."""
    return "\t".join(web_page.clean_line(cell, traditional) for cell in line.split("\t"))
