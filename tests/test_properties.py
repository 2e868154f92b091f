"""Property-based tests: nothing crashes on arbitrary input, nothing in a clause is lost."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.errors import InputError
from plancheck.ingest import build_task_table
from plancheck.ingest.decode import decode_bytes
from plancheck.ingest.formats import sniff
from plancheck.normalise.contacts import MASK, find_contacts, redact
from plancheck.normalise.text import show_invisible

# Derandomised so CI is stable; run with --hypothesis-seed=<n> (and more examples) to explore.
FAST = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

# Clause text: common simplified characters of plans, without Chinese numerals (a wrapped line
# starting with 二、 is a new part even to a human reader) and with in-sentence punctuation.
POOL = (
    "加强党的领导建立健全医疗卫生行业综合监管制度完善机构自治律政府社会监督体系推进"
    "法规标准信息公开信用管理执法队伍能力考核评价药品耗材器械费用服务质量安全落实责任"
    "部门协调机制重点领域全面深化改革创新方式手段提高水平保障人民群众健康权益"
)
CONTENT = st.text(alphabet=POOL + "，、", min_size=2, max_size=60).filter(
    lambda s: s[0] not in "，、"
)
CLAUSE = st.tuples(CONTENT, CONTENT).map(lambda parts: f"{parts[0]}。{parts[1]}。")
CLAUSES = st.lists(CLAUSE, min_size=2, max_size=8)  # a plan has a few clauses
CN = "一二三四五六七八九十"


def _ingest(data: bytes, name: str = "plan.txt"):
    """Build the task table of ``data``; InputError is the only acceptable failure."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return build_task_table(path, plan_id="p")
        except InputError as err:
            assert "\n" not in str(err)
            return None


@FAST
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_crash(data):
    _ingest(data)


@FAST
@given(st.binary(max_size=600))
def test_arbitrary_bytes_behind_a_container_signature_never_crash(data):
    for head in (b"%PDF-1.4\n", b"PK\x03\x04word/document.xml", b"<!DOCTYPE html><p>"):
        _ingest(head + data)


@FAST
@given(st.text(max_size=2000))
def test_arbitrary_text_never_crashes(text):
    _ingest(text.encode("utf-8", errors="surrogatepass"))


PLANISH = st.lists(
    st.one_of(
        st.sampled_from(
            ["一、", "（一）", "(二)", "1.", "2、", "（1）", "\t", "# ", "附件1", "抄送："]
        ),
        st.text(alphabet=POOL + "，。；：（）() 　\t\n责任单位市卫健委等年月底", max_size=30),
    ),
    max_size=40,
).map("".join)


@FAST
@given(PLANISH)
def test_plan_like_text_never_crashes(text):
    """Numbering markers, tabs and units in random order hit every reader and the normaliser."""
    _ingest(text.encode("utf-8"))


@FAST
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_decoding_never_crashes(text, encoding):
    with contextlib.suppress(InputError):
        decode_bytes(text.encode(encoding, errors="ignore"))


@FAST
@given(st.binary(max_size=2000))
def test_sniff_is_total(data):
    assert sniff(data) in (None, "docx", "xlsx", "xls", "pdf", "html", "doc", "zip", "ofd", "image")


def _plan(clauses: list[str]) -> list[str]:
    return ["某市实施方案", "一、重点任务"] + [
        f"（{CN[i % 10]}）{clause}" for i, clause in enumerate(clauses)
    ]


def _assert_accounted(tasks, clauses: list[str]) -> None:
    """Every generated character appears, in order, in the task texts (here: exactly)."""
    assert tasks is not None
    assert tasks["text"].tolist() == clauses


@FAST
@given(CLAUSES)
def test_every_clause_character_is_kept(clauses):
    _assert_accounted(_ingest("\n".join(_plan(clauses)).encode("utf-8")), clauses)


# PDF text: the page width is only recognisable when most lines run to it, as in real plans.
PHRASES = st.lists(st.text(alphabet=POOL, min_size=4, max_size=14), min_size=5, max_size=12)
LONG_CLAUSE = st.tuples(CONTENT, PHRASES).map(lambda parts: f"{parts[0]}。{'，'.join(parts[1])}。")


@FAST
@given(st.lists(LONG_CLAUSE, min_size=2, max_size=6), st.integers(min_value=18, max_value=40))
def test_hard_wrapped_clauses_are_rejoined_without_loss(clauses, width):
    lines = []
    for line in _plan(clauses):
        lines += [line[i : i + width] for i in range(0, len(line), width)]
    _assert_accounted(_ingest("\n\n".join(lines).encode("utf-8")), clauses)


@FAST
@given(CLAUSES)
def test_docx_clauses_are_kept(clauses):
    document = docx.Document()
    for line in _plan(clauses):
        document.add_paragraph(line)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.docx"
        document.save(path)
        _assert_accounted(_ingest(path.read_bytes()), clauses)


@FAST
@given(CLAUSES)
def test_task_table_cells_are_kept(clauses):
    rows = ["\t具体任务\n\t责任单位\n"] + [
        f"\t{i}.{clause}\n\t市卫健委\n" for i, clause in enumerate(clauses, start=1)
    ]
    _assert_accounted(_ingest("\n".join(rows).encode("utf-8")), clauses)


@FAST
@given(st.text(max_size=200))
def test_redact_masks_exactly_the_spans_found(text):
    spans = find_contacts(text)
    assert all(0 <= start < end <= len(text) for _, start, end in spans)
    assert all(a[2] <= b[1] for a, b in zip(spans, spans[1:], strict=False))
    out = redact(text)
    # apart from the masks, only control and invisible characters change (shown as <U+...>)
    assert out.count(MASK) >= len(spans) and (spans or out == show_invisible(text))
    assert find_contacts(out) == [] or MASK in text
