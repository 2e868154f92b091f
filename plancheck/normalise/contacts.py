"""One detector of personal contact details, shared by redaction and the privacy rules.

    >>> redact("联系人：市卫生健康委综合监督处江雪芹；联系电话：67703018")
    '联系人：市卫生健康委综合监督处［已隐去］；联系电话：［已隐去］'

``find_contacts`` gives the spans (kind, start, end) so a check can report *where* a detail is
without repeating it; ``redact`` replaces each span with ``MASK``; ``redact_tasks`` masks the
text columns of a task table. Only the value is masked: the label (联系人：, 电话：) and the
office before a name stay, so a reader still sees that a contact was given.

What counts as a contact detail (kinds):
- ``phone``: mobile numbers (+86 / 0086 optional; groups 3-4-4 split by one space, '-', '.'),
  landlines with an area code in brackets or followed by a separator, with an extension
  (-801, 转801); and any 7-12 digit number in the list after a phone label (电话, 手机, 传真,
  座机, Tel, Fax, Phone: 电话：67703018，67706772（传真）). Fax numbers are phones.
- ``email``: local@domain with ASCII or full-width @ and dots.
- ``qq``: the number after QQ/扣扣; ``wechat``: the account after 微信号 / 微信： / WeChat:.
- ``id_number``: an 18-character resident ID (area, birth date 19xx/20xx, sequence, check).
- ``person``: the name after 联系人/联络人/经办人 (with a colon, 是 or 为, or directly before a
  phone), or in 请与…同志/先生/女士联系; an office written before the name is kept.

Public service numbers (12345, 12320, 8890) are short and are left alone; dates, amounts and
document numbers never look like a mobile number, an area-code landline or a labelled number.

Full-width forms are folded to ASCII first by a one-to-one character table, so offsets in the
folded text are offsets in the original. Every pattern is linear: a match can only start where
its class of characters starts (look-behinds), and every repetition is bounded or anchored on a
label, so a 200,000-character run of digits or letters costs one pass.
"""

from __future__ import annotations

import re
from typing import Any

from plancheck.normalise.text import show_invisible

__all__ = ["KINDS", "MASK", "find_contacts", "redact", "redact_tasks"]

MASK = "［已隐去］"
KINDS = ("phone", "email", "qq", "wechat", "id_number", "person")

# Full-width ASCII (U+FF01-FF5E), ideographic space and dashes -> ASCII, one char for one char.
_FOLD: dict[int, str] = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)}
_FOLD.update({0x3000: " ", 0xA0: " "} | {ord(dash): "-" for dash in "—–‐‑−﹣"})
_QUICK = re.compile(r"[0-9@]|联|络|经办|与|微信|QQ|qq|扣扣|[Ww]e[Cc]hat|weixin", re.ASCII)

_D = "0-9"
_MOBILE = rf"(?:(?:\+|00)?86[- ]?)?1[3-9][{_D}][-. ]?[{_D}]{{4}}[-. ]?[{_D}]{{4}}"
_LANDLINE = (
    rf"(?:\(0[{_D}]{{2,3}}\) ?|0[{_D}]{{2,3}}[-. ] ?)"
    rf"(?:[{_D}]{{7,8}}|[{_D}]{{3,4}}[- ][{_D}]{{4}})"
    rf"(?:(?:-|转|ext\.?|x)[{_D}]{{1,5}})?"
)
PHONE_RE = re.compile(rf"(?<![{_D}+])(?:{_MOBILE}|{_LANDLINE})(?![{_D}])", re.ASCII)
_PHONE_LABEL_RE = re.compile(
    r"(?:电\s?话|手\s?机|传\s?真|座\s?机|[Tt][Ee][Ll]|[Ff][Aa][Xx]|[Pp]hone)[^0-9\n。;]{0,8}",
    re.ASCII,
)
_BARE_NUMBER_RE = re.compile(rf"(?<![{_D}])[{_D}]{{7,12}}(?![{_D}])", re.ASCII)
_LIST_GAP_RE = re.compile(r"(?:[,、/\s]|或|\([^)0-9]{0,6}\))*")
_EMAIL_CHARS = "A-Za-z0-9._%+-"
EMAIL_RE = re.compile(
    rf"(?<![{_EMAIL_CHARS}])[{_EMAIL_CHARS}]{{1,64}} ?@ ?"
    r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}",
    re.ASCII,
)
_QQ_RE = re.compile(
    rf"(?:QQ|qq|Qq|扣扣)(?:号码?|群)?\s?:?\s?(?P<value>[1-9][{_D}]{{4,11}})(?![{_D}])", re.ASCII
)
_WECHAT_RE = re.compile(
    r"(?:微信号|(?:微信|[Ww]e[Cc]hat|WECHAT|weixin)(?:号码?|ID|id)?\s?:)\s?"
    r"(?P<value>[A-Za-z][-_A-Za-z0-9]{4,19}|[0-9]{5,12})(?![-_A-Za-z0-9])",
    re.ASCII,
)
ID_NUMBER_RE = re.compile(
    rf"(?<![0-9A-Za-z])[1-9][{_D}]{{5}}(?:19|20)[{_D}]{{2}}(?:0[1-9]|1[0-2])"
    rf"(?:0[1-9]|[12][{_D}]|3[01])[{_D}]{{3}}[{_D}Xx](?![0-9A-Za-z])",
    re.ASCII,
)

