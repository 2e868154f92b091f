"""Shared fixtures: the seed documents and their task tables (built once per session)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "datasets" / "raw"
SEEDS = {
    "leshan": RAW / "000_6019df887036e20a.txt",
    "liaoning-2019": RAW / "001_2c0f12420f1f2137.txt",
    "lingyuan-2021": RAW / "002_82fb3db6e2e51aed.txt",
    "chongqing-2019": RAW / "003_321ef95c29761d99.txt",
    "guangyuan": RAW / "004_9e0b5efffc639d84.txt",
}


@pytest.fixture(autouse=True, scope="session")
def _run_from_repo_root():
    """Commands resolve datasets/plans.yaml relative to the working folder, as users run them."""
    previous = os.getcwd()
    os.chdir(ROOT)
    yield
    os.chdir(previous)


@pytest.fixture(scope="session")
def seed_tables():
    from plancheck.ingest import build_task_table

    return {plan_id: build_task_table(path, plan_id=plan_id) for plan_id, path in SEEDS.items()}


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder for a command that reads settings from where it runs."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
