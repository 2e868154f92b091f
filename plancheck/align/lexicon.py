"""The weakening/strengthening lexicon (``rules/wording.yaml``) and how it is applied."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from plancheck.errors import ConfigError
from plancheck.io.resources import rules_file
from plancheck.io.yaml_files import load_yaml

# plancheck/rules is the packaged rules folder (a link to the top-level rules/ in a checkout).
DEFAULT_WORDING = rules_file("wording.yaml")


@dataclass(frozen=True)
class WordingEntry:
    strong: str
    weak: tuple[str, ...]

    def could_occur(self, text: str) -> bool:
        """False when ``strong`` cannot be in ``text`` even once weak forms are removed (a
        character of it is missing), so neither direction can fire."""
        return all(map(text.__contains__, self.strong))

    def _has_strong(self, text: str) -> bool:
        for form in self.weak:  # 基本建成 is a weak form, not an instance of 建成
            if form:
                text = text.replace(form, "")
        return self.strong in text

    def _gained_weak(self, before: str, after: str) -> str | None:
        for form in self.weak:
            if form and form in after and form not in before:
                return form
        return None

    def weakened(self, reference: str, target: str) -> str | None:
        """The weak form that replaced ``strong`` from reference to target ("" = dropped)."""
        if not self._has_strong(reference) or self._has_strong(target):
            return None
        weak = self._gained_weak(reference, target)
        return "" if weak is None and "" in self.weak else weak

    def strengthened(self, reference: str, target: str) -> str | None:
        """The weak form of the reference that the target firmed up to ``strong``, if any.

        "" is not read backwards: a local plan that adds 全面 to a longer sentence has usually
        added a requirement, not firmed up the reference's wording."""
        if self._has_strong(reference) or not self._has_strong(target):
            return None
        return self._gained_weak(target, reference)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[WordingEntry, ...]
    version: str  # sha256 prefix of the file, for report provenance

    def compare(self, reference: str, target: str) -> list[tuple[str, str]]:
        """[(kind, "strong → weak")] for every entry that fires on this sentence pair."""
        found: list[tuple[str, str]] = []
        for entry in self.entries:
            if not (entry.could_occur(reference) or entry.could_occur(target)):
                continue  # most entries: a cheap check instead of four text rewrites
            weak = entry.weakened(reference, target)
            if weak is not None:
                found.append(("weakened", f"{entry.strong} → {weak or '（删去）'}"))
            weak = entry.strengthened(reference, target)
            if weak is not None:
                found.append(("strengthened", f"{weak or '（无）'} → {entry.strong}"))
        return found


def _entry(item: object, index: int, path: Path) -> WordingEntry:
    if not isinstance(item, dict) or not isinstance(item.get("strong"), str) or not item["strong"]:
        raise ConfigError(f"{path}: entry #{index + 1} needs a non-empty 'strong' string")
    weak = item.get("weak")
    if not isinstance(weak, list) or not weak or not all(isinstance(w, str) for w in weak):
        raise ConfigError(
            f"{path}: entry #{index + 1} ({item['strong']}) needs a 'weak' list of strings"
        )
    return WordingEntry(item["strong"], tuple(weak))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load and check the wording lexicon; a malformed file raises ConfigError."""
    path = Path(path or DEFAULT_WORDING)
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ConfigError(f"{path}: expected a top-level 'entries:' list; see rules/wording.yaml")
    entries = tuple(_entry(item, i, path) for i, item in enumerate(data["entries"]))
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return Lexicon(entries, version)
