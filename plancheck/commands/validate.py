"""`plancheck validate`: check plans against the rule catalogue; exit 0 / 1 / 2 for CI.

Defaults come from ``[tool.plancheck]`` in ./pyproject.toml (rules, select, ignore,
fail-on, format, lang, baseline); command-line options override them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import typer

FORMATS = ("text", "markdown", "json", "junit", "sarif", "github")
FAIL_ON = ("error", "warning", "never")
LANGS = ("zh", "en")
SETTINGS = ("rules", "select", "ignore", "fail-on", "format", "lang", "baseline")


def load_settings(path: Path = Path("pyproject.toml")) -> dict[str, Any]:
    """``[tool.plancheck]`` of ``path`` (empty when the file or section is absent)."""
    from plancheck.errors import ConfigError

    if not path.is_file():
        return {}
    try:
        section = (
            tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {}).get("plancheck", {})
        )
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: malformed TOML ({err}); fix the file") from None
    unknown = sorted(set(section) - set(SETTINGS))
    if unknown:
        raise ConfigError(
            f"{path}: [tool.plancheck] has unknown key(s) {', '.join(unknown)}; known: {', '.join(SETTINGS)}"
        )
    return section


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    from plancheck.errors import ConfigError

    if value not in allowed:
        raise ConfigError(f"{name} {value!r} is not one of {', '.join(allowed)}")
    return value


def _specs(paths: list[Path] | None, manifest: Any) -> list[str]:
    from plancheck.errors import InputError
    from plancheck.plans.loading import iter_plan_specs

    if paths:
        return iter_plan_specs(paths)
    if manifest is None:
        raise InputError("no paths given and no manifest found; name plan files or pass --manifest")
    return [plan.id for plan in manifest.with_sources()]


def validate(
    paths: list[Path] = typer.Argument(
        None,
        help="Raw sources, task CSVs, folders or manifest ids; default: every plan in the manifest.",
    ),
    rules: Path = typer.Option(
        None, "--rules", help="Folder of rules-*.yaml files (default: the bundled catalogue)."
    ),
    select: str = typer.Option(
        None, "--select", help="Only these codes or prefixes, comma-separated (PC1,PC203)."
    ),
    ignore: str = typer.Option(
        None, "--ignore", help="Skip these codes or prefixes, comma-separated."
    ),
    fail_on: str = typer.Option(
        None, "--fail-on", help="error | warning | never (default: error)."
    ),
    format: str = typer.Option(
        None, "--format", help="text | markdown | json | junit | sarif | github."
    ),
    output: Path = typer.Option(
        None, "--output", help="Write the report here (atomically) instead of stdout."
    ),
    baseline: Path = typer.Option(
        None, "--baseline", help="Known findings (JSON); only new ones are reported."
    ),
    write_baseline: Path = typer.Option(
        None, "--write-baseline", help="Record the current findings as the baseline."
    ),
    fix: bool = typer.Option(
        False, "--fix", help="Rewrite aliases to canonical names in datasets/tasks/*.csv."
    ),
    lang: str = typer.Option(None, "--lang", help="Message language: zh (default) | en."),
    manifest: Path = typer.Option(
        Path("datasets/plans.yaml"), "--manifest", help="Dataset manifest."
    ),
) -> None:
    """Check plans against the rule catalogue (see `plancheck rules`).

    Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage/config/input error.

    Examples:

        plancheck validate                                   # every plan in the manifest

        plancheck validate datasets/tasks --format json --lang en

        plancheck validate --write-baseline .plancheck-baseline.json

        plancheck validate --baseline .plancheck-baseline.json --fail-on warning
    """
    import importlib

    from plancheck.io.atomic import atomic_write_text
    from plancheck.plans.manifest import load_manifest
    from plancheck.plans.validating import validate_specs
    from plancheck.registry.lookup import load_registry
    from plancheck.validate.findings import fails
    from plancheck.validate.rulebook import load_rulebook, parse_codes

    conf = load_settings()
    fail_on = _choice("--fail-on", fail_on or conf.get("fail-on", "error"), FAIL_ON)
    fmt = _choice("--format", format or conf.get("format", "text"), FORMATS)
    lang = _choice("--lang", lang or conf.get("lang", "zh"), LANGS)
    rules_dir = rules or (Path(conf["rules"]) if conf.get("rules") else None)
    book = load_rulebook(rules_dir).select(
        parse_codes(select or conf.get("select")) or None, parse_codes(ignore or conf.get("ignore"))
    )
    man = load_manifest(manifest) if manifest.exists() else None
    result = validate_specs(
        _specs(paths, man),
        book,
        manifest=man,
        registry=load_registry(),
        lang=lang,
        fix=fix,
        baseline=baseline or (Path(conf["baseline"]) if conf.get("baseline") else None),
        write_baseline_to=write_baseline,
    )
    renderer = importlib.import_module(f"plancheck.report.findings_{fmt}")
    text = renderer.render(result.findings, result.summary, lang)
    if output is not None:
        atomic_write_text(output, text)
    else:
        typer.echo(text, nl=False)
    if fails(result.findings, fail_on):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("validate")(handle_errors(validate))
