"""Where the packaged rules live, found through importlib.resources (installed or in a checkout)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def rules_dir() -> Path:
    """The ``rules/`` folder shipped with plancheck (``plancheck/rules`` links to it in a checkout)."""
    return Path(str(files("plancheck") / "rules"))


def rules_file(name: str) -> Path:
    """One file of the packaged rules folder, e.g. ``departments.yaml``."""
    return rules_dir() / name
