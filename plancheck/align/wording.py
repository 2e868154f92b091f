"""The wording model (``rules/wording.yaml``): which rule explains how a carried requirement
phrase changed between the reference and the target.

A rule is a category of words plus a direction, not a pair of words: a hedge gained, a degree
or obligation word lost, a strong verb traded for a soft one, a list member or modifier cut, a
named body made generic, a wide scope narrowed. Every finding names its rule and the words it
fired on. Assumes both texts are places-masked (全省/全市 -> 全◇) so local adaptation is not
read as a change of scope.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from plancheck.errors import ConfigError
from plancheck.io.resources import rules_file
from plancheck.io.yaml_files import load_yaml

DEFAULT_WORDING = rules_file("wording.yaml")
CATEGORIES = (
    "hedges",
    "degree",
    "strong_verbs",
    "soft_verbs",
    "generic_bodies",
    "wide_scope",
    "narrow_scope",
    "higher_level",
)
# Optional: fixed terms that hold a hedge or degree word but say nothing of force
# (基本公共卫生服务, 全面从严治党); they are blanked before words are counted.
FIXED_TERMS = "fixed_terms"
# Rule -> (kind, Chinese label for the report).
RULES = {
    "hedge_gained": ("weakened", "增加限定词"),
    "degree_lost": ("weakened", "删去程度或约束词"),
    "verb_softened": ("weakened", "强动词改为弱动词"),
    "member_dropped": ("weakened", "并列项删去"),
    "body_generalised": ("weakened", "责任主体泛化"),
    "scope_narrowed": ("weakened", "范围收窄"),
    "hedge_dropped": ("strengthened", "删去限定词"),
    "degree_gained": ("strengthened", "增加程度或约束词"),
    "verb_firmed": ("strengthened", "弱动词改为强动词"),
}
_COORDINATORS = "、和及与并或"
_ITEM = re.compile(f"[^{_COORDINATORS}]+")
_BODY_TAIL = re.compile(r"部门|委员会|委|局|厅|办公室|中心")
_BODY_BREAK = re.compile(r".*[的由同和与及对在将把处、]")  # what comes before a body's name
_WORD = re.compile(r"[^\W_]")
_FIGURES = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之")


@dataclass(frozen=True)
class Finding:
    """One rule that fired on a phrase pair, with the words it fired on."""

    rule: str
    words: tuple[str, ...]

    @property
    def kind(self) -> str:
        return RULES[self.rule][0]

    @property
    def detail(self) -> str:
        return f"{RULES[self.rule][1]}「{'、'.join(self.words)}」"


def _pattern(words: list[str]) -> re.Pattern[str]:
    """Longest word first, so a word inside a longer one of the list is counted once."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(map(re.escape, ordered)) if ordered else r"(?!x)x")


@dataclass(frozen=True)
class WordingModel:
    patterns: dict[str, re.Pattern[str]]
    formulae: re.Pattern[str]  # every formula pattern in one alternation
    version: str  # sha256 prefix of the file, for report provenance
    fixed: re.Pattern[str] = re.compile(r"(?!x)x")  # fixed terms, blanked before counting
    subjects: re.Pattern[str] = re.compile(r"(?!x)x")  # higher-level subjects, at a sentence start

    def count(self, category: str, text: str) -> Counter[str]:
        return Counter(self.patterns[category].findall(text))

    def is_formula(self, text: str) -> bool:
        """Stock political wording, not a requirement."""
        return bool(self.formulae.search(text))

    def is_higher_level(self, text: str, sentence: str = "") -> bool:
        """A requirement only a higher level can carry (建立省级…机制), or one of a sentence
        whose subject is the nation (国家建立…制度): the phrase that names it, not the rest of
        its sentence (国家…，推动建立… is a duty a lower level can take up)."""
        if self.patterns["higher_level"].search(text):
            return True
        return (
            bool(sentence)
            and sentence.strip().startswith(text.strip())
            and bool(self.subjects.match(text.strip()))
        )

    def explain(self, reference: str, target: str) -> list[Finding]:
        """Every rule that fires on a reference phrase and the target text that carries it."""
        if self.is_formula(reference):
            return []
        reference, target = self.fixed.sub("□", reference), self.fixed.sub("□", target)
        gained, lost = {}, {}
        for category in CATEGORIES:
            before, after = self.count(category, reference), self.count(category, target)
            gained[category], lost[category] = after - before, before - after
        # force is read as a balance: a hedge or degree word exchanged for another of its kind
        # (引导 -> 推动, 严格 -> 切实) changes nothing
        for category in ("hedges", "degree"):
            net = sum(gained[category].values()) - sum(lost[category].values())
            if net <= 0:
                gained[category] = Counter()
            if net >= 0:
                lost[category] = Counter()
        # a degree word dropped where the target sets a figure the reference has not (全面 ->
        # 100%) is made concrete, not weakened
        if lost["degree"] and _FIGURES.findall(target) and not _FIGURES.findall(reference):
            lost["degree"] = Counter()
        found: list[Finding] = []
        claimed: set[str] = set()

        def add(rule: str, words: list[str]) -> None:
            words = [w for w in dict.fromkeys(words) if w not in claimed]
            if words:
                found.append(Finding(rule, tuple(words)))
                claimed.update(words)

        if lost["strong_verbs"] and gained["soft_verbs"]:
            add("verb_softened", [*lost["strong_verbs"], *gained["soft_verbs"]])
        if gained["strong_verbs"] and lost["soft_verbs"]:
            add("verb_firmed", [*lost["soft_verbs"], *gained["strong_verbs"]])
        if lost["wide_scope"] and gained["narrow_scope"]:
            add("scope_narrowed", [*lost["wide_scope"], *gained["narrow_scope"]])
        if gained["generic_bodies"]:
            generic = self.patterns["generic_bodies"]
            bodies = [b for b in _bodies(reference) if b not in target and not generic.search(b)]
            if bodies:
                add("body_generalised", [*bodies, *gained["generic_bodies"]])
        add("hedge_gained", list(gained["hedges"]))
        add("hedge_dropped", list(lost["hedges"]))
        add("degree_lost", list(lost["degree"]))
        add("degree_gained", list(gained["degree"]))
        if not found:
            found += _cuts(reference, target)
        return found


