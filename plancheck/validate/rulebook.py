"""The rule catalogue: ``rules/rules-*.yaml`` files, checked when they load.

Each rule names a registered check (see ``plancheck.validate.checks``), its parameters, a severity,
message templates in Chinese and English, why it matters, a bad and a good example and how
to fix it (``fix``, Chinese and English; required: `plancheck rules CODE` and SARIF show it). A
mistake in a rule file (malformed YAML, unknown check, bad parameter, unknown template
field) raises ConfigError naming the file and line, before anything is validated.
Other YAML files in the folder (departments.yaml, wording.yaml) are not rule files.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plancheck.errors import ConfigError
from plancheck.io.resources import rules_dir
from plancheck.io.yaml_files import StrictLoader, check_keys, load_yaml
from plancheck.validate.findings import Severity

DEFAULT_RULES_DIR = rules_dir()
RULE_FILE_GLOB = "rules-*.yaml"
LANGS = ("zh", "en")
CODE_RE = re.compile(r"^PC\d{3}$")
REQUIRED = ("code", "name", "check", "severity", "message", "why", "example", "fix")
RULE_KEYS = (*REQUIRED, "params")
COMMON_FIELDS = ("plan_id", "task_id")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    check: str
    severity: Severity
    message: dict[str, str]
    why: dict[str, str]
    bad: str
    good: str
    params: dict[str, Any] = field(default_factory=dict)
    scope: str = "rows"
    origin: str = ""  # file:line, for error messages
    fixable: bool = False  # --fix applies the fixes its check proposes
    fix: dict[str, str] = field(default_factory=dict)  # what to change, per language

    def render(self, lang: str, fields: dict[str, Any]) -> str:
        """The message in ``lang``; per-language field values ({"zh":…, "en":…}) are picked too."""
        values = {k: (v.get(lang, "") if isinstance(v, dict) else v) for k, v in fields.items()}
        return self.message[lang].format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]

    def get(self, code: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.code == code), None)

    def rule(self, code: str) -> Rule:
        """The rule with this code (KeyError when the book has none)."""
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found

    def select(self, select: list[str] | None = None, ignore: list[str] | None = None) -> RuleBook:
        """Rules matching ``select`` (codes or prefixes, "ALL") minus ``ignore``."""
        chosen = [r for r in self.rules if _matches(r.code, select or ["ALL"], self.rules)]
        kept = [r for r in chosen if not (ignore and _matches(r.code, ignore, self.rules))]
        return RuleBook(tuple(kept))


def _matches(code: str, selectors: list[str], rules: tuple[Rule, ...]) -> bool:
    for selector in selectors:
        if selector != "ALL" and not any(r.code.startswith(selector) for r in rules):
            raise ConfigError(
                f"{selector!r} matches no rule code; see `plancheck rules` for the codes"
            )
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def parse_codes(value: str | list[str] | None) -> list[str]:
    """ "PC101,PC2" or a list of such strings -> ["PC101", "PC2"]."""
    if not value:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [code.strip().upper() for item in items for code in str(item).split(",") if code.strip()]


class _LineLoader(StrictLoader):
    """The strict loader (duplicate keys, alias bombs refused) that also records the line of
    every mapping under the key ``__line__``."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _read_yaml(path: Path) -> Any:
    return load_yaml(path, loader=_LineLoader)


def load_rulebook(rules_dir: Path | None = None, *, checked: bool = True) -> RuleBook:
    """Load every ``rules-*.yaml`` in ``rules_dir`` (default: the packaged rules/).

    ``checked=False`` reads the files without importing the checks (and so pandas): enough
    to list or explain rules quickly; parameters are then as written, not with defaults.
    """
    folder = Path(rules_dir) if rules_dir else DEFAULT_RULES_DIR
    if not folder.is_dir():
        raise ConfigError(f"{folder}: rules folder not found; pass --rules DIR")
    files = sorted(folder.glob(RULE_FILE_GLOB))
    if not files:
        raise ConfigError(f"{folder}: no {RULE_FILE_GLOB} rule files; pass --rules DIR")
    rules: list[Rule] = []
    for path in files:
        rules.extend(_load_file(path, checked))
    _check_unique(rules)
    return RuleBook(tuple(sorted(rules, key=lambda r: r.code)))


