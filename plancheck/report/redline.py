"""Character-level redline of a reference text against a target text, as plain segments.

The renderers turn the segments into <del>/<ins> (Markdown and HTML alike), so deleted and
inserted text land in their own elements in every CommonMark renderer and in browsers; the
emphasis markers ``~~``/``**`` are not used because CommonMark does not open emphasis next to
Chinese punctuation.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

Segment = tuple[str, str]  # ("equal" | "delete" | "insert", text)


def _merge_short_equal(
    ops: Sequence[tuple[str, str, str]], shortest: int = 2
) -> list[tuple[str, str, str]]:
    """Absorb one-character agreements between two edits, which make a Chinese redline choppy."""
    merged: list[tuple[str, str, str]] = []
    for k, (tag, old, new) in enumerate(ops):
        short_gap = tag == "equal" and 0 < k < len(ops) - 1 and len(old) < shortest
        if tag == "equal" and not short_gap:
            merged.append((tag, old, new))
        elif merged and merged[-1][0] == "replace":
            _, old0, new0 = merged.pop()
            merged.append(("replace", old0 + old, new0 + new))
        else:
            merged.append(("replace", old, new))
    return merged


def redline_segments(reference: str, target: str) -> list[Segment]:
    """Equal, deleted and inserted runs that turn ``reference`` into ``target``."""
    matcher = SequenceMatcher(None, reference, target, autojunk=False)
    ops = [(tag, reference[i1:i2], target[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    segments: list[Segment] = []
    for tag, old, new in _merge_short_equal(ops):
        if tag == "equal":
            segments.append(("equal", old))
            continue
        if old.strip():
            segments.append(("delete", old.strip()))
        if new.strip():
            segments.append(("insert", new.strip()))
    return segments
