"""The department registry: every unit of the seeds resolves, reforms are dated, errors are clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancheck.errors import ConfigError
from plancheck.io.yaml_files import load_yaml
from plancheck.registry.lookup import DEFAULT_REGISTRY, Registry, load_registry


def _units(text: str) -> list[str]:
    """Unit names separated by whitespace, as copied from a seed."""
    return text.split()


# Responsible units as written in the five seeds (datasets/raw), extracted by hand.
LESHAN = _units("""市委组织部 市卫生健康委 市纪委监委 各县（市、区）人民政府 市委编办 市发展改革委 市教育局
市公安局 市民政局 市司法局 市财政局 市人力资源社会保障局 市生态环境局 市住房城乡建设局 市水务局 市审计局
市国资委 市经济合作外事局 市税务局 市市场监管局 市医保局 市营商环境局 人行乐山市中心支行 乐山银保监分局
市数字经济局 市经济信息化局 市文化广电旅游局 市体育局 市科技局 市委政法委 市网信办""")
LIAONING = _units("""省委组织部 省纪委监委机关 省委宣传部 省委政法委 省委网信办 省发展改革委 省教育厅 省卫生健康委
省政府办公厅""")
LINGYUAN = _units("""市卫健委 市政府督查室 市场监管局 医保局 相关单位 相关部门 民政局 司法局 市工商局 市委宣传部
市委网信办 卫健委 发改局 财政局 人社局 审计局 公安局 朝阳市生态环境局凌源分局 文旅广电局 营商局
各乡镇人民政府 各街道办事处 朝阳凌源经济开发区管委会 市政府有关部门 市直有关单位 市委办公室
市人大常委会办公室 市政协办公室 市纪委""")
CHONGQING = _units("""市卫生健康委 试点区县 监督执法机构 试点医疗机构 试点行业组织 市卫生计生监督执法局
各区县（自治县）卫生健康委 万盛经开区卫生计生局 各委属医疗机构 市医师协会 市输血协会""")
GUANGYUAN = _units("""市委组织部 市卫生健康委 各县区人民政府 市发展改革委 市司法局 市财政局 市审计局
市人力资源社会保障局 市市场监管局 市医保局 市民政局 市委宣传部 市委网信办 市文化广电旅游局 市生态环境局
市公安局 市教育局 市住房城乡建设局 市水利局 市经济和信息化局 市委群工局 市体育局 市残联 市检察院 市商务局
市税务局 人行广元中心支行 市委政法委 市委编办 卫生健康行政部门 发展改革部门 公安部门 民政部门 司法行政部门
财政部门 人力资源社会保障部门 商务部门 审计部门 税务部门 医疗保障部门 市场监管部门 其他相关部门""")

SEEDS = [
    ("leshan", "city", None, LESHAN),
    ("liaoning", "province", None, LIAONING),
    ("lingyuan", "county", "市", LINGYUAN),  # 县级市: its own bodies use the 市 prefix
    ("chongqing", "province", "市", CHONGQING),  # 直辖市: a province whose bodies use 市
    ("guangyuan", "city", None, GUANGYUAN),
]


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


@pytest.mark.parametrize(
    ("level", "prefix", "name"),
    [(lv, px, n) for _, lv, px, names in SEEDS for n in names],
    ids=[f"{seed}-{n}" for seed, _, _, names in SEEDS for n in names],
)
def test_every_seed_unit_resolves(reg: Registry, level: str, prefix: str | None, name: str) -> None:
    res = reg.resolve(name, level=level, prefix=prefix)
    assert res.status != "unknown", res
    assert res.function and res.canonical and res.kind


@pytest.mark.parametrize(
    ("name", "level", "status", "canonical"),
    [
        ("市卫生健康委", "city", "canonical", "市卫生健康委"),
        ("市卫健委", "city", "alias", "市卫生健康委"),
        ("乐山市卫生健康委员会", "city", "canonical", "市卫生健康委"),  # the full official name
        ("市场监管局", "city", "alias", "市市场监管局"),
        ("市场监督管理局", "city", "alias", "市市场监管局"),
        ("医保局", "city", "alias", "市医保局"),
        ("市网信办", "city", "alias", "市委网信办"),
        ("中共乐山市委组织部", "city", "canonical", "市委组织部"),
        ("市经信局", "city", "alias", "市经济信息化局"),
        ("人社局", "county", "alias", "县人力资源社会保障局"),
        ("县卫生健康局", "county", "canonical", "县卫生健康局"),
        ("省纪委监委机关", "province", "alias", "省纪委监委"),
        ("人行乐山市中心支行", "city", "canonical", "人行乐山市中心支行"),
        ("中国人民银行乐山市中心支行", "city", "alias", "人行乐山市中心支行"),
        ("人行广元中心支行", "city", "canonical", "人行广元中心支行"),
        ("教育部", None, "canonical", "教育部"),
    ],
)
def test_aliases_give_the_canonical_short_name(
    reg: Registry, name: str, level: str | None, status: str, canonical: str
) -> None:
    res = reg.resolve(name, level=level)
    assert (res.status, res.canonical) == (status, canonical)


@pytest.mark.parametrize(
    ("level", "prefix", "name"),
    [(lv, px, n) for _, lv, px, names in SEEDS for n in names],
    ids=[f"{seed}-{n}" for seed, _, _, names in SEEDS for n in names],
)
def test_canonical_names_of_seed_units_resolve_to_themselves(
    reg: Registry, level: str, prefix: str | None, name: str
) -> None:
    """Resolving a canonical name again gives it back, so ``validate --fix`` is idempotent."""
    canonical = reg.resolve(name, level=level, prefix=prefix).canonical
    again = reg.resolve(canonical, level=level, prefix=prefix)
    assert again.canonical == canonical, again
    assert again.status not in ("alias", "unknown"), again


def test_county_level_city_keeps_its_own_prefix(reg: Registry) -> None:
    res = reg.resolve("市卫健委", level="county", prefix="市")
    assert (res.canonical, res.level, res.function) == ("市卫生健康委", "county", "health")
    assert reg.resolve("医保局", level="county", prefix="市").canonical == "市医保局"
    assert reg.resolve("医保局", level="county").canonical == "县医保局"


def test_province_level_municipality_uses_shi_prefix(reg: Registry) -> None:
    res = reg.resolve("重庆市卫生健康委员会", level="province")
    assert (res.canonical, res.level) == ("市卫生健康委", "province")


def test_abolished_2018_body_names_its_successor(reg: Registry) -> None:
    res = reg.resolve("市工商局")
    assert res.status in ("alias", "canonical")
    assert res.abolished is not None and res.abolished[:4] in ("2018", "2019")
    assert (res.successor, res.function) == ("市市场监管局", "market-regulation")
    assert reg.resolve("县卫计委").successor == "县卫生健康局"
    assert reg.resolve("区环保局").successor == "区生态环境局"


def test_banking_regulator_is_obsolete_since_2023(reg: Registry) -> None:
    res = reg.resolve("乐山银保监分局")
    assert res.status != "unknown" and res.function == "financial-regulation"
    assert res.abolished is not None and res.abolished.startswith("2023")
    assert res.successor is not None and res.successor.endswith("金融监管分局")
    # a vertically managed body is named after its place, and so is its successor
    assert (res.status, res.canonical, res.successor) == (
        "canonical",
        "乐山银保监分局",
        "乐山金融监管分局",
    )
    assert reg.resolve(res.successor).canonical == res.successor
    # the chain 银监分局 -> 银保监分局 -> 金融监管分局 is followed to the current body
    assert reg.resolve("乐山银监分局").successor == res.successor
    assert reg.resolve("国家金融监督管理总局乐山监管分局").abolished is None


def test_same_function_across_levels_and_titles(reg: Registry) -> None:
    assert {
        reg.function_of("省卫生健康委", level="province"),
        reg.function_of("市卫健委", level="city"),
        reg.function_of("县卫生健康局", level="county"),
        reg.function_of("市卫健委", level="county"),
    } == {"health"}
    assert reg.function_of("市水务局") == reg.function_of("市水利局") == "water"
    assert reg.function_of("朝阳市生态环境局凌源分局") == "ecology-environment"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("各县（市、区）人民政府", "collective"),
        ("各县区人民政府", "collective"),
        ("各区县人民政府", "collective"),
        ("各乡镇人民政府", "collective"),
        ("有关部门", "collective"),
        ("相关部门", "collective"),
        ("各有关部门", "collective"),
        ("试点区县", "collective"),
        ("试点医疗机构", "non_government"),
        ("试点行业组织", "non_government"),
        ("监督执法机构", "non_government"),
        ("医疗卫生机构", "non_government"),
        ("行业组织", "non_government"),
        ("市医师协会", "non_government"),
    ],
)
def test_collective_and_non_government_parties(reg: Registry, name: str, status: str) -> None:
    res = reg.resolve(name)
    assert (res.status, res.kind) == (status, status)


def test_unknown_name_gets_did_you_mean(reg: Registry) -> None:
    res = reg.resolve("市卫生建康委")
    assert (res.status, res.canonical, res.function) == ("unknown", None, None)
    assert "市卫生健康委" in res.suggestions


def test_every_canonical_name_resolves_to_itself(reg: Registry) -> None:
    names = reg.canonical_names()
    assert {"市卫生健康委", "县卫生健康局", "市市场监管局", "市委编办"} <= set(names)
    assert "市工商局" not in names
    for name in names:
        assert reg.resolve(name).canonical == name, name


def test_default_registry_is_shipped_and_cached() -> None:
    assert DEFAULT_REGISTRY.is_file()
    assert load_registry() is load_registry(DEFAULT_REGISTRY)


def test_unknown_plan_level_is_refused(reg: Registry) -> None:
    with pytest.raises(ValueError, match="unknown level"):
        reg.resolve("市卫健委", level="prefecture")


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "departments.yaml"
    path.write_text("bodies:\n  - id: health\n    titles: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path.name}:\d+"):
        load_registry(path)


MINIMAL = """
prefixes: {市: city}
place_suffixes: {市: city}
level_prefix: {city: 市}
bodies:
  - id: health
    function: health
    kind: government
    titles: [{name: 卫生健康委, levels: [city], aliases: [卫健委]}]
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("    function: health\n", ""), r"bodies\[0\] \(health\): missing or empty 'function'"),
        (("kind: government", "kind: ministry"), "unknown kind 'ministry'"),
        (("levels: [city]", "levels: [prefecture]"), "unknown level 'prefecture'"),
        (("kind: government", "kind: government\n    abolished: reform-1"), "unknown reform"),
        (
            ("titles: [{name: 卫生健康委, levels: [city], aliases: [卫健委]}]", "titles: []"),
            "titles",
        ),
    ],
)
def test_structurally_bad_registry_names_file_and_entry(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MINIMAL.replace(*edit), encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_registry(path)
    assert str(path) in str(err.value)


def test_ambiguous_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    extra = (
        "\n  - {id: other, function: x, kind: government, titles: [{name: 卫健委, levels: [city]}]}"
    )
    path.write_text(MINIMAL + extra, encoding="utf-8")
    with pytest.raises(ConfigError, match="'卫健委' is already used by health"):
        load_registry(path)


def test_lists_divisions_and_branches(reg: Registry) -> None:
    # a list the parser failed to split is not mistaken for one body
    assert reg.resolve("市卫生健康委、市医保局").status == "unknown"
    assert reg.resolve("国家卫生健康委综合监督局").canonical == "国家卫生健康委"
    branch = reg.resolve("朝阳市生态环境局凌源分局", level="county", prefix="市")
    assert (branch.function, branch.level) == ("ecology-environment", "county")
    # a branch named with its parent city keeps its written name (and the parent city)
    assert (branch.status, branch.canonical) == ("canonical", "朝阳市生态环境局凌源分局")
    scoped = reg.resolve("各区县（自治县）卫生健康委")
    assert (scoped.status, scoped.function, scoped.level) == ("collective", "health", "county")
    assert reg.resolve("各级").function == "local-government"


def test_full_and_short_titles_are_both_canonical():
    """Guangyuan's 市经济和信息化局 is an official title, not a colloquial alias: no finding;
    its standard short form is 市经济信息化局."""
    registry = load_registry()
    for name in ("市经济和信息化局", "市经济信息化局"):
        resolution = registry.resolve(name, level="city")
        assert (resolution.status, resolution.canonical) == ("canonical", "市经济信息化局")


@pytest.mark.parametrize(
    ("name", "jurisdiction", "status", "canonical", "certain"),
    [
        # a title a jurisdiction uses is never an alias, whichever province wrote it
        ("省工业和信息化厅", "湖南省", "canonical", "省工业和信息化厅", True),
        ("省经济和信息化厅", "安徽省", "canonical", "省经济和信息化厅", True),
        ("省经济和信息化厅", "", "canonical", "省经济和信息化厅", True),
        # where the registry records the jurisdiction's title, the name is checked against it
        ("省工业和信息化厅", "四川省", "alias", "省经济和信息化厅", True),
        ("省工信厅", "四川省", "alias", "省经济和信息化厅", True),
        # an abbreviation of a function with several titles, place not recorded: a suggestion only
        ("省工信厅", "", "alias", "省工业和信息化厅", False),
        ("省工信厅", "湖南省", "alias", "省工业和信息化厅", True),
        # one title in use at the level: certain
        ("省卫健委", "湖南省", "alias", "省卫生健康委", True),
    ],
)  # fmt: skip
def test_titles_as_each_jurisdiction_uses_them(reg, name, jurisdiction, status, canonical, certain):
    res = reg.resolve(name, level="province", jurisdiction=jurisdiction)
    assert (res.status, res.canonical, res.certain) == (status, canonical, certain)


def test_a_city_plan_uses_its_province_titles(reg):
    res = reg.resolve("省工信厅", level="city", jurisdiction="四川省乐山市")
    assert (res.canonical, res.certain) == ("省经济和信息化厅", True)
    res = reg.resolve("市卫健委", level="county", prefix="市", jurisdiction="辽宁省凌源市")
    assert (res.canonical, res.certain) == ("市卫生健康委", False)  # 局 or 委: not recorded


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("省通信管理局", "canonical"), ("合肥海关", "canonical"), ("省邮政管理局", "canonical"),
        ("省烟草专卖局", "canonical"), ("沈阳铁路监督管理局", "canonical"), ("安徽证监局", "canonical"),
        ("省外汇管理局", "canonical"), ("省委统战部", "canonical"), ("省委政法委", "canonical"),
        ("省委网信办", "canonical"), ("省委编办", "canonical"), ("省纪委监委", "canonical"),
        ("省总工会", "canonical"), ("省妇联", "canonical"), ("省科协", "canonical"),
        ("省残联", "canonical"), ("省红十字会", "canonical"), ("省高级人民法院", "canonical"),
        ("省检察院", "canonical"), ("省贸促会", "canonical"),
        ("各市、县（市、区）人民政府", "collective"), ("省直有关部门", "collective"),
        ("各有关单位", "collective"), ("省推进工业互联网创新发展专项工作组成员单位", "collective"),
        ("省投资集团", "non_government"), ("各基础电信企业", "non_government"),
        ("中国出口信用保险公司安徽分公司", "non_government"), ("四川大学", "non_government"),
    ],
)  # fmt: skip
def test_bodies_that_are_not_government_departments_are_known(reg, name, status):
    assert reg.resolve(name, level="province").status == status


def test_every_list_cites_a_recorded_source():
    raw = load_yaml(DEFAULT_REGISTRY)
    sources = set(raw["sources"])
    cited = [s for e in raw["bodies"] + raw["parties"] for s in e.get("source", ())]
    assert cited and set(cited) <= sources


def test_full_official_names_and_other_titles_are_not_fixed(reg):
    # 市政府办公室 is the full official name; 金融办 may be a 金融工作办公室 or a 地方金融监管局
    assert reg.resolve("市政府办公室", level="city").status == "canonical"
    res = reg.resolve("市政府金融办", level="city", jurisdiction="包头市")
    assert res.status == "alias" and not res.certain
    assert reg.resolve("市公共资源交易中心", level="city").status == "canonical"
    assert reg.resolve("营商局", level="county", jurisdiction="辽宁省凌源市").canonical.endswith(
        "营商环境建设局"
    )
