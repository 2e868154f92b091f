"""The few exceptions that mean "the tool cannot go on".

Findings about a plan are data (see ``findings``); these are raised only when an input,
a configuration file or an output path is unusable. The CLI turns each into one line on
stderr and exit status 2.
"""

from __future__ import annotations


class PlancheckError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence (what is wrong, what to do)."""


class InputError(PlancheckError):
    """A source document, CSV or path cannot be read or understood."""


class ConfigError(PlancheckError):
    """The manifest, the rules or the registry is malformed."""


class OutputError(PlancheckError):
    """An output file or folder cannot be written."""
