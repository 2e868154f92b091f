"""`plancheck report` replaces the whole set or nothing: errors, Ctrl-C and kill -9 leave the
previous set; a killed run's temporary folder is cleaned up; stale reports are removed and listed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from plancheck.io import folder_swap
from plancheck.io.folder_swap import replace_folder
from plancheck.plans.batch import is_report_name
from security.probes import ROOT, SAMPLE_PLAN, manifest, snapshot

TWO = """\
plans:
  - {id: parent, title: 上级方案, level: province, source: src/parent.txt}
  - {id: child, title: 本级方案, level: city, source: src/child.txt, parent: parent}
"""
ONE = """\
plans:
  - {id: child, title: 本级方案, level: city, source: src/child.txt}
"""


@pytest.fixture
def plans(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "parent.txt").write_text(SAMPLE_PLAN, "utf-8")
    (tmp_path / "src" / "child.txt").write_text(
        SAMPLE_PLAN.replace("持续推进", "2022年底前完成"), "utf-8"
    )
    return tmp_path


def _leftovers(folder):
    return [p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.")]


def test_interrupted_write_leaves_the_old_set(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.md").write_text("old index\n", "utf-8")
    (out / "diff-a-vs-b.md").write_text("old diff\n", "utf-8")
    before = snapshot(out)
    calls = []
    real = folder_swap._write_file

    def interrupt(path, content):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(path, content)

    monkeypatch.setattr(folder_swap, "_write_file", interrupt)
    new = {"index.md": "new\n", "validation.md": "new\n", "diff-a-vs-b.md": "new\n"}
    with pytest.raises(KeyboardInterrupt):
        replace_folder(out, new, is_report_name)
    assert snapshot(out) == before and _leftovers(out) == []


def test_a_failed_run_leaves_the_old_set(cli, plans):
    man = manifest(plans, TWO)
    out = plans / "reports"
    assert cli("report", "--manifest", man, "--out", out).code in (0, 1)
    before = snapshot(out)
    (plans / "src" / "child.txt").write_bytes(b"\x00\x01binary" * 100)  # now unreadable
    run = cli("report", "--manifest", man, "--out", out)
    assert run.code == 2
    assert snapshot(out) == before and _leftovers(out) == []


def test_stale_reports_are_removed_and_listed_other_files_kept(cli, plans):
    out = plans / "reports"
    assert cli("report", "--manifest", manifest(plans, TWO), "--out", out).code in (0, 1)
    assert (out / "diff-child-vs-parent.md").exists()
    (out / "README.txt").write_text("notes kept by a reviewer\n", "utf-8")
    run = cli("report", "--manifest", manifest(plans, ONE), "--out", out)
    assert run.code in (0, 1), run.err
    assert not (out / "diff-child-vs-parent.md").exists()
    assert "diff-child-vs-parent.md" in run.out
    assert (out / "README.txt").read_text("utf-8") == "notes kept by a reviewer\n"
    assert _leftovers(out) == []


def test_leftovers_of_a_killed_run_are_cleaned_or_restored(tmp_path):
    out = tmp_path / "reports"
    (tmp_path / ".reports.abc.plancheck-tmp").mkdir()
    (tmp_path / ".reports.abc.plancheck-tmp" / "index.md").write_text("half\n", "utf-8")
    moved = tmp_path / ".reports.def.plancheck-old"
    moved.mkdir()  # killed between the two renames: the old set is here, out is gone
    (moved / "notes.txt").write_text("mine\n", "utf-8")
    fresh = tmp_path / ".reports.ghi.plancheck-tmp"  # another run, writing right now
    fresh.mkdir()
    for path in (tmp_path / ".reports.abc.plancheck-tmp", moved):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    replace_folder(out, {"index.md": "new\n"}, is_report_name)
    assert fresh.exists()
    fresh.rmdir()
    assert (out / "notes.txt").read_text("utf-8") == "mine\n"
    assert (out / "index.md").read_text("utf-8") == "new\n"
    assert _leftovers(out) == []


def test_kill_9_mid_run_leaves_a_whole_set(plans):
    man = manifest(plans, TWO)
    out = plans / "reports"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "plancheck", "report", "--manifest", str(man), "--out", str(out)]
    subprocess.run(args, cwd=plans, env=env, capture_output=True, timeout=120)
    first = snapshot(out)
    (plans / "src" / "child.txt").write_text(SAMPLE_PLAN.replace("持续推进", "2023年完成"), "utf-8")
    seen = []
    for delay in (0.5, 1.5, 3.0):
        proc = subprocess.Popen(
            args, cwd=plans, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen.append(snapshot(out))
    for leftover in plans.glob(".reports.*"):  # what a kill left: old enough to be cleaned
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    done = subprocess.run(args, cwd=plans, env=env, capture_output=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert _leftovers(out) == []
    last = snapshot(out)
    assert last != first
    for now in seen:
        assert now in (first, last)  # the whole old set or the whole new set, never a mix


def test_a_killed_single_file_write_leaves_no_temp_file_for_long(tmp_path):
    from plancheck.io.atomic import atomic_write_text

    target = tmp_path / "diff.md"
    leftover = tmp_path / ".diff.md.abc123.tmp"
    leftover.write_text("half a report", "utf-8")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    atomic_write_text(target, "whole\n")
    assert target.read_text("utf-8") == "whole\n" and not leftover.exists()


def test_a_run_in_one_format_keeps_the_other_formats_reports(cli, plans):
    """`report --format both` then the quickstart's plain `report` (Markdown): the HTML of the
    same plans is not stale and stays; only plans no longer in the manifest are removed."""
    out = plans / "reports"
    man = manifest(plans, TWO)
    assert cli("report", "--manifest", man, "--out", out, "--format", "both").code in (0, 1)
    html = sorted(p.name for p in out.glob("*.html"))
    assert "diff-child-vs-parent.html" in html and "index.html" in html
    run = cli("report", "--manifest", man, "--out", out)
    assert run.code in (0, 1), run.err
    assert sorted(p.name for p in out.glob("*.html")) == html
    assert "removed" not in run.out
