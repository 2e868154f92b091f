"""The dataset manifest (``datasets/plans.yaml``): which plans exist and how they relate."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plancheck.errors import ConfigError
from plancheck.io.yaml_files import load_yaml

LEVELS = ("national", "province", "city", "county")
DEFAULT_MANIFEST = Path("datasets/plans.yaml")


@dataclass(frozen=True)
class Plan:
    """One plan of the manifest. ``source`` is resolved against the manifest's folder."""

    id: str
    title: str
    jurisdiction: str
    level: str
    issued: str | None = None
    doc_number: str | None = None
    source: Path | None = None
    parent: str | None = None
    peers: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Manifest:
    path: Path
    plans: tuple[Plan, ...]

    def get(self, plan_id: str) -> Plan | None:
        return next((plan for plan in self.plans if plan.id == plan_id), None)

    def with_sources(self) -> list[Plan]:
        """Plans whose source document is bundled, in manifest order."""
        return [plan for plan in self.plans if plan.source is not None]

    def find_source(self, path: Path) -> Plan | None:
        """The plan whose source is ``path`` (compared as resolved paths), if any."""
        target = Path(path).resolve()
        return next((p for p in self.with_sources() if p.source.resolve() == target), None)


def _plan_from_entry(entry: object, index: int, path: Path) -> Plan:
    where = f"{path}: plan #{index + 1}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with id, title, level; fix the manifest")
    missing = [key for key in ("id", "title", "level") if not entry.get(key)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}; add them to the manifest")
    if entry["level"] not in LEVELS:
        raise ConfigError(f"{where}: level {entry['level']!r} is not one of {', '.join(LEVELS)}")
    source = entry.get("source")
    issued = entry.get("issued")
    return Plan(
        id=str(entry["id"]),
        title=str(entry["title"]),
        jurisdiction=str(entry.get("jurisdiction") or ""),
        level=entry["level"],
        issued=str(issued) if issued else None,
        doc_number=entry.get("doc_number"),
        source=(path.parent / source) if source else None,
        parent=entry.get("parent"),
        peers=tuple(entry.get("peers") or ()),
    )


def _check_references(plans: list[Plan], path: Path) -> None:
    ids = [plan.id for plan in plans]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ConfigError(f"{path}: duplicate plan id {', '.join(duplicates)}; ids must be unique")
    for plan in plans:
        for ref in ([plan.parent] if plan.parent else []) + list(plan.peers):
            if ref not in ids:
                raise ConfigError(f"{path}: plan {plan.id} refers to unknown plan {ref!r}")


def load_manifest(path: Path = DEFAULT_MANIFEST) -> Manifest:
    """Load and check the manifest; any problem raises ConfigError naming the file."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("plans"), list):
        raise ConfigError(f"{path}: expected a top-level 'plans:' list; see datasets/plans.yaml")
    plans = [_plan_from_entry(entry, i, path) for i, entry in enumerate(data["plans"])]
    _check_references(plans, path)
    return Manifest(path=path, plans=tuple(plans))
