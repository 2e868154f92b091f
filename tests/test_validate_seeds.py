"""The five seed plans: their real problems are reported, and nothing that is fine."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from plancheck.plans.manifest import load_manifest
from plancheck.plans.validating import validate_specs
from plancheck.registry.lookup import load_registry
from plancheck.table.io import read_tasks_csv
from plancheck.validate.rulebook import load_rulebook

REPO = Path(__file__).resolve().parent.parent
SEEDS = ("chongqing-2019", "guangyuan", "leshan", "liaoning-2019", "lingyuan-2021")


@pytest.fixture(scope="module")
def findings() -> dict[str, list]:
    cwd = Path.cwd()
    os.chdir(REPO)  # plans and sources are named relative to the repository
    try:
        specs = [f"datasets/tasks/{plan}.csv" for plan in SEEDS]
        result = validate_specs(
            specs, load_rulebook(), manifest=load_manifest(), registry=load_registry()
        )
    finally:
        os.chdir(cwd)
    by_plan: dict[str, list] = {plan: [] for plan in SEEDS}
    for finding in result.findings:
        by_plan[finding.plan_id].append(finding)
    return by_plan


def codes(found: list) -> Counter:
    return Counter(f.code for f in found)


def test_liaoning_tasks_have_no_units(findings) -> None:
    items = read_tasks_csv(REPO / "datasets/tasks/liaoning-2019.csv").query("kind == 'item'")
    assert codes(findings["liaoning-2019"])["PC101"] == len(items) > 20
    assert set(codes(findings["liaoning-2019"])) <= {"PC101", "PC306", "PC307"}
    # the three places where encoding damage lost characters (??领域, ??制, ??设置)
    assert codes(findings["liaoning-2019"])["PC307"] == 3


def test_lingyuan_names_an_abolished_body_and_aliases(findings) -> None:
    found = findings["lingyuan-2021"]
    abolished = [f for f in found if f.code == "PC104"]
    assert abolished and all("市工商局" in f.message and f.fix == "市市场监管局" for f in abolished)
    fixes = {f.message.split("“")[1].split("”")[0]: f.fix for f in found if f.code == "PC103"}
    assert fixes["市场监管局"] == "市市场监管局"
    assert fixes["医保局"] == "市医保局"
    # A county-level city's health body is a 卫生健康局 in most places and a 卫生健康委 in some;
    # the registry does not record Lingyuan's, so 市卫健委 gets a suggestion, not a fix.
    health = [f for f in found if f.code == "PC103" and "“市卫健委”" in f.message]
    assert health and all(f.fix is None and "市卫生健康委" in f.message for f in health)
    assert set(codes(found)) == {"PC103", "PC104"}


def test_leshan_merged_cells_are_warned(findings) -> None:
    tasks = read_tasks_csv(REPO / "datasets/tasks/leshan.csv")
    inherited = tasks[tasks["units_inherited"] & tasks["lead_unit"].notna()]
    assert len(inherited) > 5
    assert sorted(f.task_id for f in findings["leshan"] if f.code == "PC105") == sorted(
        inherited["task_id"]
    )
    assert set(codes(findings["leshan"])) <= {"PC103", "PC105"}


def test_chongqing_contact_details_are_flagged_without_the_values(findings) -> None:
    contact = [f for f in findings["chongqing-2019"] if f.code in ("PC501", "PC502", "PC503")]
    assert [(f.code, f.source_file, f.line) for f in contact] == [
        (code, "datasets/raw/003_321ef95c29761d99.txt", 56) for code in ("PC501", "PC502", "PC503")
    ]
    for finding in findings["chongqing-2019"]:
        assert not any(
            value in finding.message for value in ("67703018", "67706772", "644540744", "江雪芹")
        )


def test_nothing_fine_is_reported(findings) -> None:
    every = Counter(f.code for found in findings.values() for f in found)
    assert not {
        "PC102",
        "PC201",
        "PC202",
        "PC203",
        "PC301",
        "PC302",
        "PC303",
        "PC304",
        "PC401",
        "PC402",
    } & set(every)
    assert set(codes(findings["guangyuan"])) <= {"PC103"}
