"""The outline parser: paragraphs -> tasks, following the document's own numbering.

A task is a numbered requirement (一、/（一）/1./① with content), a clause whose title stands
on its own line followed by body paragraphs, or a target paragraph under a heading titled
总体要求/工作目标/发展目标/主要目标. ``task_id`` is the path of numbers of the enclosing headings
plus the task's own (二、(一)1. -> "2.1.1").

What the parser assumes, and where each paragraph goes (``Outline.roles``, for accounting):
- a numbered line that only names a part or clause (short, no sentence inside) is a heading;
  if body paragraphs follow it before any numbered child, the heading and its body are one
  clause (title + body) - at clause level and below always, at part level only in a plan
  numbered by parts alone (a part's unnumbered lead-in elsewhere is context, e.g. 试点范围);
- unnumbered paragraphs after a task belong to it (a clause may run over several paragraphs);
  an unnumbered paragraph that ends with its own units note and has no numbered task to join
  is a task of its own (``<heading>.p1``: a 若干政策 list of paragraphs under 一、 headings);
  a unit or deadline line (牵头单位：… 完成时限：…) under a task is its annotation, not text;
- furniture (``ingest/furniture.py``) is never task text and is counted. A rule or 抄送 line
  does not end the plan. An annex label starts the annex (context to the end) unless the
  numbering of the body carries on after it, in which case it was only a label in the body;
- everything before the first heading or task is the preamble; other unnumbered paragraphs
  with no task to join are context;
- a document with at least three 第X条 lines is a regulation: 第X章 > 第X节 > 第X条 > （一）
  > 1. > （1）, so an article's items are its children (task id ``<chapter>.<article>.<item>``);
  only chapters and sections are headings there (a short item such as （六）其他… is text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plancheck.ingest.furniture import furniture_kind
from plancheck.ingest.model import Paragraph
from plancheck.ingest.paragraphs import is_heading, strip_markdown
from plancheck.normalise.numbering import CLAUSE, ITEM, PART, Marker, parse_marker
from plancheck.normalise.units import UNIT_LINE_RE, extract_trailing_units

TARGET_TITLE_RE = re.compile(r"总体要求|工作目标|总体目标|目标任务|主要目标|发展目标")
_LOOKAHEAD = 12  # paragraphs after an annex label searched for the body's numbering
# A document with this many 第X条 lines is a regulation in articles (条例, 办法, 规定): its
# （一） items are the article's 项 and go below it (see ``_Parser.marker``).
_ARTICLES = 3
_BELOW_ARTICLE = 2  # （一） 2 -> 4, 1. 3 -> 5, （1） 4 -> 6, ① 5 -> 7: all below 第X条 (3)


def _is_article(marker: Marker) -> bool:
    return marker.raw.startswith("第") and marker.raw.endswith("条")


def _is_regulation(markers: list[Marker | None]) -> bool:
    """Articles are the document's clauses: at least ``_ARTICLES`` of them, parts only as
    第X章, and the first article before any （一） (a plan numbered 一、/（一） that uses 第X条
    for its items keeps the plan's order)."""
    found = [m for m in markers if m is not None]
    articles = [i for i, m in enumerate(found) if _is_article(m)]
    if len(articles) < _ARTICLES:
        return False
    if any(m.level == PART and not m.raw.startswith("第") for m in found):
        return False
    clauses = [i for i, m in enumerate(found) if m.level == CLAUSE and not m.raw.endswith("节")]
    return not clauses or articles[0] < clauses[0]


@dataclass
class DraftTask:
    """A task being assembled from one or more paragraphs."""

    task_id: str
    kind: str
    section: str
    heading: str
    parts: list[str]
    line_start: int
    line_end: int
    notes: list[str] = field(default_factory=list)  # unit / deadline lines under the task


@dataclass
class Outline:
    """The parse of a paragraph sequence: its tasks and what every paragraph was taken as
    (task, heading, preamble, context, annex, or a furniture kind)."""

    tasks: list[DraftTask]
    roles: list[tuple[Paragraph, str]]


@dataclass
class _Open:
    """The headings currently open, by level: level -> (marker, title). A heading that turned
    out to be a clause (title + body) still numbers what follows it, but is no section."""

    open: dict[int, tuple[Marker, str]] = field(default_factory=dict)
    clauses: set[int] = field(default_factory=set)

    def enter(self, marker: Marker, title: str) -> None:
        self.open = {lvl: v for lvl, v in self.open.items() if lvl < marker.level}
        self.clauses = {lvl for lvl in self.clauses if lvl < marker.level}
        self.open[marker.level] = (marker, title)

    def path(self, below: int) -> list[int]:
        return [m.number for lvl, (m, _) in sorted(self.open.items()) if lvl < below]

    def _titled(self, below: int) -> list[int]:
        return sorted(lvl for lvl in self.open if lvl < below and lvl not in self.clauses)

    def section(self, below: int = 99) -> str:
        return " / ".join(
            f"{self.open[lvl][0].raw}{self.open[lvl][1]}" for lvl in self._titled(below)
        )

    def heading(self, below: int = 99) -> str:
        levels = self._titled(below)
        return self.open[levels[-1]][1] if levels else ""

    def last_number(self, level: int) -> int:
        return self.open[level][0].number if level in self.open else 0


def _is_heading_like(text: str) -> bool:
    return len(text) <= 40 and not re.search("[。；;]", text.rstrip("。"))


@dataclass
class _Pending:
    """A heading just entered, which becomes a clause if body paragraphs follow it."""

    marker: Marker
    title: str
    para: Paragraph
    section: str
    heading: str


class _Parser:
    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.paragraphs = paragraphs
        self.outline = _Open()
        self.tasks: list[DraftTask] = []
        self.roles: list[tuple[Paragraph, str]] = []
        self.current: DraftTask | None = None
        self.pending: _Pending | None = None
        self.started = False
        self.in_annex = False
        self.noted: set[str] = set()  # ids of unnumbered paragraphs taken as tasks
        markers = [parse_marker(strip_markdown(p.text))[0] for p in paragraphs]
        self.parts_only = {m.level for m in markers if m is not None} <= {PART}
        self.articles = _is_regulation(markers)

    def marker(self, text: str) -> tuple[Marker | None, str]:
        """The leading marker of ``text`` at its level in this document. In a regulation
        written in articles (第一条 …), the （一） items, 1. sub-items and （1） points of an
        article are inside the article, so they sit below it, not above it as in a plan."""
        marker, rest = parse_marker(text)
        if (
            self.articles
            and marker is not None
            and marker.level >= CLAUSE
            and not _is_article(marker)
            and not marker.raw.endswith("节")
        ):
            marker = Marker(marker.level + _BELOW_ARTICLE, marker.number, marker.raw)
        return marker, rest

    def run(self) -> Outline:
        for i, para in enumerate(self.paragraphs):
            role = self.take(i, para, strip_markdown(para.text))
            self.roles.append((para, role))
        return Outline(self.tasks, self.roles)

    def take(self, i: int, para: Paragraph, text: str) -> str:
        if self.in_annex:
            return "annex"
        kind = furniture_kind(text)
        if kind == "annex-label" and self.started and not self._body_goes_on(i):
            self.in_annex = True
            return kind
        if kind is not None:
            if kind != "rule":
                self.current = self.pending = None
            return kind
        if UNIT_LINE_RE.match(text) and self._task_for_note(para) is not None:
            self.current.notes.append(text)  # type: ignore[union-attr]
            self.current.line_end = para.line_end  # type: ignore[union-attr]
            return "task"
        marker, rest = self.marker(text)
        if marker is None:
            marker = self._damaged_heading(text, self.paragraphs[i + 1 :])
            rest = text
        if (
            marker is not None
            and not (self.articles and marker.level >= ITEM)  # an article and its items hold text
            and (is_heading(f"{marker.raw}{rest}") or (marker.raw == "" and _is_heading_like(rest)))
        ):
            self.pending = _Pending(
                marker,
                rest.rstrip("。."),
                para,
                self.outline.section(marker.level),
                self.outline.heading(marker.level),
            )
            self.outline.enter(marker, rest.rstrip("。."))
            self.current, self.started = None, True
            return "heading"
        if marker is not None:
            task_id = ".".join(str(n) for n in [*self.outline.path(marker.level), marker.number])
            self._start(task_id, "item", self.outline.section(), self.outline.heading(), rest, para)
            self.outline.enter(marker, rest)  # numbers its sub-items (（1） under 1.)
            self.outline.clauses.add(marker.level)
            return "task"
        noted = self.started and extract_trailing_units(text)[1] is not None
        if self.current is not None and not (noted and self.current.task_id in self.noted):
            self.current.parts.append(text)
            self.current.line_end = para.line_end
            return "task"
        if self._body_of_heading(text, para):
            return "task"
        if noted and self.outline.open:
            # An unnumbered paragraph closed by its own units note is a task (a 若干政策 list
            # under 一、 headings): numbered p1, p2 … under its heading.
            path = ".".join(str(n) for n in self.outline.path(99))
            count = sum(t.startswith(f"{path}.p") for t in self.noted) + 1
            task_id = f"{path}.p{count}"
            self.noted.add(task_id)
            self._start(task_id, "item", self.outline.section(), self.outline.heading(), text, para)
            return "task"
        return "context" if self.started else "preamble"

    def _start(self, task_id, kind, section, heading, text, para) -> DraftTask:
        self.current = DraftTask(
            task_id, kind, section, heading, [text], para.line_start, para.line_end
        )
        self.tasks.append(self.current)
        self.pending, self.started = None, True
        return self.current

    def _task_for_note(self, para: Paragraph) -> DraftTask | None:
        """The task a unit line belongs to: the current one, or a pending clause title."""
        if self.current is None and self.pending is not None and self.pending.marker.level > PART:
            self._clause_from_pending("", para)
        return self.current

    def _clause_from_pending(self, body: str, para: Paragraph) -> None:
        pending = self.pending
        assert pending is not None
        title = pending.title
        text = f"{title}。{body}" if body and title[-1:] not in "。；;：:" else title + body
        task_id = ".".join(str(n) for n in self.outline.path(pending.marker.level + 1))
        task = self._start(task_id, "item", pending.section, pending.heading, text, pending.para)
        self.outline.clauses.add(pending.marker.level)
        task.line_end = para.line_end
        self.roles = [(p, "task" if p is pending.para else r) for p, r in self.roles]

    def _body_of_heading(self, text: str, para: Paragraph) -> bool:
        """An unnumbered paragraph right under a heading: a target, or a clause's body."""
        pending = self.pending
        title = self.outline.heading()
        if self.outline.open and TARGET_TITLE_RE.search(title):
            task_id = ".".join(str(n) for n in self.outline.path(99))
            self._start(task_id, "target", self.outline.section(), title, text, para)
            return True
        if pending is not None and (pending.marker.level > PART or self.parts_only):
            self._clause_from_pending(text, para)
            return True
        return False

    def _body_goes_on(self, i: int) -> bool:
        """After an annex label: does the body's numbering carry on (the label was a line of
        the body, e.g. a reference to an attachment), or does the annex start here?"""
        for para in self.paragraphs[i + 1 : i + 1 + _LOOKAHEAD]:
            marker, _ = self.marker(strip_markdown(para.text))
            if marker is None:
                continue
            last = self.outline.last_number(marker.level)
            if marker.level in self.outline.open and marker.number == last + 1:
                return True
            own = self.current.task_id.split(".")[-1] if self.current else ""
            return own == str(marker.number - 1)
        return False

    def _damaged_heading(self, text: str, following: list[Paragraph]) -> Marker | None:
        """An unnumbered short line followed by item 1 while items of the open clause already
        ran: a heading whose marker was destroyed (e.g. by encoding damage). Number it by
        sequence."""
        if not _is_heading_like(text) or not following or not self.outline.open:
            return None
        nxt, _ = self.marker(strip_markdown(following[0].text))
        if nxt is None or nxt.number != 1 or nxt.level != ITEM:
            return None
        level = nxt.level - 1
        if level not in self.outline.open or level < CLAUSE:
            return None
        return Marker(level, self.outline.last_number(level) + 1, "")


def parse_outline(paragraphs: list[Paragraph]) -> Outline:
    """Walk the paragraphs in order and assemble tasks (see module docstring)."""
    return _Parser(paragraphs).run()


def paragraphs_to_tasks(paragraphs: list[Paragraph]) -> list[DraftTask]:
    """The tasks of ``parse_outline``."""
    return parse_outline(paragraphs).tasks
