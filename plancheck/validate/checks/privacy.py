"""Personal contact details in a plan: phones, e-mails, QQ/WeChat/ID numbers, named contacts.

These read the cleaned source lines (or, for a CSV without its source, the task texts) with
the same detector that redacts reports (``plancheck.normalise.contacts``), so a detail a report
would mask is exactly a detail these rules count. A hit records only the line and a count:
the matched value never leaves this module, so no report can copy it.

A rule may still give its own ``pattern``; it then runs under the rule-pattern time budget.
"""

from __future__ import annotations

import pandas as pd

from plancheck.normalise.contacts import find_contacts
from plancheck.validate.checks import Param, register_check
from plancheck.validate.checks.context import CheckContext, check_regex, line_hits
from plancheck.validate.checks.patterns import RulePattern


class ContactKinds:
    """``findall`` over the shared detector, keeping the spans of some kinds."""

    def __init__(self, *kinds: str) -> None:
        self.kinds = frozenset(kinds)

    def findall(self, text: str) -> list[tuple[str, int, int]]:
        return [span for span in find_contacts(text) if span[0] in self.kinds]


def _param() -> dict[str, Param]:
    return {
        "pattern": Param(str, "", "regular expression (empty: the built-in detector)", check_regex)
    }


def _hits(ctx: CheckContext, pattern: str, *kinds: str) -> pd.DataFrame:
    return line_hits(ctx, RulePattern(pattern) if pattern else ContactKinds(*kinds))


@register_check("contact_phone", scope="document", params=_param(), fields=("count",))
def contact_phone(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return _hits(ctx, pattern, "phone")


@register_check("contact_email", scope="document", params=_param(), fields=("count",))
def contact_email(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return _hits(ctx, pattern, "email")


@register_check("contact_account", scope="document", params=_param(), fields=("count",))
def contact_account(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return _hits(ctx, pattern, "qq", "wechat", "id_number")


@register_check("contact_person", scope="document", params=_param(), fields=("count",))
def contact_person(ctx: CheckContext, pattern: str) -> pd.DataFrame:
    return _hits(ctx, pattern, "person")
