"""CI conventions: the pre-commit hook, SARIF against its schema, settings, fixes, file modes."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
from pathlib import Path

import jsonschema
import pytest
import yaml
from test_validate_support import invoke_validate as invoke
from test_validate_support import row, tasks
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.table.io import read_tasks_csv, write_tasks_csv
from plancheck.validate.rulebook import load_rulebook

REPO = Path(__file__).resolve().parent.parent
TASKS = REPO / "datasets" / "tasks"
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-2.1.0-rtm.5.json"
runner = CliRunner()


# ---------------------------------------------------------------- pre-commit
def plans_repository(root: Path) -> list[str]:
    """A plans repository: a clean task table, a README, notes and the tool's own report."""
    (root / "datasets" / "tasks").mkdir(parents=True)
    clean = tasks(
        row(task_id="1", text="建立综合监管制度。", units=["市卫生健康委"]),
        row(task_id="2", text="加强行业信用管理。", units=["市卫生健康委", "市市场监管局"]),
    )
    write_tasks_csv(clean, root / "datasets" / "tasks" / "demo.csv")
    (root / "README.md").write_text("# 方案仓库\n\n联系我们：见内网。\n", encoding="utf-8")
    (root / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    (root / "reports").mkdir()
    (root / "reports" / "validation.md").write_text("## plancheck 校验结果\n", encoding="utf-8")
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def hook(hook_id: str) -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == hook_id)


def test_pre_commit_hook_passes_on_a_plans_repository_with_a_readme(scratch: Path) -> None:
    """What `pre-commit run --all-files` runs: the hook's entry on every file its pattern takes."""
    files = plans_repository(scratch)
    spec = hook("plancheck-validate")
    matched = [f for f in files if re.search(spec["files"], f)]
    assert "README.md" in matched and "reports/validation.md" in matched
    entry = shlex.split(spec["entry"])
    assert entry[:2] == ["plancheck", "validate"]
    result = runner.invoke(app, [*entry[1:], *matched])
    assert result.exit_code == 0, result.output
    assert "共检查 1 个方案" in result.stdout and result.stderr == ""


def test_only_plans_skips_non_plans_inside_folders(scratch: Path) -> None:
    plans_repository(scratch)
    result = invoke("--only-plans", ".", "datasets/tasks", "--format", "concise")
    assert result.exit_code == 0 and "共检查 1 个方案" in result.stdout, result.output


def test_pre_commit_hook_still_reports_a_plans_errors(scratch: Path) -> None:
    plans_repository(scratch)
    bad = tasks(row(task_id="1", units=[]))  # an item without a lead unit: an error
    write_tasks_csv(bad, scratch / "datasets" / "tasks" / "demo.csv")
    entry = shlex.split(hook("plancheck-validate")["entry"])
    result = runner.invoke(app, [*entry[1:], "README.md", "datasets/tasks/demo.csv"])
    assert result.exit_code == 1 and " PC101 " in result.stdout


def test_a_manifest_source_is_a_plan_for_the_hook(scratch: Path) -> None:
    (scratch / "datasets" / "raw").mkdir(parents=True)
    shutil.copy(
        REPO / "datasets" / "raw" / "003_321ef95c29761d99.txt", scratch / "datasets/raw/cq.txt"
    )
    (scratch / "datasets" / "plans.yaml").write_text(
        "plans:\n  - id: cq\n    title: 重庆\n    level: province\n    source: raw/cq.txt\n",
        encoding="utf-8",
    )
    (scratch / "README.txt").write_text("说明\n", encoding="utf-8")
    result = invoke("--only-plans", "README.txt", "datasets/raw/cq.txt", "--format", "concise")
    assert " PC501 " in result.stdout and "共检查 1 个方案" in result.stdout


# ---------------------------------------------------------------- SARIF
def test_sarif_validates_against_the_sarif_2_1_0_schema(scratch: Path) -> None:
    for name in ("chongqing-2019.csv", "lingyuan-2021.csv"):
        shutil.copy(TASKS / name, scratch / name)
    result = invoke("chongqing-2019.csv", "lingyuan-2021.csv", "--format", "sarif")
    data = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []
    run = data["runs"][0]
    prints = [r["partialFingerprints"]["plancheck/v2"] for r in run["results"]]
    assert len(prints) > 50 and len(set(prints)) == len(prints)
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert (
        rules["PC103"]["fullDescription"]["text"] and "市卫健委" in rules["PC103"]["help"]["text"]
    )
    assert "example.invalid" not in result.stdout
    book = load_rulebook()
    for code, rule in rules.items():
        fix = book.rule(code).fix["zh"]  # the run's language: the rule's own fix text
        assert fix in rule["help"]["text"] and fix in rule["help"]["markdown"], code


