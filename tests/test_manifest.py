"""The dataset manifest: the seeds' relations, and clear errors for a bad manifest."""

from __future__ import annotations

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from plancheck.cli import app
from plancheck.errors import ConfigError
from plancheck.plans.manifest import load_manifest


def test_seed_manifest_relations():
    manifest = load_manifest(ROOT / "datasets" / "plans.yaml")
    assert manifest.get("lingyuan-2021").parent == "liaoning-2019"
    assert manifest.get("leshan").parent == manifest.get("guangyuan").parent == "sichuan-2019"
    assert manifest.get("leshan").peers == ("guangyuan",)
    assert len(manifest.with_sources()) == 5
    assert all(plan.source.is_file() for plan in manifest.with_sources())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plans:\n  - id: a\n    title: [unclosed\n", r"plans\.yaml:4: malformed YAML"),
        (
            "plans:\n  - {id: a, title: A, level: city}\n  - {id: a, title: B, level: city}\n",
            "duplicate plan id a",
        ),
        ("plans:\n  - {id: a, title: A, level: city, parent: nowhere}\n", "unknown plan 'nowhere'"),
        ("plans:\n  - {id: a, title: A, level: town}\n", "level 'town' is not one of"),
        ("- just a list\n", "expected a top-level 'plans:' list"),
    ],
)
def test_bad_manifest_is_a_config_error_naming_the_file(tmp_path, text, message):
    path = tmp_path / "plans.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_manifest(path)


def test_bad_manifest_on_the_command_line_exits_2(tmp_path):
    path = tmp_path / "plans.yaml"
    path.write_text("plans:\n  - id: a\n    title: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", "--manifest", str(path), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "plans.yaml:4: malformed YAML" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()  # nothing half-written
