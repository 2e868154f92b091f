"""The one contact detector: a table of forms, what is kept, and linear time."""

from __future__ import annotations

import time

import pytest

from plancheck.normalise.contacts import MASK, find_contacts, redact

FORMS = [
    # (text, secret that must go, kind)
    ("联系电话：１３８１２３４５６７８", "１３８１２３４５６７８", "phone"),
    ("手机：138.1234.5677", "138.1234.5677", "phone"),
    ("手机 138 1234 5678", "138 1234 5678", "phone"),
    ("电话：（0833）2345678", "2345678", "phone"),
    ("电话：(0833) 2345678", "2345678", "phone"),
    ("咨询：+86 138 1234 5678", "138 1234 5678", "phone"),
    ("咨询：0086-13812345678", "13812345678", "phone"),
    ("电话：0833—2345678转801", "2345678", "phone"),
    ("电话：028-8331 2345", "8331 2345", "phone"),
    ("传真：0833-2345679", "2345679", "phone"),
    ("传真：83312346", "83312346", "phone"),
    ("Fax: 83312346", "83312346", "phone"),
    ("电话：67703018，67706772（传真）", "67706772", "phone"),
    ("邮箱：wjw_zhc@cq.gov.cn", "wjw_zhc", "email"),
    ("邮箱：someone＠163．com", "someone", "email"),
    ("邮箱：ＡＢＣ＠ｑｑ．ｃｏｍ", "ＡＢＣ", "email"),
    ("QQ：644540744", "644540744", "qq"),
    ("QQ号 644540744", "644540744", "qq"),
    ("ＱＱ：６４４５４０７４４", "６４４５４０７４４", "qq"),
    ("微信号：wxid_abc123", "wxid_abc123", "wechat"),
    ("微信：zhangsan_88", "zhangsan_88", "wechat"),
    ("WeChat: Zhang-San99", "Zhang-San99", "wechat"),
    ("身份证号：51010619900307123X", "51010619900307123X", "id_number"),
    ("身份证号码510106199003071234", "510106199003071234", "id_number"),
    ("联系人：张三，电话：13812345678", "张三", "person"),
    ("联系人是张三，电话：13812345678", "张三", "person"),
    ("联系人为市医保局王芳。", "王芳", "person"),
    ("联系人张三，电话83312345", "张三", "person"),
    ("联系人张三13812345678", "张三", "person"),
    ("请与市卫健委综合监督处张三同志联系。", "张三", "person"),
    ("请与李四同志联系（电话：83312345）", "李四", "person"),
    ("联系人：市卫生健康委综合监督处江雪芹；", "江雪芹", "person"),
    ("经办人：市医保局待遇科王芳", "王芳", "person"),
    ("联 系 人：李四、王五  联系电话：(028)83312345", "李四、王五", "person"),
]


@pytest.mark.parametrize("text, secret, kind", FORMS)
def test_each_form_is_masked(text, secret, kind):
    out = redact(text)
    assert secret not in out and MASK in out
    assert kind in [k for k, _, _ in find_contacts(text)]


KEEP = [
    # (text, what must survive)
    ("联系人：张三，电话：13812345678", "联系人："),
    ("请与市卫健委综合监督处张三同志联系。", "请与市卫健委综合监督处"),
    ("联系人：张三负责统筹协调，各部门配合。", "各部门配合。"),
    ("建立联系人制度，明确专人负责。", "建立联系人制度，明确专人负责。"),
    ("建立联络人制度。", "建立联络人制度。"),
    ("充分运用微信、电话、电子邮箱、官网、12345等举报投诉渠道。", "微信、电话、电子邮箱"),
    ("关注微信公众号，拨打12320热线。", "12320"),
    ("到2020年底，电子化注册率达到100%。", "2020年底"),
    ("川办发〔2019〕41号、国办发〔2018〕63号", "41号"),
    ("投入资金12345678元，覆盖1380个村。", "12345678元"),
    ("2019-2020年度，完成3.5万例。", "2019-2020"),
    ("请与上级部门联系，及时报告。", "请与上级部门联系"),
]


@pytest.mark.parametrize("text, kept", KEEP)
def test_clause_text_is_not_over_masked(text, kept):
    assert kept in redact(text)


def test_value_only_is_masked():
    text = "（三）联系人：市卫生健康委综合监督处江雪芹；联系电话：67703018，67706772（传真）；邮箱：a@b.cn。"
    assert redact(text) == (
        f"（三）联系人：市卫生健康委综合监督处{MASK}；联系电话：{MASK}，{MASK}（传真）；邮箱：{MASK}。"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "a" * 200_000 + "@",
        "1" * 200_000,
        ("1" * 11 + " ") * 20_000,
        "电话：" + "1" * 200_000,
        "联系人：" + "张" * 200_000,
        "联系人：" * 50_000,
        "x." * 100_000,
        "a@" * 100_000,
        "QQ" * 100_000,
    ],
)
def test_linear_time_on_long_runs(text):
    start = time.monotonic()
    redact(text)
    assert time.monotonic() - start < 5  # quadratic code took minutes on these
