"""No contact detail reaches any output: every command, every format, redlines included.

The raw task table (``plancheck tasks --format csv|json``, ``ingest`` CSVs) keeps the text as
written by design; everything rendered for a reader is built from redacted text.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from security.leaks import all_outputs, plan_text

BASE = [
    "加强医疗机构监管。市卫生健康委负责，2020年底前完成。",
    "推进信息公开。市市场监管局负责，持续推进。",
    "强化药品监管。市医保局、市卫生健康委负责，2021年6月底前完成。",
]


def _digits(text: str) -> str:
    return re.sub(r"[^0-9０-９Xx]", "", text).translate(
        str.maketrans("０１２３４５６７８９", "0123456789")
    )


def _assert_no_leak(outputs: dict[str, str], secrets: list[str]) -> None:
    for what, text in outputs.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked into {what}"
        plain = _digits(text)
        for secret in secrets:
            digits = _digits(secret)
            if len(digits) >= 7:
                assert digits not in plain or digits in _digits(BASE_TEXT), (
                    f"digits of {secret!r} leaked into {what}"
                )


BASE_TEXT = "".join(BASE) + "2019202020212026"


def test_redline_never_splits_a_number(cli_inprocess, tmp_path):
    """The reference and the target differ in one digit: the redline used to show it."""
    ref = tmp_path / "ref.txt"
    tgt = tmp_path / "tgt.txt"
    ref.write_text(
        plan_text("上级方案", [*BASE[:2], BASE[2] + "联系人：周晓梅，电话：13912345670。"]), "utf-8"
    )
    tgt.write_text(
        plan_text("本级方案", [*BASE[:2], BASE[2] + "联系人：吴建国，电话：13912345679。"]), "utf-8"
    )
    outputs = all_outputs(cli_inprocess, tmp_path, ref, tgt)
    _assert_no_leak(outputs, ["13912345670", "13912345679", "周晓梅", "吴建国", "1391234567"])
    assert any("已隐去" in text for text in outputs.values())


FORMS = st.sampled_from(
    [
        "联系电话：{m}",
        "手机：{m}",
        "联系人：{name}，电话：{m}",
        "联系人是{name}，手机{m}",
        "请与市卫健委综合监督处{name}同志联系，电话：{m}",
        "电话：（0{area}）{local}",
        "电话：0{area}-{local}",
        "传真：{local}",
        "QQ：{qq}",
        "微信号：{wechat}",
        "邮箱：{mail}@{domain}.cn",
        "邮箱：{mail}＠{domain}．com",
        "身份证号：{idno}",
    ]
)


def _fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


@st.composite
def contact(draw):
    mobile = draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    mobile = "1" + mobile
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    shown_mobile = draw(st.sampled_from(["", "+86 "])) + sep.join(
        (mobile[:3], mobile[3:7], mobile[7:])
    )
    if draw(st.booleans()):
        shown_mobile = _fullwidth(shown_mobile)
    values = {
        "m": shown_mobile,
        "name": draw(st.sampled_from(["江雪芹", "王芳", "欧阳娜娜", "刘洋"])),
        "area": draw(st.text("123456789", min_size=2, max_size=3)),
        "local": draw(st.sampled_from("2345678"))
        + draw(st.text("0123456789", min_size=6, max_size=7)),
        "qq": draw(st.sampled_from("123456789"))
        + draw(st.text("0123456789", min_size=5, max_size=9)),
        "wechat": "wx" + draw(st.text("abcdefghijk_0123456789", min_size=5, max_size=12)),
        "mail": draw(st.text("abcdefgxyz._", min_size=1, max_size=10)).strip("."),
        "domain": draw(st.text("abcdefgxyz", min_size=2, max_size=8)),
        "idno": draw(st.text("123456789", min_size=1, max_size=1))
        + draw(st.text("0123456789", min_size=5, max_size=5))
        + draw(st.sampled_from(["1985", "1990", "2001"]))
        + draw(st.sampled_from(["01", "07", "12"]))
        + draw(st.sampled_from(["03", "15", "28"]))
        + draw(st.text("0123456789", min_size=3, max_size=3))
        + draw(st.sampled_from("0123456789X")),
    }
    if not values["mail"] or values["mail"].startswith("."):
        values["mail"] = "a" + values["mail"]
    form = draw(FORMS)
    text = form.format(**values)
    secrets = [
        values[key]
        for key in ("m", "name", "qq", "wechat", "idno", "local")
        if "{" + key + "}" in form
    ]
    if "{mail}" in form:
        secrets.append(values["mail"] + "@" if "@" in form else values["mail"] + "＠")
    return text, secrets


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(contact(), min_size=1, max_size=3), st.integers(0, 2))
def test_random_contact_forms_never_reach_any_output(
    cli_inprocess, tmp_path_factory, contacts, where
):
    folder = tmp_path_factory.mktemp("leak")
    clauses = list(BASE)
    secrets = []
    for i, (text, values) in enumerate(contacts):
        clauses[(where + i) % len(clauses)] += text + "。"
        secrets += values
    ref = folder / "ref.txt"
    tgt = folder / "tgt.txt"
    ref.write_text(plan_text("上级方案", BASE), "utf-8")
    tgt.write_text(plan_text("本级方案", clauses), "utf-8")
    _assert_no_leak(all_outputs(cli_inprocess, folder, ref, tgt), secrets)
