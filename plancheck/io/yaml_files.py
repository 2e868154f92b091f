"""YAML loading that names the file and line when a file is malformed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from plancheck.errors import ConfigError


def load_yaml(path: Path) -> Any:
    """Parse ``path``; a missing or malformed file raises ConfigError with file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read ({err}); save it as UTF-8 text") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ConfigError(
            f"{where}: malformed YAML ({problem}); fix the file and run again"
        ) from None
