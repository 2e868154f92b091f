"""The dataset manifest (``datasets/plans.yaml``): which plans exist and how they relate."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from plancheck.errors import ConfigError
from plancheck.io.paths import repository_root, resolves_inside
from plancheck.io.yaml_files import Located, check_keys, load_yaml

LEVELS = ("national", "province", "city", "county")
DEFAULT_MANIFEST = Path("datasets/plans.yaml")

# A plan id is a name, never a path: it becomes a file name (<id>.csv, diff-<id>-vs-<id>.md).
# Letters, digits, CJK ideographs, '-', '_' and '.', starting with a letter, digit or ideograph,
# at most 64 characters, and no '..' anywhere.
PLAN_ID_PATTERN = r"[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff._-]{0,63}"
PLAN_ID_RE = re.compile(PLAN_ID_PATTERN)
MANIFEST_KEYS = ("plans",)
# key -> accepted YAML types (None: the key may be null)
PLAN_KEYS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "title": (str,),
    "jurisdiction": (str, type(None)),
    "level": (str,),
    "issued": (str, dt.date, type(None)),
    "doc_number": (str, type(None)),
    "source": (str, type(None)),
    "parent": (str, type(None)),
    "peers": (list, type(None)),
}
_TYPE_NAMES = {str: "text", dt.date: "a date", list: "a list of plan ids", type(None): "null"}


def check_plan_id(plan_id: object, where: str = "plan id") -> str:
    """``plan_id`` if it is a valid plan id (see PLAN_ID_PATTERN), else ConfigError."""
    text = str(plan_id)
    if not isinstance(plan_id, str) or PLAN_ID_RE.fullmatch(text) is None or ".." in text:
        shown = text[:80].encode("unicode_escape").decode("ascii")
        raise ConfigError(
            f"{where}: {shown!r} is not a valid plan id; use 1-64 letters, digits, Chinese "
            "characters, '-', '_' or '.', starting with a letter, digit or character (no '/' or '..')"
        )
    return text


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

    def ids(self) -> set[str]:
        return {plan.id for plan in self.plans}

    def with_sources(self) -> list[Plan]:
        """Plans whose source document is bundled, in manifest order."""
        return [plan for plan in self.plans if plan.source is not None]

    def find_source(self, path: Path) -> Plan | None:
        """The plan whose source is ``path`` (compared as resolved paths), if any."""
        target = Path(path).resolve()
        return next(
            (p for p in self.with_sources() if p.source and p.source.resolve() == target), None
        )


def _check_types(entry: dict, where: str, path: Path) -> None:
    for key, value in entry.items():
        if not isinstance(value, PLAN_KEYS[key]) or isinstance(value, bool):
            line = entry.line_of(key) if isinstance(entry, Located) else 0
            place = f"{path}:{line}" if line else where
            expected = " or ".join(_TYPE_NAMES[t] for t in PLAN_KEYS[key])
            raise ConfigError(
                f"{place}: {key} must be {expected}, not {type(value).__name__}; fix the manifest"
            )
    for peer in entry.get("peers") or ():
        check_plan_id(peer, f"{where}: peers")


def _plan_from_entry(entry: object, index: int, path: Path) -> Plan:
    where = f"{path}: plan #{index + 1}"
    if isinstance(entry, Located) and entry.line:
        where = f"{path}:{entry.line}: plan #{index + 1}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with id, title, level; fix the manifest")
    check_keys(entry, PLAN_KEYS, f"plan #{index + 1}", path)
    missing = [key for key in ("id", "title", "level") if not entry.get(key)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}; add them to the manifest")
    _check_types(entry, where, path)
    check_plan_id(entry["id"], where)
    if entry.get("parent"):
        check_plan_id(entry["parent"], f"{where}: parent")
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
    counts: dict[str, int] = {}
    for plan_id in ids:
        counts[plan_id] = counts.get(plan_id, 0) + 1
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise ConfigError(f"{path}: duplicate plan id {', '.join(duplicates)}; ids must be unique")
    for plan in plans:
        for ref in ([plan.parent] if plan.parent else []) + list(plan.peers):
            if ref not in counts:
                raise ConfigError(f"{path}: plan {plan.id} refers to unknown plan {ref!r}")


def _check_sources_inside(entries: list, plans: list[Plan], path: Path) -> None:
    """Refuse a source that resolves outside the manifest's repository (see
    ``io.paths.repository_root``): a manifest from a pull request could otherwise have any
    file the CI machine can read — ``../../other/secret.txt``, ``/etc/passwd``, or a symlink
    to either — read and published in the report."""
    root = repository_root(path)
    for entry, plan in zip(entries, plans, strict=True):
        if plan.source is None or resolves_inside(plan.source, root):
            continue
        line = entry.line_of("source") if isinstance(entry, Located) else 0
        shown = str(entry.get("source"))[:200].encode("unicode_escape").decode("ascii")
        raise ConfigError(
            f"{path}:{line}: plan {plan.id}: source {shown!r} resolves outside the repository "
            f"({root}) 来源文件在仓库之外; move the file into the repository, or pass "
            "--allow-outside-sources if you trust this manifest"
        )


def load_manifest(
    path: Path = DEFAULT_MANIFEST, *, allow_outside_sources: bool = False
) -> Manifest:
    """Load and check the manifest; any problem raises ConfigError naming the file.

    Sources must resolve inside the manifest's repository unless ``allow_outside_sources``
    (the command line's ``--allow-outside-sources``; deliberately no setting can turn it on,
    since settings files come from the same pull request as the manifest)."""
    path = Path(path)
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("plans"), list):
        raise ConfigError(f"{path}: expected a top-level 'plans:' list; see datasets/plans.yaml")
    check_keys(data, MANIFEST_KEYS, "the manifest", path)
    plans = [_plan_from_entry(entry, i, path) for i, entry in enumerate(data["plans"])]
    _check_references(plans, path)
    if not allow_outside_sources:
        _check_sources_inside(data["plans"], plans, path)
    return Manifest(path=path, plans=tuple(plans))