# ---------------------------------------------------------------- settings
def seed(folder: Path, name: str = "lingyuan-2021.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(TASKS / name, folder / name))


def codes_of(result) -> set[str]:
    return {f["code"] for f in json.loads(result.stdout)["findings"]}


def test_settings_are_found_from_a_subfolder(
    scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (scratch / "pyproject.toml").write_text('[tool.plancheck]\nselect = ["PC105"]\n')
    csv = seed(scratch / "plans" / "2021")
    monkeypatch.chdir(scratch / "plans" / "2021")
    assert codes_of(invoke(csv.name, "--format", "json")) <= {"PC105"}


def test_config_option_and_extend_lists(scratch: Path) -> None:
    csv = seed(scratch)
    (scratch / "ci.toml").write_text('select = ["PC103"]\nextend-select = ["PC104"]\n')
    assert codes_of(invoke(str(csv), "--config", "ci.toml", "--format", "json")) == {
        "PC103",
        "PC104",
    }
    (scratch / "pyproject.toml").write_text('[tool.plancheck]\nignore = ["PC103"]\n')
    assert codes_of(invoke(str(csv), "--format", "json")) == {"PC104"}
    both = invoke(str(csv), "--ignore", "PC104", "--format", "json")  # adds to the configured list
    assert both.exit_code == 0 and codes_of(both) == set()
    extended = invoke(str(csv), "--extend-ignore", "PC104", "--format", "json")
    assert codes_of(extended) == set()


def test_exclude_and_per_file_ignores(scratch: Path) -> None:
    seed(scratch / "plans")
    seed(scratch / "old", "leshan.csv")
    (scratch / "pyproject.toml").write_text(
        '[tool.plancheck]\nexclude = ["old/*"]\n\n[tool.plancheck.per-file-ignores]\n"datasets/raw/002_*" = ["PC103"]\n'
    )
    data = json.loads(
        invoke("plans/lingyuan-2021.csv", "old/leshan.csv", "--format", "json").stdout
    )
    assert data["summary"]["plans"] == ["lingyuan-2021"]
    assert "PC103" not in {f["code"] for f in data["findings"]} and data["findings"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[tool.plancheck]\nselcet = ["PC1"]\n', "did you mean 'select'"),
        ('[tool.plancheck]\nselect = "PC1"\n', "select must be a list of strings"),
        ('[tool.plancheck]\nfail-on = "sometimes"\n', "fail-on must be one of"),
        ("[tool.plancheck\n", "malformed TOML"),
    ],
)
def test_bad_settings_name_the_file_and_key(scratch: Path, text: str, expected: str) -> None:
    csv = seed(scratch)
    (scratch / "pyproject.toml").write_text(text)
    result = invoke(str(csv))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "pyproject.toml" in result.stderr and expected in result.stderr


# ---------------------------------------------------------------- --fix
def test_fix_diff_previews_without_writing_and_fix_lists_files(scratch: Path) -> None:
    csv = seed(scratch / "datasets" / "tasks")
    before = csv.read_bytes()
    preview = invoke(str(csv), "--fix", "--diff")
    assert csv.read_bytes() == before
    assert preview.stdout.startswith(f"--- a/{csv.as_posix()}") and "+" in preview.stdout
    assert "市卫生健康委" in preview.stdout
    done = invoke(str(csv), "--fix", "--format", "json")
    assert "fixed " in done.stderr and str(csv) in done.stderr
    assert csv.read_bytes() != before
    again = invoke(str(csv), "--format", "json")
    # plain validate reads the fixed table: what is left of PC103 are suggestions (no title the
    # place is known to use), never a fix --fix left undone
    left = [f for f in json.loads(again.stdout)["findings"] if f["code"] == "PC103"]
    assert left and all(f["fix"] is None for f in left)
    assert read_tasks_csv(csv)["units_raw"].str.contains("市卫健委").any()  # wording kept


# ---------------------------------------------------------------- files
def test_reports_get_the_umask_mode_not_0600(scratch: Path) -> None:
    csv = seed(scratch)
    old = os.umask(0o022)
    try:
        invoke(str(csv), "--format", "sarif", "--output", "out.sarif")
        invoke(str(csv), "--write-baseline", "base.json", "--fail-on", "never")
    finally:
        os.umask(old)
    for name in ("out.sarif", "base.json"):
        assert stat.S_IMODE((scratch / name).stat().st_mode) == 0o644
    (scratch / "out.sarif").chmod(0o664)  # an existing file keeps its mode
    invoke(str(csv), "--format", "sarif", "--output", "out.sarif")
    assert stat.S_IMODE((scratch / "out.sarif").stat().st_mode) == 0o664


# ---------------------------------------------------------------- rules and help
def test_rules_code_explains_one_rule() -> None:
    result = runner.invoke(app, ["rules", "PC103", "--lang", "en"])
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("PC103 alias-unit-name")
    assert "why:" in text and "bad:" in text and "good:" in text and "--fix" in text
    assert runner.invoke(app, ["rules", "PC999"]).exit_code == 2


def test_every_rule_says_how_to_fix_it() -> None:
    from plancheck.validate.rulebook import load_rulebook

    for rule in load_rulebook().rules:
        assert rule.fix.get("zh") and rule.fix.get("en"), rule.code
        explained = runner.invoke(app, ["rules", rule.code, "--lang", "en"]).stdout
        assert f"fix: {rule.fix['en']}" in explained


def test_validate_help_is_in_chinese_and_english() -> None:
    text = runner.invoke(app, ["validate", "--help"]).stdout
    assert "按规则" in text and "Check plans" in text and "--extend-select" in text


@pytest.mark.parametrize("args", [["--help"], ["rules"], ["rules", "--lang", "en"]])
def test_help_and_rules_do_not_import_pandas(args: list[str]) -> None:
    """`plancheck --help` and `plancheck rules` answer fast: they never load pandas."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from plancheck.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pandas' in sys.modules, 'numpy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120
    ).stdout
    assert out.strip().splitlines()[-1] == "False False"
