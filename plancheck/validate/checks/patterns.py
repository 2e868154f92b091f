"""Regular expressions written in rule files, run with a time budget.

A rule file may come from a pull request, and a pattern such as ``(a|aa)+$`` backtracks
exponentially on a line of ``a``. Rule patterns are therefore compiled with the ``regex``
module (same syntax as ``re`` for the patterns rules use) and every search passes the time
left of a per-pattern budget; a pattern that runs out of time stops validation with a
ConfigError naming the pattern, instead of hanging ``validate``.
"""

from __future__ import annotations

import time
from typing import Any

import regex

from plancheck.errors import ConfigError

__all__ = ["RULE_PATTERN_SECONDS", "RulePattern", "check_regex"]

RULE_PATTERN_SECONDS = 3.0  # per pattern and plan: real patterns take milliseconds


def check_regex(pattern: str) -> None:
    """Reject a bad regular expression when the rules load, not when they run."""
    try:
        regex.compile(pattern, flags=regex.VERSION0)
    except (regex.error, TypeError, ValueError) as err:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression ({err})") from None


class RulePattern:
    """A compiled rule pattern whose searches share one time budget (per instance)."""

    def __init__(self, pattern: str, seconds: float = RULE_PATTERN_SECONDS) -> None:
        self.pattern = pattern
        self._compiled = regex.compile(pattern, flags=regex.VERSION0)
        self._seconds = seconds
        self._deadline: float | None = None

    def _timeout(self) -> float:
        now = time.monotonic()
        if self._deadline is None:
            self._deadline = now + self._seconds
        return max(self._deadline - now, 0.001)

    def _run(self, method: str, text: str) -> Any:
        try:
            return getattr(self._compiled, method)(text, timeout=self._timeout())
        except TimeoutError:
            shown = self.pattern if len(self.pattern) <= 60 else self.pattern[:57] + "..."
            raise ConfigError(
                f"rule pattern {shown!r} ran longer than {self._seconds:g} s (catastrophic "
                "backtracking); simplify the pattern in the rule file"
            ) from None

    def search(self, text: str) -> Any:
        return self._run("search", text)

    def findall(self, text: str) -> list[Any]:
        return self._run("findall", text)
