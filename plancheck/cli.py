"""Typer console: parse options, call the library, print, choose the exit code.

Heavy libraries (pandas, pandera, opencc) are imported inside the commands so that
``plancheck --help`` answers fast. Every PlancheckError becomes one line on stderr and
exit status 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import typer

from plancheck import __version__

app = typer.Typer(
    help="plancheck: 把实施方案变成任务表，按规则校验，并与上级方案逐条比对。\n\n"
    "Ingest implementation plans into task tables, validate them, diff them against their parent plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plancheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: bool = typer.Option(
        False,
        "--debug",
        help="出错时显示完整的回溯信息，而不是一行说明。 Show tracebacks instead of one-line errors.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="显示版本号。 Show the version."
    ),
) -> None:
    _state["debug"] = debug


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI runner cancelling a job, ``kill``), raised in the main thread like Ctrl-C
    so every ``finally`` runs: temporary files and folders are removed, the old set stays."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit with ``code``."""
    typer.echo(f"plancheck: error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn tool errors into one stderr line and exit 2 (traceback only with --debug)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from plancheck.errors import PlancheckError

        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except PlancheckError as err:
            if _state["debug"]:
                raise
            fail(str(err))
        except Terminated:
            fail("terminated (SIGTERM); unfinished output was discarded, earlier output kept", 143)
        except KeyboardInterrupt:
            fail("interrupted; no output was written", 130)
        except Exception as err:  # a bug: still one line unless --debug
            if _state["debug"]:
                raise
            fail(
                f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)"
            )

    return wrapper


COMMAND_MODULES = (
    "ingest",
    "validate",
    "rules",
    "diff",
    "report",
    "scan",
    "matrix",
)  # ingest also adds `tasks`


def _register() -> None:
    """Each command lives in its own module under plancheck.commands, exposing register(app)."""
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"plancheck.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"plancheck.commands.{name}":
                raise
            continue  # command not built yet
        module.register(app)


_register()


def main() -> None:
    # pandera imports hypothesis (when it is installed, as with the test extras) at the first
    # validation, for its data-synthesis strategies, and hypothesis then runs every installed
    # plugin (trio's alone takes ~0.2 s). The command never synthesises data, so its own process
    # starts without them; HYPOTHESIS_NO_PLUGINS is hypothesis's documented switch.
    os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except SystemExit as exit_:
        sys.exit(exit_.code)
