"""The security probes run plancheck as a user (or an attacker) would: a subprocess in a
scratch folder, with a time bound. Each probe asserts the answer a user can act on — exit 2
and one line on stderr — and that nothing was written outside the output folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    def one_line_error(self) -> str:
        """The run failed with exit 2 and exactly one line on stderr, no traceback."""
        assert self.code == 2, (self.code, self.err[-2000:])
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err[-2000:]
        assert "Traceback" not in self.err and "internal error" not in self.err
        return lines[0]


@pytest.fixture
def cli(tmp_path):
    """``cli(*args, timeout=60)`` runs ``python -m plancheck`` in ``tmp_path`` (this checkout)."""

    def run(*args: str, timeout: float = 60, cwd: Path | None = None) -> Run:
        env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="200")
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "plancheck", *map(str, args)],
            cwd=cwd or tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)

    return run


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), to prove nothing else changed."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


SAMPLE_PLAN = """\
某市改革完善医疗卫生行业综合监管制度实施方案

一、重点任务
（一）加强医疗机构监管。市卫生健康委负责，2020年底前完成。
（二）推进信息公开。市市场监管局负责，持续推进。
（三）强化药品监管。市医保局、市卫生健康委负责，2021年6月底前完成。
"""


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "src" / "plan.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SAMPLE_PLAN, encoding="utf-8")
    return path


def manifest(folder: Path, plans: str) -> Path:
    path = folder / "plans.yaml"
    path.write_text(plans, encoding="utf-8")
    return path


@pytest.fixture
def cli_inprocess(tmp_path):
    """Like ``cli`` but in this process (typer's runner): for tests that run many commands."""
    from typer.testing import CliRunner

    from plancheck.cli import app

    runner = CliRunner()

    def run(*args: str, timeout: float = 0, cwd: Path | None = None) -> Run:
        previous = os.getcwd()
        os.chdir(cwd or tmp_path)
        start = time.monotonic()
        try:
            result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        finally:
            os.chdir(previous)
        return Run(result.exit_code, result.stdout, result.stderr, time.monotonic() - start)

    return run


def bounded(function, seconds: float = 30):
    """``function()`` in a daemon thread, failing the test if it runs past ``seconds`` (a hang
    fails instead of hanging the suite); returns its result or re-raises its exception. For
    in-process probes: cheaper than a subprocess when many variants are tried."""
    import threading

    box: dict = {}

    def target() -> None:
        try:
            box["value"] = function()
        except BaseException as err:  # handed to the test thread
            box["error"] = err

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def refusal(path: Path, seconds: float = 30) -> str:
    """The InputError message ``read_document(path)`` refuses ``path`` with (one line)."""
    from plancheck.errors import InputError
    from plancheck.ingest import read_document

    with pytest.raises(InputError) as caught:
        bounded(lambda: read_document(path), seconds)
    message = str(caught.value)
    assert "\n" not in message
    return message
