"""Text accounting: what every source line of a document became.

Every non-blank source line is one of: ``task`` (in a task's text, units or a table row),
``heading``, ``preamble`` (before the first heading or task), ``context`` (an unnumbered
lead-in with no task to join), ``annex`` (after the annex label), or a furniture kind
(rule, distribution, printing, date, signature, contact, page, annex label, and the
``navigation`` / ``spam`` lines a web-page reader leaves out). Nothing is dropped silently:
``dropped_lines`` counts the furniture, and ``plancheck tasks`` says it on stderr.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from plancheck.ingest.furniture import furniture_kind
from plancheck.ingest.model import Document
from plancheck.normalise.structure import parse_outline

KEPT = ("task", "heading", "preamble", "context", "annex")


@dataclass(frozen=True)
class LineAccount:
    """Source line (1-based) -> what it became; blank lines are not listed."""

    roles: dict[int, str]

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.roles.values()).items()))

    @property
    def dropped_lines(self) -> int:
        """Lines left out as furniture (never in a task, never in the preamble)."""
        return sum(1 for role in self.roles.values() if role not in KEPT)


def account_lines(doc: Document) -> LineAccount:
    """What every non-blank line of ``doc`` became (see the module docstring)."""
    roles: dict[int, str] = dict(doc.dropped)
    for para, role in parse_outline(doc.paragraphs).roles:
        for line in range(para.line_start, para.line_end + 1):
            roles.setdefault(line, role)
    for row in doc.rows:
        for line in range(row.line_start, row.line_end + 1):
            roles.setdefault(line, "task")
    for line in doc.table_lines:
        roles.setdefault(line, "heading")  # a table's header, title or banner rows
    for n, text in enumerate(doc.lines, start=1):
        if text.startswith("\t"):
            roles.setdefault(n, "heading")  # the same in a tab-indented export
    for n, text in enumerate(doc.lines, start=1):
        if text.strip() and n not in roles:  # prose a reader did not pass on (after a table)
            roles[n] = furniture_kind(text) or "context"
    blank = {n for n, text in enumerate(doc.lines, start=1) if not text.strip()}
    return LineAccount({n: r for n, r in sorted(roles.items()) if n not in blank})
