"""Document metadata and citations: the seeds pinned by hand, synthetic plans in many spellings."""

from __future__ import annotations

import pytest
from conftest import ROOT

from plancheck.ingest import read_document
from plancheck.ingest.metadata import level_of_place, parse_doc_number, read_metadata, title_key

RAW = ROOT / "datasets" / "raw"

BODY = """
一、总体要求
到2025年，建成综合监管制度。
二、重点任务
（一）加强党的领导。完善党建工作机制。（责任单位：县卫生健康局）
（二）落实监管责任。建立督查机制。（责任单位：县市场监管局）
"""


def meta_of(tmp_path, text: str, name: str = "plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_metadata(read_document(path))


def test_seed_metadata_pinned_by_hand():
    lingyuan = read_metadata(read_document(RAW / "002_82fb3db6e2e51aed.txt"))
    assert lingyuan.title == "凌源市改革完善医疗卫生行业综合监管制度实施方案"
    assert lingyuan.office == "凌源市人民政府办公室"
    assert lingyuan.doc_number == "凌政办发〔2021〕3号"
    assert lingyuan.issued == "2021-02-17"
    assert (lingyuan.jurisdiction, lingyuan.level) == ("凌源市", "county")
    assert [(c.doc_number, c.level) for c in lingyuan.citations] == [
        ("国办发〔2018〕63号", "national"),
        ("辽政办发〔2019〕34号", "province"),
        ("朝政办发〔2020〕74号", "city"),
    ]
    assert lingyuan.citations[1].key == "辽宁省改革完善医疗卫生行业综合监管制度实施方案"

    chongqing = read_metadata(read_document(RAW / "003_321ef95c29761d99.txt"))
    assert chongqing.title == "重庆市医疗卫生行业多元化综合监管试点工作方案"
    assert (chongqing.doc_number, chongqing.issued) == ("渝卫发〔2019〕32号", "2019-07-11")
    assert (chongqing.office, chongqing.level) == ("重庆市卫生健康委员会", "province")
    assert [c.doc_number for c in chongqing.citations] == ["国办发〔2018〕63号"]

    guangyuan = read_metadata(read_document(RAW / "004_9e0b5efffc639d84.txt"))
    assert guangyuan.title == "广元市改革完善医疗卫生行业综合监管制度的实施方案"
    assert guangyuan.doc_number is None  # 川办发〔2019〕41 号 is the cited parent's number
    assert [c.doc_number for c in guangyuan.citations] == ["川办发〔2019〕41号"]
    assert guangyuan.level == "city"

    liaoning = read_metadata(read_document(RAW / "001_2c0f12420f1f2137.txt"))
    assert liaoning.title == "辽宁省改革完善医疗卫生行业综合监管制度实施方案"
    assert (liaoning.level, liaoning.office, liaoning.issued) == ("province", None, None)
    assert [c.level for c in liaoning.citations] == ["national"]  # cited without a number

    leshan = read_metadata(read_document(RAW / "000_6019df887036e20a.txt"))
    assert leshan.title == "乐山市改革完善医疗卫生行业综合监管制度工作重点任务分工"
    assert (leshan.level, leshan.citations) == ("city", ())


@pytest.mark.parametrize(
    "written",
    [
        "川府办发〔2020〕7号", "川府办发[2020]7号", "川府办发［2020］7号", "川府办发﹝2020﹞7号",
        "川府办发(2020)7号", "川府办发（2020）7号", "川府办发 〔 2020 〕 07 号", "川府办发【2020】7号",
    ],
)  # fmt: skip
def test_document_number_spellings_normalise_alike(written):
    assert parse_doc_number(written) == "川府办发〔2020〕7号"


def test_document_number_loses_prose_glued_in_front():
    assert parse_doc_number("根据国办发〔2018〕63号文件") == "国办发〔2018〕63号"
    assert parse_doc_number("第三章") is None


@pytest.mark.parametrize(
    ("place", "level"),
    [
        ("国务院", "national"), ("四川省", "province"), ("广西壮族自治区", "province"),
        ("天津市", "province"), ("绵阳市", "city"), ("凉山彝族自治州", "city"),
        ("锡林郭勒盟", "city"), ("苍溪县", "county"), ("利州区", "county"), (None, None),
    ],
)  # fmt: skip
def test_level_from_place(place, level):
    assert level_of_place(place) == level


def test_title_keys_match_across_wrappers_and_offices():
    plain = title_key("绵阳市改革完善医疗卫生行业综合监管制度实施方案")
    assert (
        title_key(
            "绵阳市人民政府办公室关于印发绵阳市改革完善医疗卫生行业综合监管制度实施方案的通知"
        )
        == plain
    )
    assert title_key("关于印发《绵阳市改革完善医疗卫生行业 综合监管制度实施方案》的通知") == plain


COUNTY_NOTICE = """{header}
{number}

关于印发《{county}改革完善医疗卫生行业
综合监管制度实施方案》的通知

各乡镇人民政府，县政府有关部门：
现将《{county}改革完善医疗卫生行业综合监管制度实施方案》印发给你们，请认真贯彻执行。

{office}
{date}

{county}改革完善医疗卫生行业综合监管制度实施方案

为贯彻落实《{city}人民政府办公室关于印发{city}改革完善医疗卫生行业综合监管制度实施方案的通知》{cite}精神，结合我县实际，制定本方案。
"""


@pytest.mark.parametrize(
    ("number", "cite", "date", "issued"),
    [
        ("苍府办发〔2021〕12号", "（广府办发〔2020〕5号）", "2021年3月8日", "2021-03-08"),
        ("苍府办发[2021]12号", "(广府办发[2020]5号)", "二〇二一年三月八日", "2021-03-08"),
        ("苍府办发﹝2021﹞12 号", "（广府办发（2020）5号）", "2021 年 3 月 8 日", "2021-03-08"),
    ],
)
def test_county_notice_in_several_spellings(tmp_path, number, cite, date, issued):
    text = COUNTY_NOTICE.format(
        header="# 苍溪县人民政府办公室文件",
        number=number,
        county="苍溪县",
        city="广元市",
        office="苍溪县人民政府办公室",
        date=date,
        cite=cite,
    )
    meta = meta_of(tmp_path, text + BODY)
    assert meta.title == "苍溪县改革完善医疗卫生行业综合监管制度实施方案"
    assert meta.doc_number == "苍府办发〔2021〕12号"
    assert meta.office == "苍溪县人民政府办公室"
    assert meta.issued == issued
    assert (meta.jurisdiction, meta.level) == ("苍溪县", "county")
    [citation] = meta.citations
    assert citation.doc_number == "广府办发〔2020〕5号"
    assert citation.key == "广元市改革完善医疗卫生行业综合监管制度实施方案"
    assert citation.level == "city"


def test_county_level_city_is_a_county(tmp_path):
    text = COUNTY_NOTICE.format(
        header="",
        number="江政办发〔2021〕4号",
        county="江油市",
        city="绵阳市",
        office="江油市人民政府办公室",
        date="2021年5月6日",
        cite="",
    )
    meta = meta_of(tmp_path, text + BODY)
    assert (meta.jurisdiction, meta.level) == ("江油市", "county")
    assert meta.citations[0].doc_number is None


def test_title_split_over_lines_without_wrapper_and_no_citation(tmp_path):
    text = "附件2\n\n 德阳市改革完善医疗卫生行业综合监管\n\n制度重点任务分工\n" + BODY
    meta = meta_of(tmp_path, text)
    assert meta.title == "德阳市改革完善医疗卫生行业综合监管制度重点任务分工"
    assert (meta.level, meta.doc_number, meta.issued, meta.citations) == ("city", None, None, ())


def test_own_title_and_back_references_are_not_citations(tmp_path):
    text = (
        "甘肃省改革完善医疗卫生行业综合监管制度实施方案\n\n"
        "根据《甘肃省改革完善医疗卫生行业综合监管制度实施方案》和《实施方案》要求，"
        "按照《国务院办公厅关于改革完善医疗卫生行业综合监管制度的指导意见》精神，制定本方案。\n"
    )
    meta = meta_of(tmp_path, text + BODY)
    assert meta.level == "province"
    assert [c.level for c in meta.citations] == ["national"]


def test_portal_page_fields_and_a_signature_at_the_end(tmp_path):
    text = (
        "绵阳市人民政府门户网站\n\n"
        "发文机关: 绵阳市人民政府办公室 成文日期: 2020-06-09\n"
        "标  题: 绵阳市人民政府办公室关于印发绵阳市改革完善医疗卫生行业综合监管制度实施方案的通知\n"
        "发文字号: 绵府办发〔2020〕18号 发布日期: 2020-06-15\n\n"
        "为贯彻落实《四川省人民政府办公厅关于改革完善医疗卫生行业综合监管制度的实施意见》"
        "（川办发〔2019〕41号）精神，制定本方案。\n"
    )
    meta = meta_of(tmp_path, text + BODY)
    assert meta.title == "绵阳市改革完善医疗卫生行业综合监管制度实施方案"
    assert (meta.office, meta.issued) == ("绵阳市人民政府办公室", "2020-06-09")
    assert meta.doc_number == "绵府办发〔2020〕18号"
    assert [c.doc_number for c in meta.citations] == ["川办发〔2019〕41号"]

    signed_at_end = (
        "德阳市改革完善医疗卫生行业综合监管制度实施方案\n\n"
        + BODY
        + "\n德阳市卫生健康委员会\n2020年8月3日\n"
    )
    meta = meta_of(tmp_path, signed_at_end, "signed.txt")
    assert (meta.office, meta.issued, meta.level) == ("德阳市卫生健康委员会", "2020-08-03", "city")
