"""`plancheck report --executor dask://host:port` on a real cluster: a `dask scheduler` and two
`dask worker` processes on 127.0.0.1, started in another folder than the plans (documents
travel as bytes with their names, so the workers read no file of the client). The reports must
be the bytes of a serial run, also when a worker is killed in the middle of the run.

Every process is started with a timeout and stopped at the end (by its own process id)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from plan_factory import province_specs, write_plans

distributed = pytest.importorskip("distributed")
DASK = shutil.which("dask")
pytestmark = pytest.mark.skipif(
    DASK is None, reason="the dask command (dask[distributed]) is not installed"
)

START_SECONDS = 90  # a scheduler or worker must be up by then (imports on a busy machine)
RUN_SECONDS = 600  # one report run
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "HYPOTHESIS_NO_PLUGINS": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path):
    """(address, {worker name: process}, a client of the scheduler)."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    home = tmp_path / "cluster"  # the processes' working folder: not where the plans are
    home.mkdir()
    processes: list[subprocess.Popen] = []

    def start(args: list[str], log: str) -> subprocess.Popen:
        with open(home / log, "wb") as out:
            process = subprocess.Popen(
                [DASK, *args], cwd=home, env=ENV, stdout=out, stderr=subprocess.STDOUT
            )
        processes.append(process)
        return process

    client = None
    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], "scheduler.log")  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"the scheduler did not start: {(home / 'scheduler.log').read_text()}"
                    )
                time.sleep(0.2)
        workers = {
            name: start(
                [
                    "worker",
                    f"tcp://{address}",
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--name",
                    name,
                    "--local-directory",
                    str(home / name),
                ],
                f"{name}.log",
            )  # fmt: skip
            for name in ("w0", "w1")
        }
        client = distributed.Client(f"tcp://{address}", timeout=f"{START_SECONDS}s")
        client.wait_for_workers(2, timeout=START_SECONDS)
        yield address, workers, client
    finally:
        if client is not None:
            client.close(timeout=15)
        for process in reversed(processes):
            stop(process)


def report(folder: Path, out: str, executor: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plancheck", "report", "plans", "--out", out, "--format", "both",
         "--executor", executor],
        cwd=folder, env=ENV, capture_output=True, text=True, timeout=RUN_SECONDS,
    )  # fmt: skip


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_report_on_a_real_cluster_gives_the_serial_bytes(cluster, tmp_path):
    address, _, _ = cluster
    write_plans(tmp_path / "plans", province_specs(cities=1, counties_per_city=3))
    serial = report(tmp_path, "serial", "serial")
    assert serial.returncode == 0, serial.stderr
    remote = report(tmp_path, "remote", f"dask://{address}")
    assert remote.returncode == 0, remote.stderr
    expected = files(tmp_path / "serial")
    assert "matrix-luchuan-2020.json" in expected and len(expected) == 13
    assert files(tmp_path / "remote") == expected


def test_a_worker_killed_mid_run_gives_the_same_bytes(cluster, tmp_path):
    address, workers, client = cluster
    write_plans(tmp_path / "plans", province_specs(cities=2, counties_per_city=5, tasks=40))
    serial = report(tmp_path, "serial", "serial")
    assert serial.returncode == 0, serial.stderr
    command = [sys.executable, "-m", "plancheck", "report", "plans", "--out", "remote",
               "--format", "both", "--executor", f"dask://{address}"]  # fmt: skip
    with open(tmp_path / "remote.log", "wb") as log:
        run = subprocess.Popen(command, cwd=tmp_path, env=ENV, stdout=log, stderr=subprocess.STDOUT)
    try:
        killed = None
        deadline = time.monotonic() + RUN_SECONDS
        while killed is None and run.poll() is None and time.monotonic() < deadline:
            busy = [addr for addr, keys in client.processing().items() if keys]
            if busy:
                name = client.scheduler_info()["workers"][busy[0]]["name"]
                workers[name].send_signal(signal.SIGKILL)  # a lost machine: no goodbye
                killed = name
            time.sleep(0.02)
        assert killed is not None, "the run ended before a worker could be killed"
        assert run.wait(timeout=RUN_SECONDS) == 0, (tmp_path / "remote.log").read_text()
    finally:
        stop(run)
    assert workers[killed].wait(timeout=15) == -signal.SIGKILL
    assert files(tmp_path / "remote") == files(tmp_path / "serial")
