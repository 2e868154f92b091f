"""YAML loading for untrusted configuration: safe, strict, bounded, and precise about errors.

Manifests, rule files and the registry may arrive in a pull request, so loading them:
- uses the safe loader (the C parser when PyYAML has it): no Python objects, no includes;
- refuses a key given twice in one mapping (a second ``prefixes:`` silently replaced the first);
- bounds alias expansion: a document whose aliases would expand to more than ``MAX_NODES``
  nodes (a "billion laughs" bomb) is refused before anything walks it;
- names the file and line of every problem; ``check_keys`` adds a did-you-mean for unknown keys.

Mappings come back as :class:`Located` dicts that remember the line of the mapping and of each
key, so a caller can point at the line of a bad value.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from plancheck.errors import ConfigError

__all__ = ["MAX_BYTES", "MAX_NODES", "Located", "StrictLoader", "check_keys", "load_yaml"]

MAX_BYTES = 20_000_000  # a configuration file larger than this is not a configuration file
MAX_NODES = 1_000_000  # nodes after alias expansion

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict):
    """A mapping read from YAML: ``line`` of the mapping, ``key_lines[key]`` of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that refuses duplicate keys and alias bombs, and records lines."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} is given twice (first on line {first}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        mapping = Located(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = seen
        return mapping


def _construct_located(loader: StrictLoader, node: yaml.MappingNode) -> Any:
    # Same two-step protocol as SafeConstructor.construct_yaml_map, with a Located dict.
    data = Located()
    data.line = node.start_mark.line + 1
    yield data
    built = loader.construct_mapping(node)
    data.update(built)
    data.key_lines = getattr(built, "key_lines", {})


StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_located)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a node graph whose aliases expand beyond MAX_NODES (sizes memoised per node)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            size = 1 + sum(sizes.get(id(child), 0) for child in children)
            if size > MAX_NODES:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"aliases expand to more than {MAX_NODES:,} values; remove the repeated aliases",
                    node.start_mark,
                )
            sizes[id(node)] = size
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(path: Path, loader: type[StrictLoader] = StrictLoader) -> Any:
    """Parse ``path``; a missing, oversized or malformed file raises ConfigError with file:line."""
    path = Path(path)
    from plancheck.io.paths import require_regular_file

    require_regular_file(path, ConfigError, max_bytes=MAX_BYTES)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read ({err}); save it as UTF-8 text") from None
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - StrictLoader is a safe loader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ConfigError(
            f"{where}: malformed YAML ({problem}); fix the file and run again"
        ) from None
    except RecursionError:
        raise ConfigError(f"{path}: YAML nested too deeply; flatten the file") from None


def check_keys(mapping: dict, allowed: Iterable[str], where: str, path: Path | None = None) -> None:
    """Refuse a key of ``mapping`` not in ``allowed``, naming its line and the nearest allowed key."""
    allowed = [key for key in allowed]
    for key in mapping:
        if key in allowed or key == "__line__":
            continue
        line = mapping.line_of(key) if isinstance(mapping, Located) else 0
        place = f"{path}:{line}" if path is not None and line else where
        near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}?" if near else f"known keys: {', '.join(allowed)}"
        raise ConfigError(f"{place}: unknown key {key!r} in {where}; {hint}")
