"""The rule catalogue for people: a table, a JSON listing, docs/rules.md, one rule explained.

Listing and explaining need only the rule files, not the checks, so ``plancheck rules``
answers without importing pandas.
"""

from __future__ import annotations

from plancheck.validate.rulebook import Rule, RuleBook

DOC_NOTE = (
    "<!-- Generated from rules/rules-*.yaml by `plancheck rules --format markdown --output docs/rules.md`."
    " Do not edit by hand: tests/test_rules_docs.py fails when this file is stale. -->"
)


def catalogue_text(book: RuleBook, lang: str = "zh") -> str:
    """A table of every rule: code, name, severity, check, message template."""
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    headers = ["code", "name", "severity", "check", "message"]
    rows = [[r.code, r.name, r.severity.value, r.check, r.message[lang]] for r in book.rules]
    return tabulate.tabulate(rows, headers=headers, tablefmt="simple") + "\n"


def catalogue_json(book: RuleBook, lang: str = "zh") -> str:
    import json

    rules = [
        {
            "code": r.code,
            "name": r.name,
            "severity": r.severity.value,
            "check": r.check,
            "scope": r.scope,
            "params": r.params,
            "message": r.message,
            "why": r.why,
            "example": {"bad": r.bad, "good": r.good},
            "fix": r.fix,
        }
        for r in book.rules
    ]
    return json.dumps({"rules": rules}, ensure_ascii=False, indent=2) + "\n"


def _rule_markdown(rule: Rule) -> list[str]:
    params = ", ".join(
        f"`{k}={v!r}`" for k, v in rule.params.items() if k != "patterns" and k != "pattern"
    )
    return [
        f"## {rule.code} {rule.name}",
        "",
        f"Severity: **{rule.severity.value}** · check: `{rule.check}` ({rule.scope})"
        + (f" · {params}" if params else ""),
        "",
        "**Message / 消息**",
        "",
        f"- zh: {rule.message['zh']}",
        f"- en: {rule.message['en']}",
        "",
        "**Why it matters / 为何重要**",
        "",
        rule.why["zh"],
        "",
        rule.why["en"],
        "",
        "**Example / 示例**",
        "",
        "Bad:",
        "",
        "```text",
        rule.bad,
        "```",
        "",
        "Good:",
        "",
        "```text",
        rule.good,
        "```",
        "",
        *(["**Fix / 修复**", "", rule.fix["zh"], "", rule.fix["en"], ""] if rule.fix else []),
    ]


def catalogue_markdown(book: RuleBook, lang: str = "zh") -> str:
    """docs/rules.md: an index table, then one section per rule (both languages)."""
    lines = [
        "# plancheck rules",
        "",
        DOC_NOTE,
        "",
        "| code | name | severity | message |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity.value} | {r.message['en']} |"
        for r in book.rules
    ]
    lines.append("")
    for rule in book.rules:
        lines += _rule_markdown(rule)
    return "\n".join(lines)


LABELS = {
    "zh": ("级别", "检查", "消息", "为何重要", "反例", "正例", "修复", "参数"),
    "en": ("severity", "check", "message", "why", "bad", "good", "fix", "parameters"),
}


def explain(rule: Rule, lang: str = "zh") -> str:
    """One rule explained, as ``plancheck rules CODE`` prints it; the fix is the rule's own."""
    severity, check, message, why, bad, good, fix, params = LABELS[lang]
    lines = [
        f"{rule.code} {rule.name}",
        "",
        f"{severity}: {rule.severity.value}    {check}: {rule.check}",
        f"{message}: {rule.message[lang]}",
        "",
        f"{why}:",
        f"  {rule.why[lang]}",
        "",
        f"{bad}:",
        *(f"  {line}" for line in rule.bad.splitlines()),
        f"{good}:",
        *(f"  {line}" for line in rule.good.splitlines()),
        "",
        f"{fix}: {rule.fix[lang]}",
    ]
    if rule.params:
        shown = ", ".join(f"{k}={v!r}" for k, v in rule.params.items() if "pattern" not in k)
        if shown:
            lines.append(f"{params}: {shown}")
    return "\n".join(lines) + "\n"
