"""``[tool.plancheck]``: the settings of ``plancheck validate``, found as ruff finds its own.

The settings file is the one named with ``--config``, else the first ``pyproject.toml`` that
has a ``[tool.plancheck]`` table in the working folder or a folder above it. Paths in it
(``rules``, ``baseline``, ``exclude``, ``per-file-ignores``) are relative to its folder.
Unknown keys and values of the wrong type are refused with the file, the key and, for a
misspelt key, the nearest known one. Command-line options override or extend these.
"""

from __future__ import annotations

import contextlib
import difflib
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from plancheck.errors import ConfigError

FORMATS = ("text", "concise", "markdown", "json", "junit", "sarif", "github")
FAIL_ON = ("error", "warning", "never")
LANGS = ("zh", "en")
CODE_LISTS = ("select", "ignore", "extend-select", "extend-ignore")
CHOICES = {"fail-on": FAIL_ON, "format": FORMATS, "lang": LANGS}
PATHS = ("rules", "baseline")
KNOWN = (*PATHS, *CODE_LISTS, *CHOICES, "exclude", "per-file-ignores")


@dataclass(frozen=True)
class Settings:
    """The effective ``[tool.plancheck]`` settings (empty when no file has them)."""

    path: Path | None = None  # the file they came from
    root: Path = Path(".")  # the folder paths are relative to
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def path_of(self, key: str) -> Path | None:
        value = self.values.get(key)
        return self.root / value if value else None

    def excluded(self, path: Path) -> bool:
        """True when ``path`` matches an ``exclude`` pattern (relative to the settings' folder)."""
        return any(_matches(path, self.root, pattern) for pattern in self.get("exclude", []))

    def ignored_codes(self, source_file: str) -> list[str]:
        """Codes (or prefixes) that ``per-file-ignores`` turns off for this file."""
        codes: list[str] = []
        for pattern, ignored in self.get("per-file-ignores", {}).items():
            if _matches(Path(source_file), self.root, pattern):
                codes += ignored
        return codes


def _matches(path: Path, root: Path, pattern: str) -> bool:
    """Glob match of ``path`` (as given, and relative to ``root``) or of its file name."""
    names = {PurePosixPath(path.as_posix()).as_posix(), path.name}
    with contextlib.suppress(ValueError):
        names.add(path.resolve().relative_to(root.resolve()).as_posix())
    pattern = pattern.rstrip("/")
    return any(
        fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(name, f"{pattern}/*") for name in names
    )


def find_settings(start: Path | None = None) -> Path | None:
    """The first pyproject.toml with ``[tool.plancheck]`` in ``start`` or a folder above it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file() and "plancheck" in _read(path).get("tool", {}):
            return path
    return None


def load_settings(config: Path | None = None, start: Path | None = None) -> Settings:
    """Settings from ``config`` (a pyproject.toml, or a TOML file of the keys at top level),
    else from the file ``find_settings`` finds; empty settings when there is none."""
    if config is not None:
        if not Path(config).is_file():
            raise ConfigError(f"{config}: settings file not found; check the --config path")
        data = _read(Path(config))
        section = data["tool"]["plancheck"] if "plancheck" in data.get("tool", {}) else data
        path = Path(config)
    else:
        found = find_settings(start)
        if found is None:
            return Settings()
        path, section = found, _read(found)["tool"]["plancheck"]
    return Settings(path, path.parent, check_values(section, path))


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: malformed TOML ({err}); fix the file") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read ({err.strerror})") from None


def check_values(section: Any, path: Path) -> dict[str, Any]:
    """The section's values, checked: known keys, right types, allowed choices."""
    where = f"{path}: [tool.plancheck]"
    if not isinstance(section, dict):
        raise ConfigError(f"{where} must be a table of settings")
    for key, value in section.items():
        if key not in KNOWN:
            near = difflib.get_close_matches(key, KNOWN, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; known keys: {', '.join(KNOWN)}"
            raise ConfigError(f"{where} has unknown key {key!r}{hint}")
        _check_type(key, value, where)
    return dict(section)


def _check_type(key: str, value: Any, where: str) -> None:
    if key in CODE_LISTS or key == "exclude":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} {key} must be a list of strings, not {value!r}")
    elif key in CHOICES:
        if value not in CHOICES[key]:
            raise ConfigError(
                f"{where} {key} must be one of {', '.join(CHOICES[key])}, not {value!r}"
            )
    elif key in PATHS:
        if not isinstance(value, str):
            raise ConfigError(f"{where} {key} must be a path string, not {value!r}")
    elif key == "per-file-ignores":
        good = isinstance(value, dict) and all(
            isinstance(v, list) and all(isinstance(c, str) for c in v) for v in value.values()
        )
        if not good:
            raise ConfigError(
                f'{where} per-file-ignores must map file patterns to code lists, e.g. {{"raw/*" = ["PC5"]}}'
            )
