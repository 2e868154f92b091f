"""Personal contact details out of anything a report copies: phones, e-mails, contact persons.

    >>> redact("联系人：市卫生健康委综合监督处江雪芹；联系电话：67703018")
    '联系人：市卫生健康委综合监督处［已隐去］；联系电话：［已隐去］'

``find_contacts`` gives the spans (kind, start, end) so a check can report *where* a detail
is without repeating it; ``redact`` replaces each span with ``MASK``. Public service numbers
(12345, 12320, 8890) are short and are left alone; dates, amounts and document numbers never
look like a phone number with an area code or a mobile number.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "find_contacts", "redact"]

MASK = "［已隐去］"
_NO_DIGIT_BEFORE, _NO_DIGIT_AFTER = r"(?<![\d０-９])", r"(?![\d０-９])"
_DASH = r"[-－—–]"
_MOBILE = rf"(?:\+?86{_DASH}?)?1[3-9]\d(?:{_DASH}|\s)?\d{{4}}(?:{_DASH}|\s)?\d{{4}}"
_LANDLINE = (
    rf"(?:[（(]0\d{{2,3}}[）)]\s*|0\d{{2,3}}{_DASH}\s*)\d{{7,8}}(?:(?:{_DASH}|转)\d{{1,5}})?"
)
PHONE_RE = re.compile(rf"{_NO_DIGIT_BEFORE}(?:{_MOBILE}|{_LANDLINE}){_NO_DIGIT_AFTER}")
# A bare 7-8 digit number is a phone only in a phone label's list: 电话：67703018，67706772（传真）
_PHONE_LABEL_RE = re.compile(
    r"(?:电\s*话|手\s*机|传\s*真|座\s*机|热\s*线|[Tt][Ee][Ll]|[Ff][Aa][Xx])[^\d\n。；;]{0,8}"
)
_BARE_NUMBER_RE = re.compile(rf"{_NO_DIGIT_BEFORE}\d{{7,8}}{_NO_DIGIT_AFTER}")
_LIST_GAP_RE = re.compile(r"(?:[，,、/\s]|或|[（(][^）)\d]{0,6}[）)])*")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+\s*[@＠]\s*[A-Za-z0-9-]+(?:[.．][A-Za-z0-9-]+)+")
# The value after a contact label, up to the next separator or the next label.
_PERSON_RE = re.compile(
    r"(?:联\s*系\s*人|联\s*络\s*人|经\s*办\s*人)(?:员)?\s*[:：]\s*"
    r"(?P<value>[^，,；;。\n（(：:]+?)"
    r"(?=\s*(?:[，,；;。\n（(：:]|$|(?:联系)?电话|手机|邮箱|电子邮|传真))"
)
# Keep the office and mask the person: 市卫生健康委综合监督处江雪芹 -> 市卫生健康委综合监督处［已隐去］
_OFFICE_THEN_NAME_RE = re.compile(
    r"^(?P<office>.*(?:处|科|室|办|局|委|中心|股|站|队|院|所|部|司|厅|会))"
    r"\s*(?P<name>[\u4e00-\u9fff·]{2,4}?)(?:同志|先生|女士)?$"
)


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
    spans = []
    for match in _PERSON_RE.finditer(text):
        value = match.group("value").strip()
        if not value or MASK in value or PHONE_RE.fullmatch(value) or EMAIL_RE.fullmatch(value):
            continue  # already masked, or a phone/e-mail found as such (联系人：138…)
        start = match.start("value") + match.group("value").index(value)
        office = _OFFICE_THEN_NAME_RE.match(value)
        if office is not None:
            start += office.start("name")
        spans.append(("person", start, match.start("value") + len(match.group("value").rstrip())))
    return spans


def find_contacts(text: str) -> list[tuple[str, int, int]]:
    """Non-overlapping (kind, start, end) spans of contact details; kind is phone/email/person."""
    found = _phones(text) + _persons(text)
    found += [("email", m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    spans: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(found, key=lambda s: (s[1], -s[2])):
        if spans and start < spans[-1][2]:
            continue  # inside a span already taken (the longer one at the same start wins)
        spans.append((kind, start, end))
    return spans


def redact(text: str) -> str:
    """``text`` with every phone number, e-mail address and named contact person masked."""
    out, pos = [], 0
    for _, start, end in find_contacts(text):
        out += [text[pos:start], MASK]
        pos = end
    out.append(text[pos:])
    return "".join(out)
