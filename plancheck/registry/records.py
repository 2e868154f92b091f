"""Typed records of the department registry and the checks that turn YAML into them.

Kept apart from ``registry`` (name resolution) so each module stays small: this one only knows
the file format described at the top of ``rules/departments.yaml`` and refuses a registry that
would make resolution ambiguous (a structural error names the file and the entry).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancheck.errors import ConfigError
from plancheck.io.yaml_files import check_keys

LEVELS: tuple[str, ...] = ("national", "province", "city", "county")
BODY_KINDS = frozenset(
    {"government", "party", "people_organisation", "legislature", "cppcc", "judicial", "external"}
)
PARTY_KINDS = frozenset({"collective", "non_government", "government"})
PLACE = "{place}"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Usage:
    """A jurisdiction known to use a title, from ``since`` until ``until`` (ISO dates or None)."""

    place: str
    since: str | None = None
    until: str | None = None
    below: bool = False  # the place's cities and counties use the title too (a provincial rule)

    def holds(self, place: str, date: str | None, within: tuple[str, ...] | list[str] = ()) -> bool:
        if place != self.place and not (self.below and self.place in within):
            return False
        if date is None:
            return self.until is None  # an undated plan: the title in use today
        return (self.since is None or self.since <= date) and (
            self.until is None or date < self.until
        )


@dataclass(frozen=True)
class Title:
    """One official title of a body; ``name`` may contain ``{place}`` (人行{place}中心支行).

    ``full``: the official full forms of the same title (卫生健康委员会 for 卫生健康委), never
    findings; ``aliases``: abbreviations and other spellings (卫健委), which are.
    ``levels``: where the title is the usual one; ``also_at``: levels where some
    jurisdictions use it (a county 卫生健康委 in a municipality); ``used_in``: jurisdictions
    known to use it, so their plans' names can be fixed with certainty.
    """

    name: str
    levels: tuple[str, ...]
    aliases: tuple[str, ...]
    prefixed: bool = True  # False: written without level prefix (教育部, 审计署)
    full: tuple[str, ...] = ()
    also_at: tuple[str, ...] = ()
    used_in: tuple[Usage, ...] = ()
    only_used_in: bool = False  # in use only where ``used_in`` says (Shenzhen's own title)

    def counts_for(self, level: str, places: list[str]) -> bool:
        """Is the title a possible title at ``level`` for a plan of ``places`` (四川省, 乐山市)?
        A title used only in recorded places, or at an ``also_at`` level by recorded places,
        is one only for those places and the places inside them."""
        restricted = self.only_used_in or (level in self.also_at and bool(self.used_in))
        return not restricted or any(u.place in places for u in self.used_in)

    @property
    def forms(self) -> tuple[str, ...]:
        """The canonical title first, then its full forms and its aliases."""
        return (self.name, *self.full, *self.aliases)

    @property
    def all_levels(self) -> tuple[str, ...]:
        return (*self.levels, *self.also_at)


@dataclass(frozen=True)
class Body:
    """A government, Party or vertical body: one function, several titles, optional validity."""

    id: str
    function: str
    kind: str
    titles: tuple[Title, ...]
    generic: tuple[str, ...]
    established: Mapping[str, str]
    abolished: Mapping[str, str]
    successor: str | None

    def title_at(self, level: str | None) -> Title:
        """The title usual at ``level`` (first listed wins), else the first title."""
        wanted = level or "city"
        return next((t for t in self.titles if wanted in t.levels), self.titles[0])


@dataclass(frozen=True)
class Party:
    """A responsible party that is not one body: a collective or a non-government party."""

    name: str
    kind: str
    function: str
    level: str | None
    aliases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class RegistryData:
    """Everything the resolver needs, checked and normalised."""

    path: Path
    bodies: dict[str, Body]
    parties: tuple[Party, ...]
    prefixes: dict[str, str]
    place_suffixes: dict[str, str]
    level_prefix: dict[str, str]
    scopes: dict[str, Party]  # scope word after 各 -> the collective it means


def normalise_name(text: str) -> str:
    """Drop all whitespace and use full-width brackets, as the registry does."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def render_title(title: Title, prefix: str) -> str:
    """Write ``title`` with a level prefix: in front, or in place of {place}."""
    if PLACE in title.name:
        return title.name.replace(PLACE, prefix)
    return prefix + title.name if title.prefixed else title.name


