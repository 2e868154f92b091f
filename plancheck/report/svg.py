"""Small inline SVG charts for the HTML reports (no script, no external files)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

COLOURS = {"kept": "#12b76a", "changed": "#175cd3", "omitted": "#b42318"}
LABELS = {"kept": "保留 kept", "changed": "有变化 changed", "omitted": "缺失 omitted"}


def status_bar(kept: int, changed: int, omitted: int, total: int, width: int = 330) -> str:
    """A stacked bar of clause statuses, with a legend; the coverage is kept + changed."""
    parts = [("kept", kept), ("changed", changed), ("omitted", omitted)]
    x, rects, legend = 0.0, [], []
    legend_x = (0, 90, 215)  # room for 保留 kept N, 有变化 changed NN, 缺失 omitted NN
    for k, (status, count) in enumerate(parts):
        share = width * count / total if total else 0
        if share:
            rects.append(
                f'<rect x="{x:.1f}" y="0" width="{share:.1f}" height="18" fill="{COLOURS[status]}">'
                f"<title>{LABELS[status]} {count}</title></rect>"
            )
        x += share
        legend.append(
            f'<rect x="{legend_x[k]}" y="26" width="10" height="10" fill="{COLOURS[status]}"/>'
            f'<text x="{legend_x[k] + 14}" y="35">{LABELS[status]} {count}</text>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="条款状态 clause status" width="{width}" '
        f'height="42" viewBox="0 0 {width} 42" xmlns="http://www.w3.org/2000/svg">'
        + "".join(rects + legend)
        + "</svg>"
    )


def coverage_bars(rows: Sequence[tuple[str, float]], width: int = 560) -> str:
    """One horizontal bar per (label, coverage 0..1), labelled with the percentage."""
    label_w, bar_w, step = 220, width - 280, 24
    height = step * len(rows) + 4
    items = []
    for k, (label, coverage) in enumerate(rows):
        y = k * step
        items.append(
            f'<text x="0" y="{y + 15}">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" fill="#eaecf0"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * coverage:.1f}" height="16" '
            f'fill="#175cd3"><title>{coverage:.1%}</title></rect>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{coverage:.1%}</text>'
        )
    return (
        f'<svg class="chart" role="img" aria-label="覆盖率 coverage" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(items)
        + "</svg>"
    )
