"""`plancheck rules`: list the rule catalogue (text table, markdown reference, or JSON)."""

from __future__ import annotations

from pathlib import Path

import typer


def rules(
    rules_dir: Path = typer.Option(
        None, "--rules", help="Folder of rules-*.yaml files (default: the bundled catalogue)."
    ),
    format: str = typer.Option("text", "--format", help="text | markdown | json."),
    lang: str = typer.Option("zh", "--lang", help="zh | en (text format)."),
    output: Path = typer.Option(
        None, "--output", help="Write here (atomically) instead of stdout."
    ),
) -> None:
    """List the rules: code, name, severity, check and message.

    Examples:

        plancheck rules

        plancheck rules --format markdown --output docs/rules.md
    """
    from plancheck.errors import ConfigError
    from plancheck.io.atomic import atomic_write_text
    from plancheck.validate.rulebook import (
        catalogue_json,
        catalogue_markdown,
        catalogue_text,
        load_rulebook,
    )

    renderers = {"text": catalogue_text, "markdown": catalogue_markdown, "json": catalogue_json}
    if format not in renderers or lang not in ("zh", "en"):
        raise ConfigError(f"--format must be one of {', '.join(renderers)} and --lang zh or en")
    text = renderers[format](load_rulebook(rules_dir), lang)
    if output is not None:
        atomic_write_text(output, text)
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("rules")(handle_errors(rules))