def template_pattern(form: str) -> re.Pattern[str]:
    """人行{place}中心支行 -> a regex whose group ``place`` is the jurisdiction (maybe empty)."""
    head, tail = (re.escape(part) for part in form.split(PLACE, 1))
    return re.compile(f"^{head}(?P<place>[\\u4e00-\\u9fff]{{0,10}}?){tail}$")


def current_names(data: RegistryData) -> list[str]:
    """Canonical names of current bodies at their usual levels, then the parties' names."""
    names: dict[str, None] = {}
    for body in data.bodies.values():
        for title in () if body.abolished else body.titles:
            names.update(
                dict.fromkeys(render_title(title, data.level_prefix[lv]) for lv in title.levels)
            )
    names.update(dict.fromkeys(p.name for p in data.parties))
    return list(names)


def written_forms(data: RegistryData) -> dict[str, str]:
    """Every written form (with each usual level prefix) -> its canonical name, for did-you-mean."""
    table: dict[str, str] = {}
    for body in data.bodies.values():
        for title in body.titles:
            for level in title.levels:
                own = data.level_prefix[level]
                for form in title.forms:
                    written = render_title(Title(form, (), ()), own)
                    table.setdefault(written, render_title(title, own))
    for party in data.parties:
        table.update(dict.fromkeys((party.name, *party.aliases), party.name))
    return table


TOP_KEYS = (
    "sources", "reforms", "bodies", "parties", "prefixes", "place_suffixes", "level_prefix",
    "scopes",
)  # fmt: skip
BODY_KEYS = (
    "id", "function", "kind", "titles", "generic", "established", "abolished", "successor",
    "source",
)  # fmt: skip
TITLE_KEYS = (
    "name", "levels", "aliases", "prefixed", "full", "also_at", "used_in", "only_used_in",
)  # fmt: skip
PARTY_KEYS = ("name", "kind", "function", "level", "aliases", "patterns", "source")
USAGE_KEYS = ("place", "since", "until", "below")


