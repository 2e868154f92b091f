"""`plancheck validate` and `plancheck rules`: exit codes, formats, JSON == library, --fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_validate_support import invoke_validate as invoke
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.plans.validating import validate_specs
from plancheck.registry.lookup import load_registry
from plancheck.table.io import read_tasks_csv, write_tasks_csv
from plancheck.validate.rulebook import load_rulebook

REPO = Path(__file__).resolve().parent.parent
TASKS = REPO / "datasets" / "tasks"
runner = CliRunner()


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder with copies of two seed task tables (their raw sources stay in the repo)."""
    folder = tmp_path / "datasets" / "tasks"
    folder.mkdir(parents=True)
    for name in ("lingyuan-2021.csv", "leshan.csv"):
        shutil.copy(TASKS / name, folder / name)
    monkeypatch.chdir(tmp_path)
    return folder


def test_json_output_equals_the_library_result(plans: Path) -> None:
    result = invoke(str(plans), "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    library = validate_specs(
        [str(plans / "leshan.csv"), str(plans / "lingyuan-2021.csv")],
        load_rulebook(),
        registry=load_registry(),
        lang="en",
    )
    assert json.loads(result.stdout) == library.to_dict()


def test_exit_codes_follow_fail_on(plans: Path) -> None:
    leshan = str(plans / "leshan.csv")
    assert invoke(leshan, "--fail-on", "warning").exit_code == 1
    assert invoke(leshan, "--fail-on", "error").exit_code == 0  # leshan has warnings only
    assert invoke(leshan, "--fail-on", "never", "--select", "PC1").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "yaml"],
        ["--fail-on", "sometimes"],
        ["--select", "PC999"],
        ["--rules", "/nonexistent"],
        ["nope.csv"],
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(plans: Path, args: list[str]) -> None:
    result = invoke(str(plans / "leshan.csv"), *args) if args[0] != "nope.csv" else invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_output_file_and_formats(plans: Path, tmp_path: Path) -> None:
    for fmt in ("text", "concise", "markdown", "json", "junit", "sarif", "github"):
        out = tmp_path / f"report.{fmt}"
        result = invoke(str(plans / "leshan.csv"), "--format", fmt, "--output", str(out))
        # The report goes to the file, the summary line to stdout (two outputs from one run).
        assert result.exit_code == 0 and result.stdout.startswith("共检查 1 个方案")
        assert result.stdout.count("\n") == 1
        assert "PC105" in out.read_text(encoding="utf-8")


def test_baseline_round_trip_through_the_cli(plans: Path, tmp_path: Path) -> None:
    csv, baseline = plans / "leshan.csv", tmp_path / "baseline.json"
    assert (
        invoke(str(csv), "--write-baseline", str(baseline), "--fail-on", "warning").exit_code == 0
    )
    frame = read_tasks_csv(csv)
    first = frame.index[frame["task_id"] == "4.1"][0]
    frame.at[first, "units"] = ["市卫健委", *frame.at[first, "units"][1:]]
    frame.at[first, "lead_unit"] = "市卫健委"
    write_tasks_csv(frame, csv)
    result = invoke(
        str(csv), "--baseline", str(baseline), "--fail-on", "warning", "--format", "json"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["code"], f["task_id"]) for f in data["findings"]] == [("PC103", "4.1")]
    assert data["summary"]["baselined"] > 0


def test_fix_rewrites_aliases_in_the_task_csv_only(plans: Path) -> None:
    csv = plans / "lingyuan-2021.csv"
    raw = REPO / "datasets" / "raw" / "002_82fb3db6e2e51aed.txt"
    raw_before = raw.read_bytes()
    result = invoke(str(csv), "--fix", "--format", "json")
    data = json.loads(result.stdout)
    assert data["summary"]["fixed"] > 0
    left = {
        f["message"].split("“")[1].split("”")[0] for f in data["findings"] if f["code"] == "PC103"
    }
    assert not left & {"市卫健委", "市场监管局", "医保局"}
    fixed = read_tasks_csv(csv)
    units = {unit for row in fixed["units"] for unit in row}
    assert {"市卫生健康委", "市市场监管局", "市医保局"} <= units and "市卫健委" not in units
    assert "市工商局" in units  # abolished bodies are reported, not silently replaced
    assert raw.read_bytes() == raw_before


def test_pyproject_defaults_are_read(plans: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.plancheck]\nselect = ["PC105"]\nfail-on = "never"\n'
    )
    result = invoke(str(plans / "lingyuan-2021.csv"), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []
    (tmp_path / "pyproject.toml").write_text("[tool.plancheck]\ncolour = 1\n")
    assert invoke(str(plans / "leshan.csv")).exit_code == 2


def test_rules_command_lists_the_catalogue() -> None:
    result = runner.invoke(app, ["rules", "--lang", "en"])
    assert result.exit_code == 0
    assert all(rule.code in result.stdout for rule in load_rulebook().rules)
    data = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert {rule["code"] for rule in data["rules"]} == {rule.code for rule in load_rulebook().rules}
