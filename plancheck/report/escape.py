"""The one escaping function for Markdown (and the HTML that Markdown lets through).

Every Markdown output that shows text from a document or a manifest — ``validation.md``,
``validate --format markdown`` and the GitHub step summary, ``index.md``, the diff reports —
passes that text through ``markdown_inline`` (inside a paragraph or a link text) or
``markdown_cell`` (inside a table cell). The result renders literally on GitHub, GitLab and
any CommonMark renderer: ``<``, ``>`` and ``&`` become entities, so no tag
(``<img onerror=…>``, ``<script>``) reaches a browser live, and Markdown's own specials are
backslash-escaped, so no emphasis, link, image, heading or table break is made from input.
The HTML reports use Jinja2's autoescape instead; the same characters are covered.
"""

from __future__ import annotations

import re

__all__ = ["markdown_cell", "markdown_inline"]

# '_' between two letters or digits never makes emphasis (GFM), so file names stay readable.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*~\[\]|#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Control characters and the bidirectional overrides that disguise text become a space; line
# breaks are kept for callers that turn them into <br> (markdown_cell does).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def markdown_inline(text: object) -> str:
    """Text that renders literally inside a paragraph (no emphasis, links or HTML)."""
    flat = _CONTROL.sub(" ", str(text)).translate(_HTML_SPECIAL)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def markdown_cell(text: object) -> str:
    """A table cell: escaped as inline text, line breaks as <br>, so the row stays intact."""
    return "<br>".join(markdown_inline(line) for line in str(text).splitlines()) or " "
