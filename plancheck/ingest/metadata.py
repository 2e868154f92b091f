"""What a plan says about itself: title, issuing office, document number, issue date,
jurisdiction, level, and the higher documents its preamble cites.

    from plancheck.ingest import read_document
    from plancheck.ingest.metadata import read_metadata
    meta = read_metadata(read_document("datasets/raw/002_82fb3db6e2e51aed.txt"))

Works on the cleaned lines of a ``Document`` (simplified characters, any reader). What the
heuristics assume about the documents:

- The *head* is everything before the first part heading (``一、``); title, document number,
  office, addressees and preamble live there. The issue date may also sit at the very end.
- Title, by priority: a web page's ``标题：`` field (the 《…》 inside a headline such as
  ``省政府办公厅出台《…》``); the wrapper ``关于印发《X》的通知`` (X, over up to four lines); else the
  first run of short heading lines that, joined, ends in a plan word (方案, 意见, 分工, …).
- Document number: ``<prefix>〔year〕n号`` with any of 〔〕 [] ［］ ﹝﹞ () （） 【】 and spaces;
  normalised to 〔〕, no spaces, no leading zeros. Prose words glued in front (根据, 印发…) are cut.
- Office: a red-header line ``X文件``, else the line right above a date line (the signature,
  in the head or in the last 40 lines), else a web page's ``发文机关`` field when it agrees with
  the title's place.
- Issue date (成文日期): a web page's ``成文日期`` field (2019年9月12日 or 2019-09-12), else the
  first line that is only a date (Arabic or Chinese numerals); lines saying 印发 (the printing
  date) are skipped.
- Jurisdiction: the place the title starts with, else the office's. Level from its suffix: 国务院
  / 国家 national; 省, 自治区 and the four 直辖市 province; 州, 盟, 地区 city; 县, 区, 旗 county; a 市
  is a county-level city when the plan addresses townships (乡镇, 街道) or cites a plan of another 市.
- Citations: every 《title》 after a cue verb (贯彻, 落实, 根据, 按照, 依据) in a head sentence,
  with the document number in the brackets right after it when there is one; the plan's own
  title and short back-references such as 《实施方案》 are not citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plancheck.ingest.model import Document
from plancheck.normalise.numbering import chinese_numeral
from plancheck.registry.lookup import MUNICIPALITIES  # 直辖市: province level

LEVELS = ("national", "province", "city", "county")
PLAN_WORDS = (
    "方案", "意见", "分工", "规划", "计划", "办法", "细则", "措施", "要点", "清单", "通知", "决定",
)  # fmt: skip
CUES = ("贯彻", "落实", "根据", "按照", "依据", "依照", "执行")

_OPEN, _CLOSE = r"〔\[［﹝(（【", r"〕\]］﹞)）】"
DOC_NUMBER_RE = re.compile(
    rf"([\u4e00-\u9fff]{{1,10}}?)\s*[{_OPEN}]\s*((?:19|20)\d\d)\s*[{_CLOSE}]\s*0*(\d{{1,4}})\s*号"
)
_PROSE_BEFORE_NUMBER = re.compile(
    r"^.*?(?:根据|按照|依据|依照|贯彻|落实|印发|转发|参照|文件|和|及|见)"
)
_PLACE_RE = re.compile(
    r"^(?:中华人民共和国)?("
    r"[\u4e00-\u9fff]{2,12}?(?:自治区|自治州|自治县|自治旗|特别行政区)"
    r"|[\u4e00-\u9fff]{1,4}?(?:省|市|州|盟|地区|县|区|旗))"
)
_NOT_PLACE = ("关于", "推进", "全面", "加强", "完善", "改革", "进一步", "深化", "健全")
_OFFICE_END = r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|卫生健康委|局|厅|委)"
_OFFICE_RE = re.compile(rf"^[\u4e00-\u9fff]{{2,24}}{_OFFICE_END}$")
_CN_DIGITS = "〇零一二三四五六七八九"
_DATE_RE = re.compile(
    rf"^((?:19|20)\d\d|[{_CN_DIGITS}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN_DIGITS}十]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{_CN_DIGITS}十]{{1,3}})\s*日$"
)
_PART_HEADING_RE = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_CITATION_RE = re.compile(r"《([^《》]{2,120})》")
_NUMBER_AFTER_RE = re.compile(r"\s*[(（]?\s*" + DOC_NUMBER_RE.pattern)
_WRAPPER_RE = re.compile(r"关于(?:印发|转发)《?(.+?)》?的通知")
_LABEL_RE = re.compile(r"(标题|发文机关|成文日期|发文字号|发布日期|主题词|索引号|主题分类)[:：]")


@dataclass(frozen=True)
class Citation:
    """A higher document the preamble cites. ``key`` is the normalised title (see title_key)."""

    title: str
    doc_number: str | None
    key: str
    line: int
    level: str | None


@dataclass(frozen=True)
class DocumentMeta:
    """What the document says about itself; a field the document does not state is None."""

    title: str | None
    office: str | None
    doc_number: str | None
    issued: str | None  # YYYY-MM-DD
    jurisdiction: str | None
    level: str | None
    citations: tuple[Citation, ...] = ()

    @property
    def year(self) -> int | None:
        found = re.search(r"〔(\d{4})〕", self.doc_number or "")
        if found:
            return int(found.group(1))
        return int(self.issued[:4]) if self.issued else None


def _clean(line: str) -> str:
    """A line without Markdown heading marks and spaces (titles wrap at arbitrary points)."""
    return re.sub(r"\s+", "", line.lstrip("#").strip())


def parse_doc_number(text: str) -> str | None:
    """The first document number in ``text``, normalised (``凌政办发〔2021〕3号``)."""
    found = DOC_NUMBER_RE.search(text)
    if not found:
        return None
    prefix = _PROSE_BEFORE_NUMBER.sub("", found.group(1)) or found.group(1)
    return f"{prefix}〔{found.group(2)}〕{int(found.group(3))}号"


def place_of(name: str | None) -> str | None:
    """The place a title or office name starts with (辽宁省, 凌源市, 国务院), or None."""
    text = _clean(name or "")
    if text.startswith(("国务院", "国家", "中共中央")):
        return "国务院" if text.startswith("国务院") else text[:2]
    found = _PLACE_RE.match(text)
    if not found or any(word in found.group(1) for word in _NOT_PLACE):
        return None
    return found.group(1)


def level_of_place(place: str | None) -> str | None:
    """Administrative level from a place name's suffix (a plain 市 is taken as a city)."""
    if not place:
        return None
    if place in ("国务院", "国家", "中共中央"):
        return "national"
    if place.endswith(("省", "自治区", "特别行政区")) or place in MUNICIPALITIES:
        return "province"
    if place.endswith(("市", "州", "盟", "地区")):
        return "city"
    return "county"