def _bodies(text: str) -> list[str]:
    """Named bodies: a body word (部门, 委, 局…) with up to six characters before it, cut after
    the last particle or verb end (的, 由, 同, 和, 查处…) so only the name is kept."""
    out = []
    for tail in _BODY_TAIL.finditer(text):
        head = _BODY_BREAK.sub("", text[max(tail.start() - 6, 0) : tail.start()])
        if len(head) >= 2:
            out.append(head + tail.group(0))
    return out


def _cuts(reference: str, target: str) -> list[Finding]:
    """A list member cut out: the target reads as the reference with pieces deleted, each
    next to a coordinator (、和及与). Other short cuts (要求, 大力) are not reported: on the
    seed pairs they are editing, not a narrower requirement."""
    ref, tgt = _letters(reference), _letters(target)
    ops = SequenceMatcher(None, ref, tgt, autojunk=False).get_opcodes()
    edits = [op for op in ops if op[0] != "equal"]
    if not edits or any(op[0] != "delete" for op in edits):
        return []
    members: list[str] = []
    for _, i1, i2, _, _ in edits:
        near = ref[max(i1 - 1, 0) : i2 + 1]
        if not any(c in near for c in _COORDINATORS) or i2 - i1 > 12:
            continue  # a member is one short item next to a coordinator
        # the matcher may cut across the separator (保、医 for 医保、): name the list item(s)
        # the cut overlaps that the target no longer has
        for item in _ITEM.finditer(ref):
            word = item.group(0)
            if item.start() < i2 and item.end() > i1 and 2 <= len(word) <= 10 and word not in tgt:
                members.append(word)
    return [Finding("member_dropped", tuple(members))] if members else []


def _letters(text: str) -> str:
    """Letters, digits and 、 (the list separator): what a cut is read on."""
    return "".join(c for c in text if c == "、" or _WORD.match(c))


def load_wording(path: Path | None = None) -> WordingModel:
    """Load and check the wording model; a malformed file raises ConfigError."""
    path = Path(path or DEFAULT_WORDING)
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of word categories; see rules/wording.yaml")
    patterns = {}
    for category in CATEGORIES:
        words = data.get(category)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(f"{path}: '{category}' must be a list of non-empty words")
        patterns[category] = _pattern([str(w) for w in words])
    formulae = data.get("formulae") or []
    if not isinstance(formulae, list) or not all(isinstance(f, str) for f in formulae):
        raise ConfigError(f"{path}: 'formulae' must be a list of regular expressions")
    try:
        compiled = re.compile("|".join(f"(?:{f})" for f in formulae) or r"(?!x)x")
    except re.error as error:
        raise ConfigError(f"{path}: a 'formulae' pattern is not a valid regex: {error}") from None
    fixed = data.get(FIXED_TERMS) or []
    if not isinstance(fixed, list) or not all(isinstance(w, str) and w for w in fixed):
        raise ConfigError(f"{path}: '{FIXED_TERMS}' must be a list of non-empty words")
    subjects = data.get("higher_level_subjects") or []
    if not isinstance(subjects, list) or not all(isinstance(x, str) for x in subjects):
        raise ConfigError(f"{path}: 'higher_level_subjects' must be a list of regular expressions")
    try:
        subject = re.compile("|".join(f"(?:{x})" for x in subjects) or r"(?!x)x")
    except re.error as error:
        raise ConfigError(
            f"{path}: a 'higher_level_subjects' pattern is not valid: {error}"
        ) from None
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return WordingModel(patterns, compiled, version, _pattern([str(w) for w in fixed]), subject)
