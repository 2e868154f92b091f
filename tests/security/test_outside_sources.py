"""A manifest from a pull request names its sources: each must resolve inside the manifest's
repository (the nearest folder above it holding ``.git``, else the manifest's own folder),
whether the escape is a relative ``../``, an absolute path or a symlink. Refused with one line
(exit 2, nothing written) unless ``--allow-outside-sources`` is on the command line; no
settings file can turn it on."""

from __future__ import annotations

import pytest

from security.probes import SAMPLE_PLAN, manifest

SECONDS = 60
SECRET = SAMPLE_PLAN.replace("加强医疗机构监管", "机密内容不得公开")


@pytest.fixture
def repo(tmp_path):
    """repo/ (a git repository: .git) holding plans.yaml and src/; outside/ beside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "plan.txt").write_text(SAMPLE_PLAN, "utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(SECRET, "utf-8")
    (root / "src" / "link.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    return root


def _manifest(root, source):
    (root / "datasets").mkdir(exist_ok=True)  # the default manifest: datasets/plans.yaml
    return manifest(
        root / "datasets",
        f"plans:\n  - id: p1\n    title: 某市方案\n    level: city\n    source: {source}\n",
    )


@pytest.mark.parametrize(
    "source",
    ["../../outside/secret.txt", "ABSOLUTE", "../src/link.txt", "../src/../../outside/secret.txt"],
)
def test_sources_outside_the_repository_are_refused(repo, source):
    from plancheck.errors import ConfigError
    from plancheck.plans.manifest import load_manifest

    source = str(repo.parent / "outside" / "secret.txt") if source == "ABSOLUTE" else source
    man = _manifest(repo, source)
    with pytest.raises(ConfigError) as caught:
        load_manifest(man)
    line = str(caught.value)
    assert "plans.yaml:5" in line and "outside the repository" in line
    assert "--allow-outside-sources" in line and "\n" not in line


def test_every_command_refuses_them_with_one_line(cli, repo):
    man = _manifest(repo, "../src/link.txt")  # a symlink to outside/secret.txt
    out = repo / "reports"
    run = cli("report", "--manifest", man, "--out", out, cwd=repo, timeout=SECONDS)
    assert "outside the repository" in run.one_line_error()
    assert not out.exists()  # nothing published
    assert "机密" not in run.out + run.err
    for args in (
        ("ingest", "--manifest", man, "--out", repo / "tasks"),
        ("validate", "--manifest", man),
        ("tasks", "p1"),
        ("diff", "p1", "p1"),
    ):
        run = cli(*args, cwd=repo, timeout=SECONDS)
        assert "outside the repository" in run.one_line_error(), args
    assert not (repo / "tasks").exists()


def test_the_command_line_flag_allows_them(cli, repo):
    man = _manifest(repo, "../../outside/secret.txt")
    run = cli("tasks", "p1", "--allow-outside-sources", "--format", "csv", cwd=repo)
    assert run.code == 0, run.err
    assert "机密内容不得公开" in run.out
    run = cli(
        "report", "--manifest", man, "--out", repo / "reports", "--allow-outside-sources",
        cwd=repo, timeout=SECONDS,
    )  # fmt: skip
    assert run.code == 0, run.err
    assert (repo / "reports" / "index.md").is_file()


def test_no_setting_can_allow_them(cli, repo):
    _manifest(repo, "../../outside/secret.txt")
    (repo / "pyproject.toml").write_text(
        "[tool.plancheck]\nallow-outside-sources = true\n", "utf-8"
    )
    line = cli("validate", cwd=repo, timeout=SECONDS).one_line_error()
    assert "unknown key" in line or "outside the repository" in line


def test_sources_inside_the_repository_still_work(cli, repo):
    # a manifest in a subfolder may name a source elsewhere in the same repository
    man = _manifest(repo, "../src/plan.txt")
    run = cli("ingest", "--manifest", man, "--out", repo / "tasks", cwd=repo, timeout=SECONDS)
    assert run.code == 0, run.err
    assert (repo / "tasks" / "p1.csv").is_file()


def test_without_git_the_manifest_folder_is_the_root(cli, tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    man = manifest(
        tmp_path / "plans",
        "plans:\n  - {id: p1, title: 某市方案, level: city, source: ../secret.txt}\n",
    )
    line = cli("validate", "--manifest", man, timeout=SECONDS).one_line_error()
    assert "outside the repository" in line


def test_a_task_csv_cannot_have_a_file_outside_read(cli, repo):
    """A task CSV's source_file column (a pull request can edit it) naming a file outside the
    repository and the working folder is not read: no line of it reaches any output."""
    from plancheck.plans.loading import load_plan
    from plancheck.table.io import tasks_to_csv_text

    table = load_plan(repo / "src" / "plan.txt").tasks
    table["source_file"] = str(repo.parent / "outside" / "secret.txt")
    path = repo / "tasks.csv"
    path.write_text(tasks_to_csv_text(table), "utf-8")
    work = repo / "src"  # the run's working folder: inside the repository, not around outside/
    for args in (("validate", path, "--format", "json"), ("diff", path, path, "--format", "json")):
        run = cli(*args, cwd=work, timeout=SECONDS)
        assert run.code in (0, 1), run.err
        assert "机密" not in run.out + run.err
    assert '"sha256": ""' in run.out  # the diff (the last run) did not read the file to hash it