def title_key(title: str) -> str:
    """Normalised title for matching a citation with a plan: the 关于印发《X》的通知 wrapper
    removed, an office between the place and 关于 dropped, spaces and brackets removed."""
    text = _clean(title).strip("《》")
    wrapped = _WRAPPER_RE.search(text)
    if wrapped:
        text = wrapped.group(1)
    office = re.match(rf"^(.*?){_OFFICE_END}关于(.+)$", text)
    if office:
        text = (place_of(office.group(1)) or "") + office.group(2)
    elif text.startswith("关于"):
        text = text[2:]
    return re.sub(r"[《》“”\"'（）()\s]", "", text)


def _head_end(lines: list[str]) -> int:
    """Index of the first part heading (一、…), or a bound when the document has none."""
    for i, line in enumerate(lines):
        if _PART_HEADING_RE.match(_clean(line)):
            return i
    return min(len(lines), 60)


def _labels(head: list[str]) -> dict[str, str]:
    """A portal page's labelled fields (标题, 发文机关, 成文日期, …), several to a line
    (``发文机关: X 成文日期: Y``); the first value of each label wins."""
    fields: dict[str, str] = {}
    for line in head:
        text = _clean(line)
        marks = list(_LABEL_RE.finditer(text))
        if not marks or marks[0].start() != 0:  # a field line starts with its label
            continue
        for n, mark in enumerate(marks):
            end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
            fields.setdefault(mark.group(1), text[mark.end() : end].strip())
    return fields


def _ends_as_title(text: str) -> bool:
    return text.endswith(PLAN_WORDS)


def _nonempty(head: list[str], start: int) -> list[tuple[int, str]]:
    return [(i, _clean(head[i])) for i in range(start, len(head)) if _clean(head[i])]


def _wrapped_title(head: list[str]) -> str | None:
    """X of a 关于印发《X》的通知 heading (the notice that issues the plan), over ≤4 lines."""
    for i, line in enumerate(head):
        text = _clean(line)
        if not re.search("关于(?:印发|转发)", text) or "《" in text.split("关于")[0]:
            continue
        joined = "".join(t for _, t in _nonempty(head, i)[:4])
        found = _WRAPPER_RE.search(joined)
        if found and len(found.group(1)) >= 6:
            return found.group(1).strip("《》")
    return None


def _titleish(text: str) -> bool:
    return (
        4 <= len(text) <= 60
        and not re.search(r"[。，：:；]", text)
        and not DOC_NUMBER_RE.search(text)
        and not _DATE_RE.match(text)
        and not re.match(r"^附件\s*\d*$", text)
        and not text.endswith("文件")
        and not text.startswith(("为", "根据", "按照"))
    )


def _heading_title(head: list[str]) -> str | None:
    """The first run of short heading lines that, joined, ends in a plan word."""
    rows = _nonempty(head, 0)
    for n, (_, text) in enumerate(rows):
        if not _titleish(text):
            continue
        joined = text
        for _, more in rows[n + 1 : n + 4]:
            if _ends_as_title(joined) or not _titleish(more):
                break
            joined += more
        if _ends_as_title(joined) and len(joined) >= 8:
            return joined
    return None


