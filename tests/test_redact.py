"""Redaction of personal contact details: phones, e-mail addresses, named contact persons."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from plancheck.normalise.contacts import MASK, find_contacts, redact

CHONGQING_CONTACT = (
    "联系人：市卫生健康委综合监督处江雪芹；联系电话：67703018，67706772（传真）；"
    "电子邮箱：644540744@qq.com。"
)


def test_chongqing_contact_line():
    out = redact(CHONGQING_CONTACT)
    for secret in ("江雪芹", "67703018", "67706772", "644540744", "qq.com"):
        assert secret not in out
    assert out == (
        f"联系人：市卫生健康委综合监督处{MASK}；联系电话：{MASK}，{MASK}（传真）；电子邮箱：{MASK}。"
    )
    assert [kind for kind, _, _ in find_contacts(CHONGQING_CONTACT)] == [
        "person",
        "phone",
        "phone",
        "email",
    ]


def test_seed_contacts_are_gone_and_the_rest_is_untouched():
    text = SEEDS["chongqing-2019"].read_text(encoding="utf-8")
    out = redact(text)
    assert "644540744@qq.com" not in out and "67703018" not in out and "江雪芹" not in out
    changed = [(a, b) for a, b in zip(text.split("\n"), out.split("\n"), strict=True) if a != b]
    assert len(changed) == 1  # only the contact line


@pytest.mark.parametrize(
    "text, secret",
    [
        ("联系人：张三，电话：13812345678", "13812345678"),
        ("手机 138-1234-5678", "138-1234-5678"),
        ("手机：+86 13812345678", "13812345678"),
        ("电话：028-83312345", "028-83312345"),
        ("电话：（028）83312345", "83312345"),
        ("咨询电话：0833-2139876转8001", "8001"),
        ("传真：83312345、83312346", "83312346"),
        ("Tel: 83312345", "83312345"),
        ("邮箱：wjw_zhc@cq.gov.cn", "wjw_zhc@cq.gov.cn"),
        ("邮箱：someone＠163.com", "163.com"),
    ],
)
def test_phone_and_email_forms(text, secret):
    assert secret not in redact(text) and MASK in redact(text)


@pytest.mark.parametrize(
    "text, kept, masked",
    [
        ("联系人：张三，电话：13812345678", "联系人：", "张三"),
        ("联 系 人：李四、王五  联系电话：(028)83312345", "联 系 人：", "李四、王五"),
        ("联系人:赵六同志(市医保局)", "(市医保局)", "赵六"),
        ("经办人：市医保局待遇科王芳", "市医保局待遇科", "王芳"),
        ("联系人：市卫健委医政科 刘洋。", "市卫健委医政科", "刘洋"),
    ],
)
def test_named_contact_persons(text, kept, masked):
    out = redact(text)
    assert masked not in out and kept in out and MASK in out


@pytest.mark.parametrize(
    "text",
    [
        "到2020年底，电子化注册率达到100%。",
        "川办发〔2019〕41号、国办发〔2018〕63号",
        "充分运用微信、电话、电子邮箱、官网、8890等举报投诉渠道。",
        "开通12345、12320热线，2019年9月30日前完成。",
        "投入资金12345678元。",
        "责任单位：市卫生健康委、市市场监管局",
        "（联系人制度）建立联络员机制。",
    ],
)
def test_plan_text_is_left_alone(text):
    assert redact(text) == text and find_contacts(text) == []


def test_spans_point_at_the_values():
    text = "联系人：张三；电话：13812345678；邮箱：a@b.cn"
    assert [text[s:e] for _, s, e in find_contacts(text)] == ["张三", "13812345678", "a@b.cn"]


def test_redact_is_idempotent():
    once = redact(CHONGQING_CONTACT)
    assert redact(once) == once
