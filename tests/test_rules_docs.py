"""docs/rules.md is generated from the catalogue; this test fails when it is stale."""

from __future__ import annotations

from pathlib import Path

from plancheck.validate.catalogue import catalogue_markdown
from plancheck.validate.rulebook import load_rulebook

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_doc_is_up_to_date() -> None:
    expected = catalogue_markdown(load_rulebook())
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run `plancheck rules --format markdown --output docs/rules.md`"
    )


def test_every_rule_has_a_section() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"## {rule.code} {rule.name}" in text for rule in load_rulebook().rules)


def test_every_rule_section_says_how_to_fix_it() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in load_rulebook().rules:
        section = text.split(f"## {rule.code} {rule.name}")[1].split("\n## ")[0]
        assert rule.fix["zh"] in section and rule.fix["en"] in section, rule.code
