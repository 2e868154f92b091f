"""Every command's --help speaks Chinese and English: the command text and each option."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from plancheck.cli import app

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
COMMANDS = ["diff", "ingest", "matrix", "report", "rules", "scan", "tasks", "validate"]


def _bilingual(text: str | None) -> bool:
    return bool(text) and bool(HAN.search(text)) and bool(LATIN_WORD.search(text))


def _command(name: str | None) -> Any:
    group = typer.main.get_command(app)
    return group if name is None else group.commands[name]


def test_every_command_is_covered():
    assert sorted(_command(None).commands) == COMMANDS


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_text_and_every_option_in_both_languages(name):
    command = _command(name)
    assert _bilingual(command.help), f"{name or 'plancheck'}: command help is not bilingual"
    for param in command.params:
        if param.name == "help":
            continue
        help_text = getattr(param, "help", None)
        assert _bilingual(help_text), f"{name or 'plancheck'} {param.name}: {help_text!r}"


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_screen_shows_both_languages(name):
    args = ["--help"] if name is None else [name, "--help"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    command = _command(name)
    first_zh = HAN.search(command.help or "")
    assert first_zh and first_zh.group() in result.output
    for param in command.params:
        help_text = getattr(param, "help", None)
        if param.name == "help" or not help_text:
            continue
        zh_words = re.findall(r"[\u4e00-\u9fff]+", help_text)
        en_words = LATIN_WORD.findall(help_text)
        shown = re.sub(r"\s+", "", result.output)
        assert zh_words[0] in shown, f"{name} {param.name}: Chinese help not shown"
        assert en_words[-1] in shown, f"{name} {param.name}: English help not shown"
