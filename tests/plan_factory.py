"""Synthetic plans whose tree is known by construction, in the shapes plans arrive in.

Used by the scan tests and by benchmarks/bench_scan.py. Each plan cites its parent in its
preamble (unless told not to), in one of several spellings of the document number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TOPIC = "改革完善医疗卫生行业综合监管制度"
BRACKETS = (("〔", "〕"), ("[", "]"), ("［", "］"), ("﹝", "﹞"), ("（", "）"))
TASKS = (
    "加强党的领导，完善医疗卫生行业党建工作机制",
    "落实政府监管责任，建立综合监管督查机制",
    "加强医疗卫生机构准入监管，推行承诺制审批",
    "加强医疗服务质量和安全监管，健全质量控制体系",
    "加强医疗卫生机构运行监管，建立绩效评价制度",
    "加强医疗卫生从业人员监管，实行执业行为记分管理",
    "建立信用监管制度，实施失信联合惩戒",
    "推进综合监管信息化建设，建设监管信息平台",
)


@dataclass(frozen=True)
class Spec:
    """One plan to write: where, who issues it, its number, and what it cites."""

    file: str
    place: str  # 四川省 / 绵阳市 / 江油市 / 苍溪县
    level: str
    number: str | None  # 川府办发〔2019〕41号 (normalised form)
    year: int
    parent_title: str | None = None
    parent_number: str | None = None
    shape: str = "notice"  # notice | plain | table
    tasks: int = 0  # clauses to write; 0: 5-8 (the tests' small plans)


def title_of(place: str) -> str:
    return f"{place}{TOPIC}实施方案"


def cited_title(place: str, office_kind: str = "人民政府办公室") -> str:
    return f"{place}{office_kind}关于印发{title_of(place)}的通知"


def spell(number: str, variant: int) -> str:
    """The normalised number written with another bracket pair, sometimes with spaces."""
    left, right = BRACKETS[variant % len(BRACKETS)]
    text = number.replace("〔", left).replace("〕", right)
    return text.replace("号", " 号") if variant % 2 else text


def _preamble(spec: Spec, variant: int) -> str:
    if not spec.parent_title:
        return f"为推进医疗卫生行业综合监管，结合{spec.place}实际，制定本方案。"
    number = f"（{spell(spec.parent_number, variant + 1)}）" if spec.parent_number else ""
    return f"为贯彻落实《{spec.parent_title}》{number}精神，结合本地实际，制定本方案。"


def _unit(spec: Spec) -> str:
    prefix = {"province": "省", "city": "市", "county": "县"}[spec.level]
    return f"{prefix}卫生健康委、{prefix}市场监管局"


OBJECTS = (
    "医疗机构准入", "从业人员执业行为", "医疗服务质量", "药品耗材采购", "医保基金使用", "公共卫生服务",
    "社会办医", "中医药服务", "健康产业新业态", "行业组织自律", "信用信息归集", "执法队伍建设",
)  # fmt: skip
MEASURES = (
    "建立健全工作机制", "制定完善管理办法", "开展专项整治行动", "推行双随机一公开抽查",
    "实施清单化动态管理", "落实年度考核评价",
)  # fmt: skip


def task_texts(spec: Spec, variant: int) -> list[str]:
    """The plan's clauses: the first few of TASKS, or ``spec.tasks`` generated ones."""
    if not spec.tasks:
        return list(TASKS[: 5 + variant % 4])
    out = list(TASKS)
    k = 0
    while len(out) < spec.tasks:
        obj, measure = (
            OBJECTS[k % len(OBJECTS)],
            MEASURES[(k // len(OBJECTS) + variant) % len(MEASURES)],
        )
        out.append(f"加强{obj}监管，{measure}，到{spec.year + 1 + k % 3}年底前完成")
        k += 1
    return out[: spec.tasks]


def _numeral(n: int) -> str:
    ones = "一二三四五六七八九"
    if n >= 100:  # 一百、一百零五、一百一十二 (plans of the nationwide benchmark reach 120)
        head, rest = ones[n // 100 - 1] + "百", n % 100
        if not rest:
            return head
        return head + ("零" + ones[rest - 1] if rest < 10 else "一" * (rest < 20) + _numeral(rest))
    if n < 10:
        return ones[n - 1]
    return ("" if n < 20 else ones[n // 10 - 1]) + "十" + (ones[n % 10 - 1] if n % 10 else "")


def _clauses(spec: Spec, variant: int) -> str:
    out = [
        "一、总体要求",
        f"到{spec.year + 2}年，建成职责明确、分工协作的综合监管制度。",
        "二、重点任务",
    ]
    for i, task in enumerate(task_texts(spec, variant)):
        out.append(f"（{_numeral(i + 1)}）{task}。（责任单位：{_unit(spec)}）")
    return "\n".join(out)


def _table(spec: Spec, variant: int) -> str:
    rows = ["\t重点任务", "\t具体任务", "\t责任单位", ""]
    for i, task in enumerate(task_texts(spec, variant)):
        key, _, body = task.partition("，")
        rows += [f"\t{key}", f"\t{i + 1}.{body}。", f"\t{_unit(spec)}", ""]
    return "\n".join(rows)


def render(spec: Spec, variant: int = 0) -> str:
    office = (
        f"{spec.place}人民政府办公室" if spec.level != "province" else f"{spec.place}人民政府办公厅"
    )
    number = spell(spec.number, variant) if spec.number else ""
    date = f"{spec.year}年{variant % 12 + 1}月{variant % 27 + 1}日"
    title = title_of(spec.place)
    if spec.shape == "table":
        return f"附件\n\n{title[:12]}\n{title[12:]}\n\n{_preamble(spec, variant)}\n\n{_table(spec, variant)}\n"
    if spec.shape == "plain":
        return f" {title[:14]}\n\n{title[14:]}\n\n{_preamble(spec, variant)}\n\n{_clauses(spec, variant)}\n\n{office}\n{date}\n"
    return (
        f"# {office}文件\n\n{number}\n\n## 关于印发{title[:10]}\n{title[10:]}的通知\n\n"
        f"各有关单位：\n经研究同意，现将《{title}》印发给你们，请认真贯彻执行。\n\n{office}\n\n{date}\n\n"
        f"# {title}\n\n{_preamble(spec, variant)}\n\n{_clauses(spec, variant)}\n"
    )


def write_plans(folder: Path, specs: list[Spec]) -> None:
    for variant, spec in enumerate(specs):
        path = Path(folder) / spec.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(spec, variant), encoding="utf-8")


def province_specs(
    cities: int,
    counties_per_city: int,
    province: str = "川南省",
    *,
    counties: int = 0,
    tasks: int = 0,
) -> list[Spec]:
    """1 province, ``cities`` cities, ``counties_per_city`` counties each (or ``counties`` in
    all, spread over the cities), every plan citing its parent (the province cites the
    national opinion, which is not in the folder); ``tasks`` clauses per plan."""
    national = "国务院办公厅关于改革完善医疗卫生行业综合监管制度的指导意见"
    shapes = ("notice", "plain", "table")
    specs = [Spec(f"{province}/省级方案.txt", province, "province", "川南府办发〔2019〕41号", 2019,
                  national, "国办发〔2018〕63号", tasks=tasks)]  # fmt: skip
    for c in range(cities):
        city = f"{CITY_NAMES[c]}市"
        city_number = f"{CITY_NAMES[c][0]}府办发〔2020〕{c + 1}号"
        specs.append(Spec(f"{province}/{city}/市级方案.txt", city, "city", city_number, 2020,
                          cited_title(province, "人民政府办公厅"), specs[0].number,
                          shapes[c % 3], tasks))  # fmt: skip
        per_city = counties_per_city or (counties // cities + (c < counties % cities))
        for k in range(per_city):
            county = f"{CITY_NAMES[c][0]}{COUNTY_NAMES[k % len(COUNTY_NAMES)]}{SECOND[k // len(COUNTY_NAMES)]}县"
            specs.append(Spec(
                f"{province}/{city}/{county}.txt", county, "county", None, 2021,
                cited_title(city), city_number if k % 2 else None, shapes[(c + k) % 3],
                tasks - k % 5 if tasks else 0,
            ))  # fmt: skip
    return specs


CITY_NAMES = [
    "泸川",
    "锦江",
    "岷山",
    "沱水",
    "嘉峨",
    "青衣",
    "雅安",
    "宕渠",
    "涪江",
    "蜀岗",
    "巴岭",
    "剑门",
    "邛崃",
    "峨眉",
    "龙泉",
    "金沙",
]
COUNTY_NAMES = ["安", "宁", "平", "和", "兴", "顺", "丰", "泰", "昌", "康", "乐", "寿"]
SECOND = ["源", "阳", "城", "溪", "台", "山", "江", "川", "林", "水"]
