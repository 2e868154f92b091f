"""Paragraphs -> tasks, following the document's own numbering.

A task is a numbered requirement (一、/（一）/1. with content), or the overall-target
paragraph under a part titled 总体要求/工作目标; headings are context. ``task_id`` is the
path of numbers of the enclosing headings plus the task's own (二、(一)1. -> "2.1.1").
Unnumbered paragraphs after a task belong to it (a clause may run over several paragraphs).
Everything before the first heading, and after the body ends (抄送, 附件 …), is context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plancheck.ingest.model import Paragraph
from plancheck.ingest.paragraphs import BODY_END_RE, FURNITURE_RE, is_heading, strip_markdown
from plancheck.normalise.numbering import ITEM, Marker, parse_marker

TARGET_TITLE_RE = re.compile(r"总体要求|工作目标|总体目标|目标任务|主要目标")


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


@dataclass
class _Outline:
    """The headings currently open, by level: level -> (marker, title)."""

    open: dict[int, tuple[Marker, str]] = field(default_factory=dict)

    def enter(self, marker: Marker, title: str) -> None:
        self.open = {lvl: v for lvl, v in self.open.items() if lvl < marker.level}
        self.open[marker.level] = (marker, title)

    def path(self, below: int) -> list[int]:
        return [m.number for lvl, (m, _) in sorted(self.open.items()) if lvl < below]

    def section(self) -> str:
        return " / ".join(f"{m.raw}{t}" for _, (m, t) in sorted(self.open.items()))

    def heading(self) -> str:
        return self.open[max(self.open)][1] if self.open else ""

    def last_number(self, level: int) -> int:
        return self.open[level][0].number if level in self.open else 0


def _is_heading_like(text: str) -> bool:
    return len(text) <= 40 and not re.search("[。；;]", text.rstrip("。"))


def paragraphs_to_tasks(paragraphs: list[Paragraph]) -> list[DraftTask]:
    """Walk the paragraphs in order and assemble tasks (see module docstring)."""
    outline, tasks = _Outline(), []
    current: DraftTask | None = None
    ended = False
    for i, para in enumerate(paragraphs):
        text = strip_markdown(para.text)
        if ended or BODY_END_RE.search(text):
            ended = True
            continue
        if FURNITURE_RE.search(text):
            current = None
            continue
        marker, rest = parse_marker(text)
        if marker is None:
            marker = _damaged_heading(text, paragraphs[i + 1 :], outline)
            rest = text
        if (
            marker is not None
            and is_heading(f"{marker.raw}{rest}")
            or (marker is not None and marker.raw == "" and _is_heading_like(rest))
        ):
            outline.enter(marker, rest.rstrip("。."))
            current = None
            continue
        if marker is not None:
            task_id = ".".join(str(n) for n in [*outline.path(marker.level), marker.number])
            current = DraftTask(
                task_id,
                "item",
                outline.section(),
                outline.heading(),
                [rest],
                para.line_start,
                para.line_end,
            )
            tasks.append(current)
        elif current is not None:
            current.parts.append(text)
            current.line_end = para.line_end
        elif outline.open and TARGET_TITLE_RE.search(outline.heading()):
            task_id = ".".join(str(n) for n in outline.path(99))
            current = DraftTask(
                task_id,
                "target",
                outline.section(),
                outline.heading(),
                [text],
                para.line_start,
                para.line_end,
            )
            tasks.append(current)
    return tasks


def _damaged_heading(text: str, following: list[Paragraph], outline: _Outline) -> Marker | None:
    """An unnumbered short line followed by item 1 while items of the open clause already ran:
    a heading whose marker was destroyed (e.g. by encoding damage). Number it by sequence."""
    if not _is_heading_like(text) or not following or not outline.open:
        return None
    nxt, _ = parse_marker(strip_markdown(following[0].text))
    if nxt is None or nxt.number != 1 or nxt.level != ITEM:
        return None
    level = nxt.level - 1
    if level not in outline.open:
        return None
    return Marker(level, outline.last_number(level) + 1, "")
