"""``DiffState``: everything a diff reads besides the two plans, in one object the caller owns.

The wording model (``rules/wording.yaml``), the department registry and the unit lookups made
with it live here, not in module-level tables, so two threads or two batches never share a
hold by accident. A batch creates one state and passes it to every ``prepare_plan`` and
``diff_plans`` call; a single diff may pass none and gets a fresh one. A state is only read
after it is built, except its unit-key memo, whose entries never change once written (so two
threads filling it at once write the same values).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plancheck.align.paraphrase import Lexicon, load_lexicon
from plancheck.align.units import UnitKey, fallback_unit_key
from plancheck.align.wording import WordingModel, load_wording


def _default_registry() -> Any:
    """The shipped department registry; None where it cannot be imported."""
    try:
        from plancheck.registry.lookup import load_registry
    except ImportError:  # pragma: no cover - the registry ships with plancheck
        return None
    return load_registry()


@dataclass
class DiffState:
    """What ``diff_plans`` needs besides the plans. ``unit_key`` overrides the registry."""

    wording: WordingModel = field(default_factory=load_wording)
    lexicon: Lexicon = field(default_factory=load_lexicon)
    registry: Any = field(default_factory=_default_registry)
    unit_key: Callable[[str], str | None] | None = None
    # {(level, places): {unit name: function key}}: a plan names few units, many times
    _functions: dict[tuple[str, tuple[str, ...]], dict[str, str | None]] = field(
        default_factory=dict, repr=False
    )

    def side_key(self, level: str, places: Sequence[str]) -> UnitKey:
        """One plan side's unit name -> function key (registry, else the fallback)."""
        places = tuple(places)
        known = self._functions.setdefault((level, places), {})

        def function(name: str) -> str | None:
            if name not in known:
                known[name] = self._lookup(level, places, name)
            return known[name]

        return function

    def _lookup(self, level: str, places: tuple[str, ...], name: str) -> str | None:
        if self.unit_key is not None:
            found = self.unit_key(name)
        elif self.registry is not None:
            found = self.registry.function_of(name, level=level or None)
        else:
            found = None
        return found or fallback_unit_key(name, strip_names=places)
