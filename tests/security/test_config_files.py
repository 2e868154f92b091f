"""Manifests, rule files and the registry are untrusted: strict keys, no duplicates, no bombs."""

from __future__ import annotations

import re
import shutil

import pytest

from plancheck.errors import ConfigError
from plancheck.io.resources import rules_dir
from plancheck.io.yaml_files import load_yaml
from plancheck.registry.lookup import load_registry
from security.probes import manifest

GOOD = """\
plans:
  - id: p1
    title: 某市方案
    level: city
    source: src/plan.txt
"""

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


def test_alias_bomb_refused_fast(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bomb.yaml:\d+: .*aliases expand"):
        load_yaml(path)


def test_small_aliases_still_work(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("a: &a [1, 2]\nb: *a\n", encoding="utf-8")
    assert load_yaml(path) == {"a": [1, 2], "b": [1, 2]}


def test_manifest_alias_bomb_in_title(cli, tmp_path, plan_file):
    text = BOMB.replace("a: &a", "x: &a") + GOOD.replace("某市方案", "*i")
    man = manifest(tmp_path, text)
    run = cli("report", "--manifest", man, "--out", tmp_path / "out", timeout=30)
    assert "aliases expand" in run.one_line_error()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD + "    title: 另一个\n", r"plans.yaml:\d+: .*'title' is given twice"),
        (GOOD.replace("plans:", "plans: []\nplans:"), r"'plans' is given twice"),
        (GOOD + "    parnet: p0\n", r"plans.yaml:6: unknown key 'parnet'.*did you mean 'parent'"),
        (GOOD + "other: 1\n", r"unknown key 'other'"),
        (GOOD + "    peers: p2\n", r"plans.yaml:6: peers must be"),
        (GOOD.replace("title: 某市方案", "title: [a, b]"), r"title must be text"),
        (GOOD + "    issued: 20190101\n", r"issued must be"),
    ],
)
def test_manifest_mistakes_are_errors_with_a_line(cli, tmp_path, plan_file, text, expected):
    man = manifest(tmp_path, text)
    line = cli("ingest", "--manifest", man, "--out", tmp_path / "out").one_line_error()
    assert re.search(expected, line), line


def _rules_copy(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    return folder


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "    check: contact_phone\n",
            "    check: contact_phone\n    parms: {}\n",
            "did you mean 'params'",
        ),
        ("    severity: error\n", "    severity: error\n    severity: warning\n", "given twice"),
        ("    example:\n", "    exmaple: {}\n    example:\n", "did you mean 'example'"),
    ],
)
def test_rule_file_mistakes(cli, tmp_path, plan_file, old, new, expected):
    folder = _rules_copy(tmp_path)
    _edit(folder / "rules-privacy.yaml", old, new)
    line = cli("validate", plan_file, "--rules", folder).one_line_error()
    assert "rules-privacy.yaml:" in line and expected in line


def test_rule_param_typo_has_did_you_mean(cli, tmp_path, plan_file):
    folder = _rules_copy(tmp_path)
    _edit(
        folder / "rules-privacy.yaml",
        "    check: contact_phone\n",
        "    check: contact_phone\n    params: {patern: x}\n",
    )
    line = cli("validate", plan_file, "--rules", folder).one_line_error()
    assert "did you mean 'pattern'" in line


def test_catastrophic_rule_pattern_is_stopped(cli, tmp_path):
    folder = _rules_copy(tmp_path)
    _edit(
        folder / "rules-privacy.yaml",
        "    check: contact_phone\n",
        "    check: contact_phone\n    params: {pattern: '(a|aa)+$'}\n",
    )
    plan = tmp_path / "plan.txt"
    plan.write_text("一、任务\n（一）加强监管。" + "a" * 60 + "b\n（二）推进公开。\n", "utf-8")
    run = cli("validate", plan, "--rules", folder, timeout=60)
    line = run.one_line_error()
    assert "backtracking" in line and run.seconds < 40


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("bodies:\n", "bodeis: []\nbodies:\n", "did you mean 'bodies'"),
        ("prefixes:\n", "prefixes: {}\nprefixes:\n", "given twice"),
    ],
)
def test_registry_mistakes(tmp_path, old, new, expected):
    path = tmp_path / "departments.yaml"
    shutil.copy(rules_dir() / "departments.yaml", path)
    _edit(path, old, new)
    with pytest.raises(ConfigError, match=expected) as err:
        load_registry(path)
    assert "departments.yaml:" in str(err.value) and "\n" not in str(err.value)


def test_registry_body_key_typo(tmp_path):
    path = tmp_path / "departments.yaml"
    shutil.copy(rules_dir() / "departments.yaml", path)
    text = path.read_text("utf-8")
    start = text.index("  - id:", text.index("\nbodies:"))
    path.write_text(text[:start] + "  - functoin: x\n    id:" + text[start + 7 :], "utf-8")
    with pytest.raises(ConfigError, match="did you mean 'function'"):
        load_registry(path)


def test_yaml_refuses_special_files(tmp_path):
    with pytest.raises(ConfigError, match="not a regular file"):
        load_yaml(tmp_path)
    with pytest.raises(ConfigError, match="device"):
        load_yaml("/dev/zero")
