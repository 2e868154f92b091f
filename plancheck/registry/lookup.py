"""Resolve the names of responsible units to canonical bodies of the department registry.

Plans name one body in many ways (乐山市卫生健康委员会, 市卫生健康委, 市卫健委, 卫健委) and name
bodies that reforms have abolished (市工商局). The diff and the validator need one answer per name:
its canonical short name, its function (so 省卫生健康委 ↔ 市卫健委 ↔ 县卫生健康局 match), its level
and whether it was still valid. All knowledge lives in ``rules/departments.yaml``; this module
only knows how names are built: [jurisdiction or level prefix] + title, or a title with the
jurisdiction inside (人行{place}中心支行), a branch (…局XX分局) or a division (…委综合监督处).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from plancheck.io.resources import rules_file
from plancheck.io.yaml_files import load_yaml
from plancheck.registry.records import (
    LEVELS,
    PLACE,
    Body,
    Party,
    RegistryData,
    Title,
    current_names,
    normalise_name,
    parse_registry,
    render_title,
    template_pattern,
    written_forms,
)

DEFAULT_REGISTRY: Path = rules_file("departments.yaml")
_GOVERNMENT_TAILS = ("人民政府", "政府")
_COLLECTIVE = ("collective", None, None)  # kind, abolished, successor of a collective
_DIVISION = re.compile(r"^[\u4e00-\u9fff]{2,10}(?:处|科|室|司|局|厅|中心|组|股)$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]+$")
_BRANCH = re.compile(r"^(?P<head>.+?局)(?P<sub>[\u4e00-\u9fff]{2,4}?)分局$")
# A jurisdiction written as its places, largest first: 四川省乐山市, 辽宁省凌源市, 重庆市.
_SEGMENT = re.compile(
    r"[\u4e00-\u9fff]+?(?:特别行政区|自治区|自治州|自治县|省|市|州|盟|地区|县|区|旗)"
)
# The province-level municipalities: a 市 that is a province.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class Resolution:
    """What a written unit name denotes; ``status`` says how it was recognised."""

    name: str
    status: str  # canonical | alias | collective | non_government | unknown
    canonical: str | None
    function: str | None
    level: str | None  # national | province | city | county | None
    kind: str | None
    abolished: str | None
    successor: str | None
    suggestions: tuple[str, ...] = ()
    established: str | None = None
    # The canonical name (or successor) is the one the plan's jurisdiction uses: either the
    # registry records that jurisdiction's title, or the function has one title at that level.
    # Only then may ``validate --fix`` rewrite the name.
    certain: bool = True


@dataclass(frozen=True)
class _Hit:
    body: Body
    title: Title
    level: str
    prefix: str  # the level prefix to write the canonical name with
    exact: bool  # written exactly as prefix + canonical title


def load_registry(path: Path | None = None) -> Registry:
    """Load and check a registry (default: the shipped one); cached per resolved path."""
    return _load(Path(path or DEFAULT_REGISTRY).resolve())


@functools.lru_cache(maxsize=8)
def _load(path: Path) -> Registry:
    return Registry(parse_registry(load_yaml(path), path))


class Registry:
    """Name resolution over one checked registry."""

    def __init__(self, data: RegistryData) -> None:
        self.data = data
        self._forms: dict[str, tuple[Body, Title, bool]] = {}
        self._templates: list[tuple[re.Pattern[str], Body, Title, bool]] = []
        self._generic: dict[str, Body] = {}
        for body in data.bodies.values():
            self._generic.update(dict.fromkeys(body.generic, body))
            for title in body.titles:
                for form in title.forms:
                    self._index(form, body, title, form == title.name or form in title.full)
        self._parties = {f: p for p in data.parties for f in (p.name, *p.aliases)}
        self._prefixes = sorted(data.prefixes, key=len, reverse=True)
        self._scopes = sorted(data.scopes, key=len, reverse=True)
        self._suffixes = sorted(data.place_suffixes, key=len, reverse=True)
        self._written_forms = written_forms(data)
        self._current = self._current_titles()
        self._cache: dict[tuple[str, str | None, str | None, str, str | None], Resolution] = {}

    def _current_titles(self) -> dict[tuple[str, str], list[tuple[Body, Title]]]:
        """(function, level) -> the titles of current bodies in use at that level."""
        table: dict[tuple[str, str], list[tuple[Body, Title]]] = {}
        for body in self.data.bodies.values():
            for title in () if body.abolished else body.titles:
                for level in title.all_levels:
                    table.setdefault((body.function, level), []).append((body, title))
        return table

    def _index(self, form: str, body: Body, title: Title, canonical: bool) -> None:
        if PLACE in form:
            self._templates.append((template_pattern(form), body, title, canonical))
        else:
            self._forms[form] = (body, title, canonical)

    # ------------------------------------------------------------------ public API
    def resolve(
        self,
        name: str,
        *,
        level: str | None = None,
        prefix: str | None = None,
        jurisdiction: str | None = None,
        date: str | None = None,
    ) -> Resolution:
        """Resolve ``name`` written in a plan of ``level`` (default city).

        ``prefix`` is the prefix the plan uses for its own bodies when the name has none; it defaults
        to the level's (省/市/县); pass "市" for a county-level city or a province-level municipality.
        ``jurisdiction`` (四川省乐山市) and ``date`` (ISO) say whose titles apply and when: a title
        the registry records for that place is the canonical one there.
        """
        if level is not None and level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
        key = (name, level, prefix, jurisdiction or "", date)
        if key not in self._cache:
            self._cache[key] = self._resolve(name, level, prefix, (jurisdiction or "", date))
        return self._cache[key]

    def _resolve(
        self, name: str, level: str | None, prefix: str | None, where: tuple[str, str | None]
    ) -> Resolution:
        text = normalise_name(name).strip("、，,；;。")
        text = re.sub(r"^(?:中共|中国共产党)", "", text)
        party = self._parties.get(text)
        if party is not None:
            return self._party(name, party, exact=text == party.name)
        scoped = self._scoped(name, text)
        if scoped is not None:
            return scoped
        hit = self._body(text, level, prefix)
        if hit is not None:
            return self._resolution(name, hit, level, where)
        party = next(
            (p for p in self.data.parties for rx in p.patterns if rx.fullmatch(text)), None
        )
        if party is not None:
            return self._party(name, party, exact=False)
        return Resolution(
            name, "unknown", None, None, None, None, None, None,
            self._lookalike(text, level, prefix, where) or self._suggest(text),
        )  # fmt: skip

    def function_of(self, name: str, *, level: str | None = None) -> str | None:
        """The stable function key of ``name`` (None if unknown), for matching across levels."""
        return self.resolve(name, level=level).function

    def canonical_names(self) -> list[str]:
        """Canonical names of current bodies at their usual levels, then collectives and parties."""
        return current_names(self.data)

    # ------------------------------------------------------------------ bodies
    def _body(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """Try the ways a body name is built, most specific first."""
        return (
            self._direct(text, level, prefix)
            or self._branch(text, level, prefix)
            or self._bare_place(text, level, prefix)
            or self._generic_ref(text, level, prefix)
            or self._division(text, level, prefix)
        )

    def _direct(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """Title alone, level prefix + title, jurisdiction + title, or a {place} template."""
        if text in self._forms:
            body, title, canonical = self._forms[text]
            if level == "national" and "national" in title.levels:
                # State Council documents name central bodies without 国家 (市场监管总局, 发展改革委).
                return _Hit(body, title, "national", "", canonical)
            central = body.title_at("national")
            if level == "national" and "national" in central.levels and not body.abolished:
                # …and by their short names (网信办 for 中央网信办/国家网信办).
                return _Hit(body, central, "national", "", True)
            hit = self._implied(body, title, level, prefix, by_title=not title.prefixed)
            return _Hit(body, title, hit.level, hit.prefix, canonical and not title.prefixed)
        for written in self._prefixes:
            rest = text[len(written) :]
            if text.startswith(written) and rest in self._forms:
                body, title, canonical = self._forms[rest]
                return _Hit(body, title, self._written_level(written, level), written, canonical)
        return self._template(text, level, prefix) or self._place_split(text, level)

    def _written_level(self, written: str, level: str | None) -> str:
        """The level of a written prefix; 市 in a province or county plan is the plan itself
        (a 直辖市 such as 重庆市, or a 县级市 such as 凌源市)."""
        if written == "市" and level in ("province", "county"):
            return level
        return self.data.prefixes[written]

    def _implied(
        self, body: Body, title: Title, level: str | None, prefix: str | None, *, by_title: bool
    ) -> _Hit:
        """A title without prefix belongs to the plan's level; ``by_title``: to its only level."""
        at = level or "city"
        if len(title.levels) == 1 and (by_title or level is None):
            at = title.levels[0]
        own = prefix if prefix and at == level else self.data.level_prefix[at]
        return _Hit(body, title, at, own, False)

    def _place_split(self, text: str, level: str | None) -> _Hit | None:
        """乐山市卫生健康委员会: a jurisdiction name ending in 市/县/区/州… then a title.

        A named 市 is a prefecture-level city, except in a province-level plan (直辖市 naming itself).
        """
        for end in range(2, min(len(text), 14)):
            head, rest = text[:end], text[end:]
            suffix = next((s for s in self._suffixes if head.endswith(s)), None)
            if (
                not suffix
                or len(head) <= len(suffix)
                or rest not in self._forms
                or not _PLACE.match(head)
            ):
                continue
            body, title, canonical = self._forms[rest]
            at = (
                level
                if suffix == "市" and level == "province"
                else self.data.place_suffixes[suffix]
            )
            # 乐山市卫生健康委员会: the place written out is the official name, not an alias.
            return _Hit(body, title, at, "州" if suffix == "自治州" else suffix, canonical)
        return None

    def _template(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """人行乐山市中心支行: the jurisdiction inside the name; the shortest place wins.

        A title written with {place} keeps the written jurisdiction in its canonical name.
        """
        matches = [
            (m["place"], b, t, c) for rx, b, t, c in self._templates if (m := rx.match(text))
        ]
        if not matches:
            return None
        place, body, title, canonical = min(matches, key=lambda m: len(m[0]))
        if place in self.data.prefixes:
            return _Hit(body, title, self.data.prefixes[place], place, canonical)
        suffix = next((s for s in self._suffixes if place.endswith(s)), None)
        named = suffix is not None and len(place) > len(suffix)
        if place and PLACE in title.name:
            # 人行乐山市中心支行 names its own jurisdiction: the canonical name keeps it.
            at = (
                self.data.place_suffixes[suffix]
                if named and suffix is not None
                else self._implied(body, title, level, prefix, by_title=True).level
            )
            return _Hit(body, title, at, place, canonical)
        if named and suffix is not None:
            return _Hit(body, title, self.data.place_suffixes[suffix], suffix, False)
        return self._implied(body, title, level, prefix, by_title=True)

    def _branch(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """朝阳市生态环境局凌源分局: a branch of a higher body serves the level below it."""
        match = _BRANCH.match(text)
        parent = self._direct(match["head"], level, prefix) if match else None
        if parent is None or parent.level not in ("province", "city"):
            return None
        below = "city" if parent.level == "province" else "county"
        # A branch is named after its parent body and its own place; no shorter name means the
        # same office, so the written name is the canonical one (and resolves to itself).
        branch = Title(text, (below,), (), prefixed=False)
        return _Hit(parent.body, branch, below, self.data.level_prefix[below], True)

    def _bare_place(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """乐山银保监分局: a 2–4 character place name without 市/县 in front of a title.

        Vertically managed (external) bodies keep the written place in their canonical name.
        """
        for end in range(2, 5):
            rest = text[end:]
            if len(rest) >= 3 and rest in self._forms and _PLACE.match(text[:end]):
                body, title, canonical = self._forms[rest]
                hit = self._implied(body, title, level, prefix, by_title=True)
                if body.kind == "external":
                    # A vertically managed body is named after its place (乐山银保监分局): keep it,
                    # for its successor too (乐山金融监管分局).
                    return _Hit(body, title, hit.level, text[:end], canonical)
                return hit
        return None

    def _generic_ref(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """卫生健康行政部门: the body of that function at the plan's (or the written) level."""
        body = self._generic.get(text)
        if body is not None and level == "national":
            return _Hit(body, body.title_at("national"), "national", "", True)  # 人民银行
        if body is not None:
            at = level or "city"
            own = prefix or self.data.level_prefix[at]
            return _Hit(body, body.title_at(at), at, own, False)
        for written in self._prefixes:
            body = self._generic.get(text[len(written) :]) if text.startswith(written) else None
            if body is not None:
                at = self._written_level(written, level)
                return _Hit(body, body.title_at(at), at, written, False)
        return None

    def _division(self, text: str, level: str | None, prefix: str | None) -> _Hit | None:
        """市卫生健康委综合监督处: a division inside a body stands for that body."""
        for end in range(len(text) - 2, 1, -1):
            if _DIVISION.match(text[end:]):
                parent = self._direct(text[:end], level, prefix)
                if parent is not None:
                    return _Hit(parent.body, parent.title, parent.level, parent.prefix, False)
        return None

    def _place_at(self, at: str, level: str | None, jurisdiction: str) -> str | None:
        """The place whose body a name at level ``at`` denotes in a plan of ``level``: the plan's
        own place, or its province (a city plan's 省经济和信息化厅 is its province's)."""
        places = _SEGMENT.findall(jurisdiction)
        if not places:
            return None
        if at == (level or "city"):
            return places[-1]
        first = places[0]
        if at == "province" and (first.endswith(("省", "自治区")) or first in MUNICIPALITIES):
            return first
        return None

    def _in_use(
        self, function: str, at: str, place: str | None, where: tuple[str, str | None]
    ) -> tuple[list[Title], Title | None]:
        """(titles of ``function`` possible at level ``at`` for the plan's jurisdiction, the one
        the registry records for ``place``)."""
        places = _SEGMENT.findall(where[0])
        titles = [t for _, t in self._current.get((function, at), []) if t.counts_for(at, places)]
        own = None
        if place:
            own = next(
                (t for t in titles if any(u.holds(place, where[1], places) for u in t.used_in)),
                None,
            )
        return titles, own

    def _resolution(
        self, name: str, hit: _Hit, level: str | None, where: tuple[str, str | None]
    ) -> Resolution:
        body, at = hit.body, hit.level
        place = self._place_at(at, level, where[0])
        successor, certain, title, exact = None, True, hit.title, hit.exact
        if body.abolished:
            current = body
            while current.successor is not None:
                current = self.data.bodies[current.successor]
            titles, own = self._in_use(current.function, at, place, where)
            usual = own or current.title_at(at)
            successor = render_title(usual, hit.prefix)
            certain = own is not None or titles == [usual]
        else:
            titles, own = self._in_use(body.function, at, place, where)
            if own is not None and own is not hit.title and hit.title in titles:
                title, exact = own, False  # the jurisdiction's body has another title
            elif not exact:
                title = own or hit.title
                certain = own is not None or titles == [hit.title]
        return Resolution(
            name=name,
            status="canonical" if exact else "alias",
            canonical=render_title(title, hit.prefix),
            function=body.function,
            level=at,
            kind=body.kind,
            abolished=body.abolished.get(at),
            successor=successor,
            established=body.established.get(at),
            certain=certain,
        )

    # ------------------------------------------------------------------ collectives, parties
    def _scoped(self, name: str, text: str) -> Resolution | None:
        """各县（市、区）人民政府, 各区县（自治县）卫生健康委: every body of a scope."""
        for scope in self._scopes if text.startswith("各") else ():
            tail = text[1 + len(scope) :]
            if not text[1:].startswith(scope):
                continue
            party = self.data.scopes[scope]
            if (
                tail in _GOVERNMENT_TAILS or not tail
            ):  # 各县（市、区） alone means their governments
                return self._party(name, party, exact=False)
            hit = self._body(tail, party.level, None)
            if hit is not None:
                canonical = f"各{scope}{hit.title.name}"
                return Resolution(
                    name, "collective", canonical, hit.body.function, party.level, *_COLLECTIVE
                )
        return None

    def _party(self, name: str, party: Party, *, exact: bool) -> Resolution:
        status = party.kind if party.kind != "government" else ("canonical" if exact else "alias")
        return Resolution(
            name, status, party.name, party.function, party.level, party.kind, None, None
        )

    def _lookalike(
        self, text: str, level: str | None, prefix: str | None, where: tuple[str, str | None]
    ) -> tuple[str, ...]:
        """A name that only looks like a known one — a zero-width space inside 市卫健委, full-width
        letters, a Kangxi radical ⽣ for 生, a bidi override — stays unknown (reported, never
        taken as the body it imitates: a reviewer cannot see the difference, and --fix must not
        rewrite what nobody can see); the body it imitates becomes the suggestion, with the
        characters that differ. Its skeleton: NFKC (full-width forms, radicals and
        compatibility ideographs to the usual characters) without control or format characters."""
        skeleton = "".join(
            ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] != "C"
        )
        skeleton = normalise_name(skeleton)
        if skeleton == text or not skeleton:
            return ()
        seen = self._resolve(skeleton, level, prefix, where)
        if seen.canonical is None:
            return ()
        odd = sorted({f"U+{ord(ch):04X}" for ch in text if ch not in skeleton})
        return (
            f"{seen.canonical}（看似“{skeleton}”，但含形近或不可见字符 {' '.join(odd)}；"
            "looks like it, but holds look-alike or invisible characters）",
        )

    def _suggest(self, text: str) -> tuple[str, ...]:
        candidates = self._written_forms
        close = difflib.get_close_matches(text, list(candidates), n=10, cutoff=0.6)
        return tuple(dict.fromkeys(candidates[c] for c in close))[:5]
