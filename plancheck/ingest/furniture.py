"""Document furniture: lines that belong to the document, never to a clause.

Recognised kinds (``furniture_kind``): a horizontal rule (--- ___), the distribution list
(抄送：), the printing line (XX 2021年2月17日印发, 共印6份, （此件公开发布）), a date of issue on its
own line, the issuing office's signature (a short line that is only an office's name, with no
punctuation), contact details (联系人： 联系电话：), page numbers, the red header (XX人民政府
办公室文件, and the document number alone on its line), and an annex label (附件, 附件1,
附件：名称). None of them ends the plan by itself; the outline parser decides, from what
follows an annex label, whether the annex really starts there (see ``structure.py``). Every
line dropped this way is counted, so nothing is lost silently.
"""

from __future__ import annotations

import re

RULE_RE = re.compile(r"^(?:[-_—－=＝*·]\s*){3,}$")
ANNEX_RE = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?\s*\S{0,40}$")
_CN_DATE = r"[〇零一二三四五六七八九十○Ｏ0O]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
_KINDS = (
    ("rule", RULE_RE),
    ("distribution", re.compile(r"^抄\s*送\s*[:：]")),
    (
        "printing",
        re.compile(
            r"^\S{0,30}\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$|^共印\s*\d+\s*份$"
            r"|^[（(]此件(?:公开发布|不公开|主动公开)[）)]$|^[（(]?信息公开(?:选项|形式)[:：]"
        ),
    ),
    ("date", re.compile(rf"^(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|{_CN_DATE})$")),
    ("contact", re.compile(r"^(?:联系人|联系电话|联系方式|电子邮箱|传真)[:：]")),
    ("page", re.compile(r"^[-—－]?\s*\d{1,3}\s*[-—－]?$|^第\s*\d+\s*页")),
    # The red header of an official document: the issuing body's name + 文件 on a line of its
    # own, and the document number alone on its line under it (the number is still read from
    # the lines by ``metadata.py``).
    (
        "letterhead",
        re.compile(
            r"^[\u4e00-\u9fff]{2,30}(?:人民政府|办公室|办公厅|委员会|党委|局|厅|委|部)\s*文\s*件$"
            r"|^[\u4e00-\u9fff]{1,12}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号$"
        ),
    ),
)
# An office signing the document: only its name, short, no punctuation.
_SIGNATURE_RE = re.compile(
    r"^[\u4e00-\u9fff]{2,30}(?:人民政府|办公室|办公厅|委员会|领导小组|工作小组|"
    r"人民代表大会常务委员会|党委|政府|卫生健康委|局|委|厅|中心)$"
)


def furniture_kind(text: str) -> str | None:
    """The furniture kind of one paragraph (see the module docstring), or None."""
    text = text.strip()
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    if ANNEX_RE.match(text):
        return "annex-label"
    if _SIGNATURE_RE.match(text):
        return "signature"
    return None


def is_separator(text: str) -> bool:
    """A line that never continues the paragraph above it and that nothing continues."""
    return furniture_kind(text) not in (None, "signature")


def is_signature(text: str) -> bool:
    return bool(_SIGNATURE_RE.match(text.strip()))