# Named contact persons. An optional office (ending in a unit suffix) is kept; the names
# (2-4 characters, several joined by 、/和/及) are masked; what follows must end the name.
_UNIT_SUFFIX = "(?:处|科|室|办|局|委|中心|股|站|队|院|所|部|司|厅|会|组)"
_NAME = r"[\u4e00-\u9fff·]{2,4}?(?<![处科室办局委心股站队院所部司厅会组])"  # not an office
_NAMES = rf"(?P<names>{_NAME}(?:[、和及]{_NAME})*|[A-Z][a-z]+(?: [A-Z][a-z]+){{0,2}})"
_OFFICE = rf"(?:[\u4e00-\u9fff（）()]{{0,30}}?{_UNIT_SUFFIX})?"
_END = r"(?=\s|同志|先生|女士|[,;。\n(:)]|$|[0-9]|(?:联系)?电话|手机|座机|邮箱|电子|传真|联系方式|QQ|微信)"
_PERSON_LABEL = r"(?:联\s?系\s?人|联\s?络\s?人|经\s?办\s?人)员?\s?"
_PERSON_RES = (
    # 联系人：张三 / 联系人是张三 / 联系人为市医保局王芳
    re.compile(rf"{_PERSON_LABEL}(?::|是|为)\s?{_OFFICE}\s?{_NAMES}{_END}"),
    # 联系人张三，电话 138… (no colon: only right before a title or a phone)
    re.compile(
        rf"{_PERSON_LABEL}{_OFFICE}{_NAMES}"
        r"(?=同志|先生|女士|\s?[,(]?\s?(?:(?:联系)?电话|手机|座机|[0-9]))"
    ),
    # 请与市卫健委综合监督处张三同志联系
    re.compile(rf"与\s?{_OFFICE}\s?{_NAMES}\s?(?:同志|先生|女士)\s?(?:联系|联络|对接)"),
)


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _phones(text: str) -> list[tuple[str, int, int]]:
    spans = [("phone", m.start(), m.end()) for m in PHONE_RE.finditer(text)]
    for label in _PHONE_LABEL_RE.finditer(text):
        pos = label.end()
        while (number := _BARE_NUMBER_RE.match(text, pos)) is not None:
            spans.append(("phone", number.start(), number.end()))
            gap = _LIST_GAP_RE.match(text, number.end())
            pos = gap.end() if gap is not None else number.end()
    return spans


def _persons(text: str) -> list[tuple[str, int, int]]:
    return [
        ("person", match.start("names"), match.end("names"))
        for regex in _PERSON_RES
        for match in regex.finditer(text)
    ]


def find_contacts(text: str) -> list[tuple[str, int, int]]:
    """Non-overlapping (kind, start, end) spans of contact details, in text order.

    Kinds are those of ``KINDS``; where two detections overlap the one starting first wins
    (the longer one at the same start).
    """
    folded = _fold(text)
    if _QUICK.search(folded) is None:
        return []
    found = _phones(folded) + _persons(folded)
    found += [("email", m.start(), m.end()) for m in EMAIL_RE.finditer(folded)]
    found += [("id_number", m.start(), m.end()) for m in ID_NUMBER_RE.finditer(folded)]
    found += [("qq", m.start("value"), m.end("value")) for m in _QQ_RE.finditer(folded)]
    found += [("wechat", m.start("value"), m.end("value")) for m in _WECHAT_RE.finditer(folded)]
    spans: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(found, key=lambda s: (s[1], -s[2])):
        if spans and start < spans[-1][2]:
            continue  # inside a span already taken
        if text[start:end] == MASK or MASK in text[start:end]:
            continue
        spans.append((kind, start, end))
    return spans


def redact(text: str) -> str:
    """``text`` with the value of every contact detail replaced by ``MASK``, and every control
    or invisible character shown as ``<U+XXXX>`` (``text.show_invisible``): this is what every
    rendered output is built from, so no escape sequence in a task CSV reaches a terminal, a CI
    log or an XML report raw."""
    if not isinstance(text, str) or not text:
        return text
    text = show_invisible(text)
    spans = find_contacts(text)
    if not spans:
        return text
    out, pos = [], 0
    for _, start, end in spans:
        out += [text[pos:start], MASK]
        pos = end
    out.append(text[pos:])
    return "".join(out)


TEXT_COLUMNS = ("section", "heading", "text", "units_raw", "deadline_raw", "lead_unit")


def redact_tasks(tasks: Any) -> Any:
    """A copy of a task table with contact details masked in its text columns and unit lists.

    This is what every rendered output (report, diff in any format, validate output, exports)
    is built from; the task table itself (``plancheck ingest`` CSVs, ``plancheck tasks``) keeps
    the text as written, because it is the faithful record of the source.
    """
    out = tasks.copy()
    for column in TEXT_COLUMNS:
        if column in out.columns:
            out[column] = _map_distinct(out[column], redact)
    if "units" in out.columns:
        out["units"] = _map_distinct(
            out["units"], lambda units: [redact(u) for u in units] if units is not None else units
        )
    return out


def _map_distinct(values: Any, convert: Any) -> Any:
    """``convert`` once per distinct value (tables repeat sections and unit lists)."""
    memo: dict[Any, Any] = {}

    def once(value: Any) -> Any:
        key = tuple(value) if isinstance(value, list) else value
        try:
            if key not in memo:
                memo[key] = convert(value)
            return memo[key]
        except TypeError:  # unhashable: convert directly
            return convert(value)

    return values.map(once)