class _Check:
    """Raise ConfigError messages that name the registry file and the entry at fault."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sources: dict[str, str] = {}

    def source(self, entry: dict[str, Any], where: str) -> None:
        """Where a list of names comes from: an id of the top-level ``sources``."""
        for source in self.strings(_as_list(entry.get("source")), f"{where}.source"):
            if source not in self.sources:
                raise self.fail(where, f"unknown source {source!r} (add it under 'sources')")

    def fail(self, where: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {where}: {problem}; fix the registry and run again")

    def mapping(self, value: Any, where: str, keys: tuple[str, ...] = ()) -> dict[str, Any]:
        """``value`` as a mapping; with ``keys``, a key outside them is an error (did-you-mean)."""
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        if keys:
            check_keys(value, keys, where, self.path)
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, "expected a list of non-empty strings")
        return tuple(normalise_name(v) for v in value)

    def text(self, entry: dict[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"missing or empty '{key}'")
        return value.strip()

    def level(self, value: Any, where: str, *, allow_none: bool = False) -> str | None:
        if value is None and allow_none:
            return None
        if value not in LEVELS:
            raise self.fail(where, f"unknown level {value!r} (use one of {', '.join(LEVELS)})")
        return value

    def dates(self, value: Any, reforms: dict[str, dict[str, str]], where: str) -> dict[str, str]:
        if value is None:
            return {}
        if isinstance(value, str):
            if value not in reforms:
                raise self.fail(where, f"unknown reform {value!r}")
            return reforms[value]
        out: dict[str, str] = {}
        for level, date in self.mapping(value, where).items():
            self.level(level, where)
            iso = date.isoformat() if isinstance(date, dt.date) else str(date)
            if not _DATE.match(iso):
                raise self.fail(where, f"date {date!r} for {level} is not YYYY-MM-DD")
            out[level] = iso
        return out


def parse_registry(raw: Any, path: Path) -> RegistryData:
    """Check the parsed YAML of a registry and build its records."""
    check = _Check(path)
    top = check.mapping(raw, "top level", TOP_KEYS)
    check.sources = {
        str(k): str(v) for k, v in check.mapping(top.get("sources") or {}, "sources").items()
    }
    reforms = {
        name: check.dates(dates, {}, f"reforms.{name}")
        for name, dates in check.mapping(top.get("reforms") or {}, "reforms").items()
    }
    bodies = _parse_bodies(top.get("bodies"), reforms, check)
    parties = tuple(
        _parse_party(e, f"parties[{i}]", check) for i, e in enumerate(top.get("parties") or [])
    )
    _check_unique(bodies, parties, check)
    tables = {}
    for key in ("prefixes", "place_suffixes", "level_prefix"):
        table = check.mapping(top.get(key), key)
        tables[key] = {str(k): str(v) for k, v in table.items()}
    for level in tables["level_prefix"]:
        check.level(level, "level_prefix")
    scopes = _parse_scopes(top.get("scopes"), parties, check)
    return RegistryData(path, bodies, parties, scopes=scopes, **tables)


def _parse_bodies(raw: Any, reforms: dict[str, dict[str, str]], check: _Check) -> dict[str, Body]:
    if not isinstance(raw, list) or not raw:
        raise check.fail("bodies", "expected a non-empty list of bodies")
    bodies: dict[str, Body] = {}
    for i, value in enumerate(raw):
        entry = check.mapping(value, f"bodies[{i}]", BODY_KEYS)
        where = f"bodies[{i}] ({entry.get('id', '?')})"
        body = _parse_body(entry, where, reforms, check)
        if body.id in bodies:
            raise check.fail(where, f"duplicate id {body.id!r}")
        bodies[body.id] = body
    for body in bodies.values():
        _check_successor(body, bodies, check)
    return bodies


def _parse_body(
    entry: dict[str, Any], where: str, reforms: dict[str, dict[str, str]], check: _Check
) -> Body:
    kind = check.text(entry, "kind", where)
    if kind not in BODY_KINDS:
        raise check.fail(
            where, f"unknown kind {kind!r} (use one of {', '.join(sorted(BODY_KINDS))})"
        )
    titles_raw = entry.get("titles")
    if not isinstance(titles_raw, list) or not titles_raw:
        raise check.fail(where, "missing 'titles'")
    titles = tuple(_parse_title(t, f"{where}.titles[{j}]", check) for j, t in enumerate(titles_raw))
    abolished = check.dates(entry.get("abolished"), reforms, f"{where}.abolished")
    check.source(entry, where)
    successor = entry.get("successor")
    if bool(abolished) != bool(successor):
        raise check.fail(where, "'abolished' and 'successor' must be given together")
    return Body(
        id=check.text(entry, "id", where),
        function=check.text(entry, "function", where),
        kind=kind,
        titles=titles,
        generic=check.strings(entry.get("generic"), f"{where}.generic"),
        established=check.dates(entry.get("established"), reforms, f"{where}.established"),
        abolished=abolished,
        successor=successor,
    )


def _parse_title(value: Any, where: str, check: _Check) -> Title:
    entry = check.mapping(value, where, TITLE_KEYS)
    levels = entry.get("levels")
    if not isinstance(levels, list) or not levels:
        raise check.fail(where, "missing 'levels'")
    return Title(
        name=normalise_name(check.text(entry, "name", where)),
        levels=tuple(check.level(level, where) or "" for level in levels),
        aliases=check.strings(entry.get("aliases"), f"{where}.aliases"),
        prefixed=entry.get("prefixed", True) is not False,
        full=check.strings(entry.get("full"), f"{where}.full"),
        also_at=tuple(check.level(lv, where) or "" for lv in entry.get("also_at") or ()),
        used_in=tuple(
            _parse_usage(u, f"{where}.used_in[{k}]", check)
            for k, u in enumerate(entry.get("used_in") or ())
        ),
        only_used_in=entry.get("only_used_in") is True,
    )


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _parse_usage(value: Any, where: str, check: _Check) -> Usage:
    """``四川省`` or ``{place: 北京市, since: 2018-11-08, until: …}``."""
    if isinstance(value, str):
        return Usage(normalise_name(value))
    entry = check.mapping(value, where, USAGE_KEYS)
    dates = {}
    for key in ("since", "until"):
        raw = entry.get(key)
        iso = raw.isoformat() if isinstance(raw, dt.date) else raw
        if iso is not None and not _DATE.match(str(iso)):
            raise check.fail(where, f"{key} {raw!r} is not YYYY-MM-DD")
        dates[key] = None if iso is None else str(iso)
    below = entry.get("below") is True
    return Usage(normalise_name(check.text(entry, "place", where)), below=below, **dates)


def _check_successor(body: Body, bodies: dict[str, Body], check: _Check) -> None:
    seen = {body.id}
    current = body
    while current.successor is not None:
        if current.successor not in bodies:
            raise check.fail(f"body {current.id}", f"unknown successor {current.successor!r}")
        current = bodies[current.successor]
        if current.id in seen:
            raise check.fail(f"body {body.id}", "successor chain loops")
        seen.add(current.id)


def _parse_party(value: Any, where: str, check: _Check) -> Party:
    entry = check.mapping(value, where, PARTY_KEYS)
    kind = check.text(entry, "kind", where)
    if kind not in PARTY_KINDS:
        raise check.fail(
            where, f"unknown kind {kind!r} (use one of {', '.join(sorted(PARTY_KINDS))})"
        )
    check.source(entry, where)
    patterns = []
    raw_patterns = entry.get("patterns") or []
    check.strings(raw_patterns, f"{where}.patterns")  # patterns are regexes: not normalised
    for pattern in raw_patterns:
        try:
            patterns.append(re.compile(pattern))
        except re.error as err:
            raise check.fail(where, f"bad pattern {pattern!r} ({err})") from None
    return Party(
        name=normalise_name(check.text(entry, "name", where)),
        kind=kind,
        function=check.text(entry, "function", where),
        level=check.level(entry.get("level"), where, allow_none=True),
        aliases=check.strings(entry.get("aliases"), f"{where}.aliases"),
        patterns=tuple(patterns),
    )


def _parse_scopes(raw: Any, parties: tuple[Party, ...], check: _Check) -> dict[str, Party]:
    by_name = {party.name: party for party in parties}
    scopes: dict[str, Party] = {}
    for name, words in check.mapping(raw or {}, "scopes").items():
        party = by_name.get(normalise_name(str(name)))
        if party is None or party.kind != "collective":
            raise check.fail(f"scopes.{name}", "not the name of a collective in 'parties'")
        scopes.update(dict.fromkeys(check.strings(words, f"scopes.{name}"), party))
    return scopes


def _check_unique(bodies: dict[str, Body], parties: tuple[Party, ...], check: _Check) -> None:
    """Every written form must mean one thing, or resolution would depend on file order."""
    owner: dict[str, str] = {}
    forms = [(b.id, form) for b in bodies.values() for t in b.titles for form in t.forms]
    forms += [(b.id, form) for b in bodies.values() for form in b.generic]
    forms += [(p.name, form) for p in parties for form in (p.name, *p.aliases)]
    for entry, form in forms:
        if owner.setdefault(form, entry) != entry:
            raise check.fail(f"entry {entry}", f"name {form!r} is already used by {owner[form]}")
