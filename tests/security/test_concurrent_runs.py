"""Concurrent and failing runs: two `report --out X` at once take turns (the folder always
holds one run's whole set), two `validate --fix` on one CSV take turns (a lock), a full disk
and a read-only output folder end with one line and the old set intact, SIGTERM and kill -9
mid-write leave no partial file and the old set (or the whole new one)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from filelock import FileLock

from plancheck.errors import OutputError
from plancheck.io import folder_swap
from plancheck.io.folder_swap import replace_folder
from plancheck.io.locks import lock_path
from plancheck.plans.batch import is_report_name
from security.probes import ROOT, SAMPLE_PLAN, manifest, snapshot
from security.test_report_all_or_nothing import ONE, TWO

SECONDS = 120


@pytest.fixture
def plans(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "parent.txt").write_text(SAMPLE_PLAN, "utf-8")
    (tmp_path / "src" / "child.txt").write_text(
        SAMPLE_PLAN.replace("持续推进", "2022年底前完成"), "utf-8"
    )
    return tmp_path


def _leftovers(out):
    """What a run left beside ``out`` (nothing, lock files included: they live elsewhere)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _args(man, out, *extra):
    return [sys.executable, "-m", "plancheck", "report", "--manifest", str(man), "--out", str(out),
            "--executor", "serial", *extra]  # fmt: skip


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_two_reports_at_once_take_turns(plans, cli_inprocess):
    one, two = manifest(plans / "src", ONE.replace("src/", "")), manifest(plans, TWO)
    expected = []
    for man, name in ((one, "alone-one"), (two, "alone-two")):
        run = cli_inprocess(
            "report", "--manifest", man, "--out", plans / name, "--executor", "serial"
        )
        assert run.code in (0, 1), run.err
        expected.append(snapshot(plans / name))
    assert expected[0] != expected[1]
    out = plans / "reports"
    procs = [
        subprocess.Popen(_args(man, out), cwd=plans, env=_env(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for man in (one, two)
    ]  # fmt: skip
    results = [proc.communicate(timeout=SECONDS) for proc in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode in (0, 1), err  # the second waited, then wrote its own set
    assert snapshot(out) in expected  # one run's whole set, never a mix
    assert _leftovers(out) == []


def test_a_run_that_cannot_get_the_lock_says_so(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.md").write_text("old\n", "utf-8")
    with FileLock(str(lock_path(out))):  # another run holds it
        start = time.monotonic()
        with pytest.raises(OutputError, match="another plancheck run is writing the reports"):
            replace_folder(out, {"index.md": "new\n"}, is_report_name, lock_timeout=0.5)
        assert time.monotonic() - start < 5
    assert (out / "index.md").read_text("utf-8") == "old\n"


def test_two_fixes_of_one_csv_take_turns(plans, cli, cli_inprocess):
    source = plans / "src" / "plan.txt"
    source.write_text(
        "某市实施方案\n\n一、重点任务\n"
        + "".join(f"（{n}）加强监管。（责任单位：市卫健委、市医保局）\n" for n in "一二三四")
    , "utf-8")  # fmt: skip
    assert cli_inprocess("ingest", source, "--out", plans / "tasks").code == 0
    table = plans / "tasks" / "plan.csv"
    alone = plans / "alone.csv"
    shutil.copy(table, alone)
    assert cli_inprocess("validate", alone, "--fix").code in (0, 1)
    fixed = alone.read_text("utf-8")
    assert "市卫健委" in table.read_text("utf-8") and '""市卫生健康委""' in fixed
    # the lock is held elsewhere: a --fix waits for it, leaving the table alone meanwhile
    args = [sys.executable, "-m", "plancheck", "validate", str(table), "--fix"]
    before = table.read_text("utf-8")
    with FileLock(str(lock_path(table))):
        first = subprocess.Popen(args, cwd=plans, env=_env(), stderr=subprocess.PIPE, text=True)
        second = subprocess.Popen(args, cwd=plans, env=_env(), stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert first.poll() is None and second.poll() is None  # both waiting
        assert table.read_text("utf-8") == before
    errors = [proc.communicate(timeout=SECONDS)[1] for proc in (first, second)]
    assert all(proc.returncode in (0, 1) for proc in (first, second)), errors
    assert table.read_text("utf-8") == fixed  # fixed once, as one run alone fixes it
    assert sum("fixed" in err for err in errors) == 1  # one fixed it, the other found it fixed


def _mount(tmp_path, name, options):
    """A tmpfs at tmp_path/name (root and a kernel that allows it), else skip."""
    point = tmp_path / name
    point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs; the in-process ENOSPC probe covers the code")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    return point


@pytest.fixture
def mounted(tmp_path):
    points = []

    def mount(name, options):
        points.append(_mount(tmp_path, name, options))
        return points[-1]

    yield mount
    for point in reversed(points):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_full_disk_keeps_the_old_set(plans, cli, mounted):
    disk = mounted("disk", "size=2m")
    man = manifest(plans, TWO)
    out = disk / "reports"
    assert cli("report", "--manifest", man, "--out", out, "--executor", "serial").code in (0, 1)
    before = snapshot(out)
    with open(disk / "filler", "wb") as handle:  # fill what is left
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as err:
            assert err.errno == errno.ENOSPC
    run = cli("report", "--manifest", man, "--out", out, "--format", "both", "--executor", "serial",
              timeout=SECONDS)  # fmt: skip
    line = run.one_line_error()
    assert "No space left on device" in line and "nothing was changed" in line
    assert snapshot(out) == before and _leftovers(out) == []


def test_a_full_disk_simulated_keeps_the_old_set(tmp_path, monkeypatch):
    """Where no tmpfs can be mounted: ENOSPC on the third file, in this process."""
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.md").write_text("old index\n", "utf-8")
    before = snapshot(out)
    real, calls = folder_swap._write_file, []

    def full(path, content):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, content)

    monkeypatch.setattr(folder_swap, "_write_file", full)
    files = {f"diff-p{i}-vs-q.md": "new\n" * 100 for i in range(5)} | {"index.md": "new\n"}
    with pytest.raises(OutputError, match="No space left on device.*nothing was changed"):
        replace_folder(out, files, is_report_name)
    assert snapshot(out) == before and _leftovers(out) == []


def test_a_read_only_output_folder_is_one_line(plans, cli, mounted):
    disk = mounted("ro", "size=2m")
    man = manifest(plans, TWO)
    out = disk / "reports"
    assert cli("report", "--manifest", man, "--out", out, "--executor", "serial").code in (0, 1)
    before = snapshot(out)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True)
    if remount.returncode:
        pytest.skip("cannot remount the tmpfs read-only here")
    run = cli("report", "--manifest", man, "--out", out, "--executor", "serial", timeout=SECONDS)
    line = run.one_line_error()
    assert "Read-only file system" in line or "Permission denied" in line
    assert snapshot(out) == before


def test_sigterm_mid_run_leaves_a_whole_set_and_one_line(plans):
    man = manifest(plans, TWO)
    out = plans / "reports"
    assert subprocess.run(_args(man, out), cwd=plans, env=_env(), timeout=SECONDS).returncode in (
        0,
        1,
    )
    first = snapshot(out)
    (plans / "src" / "child.txt").write_text(SAMPLE_PLAN.replace("持续推进", "2023年完成"), "utf-8")
    terminated, seen = 0, []
    for delay in (0.8, 1.6, 2.4):
        proc = subprocess.Popen(_args(man, out), cwd=plans, env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=SECONDS)
        lines = err.strip().splitlines()
        assert "Traceback" not in err and len(lines) <= 1, err
        if proc.returncode == 143:
            terminated += 1
            assert "terminated (SIGTERM)" in lines[0]
        # no kill leftovers need waiting for: the handler cleaned up right away
        assert _leftovers(out) == []
        seen.append(snapshot(out))
    done = subprocess.run(_args(man, out), cwd=plans, env=_env(), timeout=SECONDS)
    assert done.returncode in (0, 1)
    last = snapshot(out)
    assert last != first
    for now in seen:
        assert now in (first, last)  # the whole old set or the whole new set, never a mix
    assert terminated, "no SIGTERM arrived mid-run; the delays are too long for this machine"
