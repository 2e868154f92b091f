"""Task text is data, never output control: ANSI escape sequences never reach a terminal raw,
workflow-command lines in task text never become workflow commands in ``--format github``,
and CDATA ends and control characters leave JUnit and SARIF well-formed.

The hostile text comes two ways: in a source document (ingest drops control characters: they
are never text in a plan) and in a task CSV edited by hand, as a pull request can (every
rendered output shows them as ``<U+001B>``)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from security.probes import SAMPLE_PLAN

SECONDS = 60
ESCAPES = ("\x1b[31m红\x1b[0m", "\x1b]0;pwned\x07", "\x9b2J", "\x1b[2J\x1b[H")
HOSTILE = (
    "加强监管"
    + "".join(ESCAPES)
    + " ::error::injected %0A::set-output name=x::y"
    + "\n::warning file=a::second\r::add-mask::z ]]> <![CDATA[ x ]]> \x01\x08\x0b\x0c\x7f"
)
RAW = ("\x1b", "\x9b", "\x07", "\x01", "\x08", "\x0b", "\x0c", "\x7f")


def _no_raw(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(ch)


def test_escapes_in_a_source_never_reach_the_terminal(cli, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(
        SAMPLE_PLAN.replace("加强医疗机构监管", "".join(ESCAPES) + "加强监管"), "utf-8"
    )
    for fmt in ("table", "csv", "json"):
        run = cli("tasks", source, "--format", fmt, timeout=SECONDS)
        assert run.code == 0, run.err
        _no_raw(run.out + run.err)
        assert "加强监管" in run.out


@pytest.fixture
def hostile_csv(tmp_path):
    """A task CSV (as ingest writes it) whose task text and one unit name were edited."""
    from plancheck.plans.loading import load_plan
    from plancheck.table.io import tasks_to_csv_text

    source = tmp_path / "plan.txt"
    source.write_text(SAMPLE_PLAN, "utf-8")
    (tmp_path / "tasks").mkdir()
    path = tmp_path / "tasks" / "plan.csv"
    path.write_text(tasks_to_csv_text(load_plan(source).tasks), "utf-8")
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    rows[0]["text"] = HOSTILE
    unit = "市市场\x1b[8m监管局" + HOSTILE  # an unknown unit: PC102 quotes it in its message
    rows[1]["units"], rows[1]["lead_unit"] = json.dumps([unit], ensure_ascii=False), unit
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    return path


def _validate(cli, table, *args):
    run = cli("validate", table, "--select", "ALL", "--fail-on", "never", *args, timeout=SECONDS)
    assert run.code == 0, run.err
    _no_raw(run.out + run.err)
    return run.out


@pytest.mark.parametrize("fmt", ["text", "concise", "markdown", "json"])
def test_terminal_formats_show_escapes_as_text(cli, hostile_csv, fmt):
    out = _validate(cli, hostile_csv, "--format", fmt)
    assert "U+001B" in out  # made visible, not dropped: the reviewer sees what was there


def test_github_format_has_only_its_own_commands(cli, hostile_csv):
    out = _validate(cli, hostile_csv, "--format", "github")
    lines = out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert not any(line.startswith(("::set-output", "::add-mask", "::error::")) for line in lines)
    hostile = [line for line in lines if "injected" in line]
    assert hostile and all("%0A::warning" in line for line in hostile)  # newline escaped


def test_junit_is_well_formed_and_keeps_the_text(cli, hostile_csv):
    out = _validate(cli, hostile_csv, "--format", "junit")
    root = ET.fromstring(out)  # raises on a control character or a broken CDATA section
    texts = " ".join(node.text or "" for node in root.iter())
    texts += " ".join(v for node in root.iter() for v in node.attrib.values())
    assert "]]>" in texts and "<![CDATA[" in texts  # kept as text, not markup


def test_sarif_is_well_formed_json(cli, hostile_csv):
    log = json.loads(_validate(cli, hostile_csv, "--format", "sarif"))
    messages = [r["message"]["text"] for run in log["runs"] for r in run["results"]]
    assert any("<U+001B>" in m for m in messages)


def test_diff_output_shows_escapes_as_text(cli, hostile_csv, tmp_path):
    reference = tmp_path / "plan.txt"
    for fmt in ("markdown", "json"):
        run = cli("diff", reference, hostile_csv, "--format", fmt, timeout=SECONDS)
        assert run.code == 0, run.err
        _no_raw(run.out + run.err)
