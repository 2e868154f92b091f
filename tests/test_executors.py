"""The batch runs through one executor interface; every engine gives the same bytes."""

from __future__ import annotations

import pytest
from plan_factory import province_specs, write_plans
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.errors import ConfigError
from plancheck.plans.batch import build_reports
from plancheck.plans.executors import DaskExecutor, ProcessExecutor, make_executor
from plancheck.plans.folder import scan_plans


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans")
    write_plans(path, province_specs(cities=1, counties_per_city=2))
    return path


def test_local_dask_cluster_gives_the_same_bytes_as_the_default_executor(folder):
    with ProcessExecutor(2) as local:
        manifest = scan_plans(folder, mapper=local.map).manifest
        expected = build_reports(manifest, executor=local)
    with DaskExecutor(None, workers=1, processes=False) as dask:
        assert scan_plans(folder, mapper=dask.map).manifest == manifest
        got = build_reports(manifest, executor=dask)
    # 3 parent diffs, index, validation, the city's coverage matrix (json, xlsx)
    assert len(got) == 7 and got == expected
    assert build_reports(manifest) == expected  # serial


@pytest.mark.parametrize("spec", ["threads", "dask://", "dask://nohost"])
def test_unknown_executor_is_a_config_error(spec):
    with pytest.raises(ConfigError, match="--executor"):
        make_executor(spec)


def test_report_with_a_bad_executor_exits_2_and_writes_nothing(folder, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(out), "--executor", "x"])
    assert result.exit_code == 2 and "--executor 'x' is not one of" in result.output
    assert not out.exists()
