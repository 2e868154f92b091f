"""The same plan in any Chinese encoding and with any line ends gives the same task table."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest
from conftest import SEEDS

from plancheck.errors import InputError
from plancheck.ingest import build_task_table
from plancheck.ingest.decode import decode_bytes

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),  # with BOM
    "utf-16-le": lambda text: text.encode("utf-16-le"),  # without BOM
    "utf-16-be": lambda text: text.encode("utf-16-be"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "gb2312": lambda text: text.encode("gb2312"),
}
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def _table(path, **kwargs) -> pd.DataFrame:
    return build_task_table(path, plan_id="p", **kwargs).drop(columns="source_file")


def _same(copy: pd.DataFrame, original: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(copy.reset_index(drop=True), original.reset_index(drop=True))


@pytest.fixture(scope="module")
def originals() -> dict[str, pd.DataFrame]:
    return {plan_id: _table(path) for plan_id, path in SEEDS.items()}


@pytest.mark.parametrize("plan_id", list(SEEDS))
@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_seed_in_every_encoding(tmp_path, originals, plan_id, encoding):
    text = SEEDS[plan_id].read_text(encoding="utf-8")
    try:
        data = ENCODINGS[encoding](text)
    except UnicodeEncodeError:
        pytest.skip(f"{plan_id} has characters outside {encoding}")
    path = tmp_path / "copy.txt"
    path.write_bytes(data)
    _same(_table(path), originals[plan_id])


@pytest.mark.parametrize("plan_id", list(SEEDS))
@pytest.mark.parametrize("ending", list(LINE_ENDS))
def test_every_seed_with_every_line_end(tmp_path, originals, plan_id, ending):
    text = SEEDS[plan_id].read_text(encoding="utf-8").replace("\n", LINE_ENDS[ending])
    path = tmp_path / "copy.txt"
    path.write_bytes(text.encode("gb18030"))
    _same(_table(path), originals[plan_id])


def test_gbk_where_the_seed_has_one_non_gbk_space(tmp_path, originals):
    """The Leshan table has NBSPs, which GBK lacks; the reader treats them as spaces anyway."""
    text = SEEDS["leshan"].read_text(encoding="utf-8").replace("\xa0", " ")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    _same(_table(path), originals["leshan"])


def test_big5_copy_of_the_traditional_page(tmp_path, originals):
    """Big5 holds neither the page's pinyin tone letters nor its byte damage, so the copy is
    the page as the reader cleaned it (line for line), written in Taiwan-standard traditional
    characters: read as Big5 and converted back, it gives the original task table."""
    import opencc

    from plancheck.ingest import read_document

    cleaned = "\n".join(read_document(SEEDS["liaoning-2019"]).lines)
    path = tmp_path / "big5.txt"
    path.write_bytes(opencc.OpenCC("s2tw").convert(cleaned).encode("big5"))
    _same(_table(path), originals["liaoning-2019"])


def test_encoding_override(tmp_path, originals):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEEDS["chongqing-2019"].read_text(encoding="utf-8").encode("gbk"))
    _same(_table(path, encoding="gb18030"), originals["chongqing-2019"])
    _same(_table(path, encoding="GBK"), originals["chongqing-2019"])


def test_wrong_override_is_a_clear_error(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEEDS["chongqing-2019"].read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(InputError, match="cannot decode as utf-8.*--encoding"):
        _table(path, encoding="utf-8")
    with pytest.raises(InputError, match="no-such-codec"):
        _table(path, encoding="no-such-codec")


SHORT = (
    "一、总体要求",
    "到2020年底，基本建成综合监管制度。",
    "（一）加强党的领导。坚持党的全面领导，建立卫生监督协调员制度。（责任单位：市卫健委）",
    "二、重点任务\n（一）明确监管责任。建立督查机制。\n（二）强化执法。",
)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("text", SHORT)
def test_short_texts_decode(text, encoding):
    """Even a line or two is detected (GB wins a detector tie: mainland documents)."""
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_line_ends_become_lf(ending):
    assert (
        decode_bytes(f"一、总体要求{ending}二、重点任务{ending}".encode())
        == "一、总体要求\n二、重点任务\n"
    )
