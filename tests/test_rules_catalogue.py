"""The rule catalogue loads, and a broken rule file fails at load time naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancheck.errors import ConfigError
from plancheck.validate.rulebook import DEFAULT_RULES_DIR, load_rulebook, parse_codes

GOOD = """\
rules:
  - code: PC901
    name: empty-demo
    check: task_text_empty
    severity: error
    message: {zh: 任务内容为空, en: task text is empty}
    why: {zh: 说明, en: why}
    example: {bad: "", good: 加强监管。}
    fix: {zh: 写明任务内容, en: write what the task is}
"""


def _write(tmp_path: Path, text: str, name: str = "rules-demo.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_default_catalogue_has_stable_unique_codes() -> None:
    book = load_rulebook()
    codes = [rule.code for rule in book.rules]
    assert codes == sorted(set(codes))
    assert {"PC101", "PC102", "PC103", "PC104", "PC105", "PC201", "PC301", "PC401", "PC501"} <= set(
        codes
    )
    assert all(
        rule.message["zh"] and rule.message["en"] and rule.bad and rule.good for rule in book.rules
    )


def test_other_yaml_files_are_not_rule_files() -> None:
    assert (DEFAULT_RULES_DIR / "departments.yaml").exists()
    assert all("departments" not in rule.origin for rule in load_rulebook().rules)


def test_a_good_custom_rule_file_loads(tmp_path: Path) -> None:
    book = load_rulebook(_write(tmp_path, GOOD))
    assert [rule.code for rule in book.rules] == ["PC901"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("check: task_text_empty", "check: no_such_check", "unknown check 'no_such_check'"),
        ("severity: error", "severity: fatal", "severity 'fatal'"),
        ("    example:", "    params: {limit: 3}\n    example:", "has no parameter limit"),
        ("en: task text is empty", 'en: "empty {nothing}"', "uses {nothing}"),
        ("code: PC901", "code: X1", "must look like PC101"),
        ("    why: {zh: 说明, en: why}\n", "", "missing why"),
        ("    fix: {zh: 写明任务内容, en: write what the task is}\n", "", "missing fix"),
        (
            "fix: {zh: 写明任务内容, en: write what the task is}",
            "fix: {zh: 写明}",
            "fix needs a text",
        ),
        ("fix: {zh: 写明任务内容, en: write what the task is}", "fix: 写明", "fix needs a text"),
    ],
)
def test_broken_rules_fail_naming_file_and_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    folder = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ConfigError) as err:
        load_rulebook(folder)
    assert "rules-demo.yaml:2: " in str(err.value) and expected in str(err.value)


def test_bad_parameter_type_and_bad_regex_fail(tmp_path: Path) -> None:
    text = GOOD.replace("check: task_text_empty", "check: task_text_truncated").replace(
        "    example:", "    params: {endings: 3}\n    example:"
    )
    with pytest.raises(ConfigError, match="parameter endings must be a list"):
        load_rulebook(_write(tmp_path, text))
    text = GOOD.replace("check: task_text_empty", "check: contact_phone").replace(
        "    example:", "    params: {pattern: '([a-'}\n    example:"
    )
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        load_rulebook(_write(tmp_path, text))


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"rules-demo\.yaml:4: malformed YAML"):
        load_rulebook(_write(tmp_path, "rules:\n  - code: PC901\n    name: x\n   bad: [\n"))


def test_duplicate_codes_across_files_fail(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "rules-a.yaml")
    _write(tmp_path, GOOD.replace("empty-demo", "other"), "rules-b.yaml")
    with pytest.raises(ConfigError, match="PC901 is already defined"):
        load_rulebook(tmp_path)


def test_select_and_ignore_by_code_and_prefix() -> None:
    book = load_rulebook()
    assert {r.code for r in book.select(["PC1"], ["PC103"]).rules} == {
        "PC101",
        "PC102",
        "PC104",
        "PC105",
    }
    assert [r.code for r in book.select(parse_codes("pc501, PC502")).rules] == ["PC501", "PC502"]
    with pytest.raises(ConfigError, match="matches no rule"):
        book.select(["PC999"])


def test_missing_rules_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no rules-"):
        load_rulebook(tmp_path)