def _load_file(path: Path, checked: bool = True) -> list[Rule]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(f"{path}: expected a top-level 'rules:' list")
    return [_rule(entry, path, checked) for entry in data["rules"]]


def _check_unique(rules: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule.code, rule.name):
            if key in seen:
                raise ConfigError(
                    f"{rule.origin}: {key} is already defined at {seen[key]}; codes and names are unique"
                )
            seen[key] = rule.origin


def _rule(entry: Any, path: Path, checked: bool = True) -> Rule:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: each rule must be a mapping with {', '.join(REQUIRED)}")
    where = f"{path}:{entry.get('__line__', '?')}"
    check_keys(entry, RULE_KEYS, f"rule {entry.get('code', '?')}", path)
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise ConfigError(f"{where}: rule is missing {', '.join(missing)}")
    code = str(entry["code"])
    if not CODE_RE.match(code):
        raise ConfigError(f"{where}: code {code!r} must look like PC101")
    message = _texts(entry["message"], "message", where)
    if checked:
        spec = _check_spec(entry["check"], where)
        params = _params(entry.get("params") or {}, spec, where)
        _check_template_fields(message, spec, where)
    else:
        spec = _UncheckedSpec(str(entry["check"]))
        params = {k: v for k, v in (entry.get("params") or {}).items() if k != "__line__"}
    example = entry["example"] if isinstance(entry["example"], dict) else {}
    check_keys(example, ("bad", "good"), f"example of rule {code}", path)
    return Rule(
        code=code,
        name=str(entry["name"]),
        check=spec.name,
        severity=_severity(entry["severity"], where),
        message=message,
        why=_texts(entry["why"], "why", where),
        bad=str(example.get("bad", "")).strip(),
        good=str(example.get("good", "")).strip(),
        params=params,
        scope=spec.scope,
        origin=where,
        fixable=spec.fixable,
        fix=_texts(entry["fix"], "fix", where),
    )


@dataclass(frozen=True)
class _UncheckedSpec:
    name: str
    scope: str = ""
    fixable: bool = False


def _check_spec(name: Any, where: str) -> Any:
    from plancheck.validate.checks import all_checks

    checks = all_checks()
    if name not in checks:
        raise ConfigError(
            f"{where}: unknown check {name!r}; known checks: {', '.join(sorted(checks))}"
        )
    return checks[name]


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(str(value))
    except ValueError:
        raise ConfigError(f"{where}: severity {value!r} must be error or warning") from None


def _texts(value: Any, key: str, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) for lang in LANGS):
        raise ConfigError(f"{where}: {key} needs a text for each language ({', '.join(LANGS)})")
    return {lang: value[lang].strip() for lang in LANGS}


def _params(given: Any, spec: Any, where: str) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise ConfigError(f"{where}: params must be a mapping")
    given = {k: v for k, v in given.items() if k != "__line__"}
    unknown = sorted(set(given) - set(spec.params))
    if unknown:
        known = ", ".join(sorted(spec.params)) or "none"
        near = difflib.get_close_matches(unknown[0], list(spec.params), n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ConfigError(
            f"{where}: check {spec.name} has no parameter {', '.join(unknown)} (known: {known}){hint}"
        )
    values = {name: given.get(name, param.default) for name, param in spec.params.items()}
    for name, value in values.items():
        _check_param(name, value, spec.params[name], where)
    return values


def _check_param(name: str, value: Any, param: Any, where: str) -> None:
    if isinstance(value, bool) and param.type is not bool or not isinstance(value, param.type):
        expected = getattr(param.type, "__name__", str(param.type))
        raise ConfigError(f"{where}: parameter {name} must be a {expected}, not {value!r}")
    if param.check is not None:
        try:
            param.check(value)
        except ValueError as err:
            raise ConfigError(f"{where}: parameter {name}: {err}") from None


def _check_template_fields(message: dict[str, str], spec: Any, where: str) -> None:
    allowed = set(spec.fields) | set(COMMON_FIELDS)
    for lang, template in message.items():
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        except ValueError as err:
            raise ConfigError(f"{where}: message.{lang} is not a valid template ({err})") from None
        unknown = sorted(used - allowed)
        if unknown:
            raise ConfigError(
                f"{where}: message.{lang} uses {{{', '.join(unknown)}}}, which check {spec.name} does not provide"
                f" (available: {', '.join(sorted(allowed))})"
            )
