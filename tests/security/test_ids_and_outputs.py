"""Plan ids are names, not paths; outputs stay inside their folder and replace only files."""

from __future__ import annotations

import os

import pytest

from plancheck.errors import ConfigError, OutputError
from plancheck.io.paths import inside
from plancheck.plans.manifest import check_plan_id
from security.probes import SAMPLE_PLAN, manifest, snapshot

ENTRY = """\
plans:
  - id: {id}
    title: 某市方案
    level: city
    source: src/plan.txt
"""


@pytest.mark.parametrize(
    "bad_id",
    [
        '"/../../../../srv/x/OUT"',
        '"../up"',
        '"a/b"',
        '".hidden"',
        '"a..b"',
        '"tab\\tid"',
        '"nul\\0id"',
        '"' + "x" * 65 + '"',
        "2019",  # a number, not text
    ],
)
def test_manifest_refuses_path_like_ids(cli, tmp_path, plan_file, bad_id):
    man = manifest(tmp_path, ENTRY.format(id=bad_id))
    before = snapshot(tmp_path)
    for args in (
        ("report", "--manifest", man, "--out", tmp_path / "out"),
        ("ingest", "--manifest", man, "--out", tmp_path / "out"),
    ):
        line = cli(*args).one_line_error()
        assert "plans.yaml" in line and ("plan id" in line or "id must be text" in line)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("good", ["lingyuan-2021", "凌源市2021", "a.b_c-1", "x" * 64])
def test_valid_ids_pass(good):
    assert check_plan_id(good) == good


def test_id_from_a_task_csv_cannot_leave_the_output_folder(cli, tmp_path):
    """A task CSV's plan_id column is input too: ingest names its output after it."""
    csv = tmp_path / "evil.csv"
    header = "plan_id,seq,task_id,level,section,heading,text,units_raw,lead_unit,units,"
    header += "units_inherited,deadline_raw,deadline,deadline_kind,source_file,line_start,line_end"
    row = '"../../escaped",1,1,1,,,text,,,[],false,,,,x.txt,1,1'
    csv.write_text(header + "\n" + row + "\n", encoding="utf-8")
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    run = cli("ingest", csv, "--out", out, "--manifest", tmp_path / "none.yaml")
    assert run.code == 2, run.err
    assert not (tmp_path / "escaped.csv").exists() and not list(tmp_path.rglob("escaped*"))


def test_inside_refuses_names_that_leave_the_folder(tmp_path):
    for name in ("../x.md", "/etc/passwd", "a/b.md", "..", ".", ""):
        with pytest.raises(OutputError):
            inside(tmp_path, name)
    (tmp_path / "link").symlink_to("/tmp")
    with pytest.raises(OutputError):
        inside(tmp_path, "link")
    assert inside(tmp_path, "diff-a-vs-b.md") == tmp_path / "diff-a-vs-b.md"


def test_an_id_is_looked_up_before_a_path(cli, tmp_path, plan_file):
    """An id equal to a local folder or file name loads the plan, not the local path."""
    man = manifest(tmp_path, ENTRY.format(id="docs") + ENTRY.format(id="README.md")[7:])
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# not a plan\n", encoding="utf-8")
    os.symlink(man, tmp_path / "datasets.yaml")
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "plans.yaml").write_text(man.read_text("utf-8"), "utf-8")
    (tmp_path / "datasets" / "src").mkdir()
    (tmp_path / "datasets" / "src" / "plan.txt").write_text(plan_file.read_text("utf-8"), "utf-8")
    for plan_id in ("docs", "README.md"):
        run = cli("tasks", plan_id, "--format", "csv")
        assert run.code == 0, run.err
        assert "加强医疗机构监管" in run.out and run.out.startswith("plan_id,")
        assert f"\n{plan_id}," in run.out


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_output_never_replaces_a_link_fifo_or_folder(cli, tmp_path, plan_file, kind):
    target = tmp_path / "elsewhere.md"
    target.write_text("keep me\n", encoding="utf-8")
    output = tmp_path / "out.md"
    if kind == "symlink":
        output.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(output)
    else:
        output.mkdir()
    line = cli("diff", plan_file, plan_file, "--output", output, timeout=60).one_line_error()
    assert str(output.name) in line
    assert target.read_text("utf-8") == "keep me\n"
    assert output.is_symlink() or output.is_fifo() or output.is_dir()


def test_output_never_overwrites_a_raw_source(cli, tmp_path, plan_file):
    before = plan_file.read_bytes()
    for args in (
        ("diff", plan_file, plan_file, "--output", plan_file),
        ("validate", plan_file, "--output", plan_file),
    ):
        line = cli(*args).one_line_error()
        assert "source" in line
    assert plan_file.read_bytes() == before


def test_report_output_name_collision_with_source_refused(cli, tmp_path, plan_file):
    """A report written into the folder of the sources never replaces a source file."""
    src = plan_file.parent
    (src / "index.md").write_text(SAMPLE_PLAN, encoding="utf-8")
    man = manifest(tmp_path, ENTRY.format(id="p1").replace("src/plan.txt", "src/index.md"))
    run = cli("report", "--manifest", man, "--out", src)
    assert run.code == 2 and "source" in run.err
    assert (src / "index.md").read_text("utf-8") == SAMPLE_PLAN


def test_config_error_type():
    with pytest.raises(ConfigError):
        check_plan_id("../x")