def _label_title(value: str | None) -> str | None:
    if not value:
        return None
    wrapped = _WRAPPER_RE.search(_clean(value))
    if wrapped and len(wrapped.group(1)) >= 6:
        return wrapped.group(1).strip("《》")
    inner = re.search(r"《([^《》]{6,})》", value)
    return inner.group(1) if inner else value


def _date(text: str) -> str | None:
    found = _DATE_RE.match(_clean(text))
    if not found:
        return None
    parts = []
    for part in found.groups():
        if part.isdigit():
            parts.append(int(part))
        elif len(part) == 4:  # 二〇二一: digit by digit
            parts.append(int("".join(str(max(_CN_DIGITS.index(c) - 1, 0)) for c in part)))
        else:
            parts.append(chinese_numeral(part))
    year, month, day = parts
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_NUMERIC_DATE_RE = re.compile(r"^((?:19|20)\d\d)[-./](\d{1,2})[-./](\d{1,2})")


def _label_date(value: str) -> str | None:
    """A portal's date field: 2019年9月12日 or 2019-09-12 / 2019.9.12."""
    found = _NUMERIC_DATE_RE.match(_clean(value))
    if found:
        year, month, day = map(int, found.groups())
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    return _date(value)


def _issue_date(lines: list[str], labels: dict[str, str]) -> str | None:
    labelled = _label_date(labels.get("成文日期", ""))
    if labelled:
        return labelled
    for line in lines:
        if "印发" not in line and _date(line):
            return _date(line)
    return None


def _office(
    head: list[str], tail: list[str], labels: dict[str, str], title_place: str | None
) -> str | None:
    for _, text in _nonempty(head, 0):
        if text.endswith("文件") and _OFFICE_RE.match(text[:-2]):
            return text[:-2]
    rows = _nonempty(head, 0) + _nonempty(tail, 0)  # the signature: above the notice or at the end
    for n, (_, text) in enumerate(rows[1:], start=1):
        previous = rows[n - 1][1]
        if _date(text) and _OFFICE_RE.match(previous):
            return previous
    labelled = labels.get("发文机关")
    if labelled and (title_place is None or labelled.startswith(title_place)):
        return labelled
    return None


def _citations(head: list[str], own_key: str | None) -> list[Citation]:
    """Every 《title》（number） after a cue verb in a head sentence, in order, once each."""
    spans: list[int] = []
    text = ""
    for i, line in enumerate(head):  # joined text, remembering each character's line
        piece = _clean(line)
        spans.extend([i + 1] * len(piece))
        text += piece
    found: list[Citation] = []
    start = 0
    for sentence in re.split("[。；]", text):
        cue = min((p for p in (sentence.find(c) for c in CUES) if p >= 0), default=-1)
        if cue >= 0:
            for match in _CITATION_RE.finditer(sentence, cue):
                title = match.group(1)
                after = _NUMBER_AFTER_RE.match(sentence, match.end())
                number = parse_doc_number(after.group(0)) if after else None
                key = title_key(title)
                if len(key) < 8 or key == own_key or any(c.key == key for c in found):
                    continue
                at = spans[start + match.start()] if spans else 0
                level = level_of_place(place_of(title))
                found.append(Citation(title, number, key, at, level))
        start += len(sentence) + 1
    return found


def _is_county_city(lines: list[str], place: str, citations: list[Citation]) -> bool:
    """A 市 that addresses townships, or cites another 市's plan, is a county-level city."""
    text = "".join(_clean(line) for line in lines)
    if re.search(r"各乡镇|乡镇人民政府|各街道|县级市", text) and not re.search(r"各县[（(]", text):
        return True
    return any(c.level == "city" and place_of(c.title) not in (None, place) for c in citations)


def read_metadata(doc: Document) -> DocumentMeta:
    """Title, office, document number, issue date, jurisdiction, level and citations."""
    lines = doc.lines
    head = lines[: _head_end(lines)]
    labels = _labels(head)
    title = _label_title(labels.get("标题")) or _wrapped_title(head) or _heading_title(head)
    title_place = place_of(title)
    office = _office(head, lines[max(len(head), len(lines) - 40) :], labels, title_place)
    number = next((n for n in map(parse_doc_number, (_clean(x) for x in head[:40])) if n), None)
    own_key = title_key(title) if title else None
    citations = _citations(head, own_key)
    if number and any(c.doc_number == number for c in citations):
        number = None  # the number belonged to a citation, not to this document
    place = title_place or place_of(office)
    level = level_of_place(place)
    if (
        level == "city"
        and place
        and place.endswith("市")
        and _is_county_city(head, place, citations)
    ):
        level = "county"
    return DocumentMeta(
        title=title,
        office=office,
        doc_number=number,
        issued=_issue_date(lines, labels),
        jurisdiction=place,
        level=level,
        citations=tuple(citations),
    )
