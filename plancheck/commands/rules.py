"""`plancheck rules [CODE]`: list the rule catalogue, or explain one rule."""

from __future__ import annotations

from pathlib import Path

import typer


def rules(
    code: str = typer.Argument(
        None, help="要解释的规则代码（如 PC103）。 A rule code to explain (e.g. PC103)."
    ),
    rules_dir: Path = typer.Option(
        None,
        "--rules",
        help="规则文件夹。 Folder of rules-*.yaml files (default: the bundled catalogue).",
    ),
    format: str = typer.Option(
        "text", "--format", help="输出格式。 Output format: text | markdown | json."
    ),
    lang: str = typer.Option("zh", "--lang", help="语言。 Language: zh | en."),
    output: Path = typer.Option(
        None, "--output", help="写入此文件。 Write here (atomically) instead of stdout."
    ),
) -> None:
    """列出规则，或解释一条规则；List the rules, or explain one (why, bad and good example, fix).

    Examples:

        plancheck rules

        plancheck rules PC103 --lang en

        plancheck rules --format markdown --output docs/rules.md
    """
    from plancheck.errors import ConfigError
    from plancheck.io.atomic import atomic_write_text
    from plancheck.validate import catalogue
    from plancheck.validate.rulebook import load_rulebook

    renderers = {
        "text": catalogue.catalogue_text,
        "markdown": catalogue.catalogue_markdown,
        "json": catalogue.catalogue_json,
    }
    if format not in renderers or lang not in ("zh", "en"):
        raise ConfigError(f"--format must be one of {', '.join(renderers)} and --lang zh or en")
    if code is not None:
        book = load_rulebook(rules_dir)
        rule = book.get(code.strip().upper())
        if rule is None:
            raise ConfigError(f"no rule {code!r}; `plancheck rules` lists the codes")
        text = catalogue.explain(rule, lang)
    else:
        # The plain listing reads only the rule files: no checks, no pandas, a fast answer.
        text = renderers[format](load_rulebook(rules_dir, checked=format != "text"), lang)
    if output is not None:
        atomic_write_text(output, text)
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    from plancheck.cli import handle_errors

    app.command("rules")(handle_errors(rules))
